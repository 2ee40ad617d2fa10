"""Screening as stored: which records are at which stage, final decisions, conflicts,
resolutions and counts, read from ``decisions``, ``resolutions`` and the ``screening``
table the triggers of migration m004 keep.

The rules themselves (what a final decision is, who may decide what) are explained in
``reviewer.review.screening``; this module is the SQL that reads them back.
"""

from __future__ import annotations

import json

from reviewer.domain import STAGES, Decision
from reviewer.domain.screening import Conflict, Resolution, check_stage
from reviewer.store.records import record_exists
from reviewer.store.store import Store

__all__ = ["record_exists"]  # (with the functions below) asked for by screening

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
    """Ids of the records at ``stage``, in import order."""
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
    first (50,000 of them in a review of 1,000,000: 20 ms a decision)."""
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


def duplicate_of(store: Store, record_id: int) -> int | None:
    """The record ``record_id`` duplicates, or ``None`` (not a duplicate, or no such record)."""
    row = store.db.execute("select duplicate_of from records where id = ?", [record_id]).fetchone()
    return row[0] if row else None


def final_decision(store: Store, record_id: int, stage: str) -> str | None:
    """``'include'``, ``'exclude'`` or ``None`` (nobody screened it yet, or a conflict)."""
    check_stage(stage)
    row = store.db.execute(
        "select final from screening where record_id = ? and stage = ?", [record_id, stage]
    ).fetchone()
    return row[0] if row else None


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
            record_id=rid, stage=stage, reviewer=reviewer, decision=decision, reason=reason,
            note=note, time=time,
        )
        for rid, reviewer, decision, reason, note, time in rows
    ]  # fmt: skip


def _resolutions_of(store: Store, stage: str, ids: list[int]) -> list[Resolution]:
    rows = store.db.execute(
        "select record_id, decision, reason, note, resolver, time from resolutions "
        "where stage = ? and record_id in (select value from json_each(?))",
        [stage, json.dumps(ids)],
    )
    return [Resolution(rid, stage, *rest) for rid, *rest in rows]


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


def reviewer_decision_counts(store: Store, stage: str, reviewer: str) -> dict[str, int]:
    """``{decision: count}`` of ``reviewer``'s decisions on records still at ``stage``."""
    rows = store.db.execute(
        f"select decision, count(*) from decisions where stage = ? and reviewer = ? "
        f"and {stage_condition(stage, 'record_id')} group by decision",
        [stage, reviewer],
    )
    return {decision: n for decision, n in rows}
