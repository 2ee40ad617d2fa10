"""Undo and redo of value edits, highlights and notes, for one window's session.

Each edit is a small command object that knows how to do and undo itself
through ``Store`` methods, so an undo is an ordinary, logged change (a
``value.undo`` event, a ``highlight.restore``...) and never a rewrite of the
history: the event log stays append-only and shows what was undone, and by whom.
Plain Python: the window pushes commands and binds Ctrl+Z / Ctrl+Shift+Z.

A highlight deleted and restored normally gets its old id back; if another
window took that id meanwhile it gets a new one, and the stack renumbers the
commands in its history that knew the old id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from reviewer.annotate.notes import add_note
from reviewer.annotate.selection import remove_span, set_from_selection
from reviewer.domain import FieldValue, Highlight, Span
from reviewer.domain.events import EventKind
from reviewer.store import Store

Renumber = Callable[[int, int], None]  # (old id, new id) of a restored highlight


class Command(Protocol):
    label: str

    def do(self, store: Store, renumber: Renumber) -> None: ...

    def undo(self, store: Store, renumber: Renumber) -> None: ...


# -- values --------------------------------------------------------------------------


class ValueChange:
    """Any change to one field of one record, undone by restoring value and provenance.

    The first ``do`` runs ``change``; redo restores what it produced, so a redo
    gives exactly the state the reviewer saw, even if parsing rules change.
    """

    def __init__(
        self,
        record_id: int,
        field: str,
        reviewer: str,
        change: Callable[[Store], Any],
        label: str = "",
    ):
        self.record_id = record_id
        self.field = field
        self.reviewer = reviewer
        self.change = change
        # "{field}" in the label becomes the field's label (what the reviewer reads in
        # the form, never its key) when the command first runs
        self.label = label or "edit {field}"
        self._before: FieldValue | None = None
        self._after: FieldValue | None = None
        self._done_once = False

    @classmethod
    def set(
        cls,
        record_id: int,
        field: str,
        value: Any,
        reviewer: str,
        provenance: Sequence[Span] = (),
    ) -> ValueChange:
        def change(store: Store) -> None:
            store.set_value(record_id, field, value, reviewer, provenance=provenance)

        return cls(record_id, field, reviewer, change, "set {field}")

    @classmethod
    def from_selection(
        cls,
        record_id: int,
        field: str,
        start: int,
        end: int,
        reviewer: str,
        append: bool = False,
    ) -> ValueChange:
        def change(store: Store) -> None:
            set_from_selection(store, record_id, field, start, end, reviewer, append)

        return cls(record_id, field, reviewer, change, "set {field} from the text")

    @classmethod
    def remove_span(cls, record_id: int, field: str, span_index: int, reviewer: str) -> ValueChange:
        def change(store: Store) -> None:
            remove_span(store, record_id, field, span_index, reviewer)

        return cls(record_id, field, reviewer, change, "remove a span of {field}")

    def _current(self, store: Store) -> FieldValue | None:
        return store.values(self.record_id).get(self.field)

    def _restore(self, store: Store, fv: FieldValue | None, kind: str) -> None:
        value, spans = (fv.value, fv.provenance) if fv else (None, [])
        store.set_value(self.record_id, self.field, value, self.reviewer, spans, kind=kind)

    def do(self, store: Store, renumber: Renumber) -> None:
        if self._done_once:
            self._restore(store, self._after, EventKind.VALUE_REDO)
            return
        if "{field}" in self.label:
            self.label = self.label.replace("{field}", _field_label(store, self.field))
        self._before = self._current(store)
        self.change(store)
        self._after = self._current(store)
        self._done_once = True

    def undo(self, store: Store, renumber: Renumber) -> None:
        self._restore(store, self._before, EventKind.VALUE_UNDO)


def _field_label(store: Store, key: str) -> str:
    """The field's label in the review's template (its key if it is no longer there)."""
    try:
        return store.template().field(key).label
    except KeyError:
        return key


# -- highlights and notes ---------------------------------------------------------------


class AddHighlight:
    """Adding a highlight or a note; undone by deleting it, redone by restoring it."""

    def __init__(self, create: Callable[[Store], int], label: str, reviewer: str):
        self.create = create
        self.label = label
        self.reviewer = reviewer
        self.id: int | None = None
        self._made: Highlight | None = None

    @classmethod
    def of(cls, highlight: Highlight) -> AddHighlight:
        return cls(lambda store: store.add_highlight(highlight), "highlight", highlight.reviewer)

    @classmethod
    def note(
        cls, record_id: int, start: int, end: int, comment: str, reviewer: str
    ) -> AddHighlight:
        def create(store: Store) -> int:
            return add_note(store, record_id, start, end, comment, reviewer)

        return cls(create, "add note", reviewer)

    def do(self, store: Store, renumber: Renumber) -> None:
        if self._made is None:
            self.id = self.create(store)
            self._made = store.highlight(self.id)
            return
        assert self.id is not None
        renumber(self.id, store.restore_highlight(self._made, self.reviewer))

    def undo(self, store: Store, renumber: Renumber) -> None:
        assert self.id is not None
        store.delete_highlight(self.id, self.reviewer)


class EditNote:
    """Changing a note's comment; undone by putting the old comment back."""

    def __init__(self, note_id: int, comment: str, reviewer: str):
        self.id = note_id
        self.comment = comment
        self.reviewer = reviewer
        self.label = "edit note"
        self._before: str | None = None

    def do(self, store: Store, renumber: Renumber) -> None:
        note_id = self.id
        if self._before is None:
            self._before = store.highlight(note_id).note
        store.set_highlight_note(note_id, self.comment, self.reviewer)

    def undo(self, store: Store, renumber: Renumber) -> None:
        assert self._before is not None
        store.set_highlight_note(self.id, self._before, self.reviewer)


