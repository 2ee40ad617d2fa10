"""Notes on the text: a highlighted span with a comment that belongs to no field.

Reviewers mark what they want to come back to ("dose reduced after cycle 2 —
check the supplement") without forcing it into the template. A note is a
highlight whose field is empty, so it is anchored, re-anchored and drawn like
any other; deleting one is logged with all its content and can be undone.
"""

from __future__ import annotations

from reviewer.annotate.spans import selection_span
from reviewer.domain import Highlight
from reviewer.store import Store


def add_note(
    store: Store, record_id: int, start: int, end: int, comment: str, reviewer: str
) -> int:
    """Highlight ``start:end`` of the record's text with ``comment``; return the note's id."""
    span = selection_span(store, record_id, start, end)
    note = Highlight(record_id=record_id, field=None, span=span, note=comment, reviewer=reviewer)
    return store.add_highlight(note)


def edit_note(store: Store, note_id: int, comment: str, reviewer: str) -> None:
    store.set_highlight_note(note_id, comment, reviewer)


def delete_note(store: Store, note_id: int, reviewer: str) -> Highlight:
    """Delete a note; what is returned (and logged) is enough for ``restore_note``."""
    return store.delete_highlight(note_id, reviewer)


def restore_note(store: Store, note: Highlight, reviewer: str) -> int:
    """Undo a deletion: the note comes back, under its old id when it is still free."""
    return store.restore_highlight(note, reviewer)


def notes(store: Store, record_id: int | None = None, search: str = "") -> list[Highlight]:
    """Notes of one record or of the whole review, in text order.

    ``search`` keeps those whose comment or highlighted words contain every word
    typed, in any case.
    """
    words = search.casefold().split()
    return [
        n
        for n in store.find_highlights(record_id, notes_only=True)
        if all(w in f"{n.note}\n{n.span.quote}".casefold() for w in words)
    ]
