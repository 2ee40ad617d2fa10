"""Screening: decisions per stage and reviewer, conflicts, resolutions, and which
records reach which stage.

The rules, in one place:

* A record is **at title/abstract** unless it is a duplicate. It is **at full text**
  when its title/abstract screening ended in *include*, and **at extraction** when
  its full-text screening did too (and it is still at full text).
* A stage's **final decision** for a record: the resolver's decision when there is
  one; otherwise, among the reviewers who screened it there, *include* when none
  excluded, *exclude* when all excluded, and nothing (a **conflict**) when they
  disagree. With one reviewer that reviewer's decision is final. "Maybe" counts as
  include: an uncertain record goes on to the next stage rather than being lost.
* To exclude, the reason comes from the review's list; at full text a reason is
  required.

The final decision is kept per (record, stage) in the ``screening`` table by
triggers on ``decisions`` and ``resolutions`` (migration m004), so stage membership,
conflicts and filters are indexed look-ups even on 100,000 records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from reviewer.domain import DECISIONS, STAGES, Decision, Event
from reviewer.domain.models import now_iso
from reviewer.domain.screening import (
    STAGE_LABELS,
    Conflict,
    Resolution,
    ScreeningError,
    check_stage,
)
from reviewer.review import events as ev
from reviewer.review.settings import exclusion_reasons, is_blinded
from reviewer.store import Store
from reviewer.store import screening as stored
from reviewer.store.history import events_by, record_events_before
from reviewer.store.screening import (
    DUPLICATE_IDS,
    conflicts,
    count_at_stage,
    final_decision,
    id_list,
    is_at_stage,
    next_undecided,
    records_at_stage,
    resolution,
    stage_condition,
    stage_ids_sql,
)

# The rules, and the reads under them (re-exported from the store), by this one name.
__all__ = [
    "DUPLICATE_IDS",
    "RESOLUTION_DECISIONS",
    "STAGE_LABELS",
    "Conflict",
    "Progress",
    "Resolution",
    "ScreeningError",
    "check_stage",
    "clear_resolution",
    "conflicts",
    "count_at_stage",
    "decide",
    "final_decision",
    "id_list",
    "is_at_stage",
    "next_undecided",
    "progress",
    "records_at_stage",
    "resolution",
    "resolve",
    "stage_condition",
    "stage_ids_sql",
    "undo_last_decision",
    "visible_decisions",
]

RESOLUTION_DECISIONS = ("include", "exclude")


@dataclass(frozen=True)
class Progress:
    """How far one reviewer is through one stage."""

    stage: str
    reviewer: str
    screened: int
    total: int
    include: int = 0
    exclude: int = 0
    maybe: int = 0

    @property
    def remaining(self) -> int:
        return self.total - self.screened


# -- decisions ----------------------------------------------------------------------


def decide(
    store: Store,
    record_id: int,
    decision: str,
    reviewer: str,
    stage: str = "title_abstract",
    reason: str = "",
    note: str = "",
    kind: str = ev.DECISION_SET,
) -> Decision:
    """Record ``reviewer``'s decision (the CLI's ``decide``); unchanged decisions write nothing.
    ``kind`` is ``decision.redo`` when the window's redo makes an undone decision again."""
    if decision not in DECISIONS:
        raise ScreeningError(f"unknown decision {decision!r}; decisions: {', '.join(DECISIONS)}")
    _check_record(store, record_id, stage)
    reason = _checked_reason(store, decision, stage, reason)
    current = store.decision(record_id, stage, reviewer)
    if current and (current.decision, current.reason, current.note) == (decision, reason, note):
        return current
    new = Decision(
        record_id=record_id,
        stage=stage,  # type: ignore[arg-type]
        reviewer=reviewer,
        decision=decision,  # type: ignore[arg-type]
        reason=reason,
        note=note,
    )
    store.set_decision(new, kind)
    return new


def _check_record(store: Store, record_id: int, stage: str) -> None:
    check_stage(stage)
    if not stored.record_exists(store, record_id):
        raise ScreeningError(f"there is no record {record_id}")
    if not is_at_stage(store, record_id, stage):
        raise ScreeningError(
            f"record {record_id} is not at the {STAGE_LABELS[stage]} stage"
            + _why_not_at_stage(store, record_id, stage)
        )


def _why_not_at_stage(store: Store, record_id: int, stage: str) -> str:
    dup = stored.duplicate_of(store, record_id)
    if dup is not None:
        return f" (it is a duplicate of record {dup})"
    earlier = STAGES[STAGES.index(stage) - 1]
    return f" (it has not been included at {STAGE_LABELS[earlier]})"