class DeleteHighlight:
    """Deleting a highlight or a note; undone by restoring all of it."""

    def __init__(self, highlight_id: int, reviewer: str, label: str = "delete note"):
        self.id = highlight_id
        self.reviewer = reviewer
        self.label = label
        self._deleted: Highlight | None = None

    def do(self, store: Store, renumber: Renumber) -> None:
        self._deleted = store.delete_highlight(self.id, self.reviewer)

    def undo(self, store: Store, renumber: Renumber) -> None:
        assert self._deleted is not None
        renumber(self.id, store.restore_highlight(self._deleted, self.reviewer))


class Group:
    """Several commands undone and redone as one step (e.g. 'accept all'), all or none."""

    def __init__(self, label: str, commands: Sequence[Command]):
        self.label = label
        self.commands = list(commands)

    def do(self, store: Store, renumber: Renumber) -> None:
        with store.atomic():
            for c in self.commands:
                c.do(store, renumber)

    def undo(self, store: Store, renumber: Renumber) -> None:
        with store.atomic():
            for c in reversed(self.commands):
                c.undo(store, renumber)


# -- the stack ---------------------------------------------------------------------------


class UndoStack:
    """The undo and redo history of one window session.

    ``changed`` (if set) is called after every push, undo and redo, so the window
    can refresh the form, the highlights and the Edit menu's labels.
    """

    def __init__(self, store: Store, limit: int = 200):
        self.store = store
        self.limit = limit
        self._undo: list[Command] = []
        self._redo: list[Command] = []
        self.changed: Callable[[], None] | None = None

    def push(self, command: Command) -> None:
        """Do ``command`` and remember it; if it fails nothing is remembered."""
        command.do(self.store, self._renumber)
        self._undo.append(command)
        del self._undo[: -self.limit]
        self._redo.clear()
        self._notify()

    def undo(self) -> str | None:
        """Undo the last command; return its label, or None when there is nothing to undo."""
        if not self._undo:
            return None
        command = self._undo[-1]
        command.undo(self.store, self._renumber)  # on failure it stays where it was
        self._redo.append(self._undo.pop())
        self._notify()
        return command.label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        command = self._redo[-1]
        command.do(self.store, self._renumber)
        self._undo.append(self._redo.pop())
        self._notify()
        return command.label

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def next_undo(self) -> Command | None:
        """The command Undo would undo (None: nothing)."""
        return self._undo[-1] if self._undo else None

    @property
    def next_redo(self) -> Command | None:
        return self._redo[-1] if self._redo else None

    @property
    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    @property
    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def clear(self) -> None:
        """Forget the history (e.g. when another review is opened)."""
        self._undo.clear()
        self._redo.clear()
        self._notify()

    def _renumber(self, old: int, new: int) -> None:
        """A highlight came back under a new id: the commands that knew the old one follow."""
        if old == new:
            return
        for command in _leaves([*self._undo, *self._redo]):
            if getattr(command, "id", None) == old:
                command.id = new  # type: ignore[attr-defined]

    def _notify(self) -> None:
        if self.changed is not None:
            self.changed()


def _leaves(commands: Sequence[Command]) -> list[Command]:
    out: list[Command] = []
    for c in commands:
        out.extend(_leaves(c.commands) if isinstance(c, Group) else [c])
    return out
