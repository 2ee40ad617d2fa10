"""Makes the README's pictures of results and risk of bias (``make results-screenshots``).

1. The demo review's randomised trial (lenalidomide vs observation) with its arms, an
   outcome, each arm's events and the hazard ratio filled *by selection*: the words a
   reviewer selects are found in the text and put on the cells through the same call
   the window makes, so every cell carries its quote. The window is then drawn
   offscreen at 1024x700 with the Results tab showing and a cell's words highlighted.
2. The BCG trials (tests/data/results) through ``import-results``: the forest plot of
   the DerSimonian-Laird analysis, as the window shows it and as a PNG.
3. A RoB 2 traffic-light plot. Its answers are made up for the picture (they are not
   an assessment of these trials).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from reviewer.analysis import rob2  # noqa: E402
from reviewer.analysis.dataset import analyse  # noqa: E402
from reviewer.analysis.forest import save_forest  # noqa: E402
from reviewer.annotate import results_edit  # noqa: E402
from reviewer.annotate.selection import set_from_selection  # noqa: E402
from reviewer.domain.results import new_item_id  # noqa: E402
from reviewer.export.formats import export  # noqa: E402
from reviewer.ingest.importer import import_paths  # noqa: E402
from reviewer.ingest.results_csv import import_results  # noqa: E402
from reviewer.review.project import create_demo_review, create_review  # noqa: E402
from reviewer.store import results as rs  # noqa: E402
from reviewer.store.results import CellChange  # noqa: E402

WHO = "demo"
DOCS = ROOT / "docs"
DATA = ROOT / "tests" / "data" / "results"


def at(text: str, words: str, after: str = "") -> tuple[int, int]:
    start = text.index(words, text.index(after) if after else 0)
    return start, start + len(words)


def fill_trial(store) -> int:  # noqa: ANN001
    rid = next(r.id for r in store.records() if r.title.startswith("Early Intervention"))
    text = store.record(rid).text
    exp, ctrl, death, tte = (new_item_id(k) for k in ("arm", "arm", "outcome", "outcome"))
    rs.set_cells(store, rid, [CellChange(exp, "role", "experimental"),
                              CellChange(ctrl, "role", "control"),
                              CellChange(death, "kind", "dichotomous"),
                              CellChange(tte, "kind", "time_to_event")], WHO)  # fmt: skip

    def sel(item: str, field: str, words: str, after: str = "") -> None:
        results_edit.set_from_selection(store, rid, item, field, *at(text, words, after), WHO)

    sel(exp, "name", "lenalidomide", "92 of whom")
    sel(exp, "n_randomised", "92")
    sel(exp, "intervention", "25 mg on days 1 to 21 of a 28-day cycle")
    sel(ctrl, "name", "observation", "standard of care")
    sel(ctrl, "n_randomised", "90 patients")
    sel(death, "name", "deaths", "Six")
    sel(tte, "name", "PFS", "improve progression-free survival")
    r_exp, r_ctrl, hr = new_item_id("result"), new_item_id("result"), new_item_id("comparison")
    rs.set_cells(store, rid, [CellChange(r_exp, "outcome", death), CellChange(r_exp, "arm", exp),
                              CellChange(r_ctrl, "outcome", death),
                              CellChange(r_ctrl, "arm", ctrl), CellChange(hr, "outcome", death),
                              CellChange(hr, "experimental", exp),
                              CellChange(hr, "control", ctrl)], WHO)  # fmt: skip
    sel(r_exp, "events", "2 in the lenalidomide arm")
    sel(r_ctrl, "events", "4 in the observational arm")
    sel(hr, "estimate", "hazard ratio for death, 0.46; 95% CI, 0.08 to 2.53")
    return rid


def window_shots(review: Path, rid: int) -> None:
    from reviewer.store import Store
    from reviewer.ui.app import application
    from reviewer.ui.main_window import MainWindow

    application()
    window = MainWindow(Store(review))
    window.resize(1024, 700)
    window.splitter.setSizes([250, 430, 344])
    window.show()
    window.go_to_record(rid)
    c = window.results
    c.tabs.setCurrentWidget(c.panel)
    study = rs.study_results(window.store, rid)
    c.panel.focus_cell(study.results[0].id, "events")
    c._show_cell(study.results[0].id, "events")
    QApplication.processEvents()
    window.grab().save(str(DOCS / "results.png"))
    store = window.store
    c.add_rob2()
    text = store.record(rid).text
    for field, answer, words in (
        ("rob2_1_1", "PY", "Randomized trial of lenalidomide versus observation"),
        ("rob2_1_2", "NI", ""), ("rob2_1_3", "PN", ""),
        ("rob2_2_1", "Y", "Lenalidomide was administered orally"), ("rob2_2_2", "Y", ""),
        ("rob2_2_3", "PN", ""), ("rob2_2_6", "PY", ""),
    ):  # fmt: skip
        store.set_value(rid, field, answer, WHO)
        if words:
            set_from_selection(store, rid, field, *at(text, words), WHO)
    window.go_to_record(rid)
    c.tabs.setCurrentWidget(c.rob)
    c.refresh()
    QApplication.processEvents()
    window.grab().save(str(DOCS / "rob2_tab.png"))
    window.close()
    store.close()


def bcg_shots(tmp: Path) -> None:
    review = tmp / "bcg.review"
    store = create_review(review)
    import_paths(store, [DATA / "bcg_records.ris"])
    import_results(store, DATA / "bcg_results.csv", WHO)
    a = analyse(store, "Tuberculosis", "RR", "random", "DL")
    save_forest(a, DOCS / "forest.png")
    store.set_template(rob2.with_rob2(store.template()), WHO)
    for i, rid in enumerate(rs.records_with_results(store)):  # made up, for the picture
        judged = {d: "Low" for d in range(1, 6)}
        if i % 3 == 1:
            judged[2] = "Some concerns"
        if i % 4 == 2:
            judged[5] = "High"
        if i % 5 == 3:
            judged[3] = "Some concerns"
        if i == 6:
            del judged[4]
        for d, j in judged.items():
            store.set_value(rid, f"rob2_d{d}", j, WHO)
    export(store, "rob2-png", DOCS / "rob2.png")

    from reviewer.ui.app import application
    from reviewer.ui.main_window import MainWindow

    application()
    store.close()
    from reviewer.store import Store

    window = MainWindow(Store(review))
    window.resize(1024, 700)
    dialog = window.results.show_analysis()
    dialog.choose("Tuberculosis", "RR", "random", "DL")
    dialog.resize(1000, 690)
    from reviewer.ui.jobs import JobRunner

    JobRunner.synchronous = True
    dialog.start()
    QApplication.processEvents()
    dialog.grab().save(str(DOCS / "analysis_dialog.png"))
    window.close()
    window.store.close()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="reviewer-results-"))
    os.environ.setdefault("REVIEWER_DATA_DIR", str(tmp))
    os.environ.setdefault("REVIEWER_NAME", WHO)
    demo = tmp / "demo.review"
    store = create_demo_review(demo)
    rid = fill_trial(store)
    store.close()
    window_shots(demo, rid)
    bcg_shots(tmp)
    for name in ("results.png", "rob2_tab.png", "forest.png", "rob2.png", "analysis_dialog.png"):
        print(DOCS / name)


if __name__ == "__main__":
    main()
