"""The before/after pictures of issue 10, taken offscreen from whichever checkout is first on
``PYTHONPATH`` (the "before" ones from commit 38f83df):

    QT_QPA_PLATFORM=offscreen python docs/issue10/shots.py OUT_DIR SEARCH_EXPORTS_DIR

SEARCH_EXPORTS_DIR holds ``medline.csv``, ``embase.csv`` and ``scopus.csv`` (the three
exports of one search, ``../shared/corpus/csv/dimitrov_snhl_search_exports``). Only
functions both checkouts have are called.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QStyleFactory  # noqa: E402

DARK = {
    "Window": "#2b2b2b", "WindowText": "#e6e6e6", "Base": "#1e1e1e", "AlternateBase": "#262626",
    "Text": "#e6e6e6", "Button": "#333333", "ButtonText": "#e6e6e6", "Highlight": "#2f65ca",
    "HighlightedText": "#ffffff", "ToolTipBase": "#333333", "ToolTipText": "#e6e6e6",
    "PlaceholderText": "#8c8c8c", "Link": "#6fa8ff", "Mid": "#444444", "Dark": "#202020",
    "Light": "#505050",
}  # fmt: skip


def dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in DARK.items():
        p.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role in ("Text", "ButtonText", "WindowText"):
        p.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor("#777"))
    return p


def settle() -> None:
    for _ in range(8):
        QApplication.processEvents()


def window_for(path: Path, size: tuple[int, int]):
    from reviewer.store import Store
    from reviewer.ui.jobs import JobRunner
    from reviewer.ui.main_window import MainWindow

    JobRunner.synchronous = True  # suggestions and counts are there when the picture is taken
    window = MainWindow(Store(path))
    window.resize(*size)
    window.show()
    settle()
    return window


def grab(window, out: Path) -> None:
    """Save the window as a 256-colour PNG (a third of the size, no visible loss)."""
    from PIL import Image

    settle()
    window.grab().save(str(out))
    image = Image.open(out).convert("RGB")
    image.quantize(colors=256, dither=Image.Dither.NONE).save(out, optimize=True)
    print(out)


def snhl_review(folder: Path, exports: Path) -> Path:
    from reviewer.ingest import import_paths
    from reviewer.review import screening
    from reviewer.review.project import create_review

    path = folder / "snhl.review"
    store = create_review(path)
    import_paths(store, [exports / n for n in ("medline.csv", "embase.csv", "scopus.csv")])
    ids = screening.records_at_stage(store, "title_abstract")
    for i, rid in enumerate(ids[:12]):
        kind = ("include", "exclude", "maybe")[i % 3]
        screening.decide(store, rid, kind, "tester", reason="wrong population" if i % 3 == 1 else "")
    store.close()
    return path


def demo_review(folder: Path) -> Path:
    from reviewer.review.project import create_demo_review

    path = folder / "demo.review"
    create_demo_review(path).close()
    return path


def main(out: Path, exports: Path) -> None:
    os.environ["REVIEWER_NAME"] = "tester"
    QCoreApplication.setOrganizationName("ReviewerShots")
    QCoreApplication.setApplicationName("ReviewerShots")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle(QStyleFactory.create("Fusion"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["REVIEWER_DATA_DIR"] = str(folder / "data")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "ini"))
        snhl = snhl_review(folder, exports)
        demo = demo_review(folder)

        # the list after a filter change (blinded review, 12 of 1,241 records decided)
        w = window_for(snhl, (1400, 900))
        combo = w.filter_panel.combos["decision"]
        combo.setCurrentIndex(combo.findData("exclude"))
        combo.setCurrentIndex(0)  # back to "any"
        grab(w, out / "list-after-filter-change.png")

        # a merged duplicate: a PubMed record (no abstract) completed from Embase and Scopus
        merged = w.store.db.execute(
            "select duplicate_of from records where duplicate_of > 5 order by duplicate_of limit 1"
        ).fetchone()[0]
        w.go_to_record(merged)
        grab(w, out / "merged-duplicate.png")
        w.close()

        # the extraction form, at the smallest and a large window size
        for size in ((1024, 700), (1600, 1000)):
            w = window_for(demo, size)
            w.splitter.setSizes([int(size[0] * 0.3), int(size[0] * 0.4), int(size[0] * 0.3)])
            w.go_to_record(9)
            grab(w, out / f"form-{size[0]}x{size[1]}.png")
            w.close()

        # a dark palette
        app.setPalette(dark_palette())
        w = window_for(snhl, (1400, 900))
        w.go_to_record(1)
        grab(w, out / "dark-palette.png")
        w.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
