"""Counts behind ``reviewer stats`` and PRISMA, read from the screening tables.

``reviewer.review.stats`` shapes them into the report; the SQL is here.
"""

from __future__ import annotations

from typing import NamedTuple

from reviewer.store.screening import stage_condition
from reviewer.store.store import Store


class SourceCount(NamedTuple):
    """Records imported from one source (``source_id`` ``None``: records of no source)."""

    source_id: int | None
    name: str
    label: str
    format: str
    records: int
    duplicates: int


class FinalCounts(NamedTuple):
    include: int
    exclude: int
    conflict: int


def per_source(store: Store) -> list[SourceCount]:
    rows = store.db.execute(
        "select s.id, coalesce(s.name, ''), coalesce(s.label, ''), coalesce(s.format, ''), "
        "count(r.id), coalesce(sum(r.duplicate_of is not null), 0) from records r "
        "left join sources s on s.id = r.source_id group by r.source_id order by r.source_id"
    )
    return [SourceCount(*row) for row in rows]


def resolved_count(store: Store, stage: str) -> int:
    """Records at ``stage`` with a resolver's decision there."""
    at_stage = stage_condition(stage, "record_id")
    return store.db.execute(
        f"select count(*) from resolutions where stage = ? and {at_stage}", [stage]
    ).fetchone()[0]


def final_counts(store: Store, stage: str) -> FinalCounts:
    """Records at ``stage`` finally included, finally excluded, and in conflict."""
    at_stage = stage_condition(stage, "record_id")
    row = store.db.execute(
        "select coalesce(sum(final = 'include'), 0), "
        "coalesce(sum(final = 'exclude'), 0), coalesce(sum(conflict = 1), 0) "
        f"from screening where stage = ? and {at_stage}",
        [stage],
    ).fetchone()
    return FinalCounts(*row)


def decision_counts(store: Store, stage: str) -> dict[str, int]:
    """Reviewers' decisions on records at ``stage``: ``{decision: count}``."""
    at_stage = stage_condition(stage, "record_id")
    rows = store.db.execute(
        f"select decision, count(*) from decisions where stage = ? and {at_stage} "
        "group by decision",
        [stage],
    )
    return {decision: n for decision, n in rows}


def reviewer_decision_counts(store: Store, stage: str) -> list[tuple[str, str, int]]:
    """``(reviewer, decision, count)`` on records at ``stage``, by reviewer."""
    at_stage = stage_condition(stage, "record_id")
    rows = store.db.execute(
        f"select reviewer, decision, count(*) from decisions where stage = ? and {at_stage} "
        "group by 1, 2 order by 1",
        [stage],
    )
    return [(reviewer, decision, n) for reviewer, decision, n in rows]


def final_exclusion_reasons(store: Store, stage: str) -> dict[str | None, int]:
    """Records at ``stage`` finally excluded there, by their reason (``None``: none given)."""
    rows = store.db.execute(
        "select reason, count(*) from screening where stage = ? and final = 'exclude' "
        f"and {stage_condition(stage, 'record_id')} group by reason",
        [stage],
    )
    return {reason: n for reason, n in rows}


class PairCell(NamedTuple):
    """Records two reviewers both decided at a stage, by whether each excluded."""

    first: str
    second: str
    first_excluded: bool
    second_excluded: bool
    count: int


def pair_cells(store: Store, stage: str) -> list[PairCell]:
    """The cells of every reviewer pair's 2x2 table at ``stage`` (first < second)."""
    # Each decision's partners are looked up by record ("cross join" and "+b.stage"
    # keep SQLite from scanning the whole stage again for every decision).
    rows = store.db.execute(
        "select a.reviewer, b.reviewer, a.decision = 'exclude', b.decision = 'exclude', "
        "count(*) from decisions a cross join decisions b on b.record_id = a.record_id "
        "and +b.stage = a.stage and a.reviewer < b.reviewer where a.stage = ? "
        "group by 1, 2, 3, 4",
        [stage],
    )
    return [PairCell(*row) for row in rows]
