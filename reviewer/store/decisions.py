"""A reviewer's screening decisions as stored: the ``decisions`` table, one row per
record, stage and reviewer, changed only by events (``reviewer.store.apply``).

What the decisions add up to (final decisions, conflicts, counts) is read in
``reviewer.store.screening``; the rules are ``reviewer.review.screening``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reviewer.domain import Decision, Event
from reviewer.domain.events import EventKind

if TYPE_CHECKING:
    from reviewer.store.store import Store


def set_decision(
    store: Store,
    decision: Decision,
    kind: str = EventKind.DECISION_SET,
    undoes: str | None = None,
) -> Event:
    """Set a reviewer's decision; the event's time is the decision's. ``kind`` is
    ``decision.undo`` (naming the event it ``undoes``) when an undo puts back an
    earlier decision, ``decision.redo`` when an undone decision is made again."""
    with store.atomic():
        before = store.decision(decision.record_id, decision.stage, decision.reviewer)
        payload: dict[str, Any] = {
            "stage": decision.stage,
            "before": before.decision if before else None,
            "after": decision.decision,
            "reason": decision.reason,
            "note": decision.note,
        }
        if undoes is not None:
            payload["undoes"] = undoes
        event = Event(
            reviewer=decision.reviewer,
            kind=kind,
            record_id=decision.record_id,
            time=decision.time,
            payload=payload,
        )
        store.commit(event)
    return event


def clear_decision(
    store: Store,
    record_id: int,
    stage: str,
    reviewer: str,
    kind: str = EventKind.DECISION_CLEAR,
    undoes: str | None = None,
) -> Event | None:
    """Take a reviewer's decision away (``kind``: ``decision.undo``, naming the event
    it ``undoes``, when the decision undone was the record's first); ``None`` when
    there was none."""
    with store.atomic():
        before = store.decision(record_id, stage, reviewer)
        if before is None:
            return None
        payload: dict[str, Any] = {"stage": stage, "before": before.decision, "after": None}
        if undoes is not None:
            payload["undoes"] = undoes
        event = Event(reviewer=reviewer, kind=kind, record_id=record_id, payload=payload)
        store.commit(event)
    return event


def decision(store: Store, record_id: int, stage: str, reviewer: str) -> Decision | None:
    row = store.db.execute(
        "select decision, reason, note, time from decisions "
        "where record_id = ? and stage = ? and reviewer = ?",
        [record_id, stage, reviewer],
    ).fetchone()
    if row is None:
        return None
    return Decision(
        record_id=record_id,
        stage=stage,
        reviewer=reviewer,  # type: ignore[arg-type]
        decision=row[0],
        reason=row[1],
        note=row[2],
        time=row[3],
    )


def decisions(store: Store, record_id: int | None = None) -> list[Decision]:
    sql = "select record_id, stage, reviewer, decision, reason, note, time from decisions"
    params: list[Any] = []
    if record_id is not None:
        sql += " where record_id = ?"
        params.append(record_id)
    keys = ("record_id", "stage", "reviewer", "decision", "reason", "note", "time")
    return [Decision(**dict(zip(keys, r, strict=True))) for r in store.db.execute(sql, params)]
