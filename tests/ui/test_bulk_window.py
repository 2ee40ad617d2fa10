"""Bulk decisions in the window (issue 14): several rows selected and one key decides
them all, one Ctrl+Z undoes them all, "Decide all shown…" after a question naming the
count, a full-text exclusion asks one reason for all, and the review stays consistent
(``reviewer check``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from reviewer.review.bulk import BulkDecision
from reviewer.ui.import_dialog import StatusProgress
from tests.consistency import assert_consistent

STAGE = "title_abstract"


def _decisions(window, ids, stage=STAGE):
    out = {}
    for rid in ids:
        d = window.store.decision(rid, stage, "tester")
        out[rid] = (d.decision, d.reason) if d else None
    return out


def _shift_select(qtbot, window, first: int, n: int) -> list[int]:
    window.select_row(first)
    window.table.setFocus()
    for _ in range(n - 1):
        qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    return window.bulk.selected_ids()


def test_shift_selected_rows_are_decided_by_one_key_and_undone_by_one_ctrl_z(
    qtbot, window, monkeypatch
):
    shown = [window.model.id_at(r) for r in range(window.model.rowCount())]
    labels: list[str] = []
    monkeypatch.setattr(StatusProgress, "setLabelText", lambda self, t: labels.append(t))
    ids = _shift_select(qtbot, window, 1, 4)
    assert ids == shown[1:5]
    before = _decisions(window, shown)
    stack = window.ops.stack
    depth = len(stack._undo)

    qtbot.keyClick(window.table, Qt.Key.Key_E)

    after = _decisions(window, shown)
    assert all(after[rid] == ("exclude", "") for rid in ids)
    assert {rid: after[rid] for rid in shown if rid not in ids} == {
        rid: before[rid] for rid in shown if rid not in ids
    }  # nothing else decided
    assert len(stack._undo) == depth + 1 and isinstance(stack.next_undo, BulkDecision)
    assert labels == ["Recording exclude on 4 records…"]  # in the status bar, with Cancel
    assert window.findChild(StatusProgress, "bulk_progress") is None or not (
        window.findChild(StatusProgress, "bulk_progress").isVisible()
    )
    assert "Recorded exclude on 4 records" in window.bulk.last_message
    for row in range(1, 5):  # the list shows them
        assert window.model.data(window.model.index(row, 0)) is not None
    events = window.store.db.execute(
        "select count(*) from events where kind = 'decision.set' and reviewer = 'tester'"
    ).fetchone()[0]
    assert events >= 4
    assert_consistent(window.store)

    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert _decisions(window, shown) == before  # all four back, in one step
    assert len(stack._undo) == depth
    assert_consistent(window.store)

    qtbot.keyClick(window.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert all(_decisions(window, ids)[rid] == ("exclude", "") for rid in ids)  # redone
    assert_consistent(window.store)


def test_ctrl_click_selection_and_a_button_decide_only_the_chosen_rows(qtbot, window):
    table = window.table
    shown = [window.model.id_at(r) for r in range(window.model.rowCount())]
    before = _decisions(window, shown)

    def click(row, modifier=Qt.KeyboardModifier.NoModifier):
        rect = table.visualRect(window.model.index(row, 1))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())

    click(0)
    click(3, Qt.KeyboardModifier.ControlModifier)
    assert window.bulk.selected_ids() == [shown[0], shown[3]]
    window.buttons["maybe"].click()
    after = _decisions(window, shown)
    assert after[shown[0]] == after[shown[3]] == ("maybe", "")
    assert after[shown[1]] == before[shown[1]] and after[shown[2]] == before[shown[2]]


def test_one_selected_row_is_decided_as_before_and_the_next_undecided_opens(qtbot, window):
    window.select_row(0)
    rid = window.current_id
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_I)
    assert window.store.decision(rid, STAGE, "tester").decision == "include"
    assert window.current_id != rid
    assert not isinstance(window.ops.stack.next_undo, BulkDecision)
    assert len(window.bulk.selected_ids()) == 1


def test_decide_all_shown_asks_naming_the_count_then_decides_every_shown_record(
    qtbot, window, monkeypatch
):
    window.search.setText("")
    shown = [window.model.id_at(r) for r in range(window.model.rowCount())]
    before = _decisions(window, shown)
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("include", True))

    def question(_parent, title, text, *args, **kwargs):
        asked.append(f"{title}\n{text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    window.findChild(type(window.menus.undo_action), "decide_shown").trigger()

    assert len(asked) == 1 and f"{len(shown)} records" in asked[0]
    assert set(_decisions(window, shown).values()) == {("include", "")}
    assert_consistent(window.store)

    window.menus.undo_action.trigger()  # Edit → Undo: one step
    assert _decisions(window, shown) == before
    assert_consistent(window.store)


def test_declining_the_question_decides_nothing(qtbot, window, monkeypatch):
    shown = [window.model.id_at(r) for r in range(window.model.rowCount())]
    before = _decisions(window, shown)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("exclude", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.bulk.decide_shown()
    assert _decisions(window, shown) == before


def test_a_full_text_exclusion_of_several_asks_one_reason_for_all(qtbot, window, monkeypatch):
    ids = [window.model.id_at(r) for r in range(window.model.rowCount())]
    window.bulk.decide(ids, "include")  # every record reaches full text
    window.set_stage("full_text")
    asked: list[str] = []

    def get_item(_parent, title, label, items, *args, **kwargs):
        asked.append(label)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    chosen = _shift_select(qtbot, window, 0, 3)
    window.reason_combo.setCurrentIndex(0)  # (no reason)
    qtbot.keyClick(window.table, Qt.Key.Key_E)

    assert len(asked) == 1 and "3 records" in asked[0]
    got = _decisions(window, chosen, "full_text")
    reasons = {r for _d, r in got.values()}
    assert {d for d, _r in got.values()} == {"exclude"} and len(reasons) == 1 and "" not in reasons
    assert_consistent(window.store)


def test_a_read_only_review_decides_nothing_in_bulk(qtbot, window):
    shown = [window.model.id_at(r) for r in range(window.model.rowCount())]
    before = _decisions(window, shown)
    window.store.read_only = True
    try:
        window.bulk.decide(shown, "include")
    finally:
        window.store.read_only = False
    assert _decisions(window, shown) == before
    assert "read-only" in window.statusBar().currentMessage()


def test_in_the_background_with_cancel_in_the_status_bar(qtbot, window, monkeypatch):
    """With jobs on their thread (as in use): the step runs on the writer while the window
    stays live; Cancel in the status bar keeps nothing; done again, it is recorded."""
    import threading

    import reviewer.store.bulk_decisions as bd

    window.jobs.synchronous = False  # this window's jobs run on the job thread
    shown = [window.model.id_at(r) for r in range(window.model.rowCount())]
    before = _decisions(window, shown)
    go = threading.Event()
    priors = bd.priors

    def held_priors(*args, **kwargs):  # the step waits here until the test clicked Cancel
        go.wait(10)
        return priors(*args, **kwargs)

    monkeypatch.setattr(bd, "priors", held_priors)
    window.bulk.decide(shown[:3], "include")
    assert window.bulk.busy
    bar = window.findChild(StatusProgress, "bulk_progress")
    assert bar is not None and bar.isVisible()
    bar.cancel_button.click()
    go.set()
    qtbot.waitUntil(lambda: not window.bulk.busy, timeout=10000)
    assert window.bulk.last_message == "Cancelled: no decision was changed"
    assert _decisions(window, shown) == before
    assert not isinstance(window.ops.stack.next_undo, BulkDecision)

    window.bulk.decide(shown[:3], "include")
    qtbot.waitUntil(lambda: not window.bulk.busy, timeout=10000)
    assert all(_decisions(window, shown[:3])[rid] == ("include", "") for rid in shown[:3])
    window.undo()  # Ctrl+Z's slot: the undo runs in the background too
    assert window.bulk.busy
    qtbot.waitUntil(lambda: not window.bulk.busy, timeout=10000)
    assert _decisions(window, shown) == before
    window.jobs.wait()
    assert_consistent(window.store)
