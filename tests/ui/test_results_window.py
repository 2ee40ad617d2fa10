"""The Results and RoB 2 tabs in the window: cells filled by selection with provenance,
edits, suggestions, undo, the Analysis menu's dialogs, and the fit at 1024x700."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QMenu

from reviewer.analysis import rob2
from reviewer.store import results as rs
from reviewer.ui.mime import SPAN_MIME

DATA = Path(__file__).resolve().parent.parent / "data" / "results"
TRIAL = "Early Intervention With Lenalidomide"


@pytest.fixture
def trial(window):
    """The window showing the seed article of a randomised trial (lenalidomide vs observation)."""
    rid = next(r.id for r in window.store.records() if r.title.startswith(TRIAL))
    window.extraction.go_to_span(rid, 0, 0)
    window.results.tabs.setCurrentWidget(window.results.panel)
    return window


def words(window, text: str, after: str = "") -> tuple[int, int]:
    body = window.store.record(window.current_id).text
    start = body.index(text, body.index(after) if after else 0)
    return start, start + len(text)


def alt(window, n: int) -> None:
    act = window.document.findChild(QAction, f"result_shortcut_{n}")
    assert act.shortcut().toString() == f"Alt+{n}"
    act.trigger()


def select(window, text: str, after: str = "") -> None:
    window.document.select(*words(window, text, after))


def test_arms_and_results_filled_by_selection_carry_their_words(qtbot, trial):
    w, panel = trial, trial.results.panel
    panel.arm_add.click()
    panel.arm_add.click()
    study = rs.study_results(w.store, w.current_id)
    assert [a.value("role") for a in study.arms] == ["experimental", "control"]
    # the arm's name and size from the text: Alt+1 (name), Alt+3 (randomised)
    panel.arms.setCurrentCell(0, 0)
    panel.active = panel.arms
    select(w, "lenalidomide", "92 of whom")
    alt(w, 1)
    select(w, "92")
    alt(w, 3)
    panel.arms.setCurrentCell(1, 0)
    panel.active = panel.arms
    select(w, "observation", "underwent standard of care")
    alt(w, 1)
    select(w, "90 patients")
    alt(w, 3)
    study = rs.study_results(w.store, w.current_id)
    arm = study.arms[0]
    assert (arm.value("name"), arm.value("n_randomised")) == ("lenalidomide", 92)
    assert arm.cells["n_randomised"].provenance[0].quote == "92"
    assert study.arms[1].value("n_randomised") == 90
    assert panel.arms.item(1, 2).text() == "90"
    # an outcome, named by typing in the grid
    panel.outcome_add.click()
    panel.outcomes.item(0, 0).setText("Death")
    assert rs.study_results(w.store, w.current_id).outcomes[0].value("name") == "Death"
    # events per arm, by a drop of the words on the cell
    start, end = words(w, "2 in the lenalidomide arm")
    mime = QMimeData()
    mime.setData(SPAN_MIME, QByteArray(json.dumps(
        {"record_id": w.current_id, "start": start, "end": end}).encode()))  # fmt: skip
    cell = panel.per_arm.visualItemRect(panel.per_arm.item(0, 1)).center()
    drop = QDropEvent(QPointF(cell), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    panel.per_arm.dropEvent(drop)
    study = rs.study_results(w.store, w.current_id)
    (result,) = study.results
    assert result.value("events") == 2 and result.value("arm") == study.arms[0].id
    assert result.cells["events"].provenance[0].quote == "2 in the lenalidomide arm"
    # and the words are marked in the document, clickable to the cell
    marks = [h for h in w.document.highlights() if (h.field or "").startswith("cell:")]
    assert (start, end) in {(h.start, h.end) for h in marks}
    w.undo()
    assert rs.study_results(w.store, w.current_id).results == []
    w.redo()
    assert rs.study_results(w.store, w.current_id).results[0].value("events") == 2


def test_suggestions_and_context_menu(qtbot, trial):
    w, panel = trial, trial.results.panel
    texts = [panel.suggestion_list.item(i).text() for i in range(panel.suggestion_list.count())]
    assert any(t.startswith("new arm “lenalidomide”") for t in texts)
    panel.accept(0)
    assert rs.study_results(w.store, w.current_id).arms[0].value("n_randomised") == 92
    panel.arm_add.click()  # the control arm
    panel.outcome_add.click()
    texts = [panel.suggestion_list.item(i).text() for i in range(panel.suggestion_list.count())]
    hr = next(i for i, t in enumerate(texts) if t.startswith("HR 0.46"))
    panel.accept(hr)
    (c,) = rs.study_results(w.store, w.current_id).comparisons
    assert (c.value("estimate"), c.value("ci_low"), c.value("ci_high")) == (0.46, 0.08, 2.53)
    assert panel.comparisons.item(0, 1).text() == "0.46"
    # the document's menu offers the current row's cells
    panel.per_arm.setCurrentCell(1, 1)
    panel.active = panel.per_arm
    select(w, "4", "versus")
    menu: QMenu = w.document.context_menu(QPoint(2, 2))
    sub = menu.findChild(QMenu, "menu_set_result")
    assert sub.isEnabled() and [a.text() for a in sub.actions()][0].startswith("result: Events")
    sub.actions()[0].trigger()
    study = rs.study_results(w.store, w.current_id)
    assert study.result_for(study.outcomes[0].id, study.arms[1].id).value("events") == 4


def test_a_bad_value_is_refused_and_said(qtbot, trial):
    panel = trial.results.panel
    panel.arm_add.click()
    panel.arms.item(0, 2).setText("twelve and a half")
    assert panel.error.isVisible() and "whole number" in panel.error.text()
    assert rs.study_results(trial.store, trial.current_id).arms[0].value("n_randomised") is None


def test_rob2_tab_adds_the_template_and_keeps_quotes(qtbot, trial):
    w = trial
    rob = w.results.rob
    w.results.tabs.setCurrentWidget(rob)
    assert rob.missing_scroll.isVisibleTo(rob)
    w.results.add_rob2()
    assert rob2.has_rob2(w.store.template()) and rob.scroll.isVisibleTo(rob)
    assert not any(k.startswith("rob2_") for k in w.form.editors)  # they have their own tab
    for field, answer in (("rob2_1_1", "Y"), ("rob2_1_2", "PY"), ("rob2_1_3", "N")):
        combo = rob.combos[field]
        combo.setCurrentText(answer)
        combo.activated.emit(combo.currentIndex())
    assert w.store.values(w.current_id)["rob2_1_2"].value == "PY"
    assert "Algorithm proposes: Low" in rob.proposals["rob2_d1"].text()
    w.extraction.set_field_from_text("rob2_1_1", *words(w, "Randomized trial of lenalidomide"), True)
    fv = w.store.values(w.current_id)["rob2_1_1"]
    assert fv.value == "Y" and fv.provenance[0].quote == "Randomized trial of lenalidomide"
    assert rob.quotes["rob2_1_1"].text() == "“Randomized trial of lenalidomide”"


def test_analysis_dialogs_show_the_plots(qtbot, window, tmp_path):
    from reviewer.ingest.importer import import_paths
    from reviewer.ingest.results_csv import import_results

    import_paths(window.store, [DATA / "bcg_records.ris"])
    import_results(window.store, DATA / "bcg_results.csv", "tester")
    dialog = window.results.show_analysis()
    qtbot.addWidget(dialog)
    dialog.choose("Tuberculosis", "RR", "random", "REML")
    dialog.start()
    assert dialog.analysis.pooled.tau2 == pytest.approx(0.3132, abs=1e-4)
    assert not dialog.picture.pixmap().isNull()
    assert "Risk ratio, random effects (restricted maximum likelihood): 13 studies" in (
        dialog.summary.toPlainText())  # fmt: skip
    window.results.add_rob2()
    rid = window.current_id
    for q, a in (("1_1", "Y"), ("1_2", "N"), ("1_3", "N")):
        window.store.set_value(rid, f"rob2_{q}", a, "tester")
    plot = window.results.show_rob2_plot()
    qtbot.addWidget(plot)
    assert not plot.picture.pixmap().isNull()


def test_results_tab_fits_the_form_panel_at_1024x700(qtbot, trial):
    w, panel = trial, trial.results.panel
    w.resize(1024, 700)
    w.splitter.setSizes([300, 420, 300])
    for _ in range(3):
        panel.arm_add.click()
    panel.outcome_add.click()
    qtbot.wait(50)
    for grid in (panel.arms, panel.outcomes, panel.per_arm, panel.comparisons):
        assert grid.horizontalHeader().length() <= grid.viewport().width() + 1, grid.objectName()


def test_the_reviews_outcomes_are_offered(qtbot, trial):
    panel = trial.results.panel
    names = [o.name for o in trial.template.outcomes]
    assert "Overall survival" in names
    panel.outcome_menu.aboutToShow.emit()
    acts = [a for a in panel.outcome_menu.actions() if a.text().startswith("Overall survival")]
    acts[0].trigger()
    (o,) = rs.study_results(trial.store, trial.current_id).outcomes
    assert (o.value("name"), o.value("kind")) == ("Overall survival", "time_to_event")
    panel.outcome_menu.aboutToShow.emit()
    assert not [a for a in panel.outcome_menu.actions()
                if a.text().startswith("Overall survival")][0].isEnabled()  # fmt: skip
