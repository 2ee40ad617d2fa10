"""``reviewer check``: is the review file sound, and is its state what its log says?

Three checks, each naming what it finds:

* SQLite's own ``pragma integrity_check``;
* the full-text indexes agree with the rows they index (every record indexed once,
  nothing indexed that is not a record, and FTS5's ``integrity-check`` of the index
  against its content);
* the current state rebuilt from the event log, by replaying every event through the
  same ``reviewer.store.apply`` the live edits use into a scratch copy of the file,
  equals the stored state: decisions, resolutions, field values, result cells, tags,
  notes and highlights, settings and merge conflicts. A difference names the table,
  the record and the field.

What the log does not carry is not compared: the records themselves, the sources,
suggestions, full texts, duplicates found on import. Where a record's text was
replaced, its spans were re-anchored without events, so for such records the
positions of highlights and value provenance are not compared (their values are).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from reviewer.domain import Event
from reviewer.domain.events import EventKind, state_keys
from reviewer.store.apply import apply
from reviewer.store.store import Store


class Table(NamedTuple):
    """A current-state table and how its rows are compared."""

    name: str
    key: tuple[str, ...]  # the columns naming a row
    fields: tuple[str, ...]  # the columns compared
    where: str = ""  # rows of the table that are state (``review_meta``: the settings)
    positions: tuple[str, ...] = ()  # fields not compared for records whose text changed
    state: str = ""  # the kind of state key its rows are (``reviewer.domain.events``)
    stamps: tuple[str, ...] = ()  # who and when: see ``_stamped``


_WHO_WHEN = ("reviewer", "time")

TABLES = (
    Table("decisions", ("record_id", "stage", "reviewer"), ("decision", "reason", "note", "time"),
          state="decision", stamps=("time",)),
    Table("resolutions", ("record_id", "stage"),
          ("decision", "reason", "note", "resolver", "time"),
          state="resolution", stamps=("resolver", "time")),
    Table("field_values", ("record_id", "field"), ("value", "reviewer", "time", "provenance"),
          positions=("provenance",), state="value", stamps=_WHO_WHEN),
    Table("result_cells", ("record_id", "item", "field"),
          ("value", "reviewer", "time", "provenance"), positions=("provenance",),
          state="result", stamps=_WHO_WHEN),
    Table("record_tags", ("record_id", "tag"), ("reviewer", "time"), state="tag",
          stamps=_WHO_WHEN),
    # by who made them and when, not by id: a highlight merged from another copy takes
    # a new id here, which a replay of the log need not give it again
    Table("highlights", ("record_id", "reviewer", "time", "field"),
          ("start", "end", "quote", "prefix", "suffix", "page", "note"),
          positions=("start", "end", "quote", "prefix", "suffix", "page")),
    Table("review_meta", ("key",), ("value",), where="key like 'setting.%'"),
    Table("merge_conflicts", ("id",),
          ("key", "record_id", "kept", "other", "source", "reviewer", "time", "settled_by",
           "settled_at", "choice")),
)  # fmt: skip


@dataclass
class Difference:
    """One row, or one field of a row, where the stored state and the log disagree."""

    table: str
    key: dict[str, Any]  # the row's key columns
    field: str  # the column that differs, or "(row)" when the row is on one side only
    stored: Any
    rebuilt: Any

    @property
    def record_id(self) -> int | None:
        return self.key.get("record_id")

    def describe(self) -> str:
        key = ", ".join(f"{k}={v}" for k, v in self.key.items())
        if self.field == "(row)":
            where = "stored but not in the log" if self.rebuilt is None else "in the log only"
            return f"{self.table} [{key}]: row {where}"
        return (
            f"{self.table} [{key}] {self.field}: stored {self.stored!r}, "
            f"the log gives {self.rebuilt!r}"
        )


@dataclass
class CheckReport:
    path: str
    integrity: list[str] = field(default_factory=list)  # "ok" when sound
    fts: list[str] = field(default_factory=list)  # disagreements of the full-text indexes
    differences: list[Difference] = field(default_factory=list)
    events: int = 0  # events replayed
    not_compared: list[int] = field(default_factory=list)  # records whose text was replaced

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.fts and not self.differences

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["ok"] = self.ok
        out["differences"] = [{**asdict(d), "record_id": d.record_id} for d in self.differences]
        return out

    def lines(self) -> Iterator[str]:
        """What a person reads: one line per problem, or that all agree."""
        if self.integrity != ["ok"]:
            yield from (f"integrity: {line}" for line in self.integrity)
        yield from (f"full-text index: {line}" for line in self.fts)
        yield from (d.describe() for d in self.differences)
        if self.ok:
            yield (f"{self.path}: sound; the state agrees with the {self.events} events of its log")


Progress = Callable[[int, int], None]


def check_review(store: Store, progress: Progress | None = None) -> CheckReport:
    """Check ``store`` (see the module docs); nothing in it is changed."""
    report = CheckReport(str(store.path))
    conn = store.db.conn
    report.integrity = [r[0] for r in conn.execute("pragma integrity_check")]
    report.fts = list(_fts_problems(conn))
    with tempfile.TemporaryDirectory(prefix="reviewer-check-") as tmp:
        scratch = sqlite3.connect(Path(tmp) / "rebuilt.sqlite", isolation_level=None)
        try:
            conn.backup(scratch)
            report.events, times = _rebuild(scratch, progress)
            replaced = _text_replaced(conn)
            report.not_compared = sorted(replaced)
            for table in TABLES:
                report.differences.extend(_compare(conn, scratch, table, replaced, times))
        finally:
            scratch.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return report


# -- full-text indexes ---------------------------------------------------------------------

_FTS = (("records_fts", "records", "id"), ("fulltexts_fts", "fulltexts", "record_id"))


def _fts_problems(conn: sqlite3.Connection) -> Iterator[str]:
    for fts, content, rowid in _FTS:
        exists = conn.execute(
            "select 1 from sqlite_master where name = ?", [f"{fts}_docsize"]
        ).fetchone()
        if not exists:
            continue
        indexed = {r[0] for r in conn.execute(f"select id from {fts}_docsize")}
        rows = {r[0] for r in conn.execute(f"select {rowid} from {content}")}
        for rid in sorted(rows - indexed)[:20]:
            yield f"{content} row {rid} is not in {fts}"
        for rid in sorted(indexed - rows)[:20]:
            yield f"{fts} indexes {rid}, which is not a row of {content}"
        if rows == indexed:
            problem = _fts5_integrity(conn, fts)
            if problem:
                yield f"{fts} does not match {content}: {problem}"


def _fts5_integrity(conn: sqlite3.Connection, fts: str) -> str:
    """FTS5's own check of the index against its content (it writes nothing)."""
    try:
        conn.execute(f"insert into {fts}({fts}, rank) values ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            return ""  # a read-only review: the row comparison above has to do
        return str(exc)
    return ""


# -- the state rebuilt from the log --------------------------------------------------------


Times = dict[tuple, set[tuple[str, str]]]  # per state key: (who, when) of its events


def _rebuild(scratch: sqlite3.Connection, progress: Progress | None) -> tuple[int, Times]:
    """Empty the state tables of the scratch copy and replay the whole log into them;
    return how many events were replayed and, per state key, the times its events
    gave it."""
    total = scratch.execute("select count(*) from events").fetchone()[0]
    scratch.execute("begin")
    for table in TABLES:
        if _has_table(scratch, table.name):
            scratch.execute(f"delete from {table.name} where {table.where or '1'}")
    rows = scratch.execute(
        "select id, time, reviewer, kind, record_id, payload from events order by seq"
    ).fetchall()
    times: Times = {}
    for n, (eid, time, who, kind, rid, payload) in enumerate(rows, 1):
        event = Event(id=eid, time=time, reviewer=who, kind=kind, record_id=rid,
                      payload=json.loads(payload))  # fmt: skip
        apply(scratch, event)
        when = event.payload.get("time") or time
        for key in state_keys(kind, rid, who, event.payload):
            times.setdefault(_norm(key), set()).add((who, when))
        if progress is not None and n % 1000 == 0:
            progress(n, total)
    scratch.execute("commit")
    return len(rows), times


def _norm(key: tuple) -> tuple:
    """A state key as the table's row names it (tags compare without case)."""
    return (*key[:-1], key[-1].casefold()) if key[0] == "tag" else tuple(key)


def _text_replaced(conn: sqlite3.Connection) -> set[int]:
    rows = conn.execute(
        "select distinct record_id from events where kind = ?", [EventKind.RECORD_TEXT_REPLACE]
    )
    return {r[0] for r in rows}


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where name = ?", [name]).fetchone() is not None


def _rows(conn: sqlite3.Connection, table: Table) -> dict[tuple, tuple]:
    if not _has_table(conn, table.name):
        return {}
    cols = ", ".join(f'"{c}"' for c in (*table.key, *table.fields))
    sql = f"select {cols} from {table.name} where {table.where or '1'}"
    n = len(table.key)
    return {tuple(r[:n]): tuple(r[n:]) for r in conn.execute(sql)}


def _stamped(table: Table, key: tuple, stored: tuple, differ: list[str], times: Times) -> bool:
    """Whether only who and when differ, and the stored time is one the log gave this
    piece of state: a merge that finds both copies made the same change (or a state
    the same but for its author and time) keeps this copy's, as it should."""
    if not table.stamps or not set(differ) <= set(table.stamps):
        return False
    seen = times.get(_norm((table.state, *key)), set())
    stamp = tuple(stored[table.fields.index(f)] for f in table.stamps)
    if len(stamp) == 1:  # the key names who (a reviewer's decision): when is enough
        return stamp[0] in {when for _who, when in seen}
    return stamp in seen


def _compare(
    stored_conn: sqlite3.Connection, rebuilt_conn: sqlite3.Connection, table: Table,
    replaced: set[int], times: Times,
) -> Iterator[Difference]:  # fmt: skip
    stored, rebuilt = _rows(stored_conn, table), _rows(rebuilt_conn, table)
    for key in sorted(stored.keys() | rebuilt.keys(), key=repr):
        named = dict(zip(table.key, key, strict=True))
        mine, theirs = stored.get(key), rebuilt.get(key)
        if mine is None or theirs is None:
            yield Difference(table.name, named, "(row)", mine, theirs)
            continue
        record = named.get("record_id")
        if record is None and "record_id" in table.fields:
            record = mine[table.fields.index("record_id")]
        differ = [
            name
            for name, a, b in zip(table.fields, mine, theirs, strict=True)
            if a != b and not (record in replaced and name in table.positions)
        ]
        if differ and _stamped(table, key, mine, differ, times):
            continue
        for name in differ:
            i = table.fields.index(name)
            yield Difference(table.name, named, name, mine[i], theirs[i])
