"""User actions as operations: no widget writes the review itself, every panel refreshes
from the change notice, and tags and resolutions are undone like any other edit."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reviewer.annotate.undo import AddHighlight
from reviewer.review import screening, settings
from reviewer.review.operations import Changes, TagChange
from reviewer.review.tags import tags
from reviewer.ui.review_settings_dialog import ReviewSettingsDialog
from tests.consistency import assert_consistent
from tests.ui.test_main_window import field, type_into


def reading_only(window) -> None:
    """The window's own connection may no longer write: SQLite refuses, loudly."""
    window.store.db.execute("pragma query_only = 1")


def test_no_widget_writes_through_the_windows_reading_connection(qtbot, window):
    reading_only(window)
    rid = window.current_id
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_I)  # a decision by key
    assert window.store.decision(rid, "title_abstract", "tester").decision == "include"

    window.go_to_record(rid)
    assert window.tags_editor.add("pilot")  # the tags editor
    assert tags(window.store, rid) == ["pilot"]

    type_into(qtbot, field(window, "sample_size"), "182")  # typed in the form (a draft)
    window.form.flush()  # saved
    assert window.store.values(rid)["sample_size"].value == 182

    dialog = ReviewSettingsDialog(window.store, "tester", window, ops=window.ops)
    dialog.include_terms.setPlainText("azacitidine")  # the settings dialog
    assert "keyword_terms" in dialog.save()

    window.undo()
    window.undo()  # the tag, then the value, are undone
    assert tags(window.store, rid) == []
    window.redo()
    assert tags(window.store, rid) == ["pilot"]
    window.store.db.execute("pragma query_only = 0")
    assert_consistent(window.store)


def test_a_conflict_resolved_in_the_dock_is_undone_by_ctrl_z(qtbot, window):
    rid = window.model.ids[0]
    screening.decide(window.store, rid, "include", "ann")  # two other reviewers disagree
    screening.decide(window.store, rid, "exclude", "bob", reason="wrong population")
    reading_only(window)
    window.conflicts_view.unblind = lambda: None  # (not asked here)
    window.ops.run(
        lambda s: (settings.set_blinded(s, False, "tester"),
                   Changes(settings=frozenset(["blinded"])))[1]  # fmt: skip
    )
    window.docks["conflicts"].show()
    assert window.conflicts_view.select_record(rid)
    assert window.conflicts_view.resolve_current("include")
    assert screening.final_decision(window.store, rid, "title_abstract") == "include"
    assert "resolve" in window.menus.undo_action.text()
    window.undo()
    assert screening.resolution(window.store, rid, "title_abstract") is None
    # listed as open again: the view reads the conflicts again on the notice, a moment later
    qtbot.waitUntil(lambda: window.conflicts_view.row_of(rid) >= 0)
    window.store.db.execute("pragma query_only = 0")
    assert_consistent(window.store)


def test_panels_refresh_themselves_from_a_change_notice(qtbot, window):
    rid = window.current_id
    shown: list[Changes] = []
    window.ops.operation_did_execute.connect(lambda changes, _who: shown.append(changes))
    assert window.tags_editor.tags_shown() == []
    # a tag added by some other part of the app: the editor is not told, only the notice is
    window.ops.push(TagChange(rid, "from elsewhere", "tester", add=True))
    assert window.tags_editor.tags_shown() == ["from elsewhere"]
    assert shown[-1].tags and rid in shown[-1].records
    window.notes_panel.setVisible(True)
    before = window.notes_panel.list.count()
    window.ops.push(AddHighlight.note(rid, 0, 5, "a note", "tester"))
    assert window.notes_panel.list.count() == before + 1  # the notes panel, too
    window.undo()
    assert window.notes_panel.list.count() == before
    window.undo()  # and the tag
    assert window.tags_editor.tags_shown() == []
    assert_consistent(window.store)


def test_the_window_holds_no_writing_connection_of_its_own_making(window):
    # the writer's connection is on its own thread; the window's is the one it was given
    assert window.writer is not None and window.writer.path == window.store.path
    assert window.ops.stack is not None and window.ops.stack.store is not window.store
