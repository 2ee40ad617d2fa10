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
from dataclasses import dataclass, field

from reviewer.domain import DECISIONS, STAGES, Decision, Event
from reviewer.domain.models import now_iso
from reviewer.review import events as ev
from reviewer.review.settings import exclusion_reasons, is_blinded
from reviewer.store import Store

STAGE_LABELS = {
    "title_abstract": "title/abstract",
    "full_text": "full text",
    "extraction": "extraction",
}
RESOLUTION_DECISIONS = ("include", "exclude")


class ScreeningError(ValueError):
    """A decision that the screening rules do not allow; the message says why."""


@dataclass(frozen=True)
class Resolution:
    """The resolver's final decision on a record at a stage."""

    record_id: int
    stage: str
    decision: str
    reason: str
    note: str
    resolver: str
    time: str


@dataclass
class Conflict:
    """A record whose reviewers disagree at a stage (and its resolution, if any)."""

    record_id: int
    stage: str
    title: str
    decisions: list[Decision] = field(default_factory=list)
    resolution: Resolution | None = None


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


# -- stages ----------------------------------------------------------------------


def check_stage(stage: str) -> str:
    if stage not in STAGES:
        raise ScreeningError(f"unknown stage {stage!r}; stages: {', '.join(STAGES)}")
    return stage


DUPLICATE_IDS = "select id from records where duplicate_of is not null"


def stage_condition(stage: str, col: str = "r.id") -> str:
    """SQL true when the record id in ``col`` is at ``stage`` (no parameters).

    It never reads the records table itself, whose rows carry whole texts: only the
    (few) duplicates' index and the ``screening`` table, so it stays cheap in joins.
    """
    check_stage(stage)
    parts = [f"{col} not in ({DUPLICATE_IDS})"]
    for earlier in STAGES[: STAGES.index(stage)]:
        # stage names come from STAGES, never from input, so inlining them is safe
        parts.append(
            f"{col} in (select record_id from screening "
            f"where stage = '{earlier}' and final = 'include')"
        )
    return " and ".join(parts)


def stage_ids_sql(stage: str) -> str:
    """A query of the ids (column ``id``) of the records at ``stage``, in no set order."""
    check_stage(stage)
    if stage == STAGES[0]:
        return f"select id from records where {stage_condition(stage, 'id')}"
    before = STAGES[STAGES.index(stage) - 1]
    return (
        f"select record_id as id from screening where stage = '{before}' "
        f"and final = 'include' and {stage_condition(stage, 'record_id')}"
    )


def id_list(store: Store, sql: str, params: list | None = None) -> list[int]:
    """The ids a query of one column selects, sorted; fetched as one JSON array, which
    is several times faster than row by row for 100,000 ids."""
    row = store.db.execute(f"select json_group_array(id) from ({sql})", params or []).fetchone()
    ids = json.loads(row[0])
    ids.sort()
    return ids


def records_at_stage(store: Store, stage: str) -> list[int]:
    """Ids of the records at ``stage``, in import order (see the module's rules)."""
    if stage != STAGES[0]:
        return id_list(store, stage_ids_sql(stage))
    # Every id less the duplicates' is twice as fast as asking SQLite to test each id.
    duplicates = set(id_list(store, DUPLICATE_IDS))
    return [i for i in id_list(store, "select id from records") if i not in duplicates]


def count_at_stage(store: Store, stage: str) -> int:
    if stage == STAGES[0]:
        sql = f"select (select count(*) from records) - (select count(*) from ({DUPLICATE_IDS}))"
    else:
        sql = f"select count(*) from ({stage_ids_sql(stage)})"
    return store.db.execute(sql).fetchone()[0]


def _row_at_stage(stage: str, alias: str) -> str:
    """SQL true when the ``records`` row ``alias`` is at ``stage``, tested on that row
    and its own screening rows: ``stage_condition`` on one id would list every duplicate
    first (50,000 of them in a review of 1,000,000)."""
    check_stage(stage)
    parts = [f"{alias}.duplicate_of is null"]
    parts += [
        f"exists (select 1 from screening where record_id = {alias}.id and stage = '{s}' "
        "and final = 'include')"
        for s in STAGES[: STAGES.index(stage)]
    ]  # stage names come from STAGES, never from input
    return " and ".join(parts)


def is_at_stage(store: Store, record_id: int, stage: str) -> bool:
    sql = f"select 1 from records r where r.id = ? and {_row_at_stage(stage, 'r')}"
    return store.db.execute(sql, [record_id]).fetchone() is not None


def final_decision(store: Store, record_id: int, stage: str) -> str | None:
    """``'include'``, ``'exclude'`` or ``None`` (nobody screened it yet, or a conflict)."""
    check_stage(stage)
    row = store.db.execute(
        "select final from screening where record_id = ? and stage = ?", [record_id, stage]
    ).fetchone()
    return row[0] if row else None


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


def undecide(store: Store, record_id: int, reviewer: str, stage: str = "title_abstract") -> None:
    """Withdraw ``reviewer``'s decision (an event, like every change)."""
    check_stage(stage)
    store.clear_decision(record_id, stage, reviewer)


