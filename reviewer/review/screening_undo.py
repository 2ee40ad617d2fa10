"""Screening decisions on the window's undo stack: a decision is one command, undone by
putting back the reviewer's previous decision (or none) as a ``decision.undo`` event.

Kept with the screening rules it checks (``decide``), above the annotation commands
of ``reviewer.annotate.undo`` whose stack it joins.
"""

from __future__ import annotations

from reviewer.annotate.undo import Renumber
from reviewer.domain import Decision
from reviewer.domain.events import DECISION_KINDS, EventKind
from reviewer.domain.models import now_iso
from reviewer.review.screening import decide
from reviewer.store import Store


class DecisionChange:
    """A screening decision; undone by putting back the reviewer's previous one (or none).

    The undo is a ``decision.undo`` event naming the event it undoes, and a redo a
    ``decision.redo``: the log says what was undone and redone, never a fresh
    ``decision.set`` that would read as a new decision."""

    def __init__(self, decision: Decision):
        self.decision = decision
        self.label = f"{decision.decision} record {decision.record_id}"
        self._before: Decision | None = None
        self._done_once = False
        self._event_id: str | None = None  # the event the next undo undoes

    def do(self, store: Store, renumber: Renumber) -> None:
        d = self.decision
        before = store.decision(d.record_id, d.stage, d.reviewer)
        kind = EventKind.DECISION_REDO if self._done_once else EventKind.DECISION_SET
        with store.atomic():
            decide(store, d.record_id, d.decision, d.reviewer, d.stage, d.reason, d.note, kind)
            self._event_id = _last_decision_event(store, d)
        if not self._done_once:
            self._before = before
            self._done_once = True

    def undo(self, store: Store, renumber: Renumber) -> None:
        d = self.decision
        kind, undoes = EventKind.DECISION_UNDO, self._event_id
        if self._before is None:
            store.clear_decision(d.record_id, d.stage, d.reviewer, kind, undoes)
        else:
            store.set_decision(self._before.model_copy(update={"time": now_iso()}), kind, undoes)


def _last_decision_event(store: Store, d: Decision) -> str | None:
    """The id of the latest event on this reviewer's decision on the record at the stage."""
    for event in reversed(store.events(d.record_id)):
        mine = event.kind in DECISION_KINDS and event.reviewer == d.reviewer
        if mine and event.payload.get("stage") == d.stage:
            return event.id
    return None
