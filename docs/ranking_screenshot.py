"""The README's picture of priority screening (``make ranking-screenshot``).

usage: python docs/ranking_screenshot.py [LABELLED.csv] [--out docs/ranking.png]
                                               [--size 1400x900] [--dark]

Imports a labelled review into a new review file, screens it as a reviewer following
the ranking would (the order ``reviewer simulate`` gives, each record decided by its
label) up to where the stopping rule says stop, then renders the window offscreen
sorted by relevance, with the relevance column, the verdict in the status bar and the
recall-curve dock open, and saves it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEFAULT = (
    ROOT.parent / "shared/corpus/screening/synergy_v1/Jeyaraman_2020"
    / "Jeyaraman_2020_title_abstract_labels.csv"
)  # fmt: skip


def build(labelled: Path, review: Path, reviewer: str) -> int:
    """The review, screened along the ranking up to the stop; returns decisions made."""
    from reviewer.ingest import import_paths
    from reviewer.rank.simulate import read_labelled, simulate
    from reviewer.review import screening
    from reviewer.review.project import create_review

    data = read_labelled(labelled)
    result = simulate(data, seed=0)
    stop = result.stopped_at["screened"] if result.stopped_at else len(result.order)
    label = dict(zip(data.rows, data.labels, strict=True))
    store = create_review(review)
    import_paths(store, [labelled])
    by_row = {r.source_index: r.id for r in store.records() if r.duplicate_of is None}
    made = 0
    for row in result.order[:stop]:
        rid = by_row.get(row)
        if rid is None:
            continue  # merged as a duplicate on import
        screening.decide(store, rid, "include" if label[row] else "exclude", reviewer)
        made += 1
    store.close()
    return made


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labelled", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "ranking.png")
    ap.add_argument("--size", default="1400x900")
    ap.add_argument("--dark", action="store_true", help="a dark palette")
    args = ap.parse_args()
    os.environ["REVIEWER_DATA_DIR"] = tempfile.mkdtemp()
    os.environ["REVIEWER_NAME"] = "demo"
    review = Path(tempfile.mkdtemp()) / "priority.review"
    made = build(args.labelled, review, "demo")
    print(f"{review}: {made} decisions along the ranking")

    from PySide6.QtCore import QCoreApplication, QSettings, Qt
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from reviewer.store import Store
    from reviewer.ui.app import application

    app = application()
    QCoreApplication.setApplicationName("ReviewerScreenshot")
    QSettings().clear()
    if args.dark:
        app.setStyle("Fusion")
        pal = QPalette()
        for role, colour in (
            (QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e0e0e0"),
            (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#262626"),
            (QPalette.ColorRole.Text, "#e0e0e0"), (QPalette.ColorRole.Button, "#353535"),
            (QPalette.ColorRole.ButtonText, "#e0e0e0"), (QPalette.ColorRole.Highlight, "#2f65ca"),
        ):  # fmt: skip
            pal.setColor(role, QColor(colour))
        app.setPalette(pal)
    from reviewer.ui.main_window import MainWindow

    window = MainWindow(Store(review))
    width, height = (int(v) for v in args.size.lower().split("x"))
    window.resize(width, height)
    window.splitter.setSizes([int(width * 0.36), int(width * 0.4), int(width * 0.24)])
    window.show()
    window.ranking.dock.show()
    window.resizeDocks([window.ranking.dock], [int(height * 0.36)], Qt.Orientation.Vertical)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
        r = window.ranking
        if r.result is not None and r.result.trained and r.panel.picture.pixmap() is not None \
                and not r.panel.picture.pixmap().isNull():  # fmt: skip
            break
    window.select_row(0)
    nxt = window.ranking.next_undecided(-1)
    if nxt is not None:
        window.go_to_record(nxt)
    for _ in range(40):
        app.processEvents()
        time.sleep(0.05)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.out))
    print(args.out, "·", window.ranking.status.text())
    window.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