def _checked_reason(store: Store, decision: str, stage: str, reason: str) -> str:
    reason = " ".join(reason.split())
    if decision != "exclude":
        if reason:
            raise ScreeningError("a reason is given only to exclude; use the note instead")
        return ""
    if not reason:
        if stage == "full_text":
            raise ScreeningError("a reason is required to exclude at full text")
        return ""
    reasons = exclusion_reasons(store)
    for known in reasons:
        if known.casefold() == reason.casefold():
            return known
    raise ScreeningError(
        f"{reason!r} is not one of the review's exclusion reasons: {', '.join(reasons)}"
    )


def visible_decisions(store: Store, record_id: int, stage: str, viewer: str) -> list[Decision]:
    """The decisions ``viewer`` may see: only their own while the review is blinded."""
    check_stage(stage)
    mine = [d for d in store.decisions(record_id) if d.stage == stage]
    if is_blinded(store):
        mine = [d for d in mine if d.reviewer == viewer]
    return sorted(mine, key=lambda d: d.reviewer)


# -- resolutions and conflicts ----------------------------------------------------------


def resolve(
    store: Store,
    record_id: int,
    stage: str,
    decision: str,
    reason: str,
    resolver: str,
    note: str = "",
) -> Resolution:
    """Record the final decision on a record at a stage, overriding the reviewers'."""
    if decision not in RESOLUTION_DECISIONS:
        raise ScreeningError("a resolution is include or exclude")
    _check_record(store, record_id, stage)
    reason = _checked_reason(store, decision, stage, reason)
    res = Resolution(record_id, stage, decision, reason, note, resolver, now_iso())
    with store.atomic():
        before = resolution(store, record_id, stage)
        _commit_resolution(store, ev.RESOLUTION_SET, res, before)
    return res


def clear_resolution(store: Store, record_id: int, stage: str, resolver: str) -> None:
    with store.atomic():
        before = resolution(store, record_id, stage)
        if before is None:
            return
        gone = Resolution(record_id, stage, "", "", "", resolver, now_iso())
        _commit_resolution(store, ev.RESOLUTION_CLEAR, gone, before)


def _commit_resolution(
    store: Store, kind: str, res: Resolution, before: Resolution | None
) -> None:
    """The resolution's event, applied and logged; its time is the resolution's."""
    store.commit(
        Event(
            reviewer=res.resolver,
            kind=kind,
            record_id=res.record_id,
            time=res.time,
            payload={
                "stage": res.stage,
                "before": before.decision if before else None,
                "after": res.decision or None,
                "reason": res.reason,
                "note": res.note,
            },
        )
    )


# -- keyboard-first screening --------------------------------------------------------------


def progress(store: Store, stage: str, reviewer: str) -> Progress:
    """Records ``reviewer`` has screened of those at ``stage``, and their decisions."""
    counts = stored.reviewer_decision_counts(store, stage, reviewer)
    return Progress(
        stage=stage,
        reviewer=reviewer,
        screened=sum(counts.values()),
        total=count_at_stage(store, stage),
        include=counts.get("include", 0),
        exclude=counts.get("exclude", 0),
        maybe=counts.get("maybe", 0),
    )


def undo_last_decision(store: Store, reviewer: str, stage: str) -> int | None:
    """Undo ``reviewer``'s latest decision at ``stage`` that is not undone yet: restore
    what the record had before it (or clear it). The undo is itself an event; repeated
    undos walk further back. Returns the record changed, or ``None`` if nothing is left."""
    check_stage(stage)
    with store.atomic():
        target = _last_undoable(store, reviewer, stage)
        if target is None:
            return None
        seq, event_id, record_id = target
        restore = _state_before(store, record_id, stage, reviewer, seq)
        before = store.decision(record_id, stage, reviewer)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=ev.DECISION_UNDO,
                record_id=record_id,
                payload={
                    "stage": stage,
                    "undoes": event_id,
                    "before": before.decision if before else None,
                    "after": restore["decision"] if restore else None,
                    "reason": restore["reason"] if restore else "",
                    "note": restore["note"] if restore else "",
                },
            )
        )
    return record_id


def _last_undoable(store: Store, reviewer: str, stage: str) -> tuple[int, str, int] | None:
    undone: set[str] = set()
    for e in events_by(store, reviewer):
        seq, event_id, kind, record_id, raw = e.seq, e.id, e.kind, e.record_id, e.payload
        if kind not in ev.DECISION_KINDS:
            continue
        payload = json.loads(raw)
        if payload.get("stage") != stage:
            continue
        if kind == ev.DECISION_UNDO:
            undone.add(payload.get("undoes"))
        elif event_id not in undone:
            return seq, event_id, record_id
    return None


def _state_before(
    store: Store, record_id: int, stage: str, reviewer: str, seq: int
) -> dict[str, str] | None:
    """The decision the key had just before event ``seq``: the state after the event before."""
    key = ("decision", record_id, stage, reviewer)
    for e in record_events_before(store, record_id, seq):
        payload = json.loads(e.payload)
        if ev.state_key(e.kind, record_id, e.reviewer, payload) == key:
            return ev.decision_after(e.kind, payload)
    return None