def _check_record(store: Store, record_id: int, stage: str) -> None:
    check_stage(stage)
    exists = store.db.execute("select 1 from records where id = ?", [record_id]).fetchone()
    if not exists:
        raise ScreeningError(f"there is no record {record_id}")
    if not is_at_stage(store, record_id, stage):
        raise ScreeningError(
            f"record {record_id} is not at the {STAGE_LABELS[stage]} stage"
            + _why_not_at_stage(store, record_id, stage)
        )


def _why_not_at_stage(store: Store, record_id: int, stage: str) -> str:
    dup = store.db.execute("select duplicate_of from records where id = ?", [record_id]).fetchone()
    if dup and dup[0] is not None:
        return f" (it is a duplicate of record {dup[0]})"
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


def resolution(store: Store, record_id: int, stage: str) -> Resolution | None:
    row = store.db.execute(
        "select decision, reason, note, resolver, time from resolutions "
        "where record_id = ? and stage = ?",
        [record_id, stage],
    ).fetchone()
    return Resolution(record_id, stage, *row) if row else None


def conflicts(store: Store, stage: str, include_resolved: bool = False) -> list[Conflict]:
    """Records at ``stage`` whose reviewers disagree (include or maybe against exclude),
    unresolved ones only unless ``include_resolved``; in import order."""
    which = "disagree = 1" if include_resolved else "conflict = 1"
    rows = store.db.execute(
        f"select r.id, r.title from records r where r.id in "
        f"(select record_id from screening where stage = ? and {which}) "
        f"and {stage_condition(stage)} order by r.id",
        [stage],
    ).fetchall()
    found = {rid: Conflict(rid, stage, title) for rid, title in rows}
    if not found:
        return []
    for d in _decisions_of(store, stage, list(found)):
        found[d.record_id].decisions.append(d)
    for res in _resolutions_of(store, stage, list(found)):
        found[res.record_id].resolution = res
    return list(found.values())


def _decisions_of(store: Store, stage: str, ids: list[int]) -> list[Decision]:
    rows = store.db.execute(
        "select record_id, reviewer, decision, reason, note, time from decisions "
        "where stage = ? and record_id in (select value from json_each(?)) "
        "order by record_id, reviewer",
        [stage, json.dumps(ids)],
    )
    # Rows the store wrote are valid: construct without validating (thousands of conflicts).
    return [
        Decision.model_construct(
            record_id=r[0],
            stage=stage,
            reviewer=r[1],
            decision=r[2],
            reason=r[3],
            note=r[4],
            time=r[5],
        )
        for r in rows
    ]


def _resolutions_of(store: Store, stage: str, ids: list[int]) -> list[Resolution]:
    rows = store.db.execute(
        "select record_id, decision, reason, note, resolver, time from resolutions "
        "where stage = ? and record_id in (select value from json_each(?))",
        [stage, json.dumps(ids)],
    )
    return [Resolution(r[0], stage, *r[1:]) for r in rows]


# -- keyboard-first screening --------------------------------------------------------------


def next_undecided(
    store: Store, stage: str, reviewer: str, after_record_id: int | None = None
) -> int | None:
    """The next record at ``stage`` that ``reviewer`` has not decided, after
    ``after_record_id`` in import order, wrapping round to the start; ``None`` when done."""
    # records in id order until the first one found, each tested on its own rows; after
    # the first stage, only those included at the stage before (from its index)
    check_stage(stage)
    source, key = "records s", "s.id"
    if stage != STAGES[0]:
        before = STAGES[STAGES.index(stage) - 1]
        source = (
            f"screening p indexed by screening_final cross join records s on s.id = p.record_id "
            f"and p.stage = '{before}' and p.final = 'include'"
        )
        key = "p.record_id"
    sql = (
        f"select s.id from {source} where {key} > ? and {_row_at_stage(stage, 's')} "
        "and not exists (select 1 from decisions d where d.record_id = s.id "
        f"and d.stage = ? and d.reviewer = ?) order by {key} limit 1"
    )
    after = after_record_id or 0
    row = store.db.execute(sql, [after, stage, reviewer]).fetchone()
    if row is None and after:
        row = store.db.execute(sql, [0, stage, reviewer]).fetchone()
    return row[0] if row else None


def progress(store: Store, stage: str, reviewer: str) -> Progress:
    """Records ``reviewer`` has screened of those at ``stage``, and their decisions."""
    counts = dict(
        store.db.execute(
            f"select decision, count(*) from decisions where stage = ? and reviewer = ? "
            f"and {stage_condition(stage, 'record_id')} group by decision",
            [stage, reviewer],
        ).fetchall()
    )
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
    rows = store.db.execute(
        "select seq, id, kind, record_id, payload from events where reviewer = ? order by seq desc",
        [reviewer],
    )
    for seq, event_id, kind, record_id, raw in rows:
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
    rows = store.db.execute(
        "select kind, reviewer, payload from events where record_id = ? and seq < ? "
        "order by seq desc",
        [record_id, seq],
    )
    for kind, who, raw in rows:
        payload = json.loads(raw)
        if ev.state_key(kind, record_id, who, payload) == key:
            return ev.decision_after(kind, payload)
    return None
