"""The record list at scale: what a decision repaints, what the view may ask for, the
first page of a long list, counts kept without recounting, and the list surviving its
model being replaced (issue 14)."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from reviewer.review import screening
from reviewer.review.filters import filter_record_ids
from reviewer.ui import record_list as actions
from reviewer.ui.record_model import DECISION, TITLE


def _record_signals(model):
    changed: list[tuple[int, int, int, int]] = []
    resets: list[str] = []
    model.dataChanged.connect(
        lambda a, b, _roles=(): changed.append((a.row(), b.row(), a.column(), b.column()))
    )
    model.modelReset.connect(lambda: resets.append("reset"))
    model.layoutChanged.connect(lambda: resets.append("layout"))
    return changed, resets


def test_no_column_or_row_is_sized_from_every_row(window):
    header = window.table.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(window.model.columnCount())]
    assert QHeaderView.ResizeMode.ResizeToContents not in modes
    assert modes[TITLE] == QHeaderView.ResizeMode.Stretch
    rows = window.table.verticalHeader()
    assert rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed  # uniform heights
    assert window.table.columnWidth(DECISION) >= window.fontMetrics().horizontalAdvance("conflict")


def test_a_decision_repaints_its_row_and_decision_column_only(qtbot, window):
    window.select_row(2)
    rid = window.current_id
    changed, resets = _record_signals(window.model)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_I)
    assert window.store.decision(rid, "title_abstract", "tester").decision == "include"
    assert changed == [(2, 2, DECISION, DECISION)]
    assert resets == []
    assert window.model.data(window.model.index(2, DECISION)) == "include"
    assert window.current_id != rid  # moved on to the next undecided


def test_undo_repaints_the_undone_row_and_goes_back_to_it(qtbot, window):
    window.select_row(1)
    rid = window.current_id
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    changed, resets = _record_signals(window.model)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.decision(rid, "title_abstract", "tester") is None
    assert changed == [(1, 1, DECISION, DECISION)]  # not the whole list, not twice
    assert resets == []
    assert window.current_id == rid
    assert window.model.data(window.model.index(1, DECISION)) == ""


def test_progress_follows_decisions_without_a_recount_per_key(qtbot, window, monkeypatch):
    total = screening.count_at_stage(window.store, "title_abstract")
    assert window.progress_label.text().startswith(f"0 of {total:,} screened")
    counted = []
    real = window._after_decisions
    monkeypatch.setattr(
        window.screening_status, "recount", lambda: counted.append(1)
    )  # the background count, done a moment after the last key
    window.select_row(0)
    window.table.setFocus()
    for key in (Qt.Key.Key_I, Qt.Key.Key_E, Qt.Key.Key_M):
        qtbot.keyClick(window.table, key)
    assert counted == []  # nothing counted per key ...
    assert window.progress_label.text().startswith(f"3 of {total:,} screened")  # ... yet right
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.progress_label.text().startswith(f"2 of {total:,} screened")
    real()  # the timer's work, a moment later
    assert counted == [1]


def test_a_long_list_shows_its_first_page_then_the_rest(qtbot, window, monkeypatch):
    monkeypatch.setattr(actions, "FIRST_PAGE", 4)
    everything = filter_record_ids(window.store)
    assert len(everything) > 4
    seen = []
    real_extend = window.model.extend_ids
    monkeypatch.setattr(
        window.model, "extend_ids", lambda ids: (seen.append(window.model.rowCount()),
                                                 real_extend(ids))  # fmt: skip
    )
    window.filter_panel.combos["decision"].setCurrentIndex(
        window.filter_panel.combos["decision"].findData("undecided")
    )
    assert seen == [4]  # the first page was shown before the rest came
    assert list(window.model.ids) == everything and window.model.complete
    assert window.model.row_of(everything[-1]) == len(everything) - 1


def test_the_rest_of_a_list_keeps_the_page_already_shown(window):
    model = window.model
    ids = filter_record_ids(window.store)
    model.set_ids(ids[:3], in_order=True, complete=False)
    # the first record was decided meanwhile and no longer passes the filter
    model.extend_ids(ids[1:])
    assert list(model.ids) == ids and model.complete


def test_next_undecided_by_key(qtbot, window):
    ids = window.model.ids
    screening.decide(window.store, ids[1], "include", "tester")
    window.select_row(0)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    assert window.current_id == ids[2]  # ids[1] is decided


def test_select_row_without_a_selection_model_does_not_crash(window, monkeypatch):
    """Issue 14: changing filters raised AttributeError ('NoneType' object has no
    attribute 'setCurrentIndex') in select_row while the list had no selection model
    (as a QTableView has none before its first model, while a review is attached)."""
    monkeypatch.setattr(window.table, "selectionModel", lambda: None)
    window.select_row(0)  # the crash path: returns quietly
    window.records.filters_changed({"decision": "undecided"})  # what raised it
    monkeypatch.undo()
    window.select_row(1)
    assert window.current_id == window.model.ids[1]


def test_filters_and_keys_work_after_the_review_is_replaced(qtbot, window, tmp_path, monkeypatch):
    other = tmp_path / "other.review"
    shutil.copy(window.store.path, other)
    first_model = window.model
    assert window.switch_review(other)
    assert window.model is not first_model
    assert window.table.selectionModel().model() is window.model
    window.filter_panel.combos["decision"].setCurrentIndex(
        window.filter_panel.combos["decision"].findData("undecided")
    )
    window.select_row(0)
    rid = window.current_id
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert window.store.decision(rid, "title_abstract", "tester").decision == "exclude"
