"""The record list's chosen filters as sets of record ids: each filter as SQL
(``Clause``), and worked out once into a temporary table of ids limited to the stage
(``FilterSets``), which ``reviewer.store.record_filters.Counter`` counts over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from reviewer.domain import STAGES
from reviewer.domain.screening import check_stage
from reviewer.store.screening import DUPLICATE_IDS, stage_condition
from reviewer.store.store import Store, fts_query

DECISION_OPTIONS = ("include", "exclude", "maybe", "undecided")
_TEMP = "temp.reviewer_filter"


@dataclass(frozen=True)
class Filter:
    """What the record list is filtered by: a stage and a choice in each facet."""

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


def clauses(f: Filter) -> dict[str, Clause]:
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


# -- the sets as temporary tables -----------------------------------------------------


@dataclass
class Base:
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


class FilterSets:
    """Each chosen filter's set of records (a search, "Bob's decisions" ...) as a
    temporary table of ids limited to the stage, worked out once and probed by id."""

    def __init__(self, store: Store, f: Filter) -> None:
        self.store = store
        self.f = f
        self.clauses = clauses(f)
        self._tables: dict[str, str] = {}  # facet name -> temp table of its (positive) set
        self.sizes: dict[str, int] = {}  # temp table -> how many ids
        self._unions: dict[tuple[str, ...], str] = {}

    def temp(self, name: str) -> str:
        """An empty temporary table of ids named for ``name``."""
        table = f"{_TEMP}_{name}"
        self.store.db.execute(f"create table if not exists {table} (id integer primary key)")
        self.store.db.execute(f"delete from {table}")
        return table

    def table(self, name: str) -> str:
        """The temporary table of facet ``name``'s set (the ids its clause selects, or
        those it leaves out when negated), filled the first time it is asked for."""
        if name not in self._tables:
            clause = self.clauses[name]
            table = self.temp(name)
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
            dups = self.duplicates()
            self.store.db.execute(f"delete from {table} where id in (select id from {dups})")
        else:
            cond = stage_condition(self.f.stage, "id")
            self.store.db.execute(f"delete from {table} where not ({cond})")
        self._note_size(table)

    def duplicates(self) -> str:
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
        self.sizes[table] = self.store.db.execute(f"select count(*) from {table}").fetchone()[0]

    def base(self, skip: tuple[str, ...]) -> Base:
        """The sets of the filter less the facets in ``skip``."""
        active = [n for n in self.clauses if n not in skip]
        pos = [self.table(n) for n in active if not self.clauses[n].negate]
        neg = [self.table(n) for n in active if self.clauses[n].negate]
        if len(neg) > 1:
            neg = [self._union(tuple(neg))]
        return Base(pos, neg)

    def _union(self, tables: tuple[str, ...]) -> str:
        if tables not in self._unions:
            union = self.temp(f"union_{len(self._unions)}")
            for table in tables:
                self.store.db.execute(f"insert or ignore into {union} select id from {table}")
            self._note_size(union)
            self._unions[tables] = union
        return self._unions[tables]
