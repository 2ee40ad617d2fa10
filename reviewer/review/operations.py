"""The user's actions as small operations that say what they changed (Anki's
``OpChanges``).

An operation is a plain function ``op(store) -> Changes``: it makes one change through
the store (as an undoable command where a user would expect to undo it) and returns a
``Changes`` naming what it touched: which records, fields, decisions, notes, tags,
settings. The window runs operations on its one writing thread and announces each
``Changes`` to every panel, which refreshes itself if it shows any of it; no panel is
refreshed by hand, and no widget writes the review itself.

No Qt here: the same operations serve tests and any other front end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from reviewer.annotate.anchors import dismiss_orphan as _dismiss_orphan
from reviewer.annotate.anchors import reattach_orphan as _reattach_orphan
from reviewer.annotate.undo import (
    AddHighlight,
    DeleteHighlight,
    EditNote,
    Group,
    Renumber,
    UndoStack,
    ValueChange,
)
from reviewer.domain import Decision, Template
from reviewer.ingest.merged import unmerge_duplicate
from reviewer.review import extraction, screening
from reviewer.review import settings as review_settings
from reviewer.review.bulk import BulkDecision
from reviewer.review.keywords import keyword_terms, set_keyword_terms
from reviewer.review.screening_undo import DecisionChange
from reviewer.review.tags import add_tag, remove_tag
from reviewer.store import Store
from reviewer.store.suggestions import suggestion as stored_suggestion

Operation = Callable[[Store], "Changes"]


@dataclass(frozen=True)
class Changes:
    """What one operation changed; panels look at it to decide whether to refresh."""

    records: frozenset[int] = frozenset()  # records whose row or details changed
    fields: frozenset[str] = frozenset()  # extraction fields whose values changed
    decisions: bool = False  # screening decisions or resolutions (counts, conflicts, stats)
    notes: bool = False  # notes and highlights
    tags: bool = False
    suggestions: bool = False
    settings: frozenset[str] = frozenset()  # names of review settings
    template: bool = False
    record_set: bool = False  # records added, merged or unmerged: the list itself changed
    undo: bool = False  # the undo history changed (its labels in the Edit menu)
    label: str = ""  # what was done, for the status bar
    result: Any = field(default=None, compare=False)  # what the operation returns, if any

    def __or__(self, other: Changes) -> Changes:
        merged: dict[str, Any] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            if isinstance(a, frozenset):
                merged[f.name] = a | b
            elif isinstance(a, bool):
                merged[f.name] = a or b
            else:
                merged[f.name] = b if b not in (None, "") else a
        return Changes(**merged)

    @property
    def counts(self) -> bool:
        """Whether counts (filters, progress, statistics) may have changed."""
        return self.decisions or self.tags or self.record_set or bool(self.settings)

    @classmethod
    def synced(cls, records: Iterable[int], records_added: int, settings: Iterable[str],
               label: str = "sync") -> Changes:  # fmt: skip
        """After a sync brought others' events in: the records they changed (the list
        itself when records were added), the settings they set, and anything counted,
        noted or tagged (their events' reach within a record is not followed further)."""
        return cls(records=frozenset(records), decisions=True, notes=True, tags=True,
                   suggestions=True, record_set=records_added > 0,
                   settings=frozenset(settings), label=label)  # fmt: skip

    @classmethod
    def everything(cls, label: str = "") -> Changes:
        """After work whose reach is unknown (an import, a merge, a sync)."""
        return cls(decisions=True, notes=True, tags=True, suggestions=True,
                   record_set=True, label=label)  # fmt: skip


# -- what an undoable command touches ---------------------------------------------------


def changes_of(command: Any) -> Changes:
    """The ``Changes`` a command makes, done or undone (by its kind and its record)."""
    if isinstance(command, Group):
        out = Changes()
        for c in command.commands:
            out = out | changes_of(c)
        return out
    record = getattr(command, "record_id", None)
    records = frozenset([record]) if isinstance(record, int) else frozenset()
    if isinstance(command, BulkDecision):  # done or undone: the records it changed
        return Changes(records=frozenset(command.touched), decisions=True)
    if isinstance(command, DecisionChange):
        return Changes(records=frozenset([command.decision.record_id]), decisions=True)
    if isinstance(command, ValueChange):
        return Changes(records=records, fields=frozenset([command.field]), suggestions=True)
    if isinstance(command, (AddHighlight, DeleteHighlight, EditNote)):
        return Changes(records=records, notes=True)
    if isinstance(command, TagChange):
        return Changes(records=records, tags=True)
    if isinstance(command, ResolutionChange):
        return Changes(records=records, decisions=True)
    # results cells, risk of bias: values of the record (fields unknown)
    return Changes(records=records, fields=frozenset(getattr(command, "fields", ())),
                   notes=True)  # fmt: skip


# -- commands for actions that were not undoable before -------------------------------------


class TagChange:
    """A tag added to or removed from a record; undone by the opposite."""

    def __init__(self, record_id: int, tag: str, reviewer: str, add: bool):
        self.record_id, self.tag, self.reviewer, self.add = record_id, tag, reviewer, add
        self.label = f"{'tag' if add else 'untag'} “{tag}”"
        self.changed = False

    def do(self, store: Store, renumber: Renumber) -> None:
        change = add_tag if self.add else remove_tag
        self.changed = change(store, self.record_id, self.tag, self.reviewer)

    def undo(self, store: Store, renumber: Renumber) -> None:
        if self.changed:
            change = remove_tag if self.add else add_tag
            change(store, self.record_id, self.tag, self.reviewer)


class ResolutionChange:
    """A conflict resolved (or its resolution withdrawn); undone by putting back the one
    before, or none."""

    def __init__(self, record_id: int, stage: str, resolver: str, decision: str = "",
                 reason: str = "", note: str = ""):  # fmt: skip
        self.record_id, self.stage, self.resolver = record_id, stage, resolver
        self.decision, self.reason, self.note = decision, reason, note
        self.label = (f"resolve record {record_id}" if decision
                      else f"withdraw the resolution of record {record_id}")  # fmt: skip
        self._before: screening.Resolution | None = None

    def do(self, store: Store, renumber: Renumber) -> None:
        self._before = screening.resolution(store, self.record_id, self.stage)
        self._put(store, self.decision, self.reason, self.note)

    def undo(self, store: Store, renumber: Renumber) -> None:
        b = self._before
        self._put(store, b.decision if b else "", b.reason if b else "", b.note if b else "")

    def _put(self, store: Store, decision: str, reason: str, note: str) -> None:
        if decision:
            screening.resolve(store, self.record_id, self.stage, decision, reason,
                              self.resolver, note=note)  # fmt: skip
        else:
            screening.clear_resolution(store, self.record_id, self.stage, self.resolver)


# -- operations ------------------------------------------------------------------------------


def push(stack: UndoStack, command: Any, label: str = "") -> Operation:
    """Do an undoable command (its ``do`` runs with the writing store of ``stack``)."""

    def op(_store: Store) -> Changes:
        stack.push(command)
        return changes_of(command) | Changes(undo=True, label=label or command.label)

    return op


def undo(stack: UndoStack) -> Operation:
    def op(_store: Store) -> Changes:
        command = stack.next_undo
        label = stack.undo()
        done = changes_of(command) if command is not None else Changes()
        return done | Changes(undo=True, label=f"Undid {label}" if label else "Nothing to undo")

    return op


def redo(stack: UndoStack) -> Operation:
    def op(_store: Store) -> Changes:
        command = stack.next_redo
        label = stack.redo()
        done = changes_of(command) if command is not None else Changes()
        return done | Changes(undo=True, label=f"Redid {label}" if label else "Nothing to redo")

    return op


def write(fn: Callable[[Store], Any], changes: Changes) -> Operation:
    """A change that is not undone by Ctrl+Z (settings, drafts, duplicates...); ``fn``'s
    return value comes back as ``Changes.result``."""

    def op(store: Store) -> Changes:
        result = fn(store)
        return Changes(**{**{f.name: getattr(changes, f.name) for f in fields(changes)},
                          "result": result})  # fmt: skip

    return op


def save_settings(
    reasons: list[str], include: list[str], exclude: list[str], blinded: bool, reviewer: str
) -> Operation:
    """The review settings dialog's OK: the names of the settings that changed come back
    in ``Changes.settings``."""

    def op(store: Store) -> Changes:
        before = _settings(store)
        with store.atomic():
            review_settings.set_exclusion_reasons(store, reasons, reviewer)
            set_keyword_terms(store, include, exclude, reviewer)
            review_settings.set_blinded(store, blinded, reviewer)
        after = _settings(store)
        changed = frozenset(k for k in before if before[k] != after[k])
        return Changes(settings=changed, decisions=review_settings.BLINDED in changed,
                       label="review settings")  # fmt: skip

    return op


def _settings(store: Store) -> dict[str, Any]:
    return {
        review_settings.EXCLUSION_REASONS: review_settings.exclusion_reasons(store),
        review_settings.KEYWORD_TERMS: keyword_terms(store),
        review_settings.BLINDED: review_settings.is_blinded(store),
    }


def records(ids: Iterable[int]) -> frozenset[int]:
    return frozenset(int(i) for i in ids)


# -- the user's actions, by name --------------------------------------------------------------
#
# What the window's components run (``Operations.run(op.decide(stack, d), initiator)``).
# Those taking ``stack`` are undoable: their command runs with the writing store.


def decide(stack: UndoStack, decision: Decision) -> Operation:
    """Record a reviewer's screening decision on a record."""
    return push(stack, DecisionChange(decision))


def set_value(stack: UndoStack, record_id: int, field: str, value: Any, reviewer: str) -> Operation:
    """Set a field's value as typed (or chosen) in the form."""
    return push(stack, ValueChange.set(record_id, field, value, reviewer))


def value_from_text(
    stack: UndoStack, record_id: int, field: str, start: int, end: int, reviewer: str,
    append: bool = False,
) -> Operation:  # fmt: skip
    """Set (or, ``append``, add to) a field from the words at ``start:end`` of the text."""
    return push(stack, ValueChange.from_selection(record_id, field, start, end, reviewer, append))


def remove_span(stack: UndoStack, record_id: int, field: str, index: int, reviewer: str) -> Operation:
    """Take one of a field's supporting spans away."""
    return push(stack, ValueChange.remove_span(record_id, field, index, reviewer))


def accept_suggestions(
    stack: UndoStack, record_id: int, suggestion_ids: Iterable[int], reviewer: str
) -> Operation:
    """Accept suggestions into their fields: one undoable step ("accept all" for several);
    nothing is done for none."""
    ids = list(suggestion_ids)

    def op(store: Store) -> Changes:
        commands = [_accept(store, record_id, sid, reviewer) for sid in ids]
        if not commands:
            return Changes()
        command = commands[0] if len(commands) == 1 else Group("accept all", commands)
        stack.push(command)
        return changes_of(command) | Changes(undo=True, label=command.label)

    return op


def _accept(store: Store, record_id: int, suggestion_id: int, reviewer: str) -> ValueChange:
    field = stored_suggestion(store, suggestion_id).field
    return ValueChange(record_id, field, reviewer,
                       lambda s: extraction.accept(s, suggestion_id, reviewer),
                       "accept {field}")  # fmt: skip


def reject_suggestion(record_id: int | None, suggestion_id: int, reviewer: str) -> Operation:
    """Turn a suggestion down (it is not offered again; not undone by Ctrl+Z)."""
    return write(lambda s: extraction.reject(s, suggestion_id, reviewer),
                 Changes(records=records([record_id] if record_id else []), suggestions=True,
                         label="reject suggestion"))  # fmt: skip


def add_note(
    stack: UndoStack, record_id: int, start: int, end: int, comment: str, reviewer: str
) -> Operation:
    return push(stack, AddHighlight.note(record_id, start, end, comment, reviewer))


def edit_note(stack: UndoStack, note_id: int, comment: str, reviewer: str) -> Operation:
    return push(stack, EditNote(note_id, comment, reviewer))


def delete_note(stack: UndoStack, note_id: int, reviewer: str) -> Operation:
    return push(stack, DeleteHighlight(note_id, reviewer))


def reattach_orphan(orphan_id: int, start: int, end: int, reviewer: str) -> Operation:
    """Put a highlight that lost its words (a changed full text) on the words chosen."""
    return write(lambda s: _reattach_orphan(s, orphan_id, start, end, reviewer),
                 Changes(notes=True, suggestions=True, label="reattach highlight"))  # fmt: skip


def dismiss_orphan(orphan_id: int, reviewer: str) -> Operation:
    return write(lambda s: _dismiss_orphan(s, orphan_id, reviewer),
                 Changes(notes=True, label="dismiss highlight"))  # fmt: skip


def unmerge(record_id: int, reviewer: str) -> Operation:
    """Take a record out of its duplicate group (raises ValueError if it is in none)."""
    return write(lambda s: unmerge_duplicate(s, record_id, reviewer),
                 Changes(records=frozenset([record_id]), record_set=True, label="unmerge"))  # fmt: skip


def set_template(template: Template, reviewer: str) -> Operation:
    """Replace the review's extraction template."""
    return write(lambda s: s.set_template(template, reviewer),
                 Changes(template=True, label="template"))  # fmt: skip
