"""Undo and redo of value edits, highlights and notes, each a logged change."""

from __future__ import annotations

import pytest

from reviewer.annotate.notes import add_note, notes
from reviewer.annotate.undo import (
    AddHighlight,
    DeleteHighlight,
    EditNote,
    Group,
    UndoStack,
    ValueChange,
)
from tests.annotate.sample import at


@pytest.fixture
def stack(store):
    return UndoStack(store)


def value(store, field):
    fv = store.values(store.rid).get(field)
    return None if fv is None else (fv.value, [s.quote for s in fv.provenance])


def test_undo_and_redo_a_value_from_a_selection(store, stack):
    stack.push(ValueChange.from_selection(store.rid, "sample_size", *at("182 patients"), "a"))
    stack.push(ValueChange.from_selection(store.rid, "sample_size", *at("1,234 patients"), "a"))
    assert value(store, "sample_size") == (1234, ["1,234 patients"])
    assert stack.undo() == "set Sample size from the text"  # the label, not the key
    assert value(store, "sample_size") == (182, ["182 patients"])
    assert stack.undo()
    assert value(store, "sample_size") is None
    assert stack.undo() is None and not stack.can_undo
    assert stack.redo() and stack.redo()
    assert value(store, "sample_size") == (1234, ["1,234 patients"])
    assert stack.redo() is None
    kinds = [e.kind for e in store.events(store.rid)]
    assert kinds == ["value.set", "value.set", "value.undo", "value.undo", "value.redo",
                     "value.redo"]  # fmt: skip


def test_undo_a_removed_span_and_a_typed_value(store, stack):
    stack.push(ValueChange.from_selection(store.rid, "interventions", *at("Lenalidomide"), "a"))
    stack.push(ValueChange.from_selection(store.rid, "interventions", *at("placebo"), "a"))
    stack.push(ValueChange.remove_span(store.rid, "interventions", 0, "a"))
    assert value(store, "interventions") == (["Lenalidomide", "placebo"], ["placebo"])
    stack.undo()
    assert value(store, "interventions")[1] == ["Lenalidomide", "placebo"]
    stack.push(ValueChange.set(store.rid, "interventions", ["lenalidomide"], "a"))
    assert not stack.can_redo  # a new edit forgets what was undone
    stack.undo()
    assert value(store, "interventions")[1] == ["Lenalidomide", "placebo"]


def test_a_failed_edit_is_not_pushed(store, stack):
    with pytest.raises(ValueError):
        stack.push(ValueChange.from_selection(store.rid, "sample_size", *at("Background"), "a"))
    assert not stack.can_undo


def test_notes_add_edit_delete_undo_redo(store, stack):
    add = AddHighlight.note(store.rid, *at("placebo"), "which placebo?", "bob")
    stack.push(add)
    stack.push(EditNote(add.id, "matching placebo", "bob"))
    stack.push(DeleteHighlight(add.id, "bob"))
    assert notes(store) == []
    assert stack.undo_label == "delete note"
    stack.undo()
    assert [n.note for n in notes(store)] == ["matching placebo"]
    stack.undo()
    assert [n.note for n in notes(store)] == ["which placebo?"]
    stack.undo()
    assert notes(store) == []
    for _ in range(3):
        stack.redo()
    assert notes(store) == []
    stack.undo()
    (note,) = notes(store)
    assert note.id == add.id and note.note == "matching placebo"
    kinds = [e.kind for e in store.events(store.rid)]
    assert kinds.count("highlight.restore") == 3 and kinds.count("highlight.delete") == 3


def test_commands_follow_a_highlight_whose_id_was_taken(store, stack):
    add = AddHighlight.note(store.rid, *at("placebo"), "mine", "bob")
    stack.push(add)
    delete = DeleteHighlight(add.id, "bob")
    stack.push(delete)
    # another window adds a note meanwhile and gets the freed id
    other = add_note(store, store.rid, *at("Results"), "theirs", "eve")
    assert other == add.id
    stack.undo()  # restored under a new id, which the commands now know
    (mine,) = [n for n in notes(store) if n.note == "mine"]
    assert mine.id != other and add.id == delete.id == mine.id
    stack.push(EditNote(mine.id, "mine, edited", "bob"))
    stack.push(EditNote(other, "theirs, edited", "bob"))
    assert {n.note for n in notes(store)} == {"mine, edited", "theirs, edited"}
    assert [stack.undo(), stack.undo(), stack.undo()] == ["edit note", "edit note", "add note"]
    assert [n.note for n in notes(store)] == ["theirs"]


def test_a_group_is_one_step(store, stack):
    stack.push(
        Group(
            "accept all",
            [
                ValueChange.set(store.rid, "sample_size", 182, "a"),
                ValueChange.set(store.rid, "phase", "III", "a"),
            ],
        )
    )
    stack.undo()
    assert store.values(store.rid) == {}
    stack.redo()
    assert set(store.values(store.rid)) == {"sample_size", "phase"}


def test_changed_is_called_and_clear_forgets(store, stack):
    calls = []
    stack.changed = lambda: calls.append(stack.can_undo)
    stack.push(ValueChange.set(store.rid, "sample_size", 182, "a"))
    stack.undo()
    stack.clear()
    assert calls == [True, False, False] and not stack.can_redo
