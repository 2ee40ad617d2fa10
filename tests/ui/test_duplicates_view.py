"""Possible duplicates are confirmed or rejected by a person, side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewer.store import duplicates as dup
from reviewer.ui.duplicates_view import DuplicatesDialog


def test_confirm_and_reject_candidates(qtbot, window):
    ids = window.model.ids
    dup.add_candidates(window.store, [(ids[5], ids[2], 93.0), (ids[7], ids[3], 91.0)])
    before = window.model.rowCount()
    window.dialogs.show_duplicates()
    dialog: DuplicatesDialog = window.dialogs.duplicates_dialog
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert "LATER RECORD" in dialog.left.toPlainText()
    assert window.store.record(ids[5]).title in dialog.left.toPlainText()
    qtbot.mouseClick(dialog.same, Qt.MouseButton.LeftButton)  # first pair: the same study
    assert window.store.record(ids[5]).duplicate_of == ids[2]
    assert dialog.table.rowCount() == 1
    qtbot.mouseClick(dialog.different, Qt.MouseButton.LeftButton)
    assert window.store.record(ids[7]).duplicate_of is None
    assert dup.candidates(window.store, "pending") == []
    kinds = [e.kind for e in window.store.events()]
    assert any("confirm" in k for k in kinds) and any("reject" in k for k in kinds)
    # the confirmed duplicate leaves the screening list, but stays in the review
    assert window.model.rowCount() == before - 1
    assert window.store.record_count() == 34
    # and can be taken out of its group again
    window.select_row(0)
    window.current_id = ids[5]
    window.dialogs.unmerge_current()
    assert window.store.record(ids[5]).duplicate_of is None
    assert window.model.rowCount() == before


def test_the_panes_follow_the_selected_pair_and_mark_differences(qtbot, window):
    """Bug 5 of issue 10: after Y or N the panes show the next pair, not the one settled."""
    ids = window.model.ids
    store = window.store
    store.db.execute(
        "update records set title = ? where id = ?", ["Lenalidomide in myeloma: a trial", ids[2]]
    )
    store.db.execute(
        "update records set title = ? where id = ?", ["Lenalidomide in myeloma: a study", ids[5]]
    )
    dup.add_candidates(store, [(ids[5], ids[2], 93.0), (ids[7], ids[3], 91.0)])
    window.dialogs.show_duplicates()
    dialog: DuplicatesDialog = window.dialogs.duplicates_dialog
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.same, Qt.MouseButton.LeftButton)  # Y
    # the remaining pair, in both panes
    assert store.record(ids[7]).title in dialog.left.toPlainText()
    assert store.record(ids[3]).title in dialog.right.toPlainText()
    assert store.record(ids[5]).title not in dialog.left.toPlainText()
    assert dialog.shown == (ids[7], ids[3])
    qtbot.mouseClick(dialog.different, Qt.MouseButton.LeftButton)  # N
    assert dialog.shown is None and dialog.left.toPlainText() == ""


def test_the_differences_between_the_two_records_are_marked(qtbot, window):
    ids = window.model.ids
    store = window.store
    store.db.execute(
        "update records set title = ? where id = ?", ["Lenalidomide in myeloma: a trial", ids[2]]
    )
    store.db.execute(
        "update records set title = ? where id = ?", ["Lenalidomide in myeloma: a study", ids[5]]
    )
    dup.add_candidates(store, [(ids[5], ids[2], 93.0)])
    window.dialogs.show_duplicates()
    dialog: DuplicatesDialog = window.dialogs.duplicates_dialog
    qtbot.addWidget(dialog)
    assert dialog.shown == (ids[5], ids[2])
    assert "Title" in dialog.left.differing and "Source" not in dialog.left.differing
    assert dialog.left.marked[:1] == ["study"] and dialog.right.marked[:1] == ["trial"]
    text = dialog.left.toPlainText()
    assert "≠ Title" in text
