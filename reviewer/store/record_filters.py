"""The record list's filters as SQL: each chosen filter's set of records, the list's
ids (or its first page) and the count of every option beside it.

``reviewer.review.filters`` says what the options mean and is what the window, the
export and the command line call; this module is how they are worked out over the
indexed tables (``screening`` holds each record's final decision per stage). See
``Counter`` for how counts stay index scans at 1,000,000 records.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from reviewer.domain import STAGES
from reviewer.domain.screening import check_stage
from reviewer.store.screening import (
    DUPLICATE_IDS,
    count_at_stage,
    id_list,
    records_at_stage,
    stage_condition,
    stage_ids_sql,
)
from reviewer.store.store import Store, fts_query

DECISION_OPTIONS = ("include", "exclude", "maybe", "undecided")
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


@dataclass(frozen=True)
class Filter:
    stage: str = "title_abstract"
    decision: str | None = None
    conflict: bool | None = None
    reason: str | None = None
    tag: str | None = None
    reviewer: str | None = None
    search: str = ""
    viewer: str | None = None

    @property
    def perspective(self) -> str | None:
        """Whose decisions and reasons the decision and reason filters read."""
        return self.reviewer or self.viewer



class Clause(NamedTuple):
    """One active filter as a set of record ids: ``select ... as id``, or its complement."""

    sql: str
    params: list[Any]
    negate: bool = False

    def on(self, col: str) -> tuple[str, list[Any]]:
        """The filter as a condition on the record-id column ``col``."""
        return f"{col} {'not in' if self.negate else 'in'} ({self.sql})", self.params


# -- the filters as sets of ids ------------------------------------------------------------


def _clauses(f: Filter) -> dict[str, Clause]:
    """Each active filter, by facet name (and ``search``), most selective first."""
    check_stage(f.stage)
    out: dict[str, Clause] = {}
    if f.tag:
        out["tag"] = Clause("select record_id as id from record_tags where tag = ?", [f.tag])
    if f.conflict is not None:
        out["conflict"] = Clause(
            "select record_id as id from screening where stage = ? and conflict = 1",
            [f.stage],
            negate=not f.conflict,
        )
    if f.decision is not None:
        out["decision"] = _decision_clause(f)
    if f.reason:
        out["reason"] = _reason_clause(f)
    if f.reviewer and f.decision is None:
        out["reviewer"] = Clause(
            "select record_id as id from decisions where stage = ? and reviewer = ?",
            [f.stage, f.reviewer],
        )
    if f.search.strip():
        out["search"] = _search_clause(f.search)
    return out


def _decision_clause(f: Filter) -> Clause:
    if f.decision not in DECISION_OPTIONS:
        raise ValueError(f"unknown decision {f.decision!r}; options: {DECISION_OPTIONS}")
    if f.perspective:
        mine = "select record_id as id from decisions where stage = ? and reviewer = ?"
        if f.decision == "undecided":
            return Clause(mine, [f.stage, f.perspective], negate=True)
        return Clause(f"{mine} and decision = ?", [f.stage, f.perspective, f.decision])
    final = "select record_id as id from screening where stage = ?"
    if f.decision == "undecided":
        return Clause(final, [f.stage], negate=True)
    if f.decision == "maybe":
        return Clause(f"{final} and maybes > 0", [f.stage])
    return Clause(f"{final} and final = ?", [f.stage, f.decision])


def _reason_clause(f: Filter) -> Clause:
    if f.perspective:
        return Clause(
            "select record_id as id from decisions where stage = ? and reason = ? and reviewer = ?",
            [f.stage, f.reason, f.perspective],
        )
    return Clause(
        "select record_id as id from screening where stage = ? and reason = ?", [f.stage, f.reason]
    )


def _search_clause(text: str) -> Clause:
    """Words in the record (title, authors, text) or in its attached full text.

    The counter runs it as two inserts into one table rather than as this union,
    which would sort 100,000 ids to drop repeats."""
    query = fts_query(text)
    if not query:
        return Clause("select 0 as id where 0", [])  # only punctuation: nothing matches
    return Clause(
        "select rowid as id from records_fts where records_fts match ? "
        "union select rowid from fulltexts_fts where fulltexts_fts match ?",
        [query, query],
    )


# -- counting ---------------------------------------------------------------------------------

_TEMP = "temp.reviewer_filter"
# A set of records drives the count queries over it when it is smaller than this share
# of the stage (or this many records): see Counter._count.
_DRIVE_SHARE = 0.1
_DRIVE_MIN = 1000
# SQLite, without statistics, would scan the stage's rows rather than this small index
_MAYBES = "screening t indexed by screening_maybe"


@dataclass
class _Base:
    """Records at the stage that are in every ``pos`` table and in no ``neg`` table
    (temp tables of ids, each already limited to the stage)."""

    pos: list[str]
    neg: list[str]

    def cond(self, col: str) -> str:
        """SQL on a record-id column; "+" keeps SQLite from looking rows up once per id
        of a large set (the caller joins from a small one instead)."""
        parts = [f"+{col} in (select id from {table})" for table in self.pos]
        parts += [f"+{col} not in (select id from {table})" for table in self.neg]
        return " and ".join(parts)


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
        self.clauses = _clauses(f)
        self._tables: dict[str, str] = {}  # facet name -> temp table of its (positive) set
        self._sizes: dict[str, int] = {}  # temp table -> how many ids
        self._unions: dict[tuple[str, ...], str] = {}
        self._memo: dict[Any, Any] = {}

    # the sets, as temporary tables

    def _temp(self, name: str) -> str:
        table = f"{_TEMP}_{name}"
        self.store.db.execute(f"create table if not exists {table} (id integer primary key)")
        self.store.db.execute(f"delete from {table}")
        return table

    def _clause_table(self, name: str) -> str:
        if name not in self._tables:
            clause = self.clauses[name]
            table = self._temp(name)
            if name == "search" and clause.params:
                for fts in ("records_fts", "fulltexts_fts"):
                    self.store.db.execute(
                        f"insert or ignore into {table} select rowid from {fts} "
                        f"where {fts} match ?",
                        clause.params[:1],
                    )
            else:
                self.store.db.execute(
                    f"insert or ignore into {table} select id from ({clause.sql})", clause.params
                )
            self._limit_to_stage(table)
            self._tables[name] = table
        return self._tables[name]

    def _limit_to_stage(self, table: str) -> None:
        if self.f.stage == STAGES[0]:  # only duplicates to drop, found from their index
            dups = self._duplicates()
            self.store.db.execute(f"delete from {table} where id in (select id from {dups})")
        else:
            cond = stage_condition(self.f.stage, "id")
            self.store.db.execute(f"delete from {table} where not ({cond})")
        self._note_size(table)

    def _duplicates(self) -> str:
        """A temporary table of the duplicates' ids, kept on the connection while the
        review's duplicates stay the same: listing them for each filter change cost
        50 ms at 1,000,000 records (50,000 duplicates); probing this table costs nothing."""
        table = f"{_TEMP}_duplicates"
        db = self.store.db
        key = tuple(
            db.execute(
                "select count(*), coalesce(max(id), 0), coalesce(sum(id), 0), "
                "coalesce(sum(id * id), 0) from records where duplicate_of is not null"
            ).fetchone()
        )
        # kept on the store object, whose connection holds the table
        if getattr(self.store, "_filter_duplicates", None) != key:
            db.execute(f"create table if not exists {table} (id integer primary key)")
            db.execute(f"delete from {table}")
            db.execute(f"insert into {table} {DUPLICATE_IDS}")
            self.store._filter_duplicates = key  # type: ignore[attr-defined]
        return table

    def _note_size(self, table: str) -> None:
        self._sizes[table] = self.store.db.execute(f"select count(*) from {table}").fetchone()[0]

    def _base(self, skip: tuple[str, ...]) -> _Base:
        active = [n for n in self.clauses if n not in skip]
        pos = [self._clause_table(n) for n in active if not self.clauses[n].negate]
        neg = [self._clause_table(n) for n in active if self.clauses[n].negate]
        if len(neg) > 1:
            neg = [self._union(tuple(neg))]
        return _Base(pos, neg)

    def _union(self, tables: tuple[str, ...]) -> str:
        if tables not in self._unions:
            union = self._temp(f"union_{len(self._unions)}")
            for table in tables:
                self.store.db.execute(f"insert or ignore into {union} select id from {table}")
            self._note_size(union)
            self._unions[tables] = union
        return self._unions[tables]

    # the results

    def ids(self, limit: int | None = None) -> list[int]:
        if limit is not None and all(c.negate for c in self.clauses.values()):
            return self._first_outside(limit)
        base = self._base(())
        if base.pos:
            driver = min(base.pos, key=lambda t: self._sizes[t])
            rest = _Base([t for t in base.pos if t != driver], base.neg)
            where = rest.cond("id") or "1"
            return self._first(f"select id from {driver} where {where}", limit)
        if limit is not None:  # in id order, stopping after ``limit``: no set is built
            outside = f"+id not in (select id from {base.neg[0]})" if base.neg else "1"
            if self.f.stage == STAGES[0]:
                dups = self._duplicates()
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
        table = self._temp("among")
        db.execute(
            f"insert or ignore into {table} select value from json_each(?) "
            "where value in (select id from records)",  # a look-up per id
            [json.dumps([int(i) for i in candidates])],
        )
        parts = [f"r.id not in (select id from {self._duplicates()})"]
        for earlier in STAGES[: STAGES.index(self.f.stage)]:
            parts.append(  # stage names come from STAGES, never from input
                f"exists (select 1 from screening s where s.stage = '{earlier}' "
                "and s.record_id = r.id and s.final = 'include')"
            )
        params: list[Any] = []
        for name, clause in self.clauses.items():
            if name == "search":  # a union of two full-text matches: listed once
                parts.append(f"r.id in (select id from {self._clause_table(name)})")
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
            parts.append(f"r.id not in (select id from {self._duplicates()})")
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
            self._memo[("size", active)] = self._size_now(self._base(skip))
        return self._memo[("size", active)]

    def _size_now(self, base: _Base) -> int:
        if not base.pos:
            stage = count_at_stage(self.store, self.f.stage)
            return stage - (self._sizes[base.neg[0]] if base.neg else 0)
        driver = min(base.pos, key=lambda t: self._sizes[t])
        rest = _Base([t for t in base.pos if t != driver], base.neg)
        if not rest.pos and not rest.neg:
            return self._sizes[driver]
        sql = f"select count(*) from {driver} where {rest.cond('id')}"
        return self.store.db.execute(sql).fetchone()[0]

    def _grouped(
        self, skip: tuple[str, ...], key: str, source: str, where: str, params: list[Any]
    ) -> dict[Any, int]:
        """``select key, count(*) from source where ... group by key`` over the base of
        a facet (the filter less ``skip``); ``source`` is a table aliased ``t``."""
        memo = (tuple(n for n in self.clauses if n not in skip), key, source, where, tuple(params))
        if memo not in self._memo:
            self._memo[memo] = self._grouped_now(self._base(skip), key, source, where, params)
        return self._memo[memo]

    def _grouped_now(
        self, base: _Base, key: str, source: str, where: str, params: list[Any]
    ) -> dict[Any, int]:
        if base.pos:
            return self._count(key, source, where, params, base)
        whole = self._whole_stage(key, source, where, params)
        if base.neg:  # everything but a set: the whole stage less the set
            for k, n in self._count(key, source, where, params, _Base(base.neg, [])).items():
                whole[k] -= n
        return {k: n for k, n in whole.items() if n}

    def _count(
        self, key: str, source: str, where: str, params: list[Any], base: _Base | None = None
    ) -> dict[Any, int]:
        """Counts over ``source`` rows of the records in ``base`` (all rows without one).
        A small set drives the query, looking its records' rows up by id; otherwise
        the table's index is scanned and each row's id probed in the sets."""
        frm, cond = source, "1"
        if base:
            driver = min(base.pos, key=lambda t: self._sizes[t])
            if self._sizes[driver] < self._drive_below():
                frm = f"{driver} b cross join {source} on t.record_id = b.id"
                base = _Base([t for t in base.pos if t != driver], base.neg)
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

