"""``reviewer check``: is the review file sound, and is its state what its log says?

Three checks, each naming what it finds:

* SQLite's own ``pragma integrity_check``;
* the full-text indexes agree with the rows they index (every record indexed once,
  nothing indexed that is not a record, and FTS5's ``integrity-check`` of the index
  against its content);
* the current state rebuilt from the event log, by replaying every event through the
  same ``reviewer.store.apply`` the live edits use into a scratch copy of the file,
  equals the stored state: decisions, resolutions, field values, result cells, tags,
  notes and highlights (where re-anchoring moved them too), orphaned spans, settings,
  merge conflicts, duplicate groups and the verdicts on duplicate candidates, and full
  texts (by the hash of their words). A difference names the table, the record and
  the field.

What the log does not carry is not compared: the records themselves, the sources and
suggestions. Duplicates found on import are not logged (an import of 100,000 records
would log as many merges; see the README), so for ``duplicate_of`` the log is
replayed from the state before its first event for each record it names: a merge,
unmerge or confirmed candidate whose state is not what the log gives is found; a
record no event names keeps what the import gave it. Candidates are all replayed from
"pending" (the state import leaves them in), so a verdict without its event is found.
Re-anchoring after a record's text was replaced is replayed from its event where the
text was replaced in this copy (a merged copy's log holds the other copy's replacements
too, which moved nothing here: see ``_here``); records whose text was replaced before
re-anchoring was logged (older files), or only elsewhere, have the positions of their
spans and their orphans left out of the comparison (``not_compared``).

It runs in bounded memory: the log is read in batches, each table is compared by
walking the stored and the rebuilt rows side by side in key order, and what the log
says about who changed a piece of state and when is kept in the scratch file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from reviewer.domain import Event
from reviewer.domain.events import EventKind, state_keys
from reviewer.store.apply import apply
from reviewer.store.projection import ORPHAN_COLUMNS
from reviewer.store.store import Store

K = EventKind


class Table(NamedTuple):
    """A current-state table and how its rows are compared."""

    name: str
    key: tuple[str, ...]  # the columns naming a row
    fields: tuple[str, ...]  # the columns compared
    where: str = ""  # rows of the table that are state (``review_meta``: the settings)
    positions: tuple[str, ...] = ()  # fields not compared for records re-anchored unlogged
    state: str = ""  # the kind of state key its rows are (``reviewer.domain.events``)
    stamps: tuple[str, ...] = ()  # who and when: see ``_stamped``
    reset: str | None = None  # emptying it before the replay (``None``: delete its rows)
    whole_rows: bool = False  # rows of records re-anchored unlogged are not compared at all


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
    # import's merges are the starting point (see the module docs): ``_reset_local``
    Table("records", ("id",), ("duplicate_of",), state="duplicate_of", reset=""),
    # not when it was decided: before the verdict was the event's, the row took a
    # moment of its own
    Table("duplicate_candidates", ("record_id", "candidate_of"), ("status", "reviewer"),
          state="candidate",
          reset="update duplicate_candidates set status = 'pending', reviewer = '', "
                "decided_at = null where status != 'pending'"),
    Table("anchor_orphans", ("id",), tuple(c for c in ORPHAN_COLUMNS if c != "id"),
          reset="", whole_rows=True),
)  # fmt: skip

MAX_DIFFERENCES = 1000  # named one by one; beyond, only counted


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
        if self.table in ("records", "fulltexts"):
            return self.key.get("id", self.key.get("record_id"))
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
    differences: list[Difference] = field(default_factory=list)  # the first MAX_DIFFERENCES
    more_differences: int = 0  # found beyond those
    events: int = 0  # events replayed
    not_compared: list[int] = field(default_factory=list)  # records re-anchored unlogged

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.fts and not self.differences

    def add(self, differences: Iterable[Difference]) -> None:
        for d in differences:
            if len(self.differences) < MAX_DIFFERENCES:
                self.differences.append(d)
            else:
                self.more_differences += 1

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
        if self.more_differences:
            yield f"... and {self.more_differences} more differences"
        if self.ok:
            yield (f"{self.path}: sound; the state agrees with the {self.events} events of its log")


Progress = Callable[[int, int], None]

BATCH = 2000  # events read from the log at a time


def check_review(store: Store, progress: Progress | None = None) -> CheckReport:
    """Check ``store`` (see the module docs); nothing in it is changed. ``progress`` is
    told (events replayed, events in all) as the log is replayed."""
    report = CheckReport(str(store.path))
    conn = store.db.conn
    report.integrity = [r[0] for r in conn.execute("pragma integrity_check")]
    report.fts = list(_fts_problems(conn))
    with tempfile.TemporaryDirectory(prefix="reviewer-check-") as tmp:
        scratch = sqlite3.connect(Path(tmp) / "rebuilt.sqlite", isolation_level=None)
        try:
            conn.backup(scratch)
            scratch.execute("pragma journal_mode = off")
            scratch.execute("pragma synchronous = off")
            scratch.execute("pragma cache_size = -65536")  # 64 MB at most
            report.events, legacy = _rebuild(scratch, progress)
            report.not_compared = sorted(legacy)
            for table in TABLES:
                report.add(_compare(conn, scratch, table, legacy))
            report.add(_compare_fulltexts(conn, scratch))
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
        missing = [r[0] for r in conn.execute(
            f"select {rowid} from {content} except select id from {fts}_docsize "
            "order by 1 limit 20")]  # fmt: skip
        extra = [r[0] for r in conn.execute(
            f"select id from {fts}_docsize except select {rowid} from {content} "
            "order by 1 limit 20")]  # fmt: skip
        for rid in missing:
            yield f"{content} row {rid} is not in {fts}"
        for rid in extra:
            yield f"{fts} indexes {rid}, which is not a row of {content}"
        if not missing and not extra:
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

_LOCAL_KINDS = (
    K.DUPLICATE_CONFIRM, K.DUPLICATE_UNMERGE, K.RECORD_TEXT_REPLACE, K.ORPHAN_REATTACH,
    K.ORPHAN_DISMISS,
)  # fmt: skip


def _rebuild(scratch: sqlite3.Connection, progress: Progress | None) -> tuple[int, set[int]]:
    """Empty the state tables of the scratch copy and replay the whole log into them,
    noting who changed each piece of state and when (``check_times``) and which full
    texts the log attached (``check_fulltexts``); return how many events were replayed
    and the records whose text was replaced before re-anchoring was logged."""
    total = scratch.execute("select count(*) from events").fetchone()[0]
    scratch.execute("begin")
    scratch.execute("create table check_times (key text not null, who text, time text)")
    scratch.execute(
        "create table check_fulltexts (record_id integer, sha256 text, path text, pages "
        "integer, text_sha256 text)"
    )
    legacy, skip = _reset_local(scratch)
    for table in TABLES:
        if _has_table(scratch, table.name) and table.reset != "":
            scratch.execute(table.reset or f"delete from {table.name} where {table.where or '1'}")
    cursor = scratch.execute(
        "select id, time, reviewer, kind, record_id, payload from events order by seq"
    )
    n = 0
    while rows := cursor.fetchmany(BATCH):
        times: list[tuple[str, str, str]] = []
        for eid, time, who, kind, rid, payload in rows:
            event = Event(id=eid, time=time, reviewer=who, kind=kind, record_id=rid,
                          payload=json.loads(payload))  # fmt: skip
            if eid not in skip:
                apply(scratch, event)
            when = event.payload.get("time") or time
            for key in state_keys(kind, rid, who, event.payload):
                times.append((_key_text(key), who, when))
            _note_fulltext(scratch, event)
        scratch.executemany("insert into check_times values (?, ?, ?)", times)
        n += len(rows)
        if progress is not None:
            progress(n, total)
    scratch.execute("create index check_times_key on check_times(key)")
    scratch.execute("create index check_fulltexts_record on check_fulltexts(record_id, sha256)")
    scratch.execute("commit")
    return n, legacy


def _reset_local(scratch: sqlite3.Connection) -> tuple[set[int], set[str]]:
    """Put the state that import and re-anchoring start from back before their events:
    each record a duplicate event names gets the ``duplicate_of`` it had before its
    first such event, orphans made by logged re-anchoring go and those reattached or
    dismissed are open again. Returns the records re-anchored before that was logged,
    and the events not to replay: re-anchoring done in another copy (see ``_here``)."""
    marks = ", ".join("?" for _ in _LOCAL_KINDS)
    rows = scratch.execute(
        f"select id, kind, record_id, payload from events where kind in ({marks}) order by seq",
        list(_LOCAL_KINDS),
    )
    first: dict[int, int | None] = {}
    replaced: list[tuple[str, int, dict[str, Any]]] = []
    orphan_events: list[tuple[str, int, int]] = []
    for eid, kind, rid, raw in rows:
        p = json.loads(raw)
        if kind == K.DUPLICATE_CONFIRM:
            for moved, before in p.get("before", {}).items():
                first.setdefault(int(moved), before)
        elif kind == K.DUPLICATE_UNMERGE:
            first.setdefault(rid, p.get("before"))
        elif kind == K.RECORD_TEXT_REPLACE:
            p.pop("old_page_offsets", None)
            replaced.append((eid, rid, p))
        elif "orphan_id" in p:
            orphan_events.append((eid, rid, p["orphan_id"]))
    scratch.executemany(
        "update records set duplicate_of = ? where id = ?", [(v, k) for k, v in first.items()]
    )
    here, untouched = _here(scratch, replaced)
    legacy = {rid for eid, rid, p in replaced if eid in here and "reanchored" not in p}
    # a text replaced in another copy only, or changed here since without an event:
    # which moves are this copy's cannot be told, so its spans' positions are not compared
    legacy |= {rid for _eid, rid, _p in replaced} - untouched - {
        rid for eid, rid, _p in replaced if eid in here
    }
    made = {(o["id"], rid) for eid, rid, p in replaced if eid in here
            for o in p.get("reanchored", {}).get("orphans", [])}  # fmt: skip
    skip = {eid for eid, _rid, _p in replaced if eid not in here}
    reopened = []
    for eid, rid, oid in orphan_events:
        if (oid, rid) in made:
            reopened.append((oid,))
        elif rid not in legacy:
            skip.add(eid)  # an orphan of another copy (or of a file read from JSON)
    if _has_table(scratch, "anchor_orphans"):
        scratch.executemany("delete from anchor_orphans where id = ?", [(i,) for i, _r in made])
        scratch.executemany("update anchor_orphans set status = 'open' where id = ?", reopened)
    return legacy, skip


def _here(
    scratch: sqlite3.Connection, replaced: list[tuple[str, int, dict[str, Any]]]
) -> tuple[set[str], set[int]]:
    """The ``record.text_replace`` events that replaced a record's text in this copy.

    The log of a copy holds those of the copies merged into it too, whose texts did
    not change here (a record's text does not travel). This copy's are the chain that
    ends at the record's text as stored: the last event whose new text is the stored
    one, the last before it whose new text was that event's old one, and so on. Also
    returns the records whose text is still what one of those events replaced, and
    none of its events' new text: replaced elsewhere only."""
    by_record: dict[int, list[tuple[str, str, str]]] = {}
    for eid, rid, p in replaced:
        old = _hash(p.get("old_text") or "")
        by_record.setdefault(rid, []).append((eid, old, p.get("new_sha256", "")))
    here: set[str] = set()
    untouched: set[int] = set()
    for rid, events in by_record.items():
        row = scratch.execute("select text from records where id = ?", [rid]).fetchone()
        want = _hash(row[0] or "") if row else None
        if want not in {new for _e, _o, new in events} and want in {o for _e, o, _n in events}:
            untouched.add(rid)
            continue
        for eid, old, new in reversed(events):
            if new == want:
                here.add(eid)
                want = old
    return here, untouched


def _note_fulltext(scratch: sqlite3.Connection, event: Event) -> None:
    """A full text the log attached (its words stay where they were read, so ``apply``
    cannot write it): by the PDF's hash and, when the event has it, the words' hash."""
    p = event.payload
    if event.kind == K.FULLTEXT_ATTACH:
        states = [(event.record_id, p)]
    elif event.kind in (K.MERGE_CONFLICT, K.MERGE_SETTLE) and p.get("key", [""])[0] == "fulltext":
        # a merge kept this copy's full text, or a reviewer settled on one
        state = p.get("kept" if event.kind == K.MERGE_CONFLICT else "state")
        if not isinstance(state, dict):
            return
        text = state.get("text")
        states = [(p["key"][1], {**state, "text_sha256": None if text is None else _hash(text)})]
    else:
        return
    scratch.executemany(
        "insert into check_fulltexts values (?, ?, ?, ?, ?)",
        [(rid, s.get("sha256"), s.get("path"), s.get("pages"), s.get("text_sha256"))
         for rid, s in states],
    )  # fmt: skip


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _key_text(key: tuple) -> str:
    """A state key as the table's row names it (tags compare without case), as text."""
    if key[0] == "tag":
        key = (*key[:-1], str(key[-1]).casefold())
    return json.dumps(list(key), ensure_ascii=False)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where name = ?", [name]).fetchone() is not None


Row = tuple[tuple, tuple]  # (key, fields)


def _rows(conn: sqlite3.Connection, table: Table) -> Iterator[Row]:
    """The table's rows in key order (binary: the order ``_order`` gives in Python)."""
    if not _has_table(conn, table.name):
        return
    cols = ", ".join(f'"{c}"' for c in (*table.key, *table.fields))
    order = ", ".join(f'"{c}" collate binary' for c in table.key)
    sql = f"select {cols} from {table.name} where {table.where or '1'} order by {order}"
    n = len(table.key)
    cursor = conn.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        for r in batch:
            yield tuple(r[:n]), tuple(r[n:])


def _order(key: tuple) -> tuple:
    """A key as SQLite orders it: null, then numbers, then text, then blobs."""
    return tuple(
        (0, 0) if v is None else (1, v) if isinstance(v, int | float)
        else (2, v.encode()) if isinstance(v, str) else (3, v)
        for v in key
    )  # fmt: skip


def _side_by_side(a: Iterator[Row], b: Iterator[Row]) -> Iterator[tuple[tuple, Any, Any]]:
    """Two key-ordered row streams joined on their keys: (key, fields or None, fields or None)."""
    x, y = next(a, None), next(b, None)
    while x is not None or y is not None:
        if y is None or (x is not None and _order(x[0]) < _order(y[0])):
            yield x[0], x[1], None  # type: ignore[index]
            x = next(a, None)
        elif x is None or _order(y[0]) < _order(x[0]):
            yield y[0], None, y[1]
            y = next(b, None)
        else:
            yield x[0], x[1], y[1]
            x, y = next(a, None), next(b, None)


def _stamped(
    scratch: sqlite3.Connection, table: Table, key: tuple, stored: tuple, differ: list[str]
) -> bool:
    """Whether only who and when differ, and the stored time is one the log gave this
    piece of state: a merge that finds both copies made the same change (or a state
    the same but for its author and time) keeps this copy's, as it should."""
    if not table.stamps or not set(differ) <= set(table.stamps):
        return False
    seen = set(scratch.execute(
        "select who, time from check_times where key = ?", [_key_text((table.state, *key))]
    ).fetchall())  # fmt: skip
    stamp = tuple(stored[table.fields.index(f)] for f in table.stamps)
    if len(stamp) == 1:  # the key names who (a reviewer's decision): when is enough
        return stamp[0] in {when for _who, when in seen}
    return stamp in seen


def _compare(
    stored_conn: sqlite3.Connection, scratch: sqlite3.Connection, table: Table,
    legacy: set[int],
) -> Iterator[Difference]:  # fmt: skip
    for key, mine, theirs in _side_by_side(_rows(stored_conn, table), _rows(scratch, table)):
        named = dict(zip(table.key, key, strict=True))
        record = named.get("record_id")
        if record is None and "record_id" in table.fields:
            record = (mine or theirs)[table.fields.index("record_id")]
        if table.whole_rows and record in legacy:
            continue
        if mine is None or theirs is None:
            yield Difference(table.name, named, "(row)", mine, theirs)
            continue
        differ = [
            name
            for name, a, b in zip(table.fields, mine, theirs, strict=True)
            if a != b and not (record in legacy and name in table.positions)
        ]
        if differ and _stamped(scratch, table, key, mine, differ):
            continue
        for name in differ:
            i = table.fields.index(name)
            yield Difference(table.name, named, name, mine[i], theirs[i])


def _compare_fulltexts(
    stored_conn: sqlite3.Connection, scratch: sqlite3.Connection
) -> Iterator[Difference]:
    """Each stored full text is one the log attached to its record: the same PDF (its
    hash), path and pages, and the same words (their hash, where the event has it). A
    full text the log attached but not stored here is not a difference: a team sync
    brings the event, never the words."""
    if not _has_table(stored_conn, "fulltexts"):
        return
    cursor = stored_conn.execute(
        "select record_id, sha256, path, pages, text from fulltexts order by record_id"
    )
    while batch := cursor.fetchmany(100):
        for rid, sha, path, pages, text in batch:
            key = {"record_id": rid}
            logged = scratch.execute(
                "select path, pages, text_sha256 from check_fulltexts "
                "where record_id = ? and sha256 = ? order by rowid desc limit 1",
                [rid, sha],
            ).fetchone()
            if logged is None:
                yield Difference("fulltexts", key, "(row)", sha, None)
                continue
            if path != logged[0]:
                yield Difference("fulltexts", key, "path", path, logged[0])
            if pages != logged[1]:
                yield Difference("fulltexts", key, "pages", pages, logged[1])
            if logged[2] is not None and _hash(text) != logged[2]:
                yield Difference("fulltexts", key, "text", f"sha256 {_hash(text)}",
                                 f"sha256 {logged[2]}")  # fmt: skip
