"""Notes on the text: anchored comments of no field, listed, searched, deleted and restored."""

from __future__ import annotations

from reviewer.annotate.notes import add_note, delete_note, edit_note, notes, restore_note
from reviewer.domain import Highlight, Span
from tests.annotate.sample import TEXT, at


def test_add_list_and_search_notes(store):
    a = add_note(store, store.rid, *at("placebo"), "Which placebo? Check the protocol", "bob")
    b = add_note(store, store.rid, *at("Grade 3 neutropenia"), "see table 3", "alice")
    # a highlight tied to a field is no note
    store.add_highlight(
        Highlight(
            record_id=store.rid,
            field="sample_size",
            span=Span.from_text(TEXT, *at("182")),
            reviewer="bob",
        )
    )
    assert [n.id for n in notes(store, store.rid)] == [a, b]  # in text order
    assert [n.id for n in notes(store)] == [a, b]
    assert [n.id for n in notes(store, search="PROTOCOL")] == [a]
    assert [n.id for n in notes(store, search="neutropenia table")] == [b]  # quote and comment
    assert notes(store, search="nothing like this") == []
    (first,) = notes(store, search="protocol")
    assert first.span.quote == "placebo" and first.field is None and first.reviewer == "bob"


def test_edit_and_delete_are_events_and_delete_can_be_undone(store):
    nid = add_note(store, store.rid, *at("placebo"), "which placebo?", "bob")
    edit_note(store, nid, "matching placebo", "bob")
    assert notes(store)[0].note == "matching placebo"
    deleted = delete_note(store, nid, "bob")
    assert notes(store) == []
    assert restore_note(store, deleted, "bob") == nid
    (back,) = notes(store)
    assert back == deleted
    kinds = [e.kind for e in store.events(store.rid)]
    assert kinds == ["highlight.add", "highlight.note", "highlight.delete", "highlight.restore"]
    event = store.events(store.rid)[2]
    assert event.payload["highlight"]["note"] == "matching placebo"  # the log keeps it all


def test_a_note_whose_id_was_taken_comes_back_under_a_new_one(store):
    nid = add_note(store, store.rid, *at("placebo"), "mine", "bob")
    deleted = delete_note(store, nid, "bob")
    other = add_note(store, store.rid, *at("Results"), "someone else's", "eve")
    assert other == nid  # SQLite reuses the largest id
    new_id = restore_note(store, deleted, "bob")
    assert new_id != nid
    assert {n.note for n in notes(store)} == {"mine", "someone else's"}
