"""Makes the README's picture of the page view (``make page-screenshot``).

The BMJ trial in ``tests/data`` is imported from its PDF into a fresh review, its
suggestions are accepted, and two values are set *by selection* on page 2 (the
words are found in the text and put on the fields through the same call the window
makes). ``reviewer screenshot --record ID --page 1`` then draws the window with the
PDF's first page and the boxes of its values beside the form.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("REVIEWER_NAME", "demo")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.annotate.selection import set_from_selection  # noqa: E402
from reviewer.ingest.importer import import_paths  # noqa: E402
from reviewer.review import extraction  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.suggest.runner import compute_suggestions  # noqa: E402
from reviewer.ui.app import screenshot  # noqa: E402

PDF = (
    ROOT
    / "tests"
    / "data"
    / "corpus"
    / "pdf"
    / "clinical_oa"
    / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
)
SELECTED = (
    ("condition", "Pregnant smokers", "Pregnant smokers are"),
    ("age", "age\n16-50 years", None),
)


def main(out: Path = ROOT / "docs" / "page_view.png", page: int = 1) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("REVIEWER_DATA_DIR", tmp)
        review = Path(tmp) / "pages.review"
        store = create_review(review, "Page view")
        import_paths(store, [PDF])
        rid = max(store.record_ids())
        compute_suggestions(store, [rid])
        extraction.accept_all(store, rid, "demo")
        text = store.record(rid).text
        for field, words, around in SELECTED:
            start = text.index(around or words) + (around or words).index(words)
            set_from_selection(store, rid, field, start, start + len(words), "demo")
        store.close()
        return screenshot(review, out, 1400, 900, record_id=rid, page=page)


if __name__ == "__main__":
    print(main())
