"""The record list's filters as SQL: each chosen filter's set of records, the list's
ids (or its first page) and the count of every option beside it.

``reviewer.review.filters`` says what the options mean and is what the window, the
export and the command line call; this module is how they are worked out over the
indexed tables (``screening`` holds each record's final decision per stage). See
``Counter`` for how counts stay index scans at 1,000,000 records; the filters' sets
it counts over are ``reviewer.store.filter_sets``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reviewer.domain import STAGES
from reviewer.store.filter_sets import DECISION_OPTIONS, Base, Filter, FilterSets
from reviewer.store.screening import (
    DUPLICATE_IDS,
    count_at_stage,
    id_list,
    records_at_stage,
    stage_condition,
    stage_ids_sql,
)
from reviewer.store.store import Store

FACETS = ("decision", "conflict", "reason", "tag", "reviewer")
# What each facet's own counts leave out of the filter: itself, and for decisions
# (read from a reviewer's perspective) the reviewer filter that chose whose.
_FACET_SKIPS = {
    "decision": ("decision", "reviewer"),
    "conflict": ("conflict",),
    "reason": ("reason",),
    "tag": ("tag",),
    "reviewer": ("decision", "reason", "reviewer"),
}


# -- counting ---------------------------------------------------------------------------------

# A set of records drives the count queries over it when it is smaller than this share
# of the stage (or this many records): see Counter._count.
_DRIVE_SHARE = 0.1
_DRIVE_MIN = 1000
# SQLite, without statistics, would scan the stage's rows rather than this small index
_MAYBES = "screening t indexed by screening_maybe"


class Counter:
    """Counts under the filter, and under it less each facet's own choice.

    Each chosen filter's set of records (a search, "Bob's decisions" ...) is worked
    out once into a temporary table of ids limited to the stage; every count is then
    an index scan probing those tables by id. Counts over the whole stage come
    straight from the indexes, and over "everything but a set" by subtraction, so no
    query ever tests each of 100,000 records. No query reads the records table, whose
    rows carry whole texts.
    """

    def __init__(self, store: Store, f: Filter, reasons: tuple[str, ...] = ()):
        self.store = store
        self.f = f
        self.reasons = reasons  # the review's exclusion reasons, each counted even at 0
        self.sets = FilterSets(store, f)
        self.clauses = self.sets.clauses
        self._memo: dict[Any, Any] = {}

    def ids(self, limit: int | None = None) -> list[int]:
        if limit is not None and all(c.negate for c in self.clauses.values()):
            return self._first_outside(limit)
        base = self.sets.base(())
        if base.pos:
            driver = min(base.pos, key=lambda t: self.sets.sizes[t])
            rest = Base([t for t in base.pos if t != driver], base.neg)
            where = rest.cond("id") or "1"
            return self._first(f"select id from {driver} where {where}", limit)
        if limit is not None:  # in id order, stopping after ``limit``: no set is built
            outside = f"+id not in (select id from {base.neg[0]})" if base.neg else "1"
            if self.f.stage == STAGES[0]:
                dups = self.sets.duplicates()
                sql = f"select id from records where {outside} and id not in (select id from {dups})"
            else:
                sql = f"select id from ({stage_ids_sql(self.f.stage)}) where {outside}"
            return self._first(sql, limit)
        if not base.neg:
            return records_at_stage(self.store, self.f.stage)
        outside = f"+id not in (select id from {base.neg[0]})"
        if self.f.stage != STAGES[0]:
            return id_list(
                self.store, f"select id from ({stage_ids_sql(self.f.stage)}) where {outside}"
            )
        # every record not in the set, less the duplicates (few, and dropped in Python)
        duplicates = set(id_list(self.store, DUPLICATE_IDS))
        ids = id_list(self.store, f"select id from records where {outside}")
        return [i for i in ids if i not in duplicates]

    def ids_among(self, candidates: Sequence[int]) -> list[int]:
        """Those of ``candidates`` at the stage that pass the filter, in import order.

        Each candidate is looked up by its id in each filter's index (a search's set is
        listed once), so a page of the ranking's best records costs the same at
        1,000,000 records as at 1,000, whatever share of them passes."""
        db = self.store.db
        table = self.sets.temp("among")
        db.execute(
            f"insert or ignore into {table} select value from json_each(?) "
            "where value in (select id from records)",  # a look-up per id
            [json.dumps([int(i) for i in candidates])],
        )
        parts = [f"r.id not in (select id from {self.sets.duplicates()})"]
        for earlier in STAGES[: STAGES.index(self.f.stage)]:
            parts.append(  # stage names come from STAGES, never from input
                f"exists (select 1 from screening s where s.stage = '{earlier}' "
                "and s.record_id = r.id and s.final = 'include')"
            )
        params: list[Any] = []
        for name, clause in self.clauses.items():
            if name == "search":  # a union of two full-text matches: listed once
                parts.append(f"r.id in (select id from {self.sets.table(name)})")
                continue
            negate = "not " if clause.negate else ""
            parts.append(f"{negate}exists (select 1 from ({clause.sql}) c where c.id = r.id)")
            params += clause.params
        sql = f"select r.id from {table} r where {' and '.join(parts)} order by r.id"
        return [row[0] for row in db.execute(sql, params)]

    def _first_outside(self, limit: int) -> list[int]:
        """The first ``limit`` records at the stage in none of the (negated) sets, e.g.
        "undecided": records are read in id order and each looked up in the sets by its
        id, so it stops after ``limit`` found, never listing a set (a reviewer's 400,000
        decisions) first."""
        parts, params = [], []
        for clause in self.clauses.values():
            parts.append(f"not exists (select 1 from ({clause.sql}) c where c.id = r.id)")
            params += clause.params
        if self.f.stage == STAGES[0]:
            parts.append(f"r.id not in (select id from {self.sets.duplicates()})")
            source = "records r"
        else:
            source = f"({stage_ids_sql(self.f.stage)}) r"
        where = " and ".join(parts) or "1"
        sql = f"select r.id from {source} where {where} order by r.id limit ?"
        return [row[0] for row in self.store.db.execute(sql, [*params, limit])]

    def _first(self, sql: str, limit: int | None) -> list[int]:
        if limit is None:
            return id_list(self.store, sql)
        rows = self.store.db.execute(f"select id from ({sql}) order by id limit ?", [limit])
        return [r[0] for r in rows]

    def counts(self) -> dict[str, Any]:
        return {
            "total": self._size(()),
            "decision": self._decision_counts(),
            "conflict": self._conflict_counts(),
            "reason": self._reason_counts(),
            "tag": self._tag_counts(),
            "reviewer": self._reviewer_counts(),
        }

    def _size(self, skip: tuple[str, ...]) -> int:
        active = tuple(n for n in self.clauses if n not in skip)
        if ("size", active) not in self._memo:
            self._memo[("size", active)] = self._size_now(self.sets.base(skip))
        return self._memo[("size", active)]

    def _size_now(self, base: Base) -> int:
        if not base.pos:
            stage = count_at_stage(self.store, self.f.stage)
            return stage - (self.sets.sizes[base.neg[0]] if base.neg else 0)
        driver = min(base.pos, key=lambda t: self.sets.sizes[t])
        rest = Base([t for t in base.pos if t != driver], base.neg)
        if not rest.pos and not rest.neg:
            return self.sets.sizes[driver]
        sql = f"select count(*) from {driver} where {rest.cond('id')}"
        return self.store.db.execute(sql).fetchone()[0]

    def _grouped(
        self, skip: tuple[str, ...], key: str, source: str, where: str, params: list[Any]
    ) -> dict[Any, int]:
        """``select key, count(*) from source where ... group by key`` over the base of
        a facet (the filter less ``skip``); ``source`` is a table aliased ``t``."""
        memo = (tuple(n for n in self.clauses if n not in skip), key, source, where, tuple(params))
        if memo not in self._memo:
            self._memo[memo] = self._grouped_now(self.sets.base(skip), key, source, where, params)
        return self._memo[memo]

    def _grouped_now(
        self, base: Base, key: str, source: str, where: str, params: list[Any]
    ) -> dict[Any, int]:
        if base.pos:
            return self._count(key, source, where, params, base)
        whole = self._whole_stage(key, source, where, params)
        if base.neg:  # everything but a set: the whole stage less the set
            for k, n in self._count(key, source, where, params, Base(base.neg, [])).items():
                whole[k] -= n
        return {k: n for k, n in whole.items() if n}

    def _count(
        self, key: str, source: str, where: str, params: list[Any], base: Base | None = None
    ) -> dict[Any, int]:
        """Counts over ``source`` rows of the records in ``base`` (all rows without one).
        A small set drives the query, looking its records' rows up by id; otherwise
        the table's index is scanned and each row's id probed in the sets."""
        frm, cond = source, "1"
        if base:
            driver = min(base.pos, key=lambda t: self.sets.sizes[t])
            if self.sets.sizes[driver] < self._drive_below():
                frm = f"{driver} b cross join {source} on t.record_id = b.id"
                base = Base([t for t in base.pos if t != driver], base.neg)
            cond = base.cond("t.record_id") or "1"
        sql = f"select {key}, count(*) from {frm} where {where} and {cond} group by 1"
        return dict(self.store.db.execute(sql, params).fetchall())

    def _drive_below(self) -> float:
        """Below this many records a set is cheaper to look up record by record than
        to test, id by id, against every row of the stage (measured on 100,000)."""
        if "stage size" not in self._memo:
            self._memo["stage size"] = count_at_stage(self.store, self.f.stage)
        return max(_DRIVE_MIN, _DRIVE_SHARE * self._memo["stage size"])

    def _whole_stage(self, key: str, source: str, where: str, params: list[Any]) -> dict:
        """Counts over every record at the stage. At title/abstract they come straight
        from the table's index, less those of the (few) duplicates: much cheaper than
        testing every row for being a duplicate."""
        if self.f.stage != STAGES[0]:
            stage = stage_condition(self.f.stage, "t.record_id")
            return self._count(key, source, f"{where} and {stage}", params)
        counts = self._count(key, source, where, params)
        if self._duplicates_in(source):
            dups = self.store.db.execute(
                f"select {key}, count(*) from records r cross join {source} "
                f"on t.record_id = r.id where r.duplicate_of is not null and {where} group by 1",
                params,
            )
            for k, n in dups:
                counts[k] -= n
        return counts

    def _duplicates_in(self, source: str) -> bool:
        """Whether any duplicate has a row in the table (rarely: they are not screened).
        Screening rows come from decisions and resolutions, which are looked up by record."""
        table = source.split()[0]
        tables = ("decisions", "resolutions") if table in ("screening", "decisions") else (table,)
        memo = ("duplicates in", tables)
        if memo not in self._memo:
            self._memo[memo] = any(
                self.store.db.execute(
                    f"select exists (select 1 from records r cross join {name} t "
                    "on t.record_id = r.id where r.duplicate_of is not null)"
                ).fetchone()[0]
                for name in tables
            )
        return self._memo[memo]

    # the facets

    def _screening_counts(self, skip: tuple[str, ...]) -> dict[str, int]:
        """Final decisions, maybes, conflicts and decided records over a facet's base:
        three index-only counts, cheaper than one pass over the table's wider rows."""
        stage = [self.f.stage]
        finals = self._grouped(skip, "t.final", "screening t", "t.stage = ?", stage)
        maybe = self._grouped(skip, "1", _MAYBES, "t.stage = ? and t.maybes > 0", stage)
        conflict = self._grouped(skip, "1", "screening t", "t.stage = ? and t.conflict = 1", stage)
        return {
            "include": finals.get("include", 0),
            "exclude": finals.get("exclude", 0),
            "maybe": maybe.get(1, 0),
            "conflict": conflict.get(1, 0),
            "decided": sum(finals.values()),  # records in conflict (final null) too
        }

    def _decision_counts(self) -> dict[str, int]:
        skip = _FACET_SKIPS["decision"]
        if self.f.perspective:
            counts = self._grouped(
                skip,
                "t.decision",
                "decisions t",
                "t.stage = ? and t.reviewer = ?",
                [self.f.stage, self.f.perspective],
            )
            decided = sum(counts.values())
        else:
            counts = self._screening_counts(skip)
            decided = counts["decided"]
        out = {opt: counts.get(opt, 0) for opt in DECISION_OPTIONS}
        out["undecided"] = self._size(skip) - decided
        return out

    def _conflict_counts(self) -> dict[str, int]:
        skip = _FACET_SKIPS["conflict"]
        conflict = self._screening_counts(skip)["conflict"]
        return {"conflict": conflict, "no_conflict": self._size(skip) - conflict}

    def _reason_counts(self) -> dict[str, int]:
        skip = _FACET_SKIPS["reason"]
        if self.f.perspective:
            found = self._grouped(
                skip,
                "t.reason",
                "decisions t",
                "t.stage = ? and t.reviewer = ? and t.reason != ''",
                [self.f.stage, self.f.perspective],
            )
        else:
            found = self._grouped(
                skip, "t.reason", "screening t", "t.stage = ? and t.reason != ''", [self.f.stage]
            )
        counts = {reason: 0 for reason in self.reasons}
        counts.update(found)
        return counts

    def _tag_counts(self) -> dict[str, int]:
        counts = {r[0]: 0 for r in self.store.db.execute("select distinct tag from record_tags")}
        counts.update(self._grouped(_FACET_SKIPS["tag"], "t.tag", "record_tags t", "1", []))
        return dict(sorted(counts.items(), key=lambda kv: kv[0].casefold()))

    def _reviewer_counts(self) -> dict[str, int]:
        found = self._grouped(
            _FACET_SKIPS["reviewer"], "t.reviewer", "decisions t", "t.stage = ?", [self.f.stage]
        )
        return dict(sorted(found.items()))

