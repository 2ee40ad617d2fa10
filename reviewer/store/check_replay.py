"""``reviewer check``'s replay: the review's state rebuilt from its event log in a
scratch copy of the file, through the same ``reviewer.store.apply`` the live edits use,
noting who changed each piece of state and when. ``TABLES`` says which tables are state
and how ``reviewer.store.check_compare`` compares them; see ``reviewer.store.check``
for what is replayed from where.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import Any, NamedTuple

from reviewer.domain import Event
from reviewer.domain.events import EventKind, state_keys
from reviewer.store.apply import apply
from reviewer.store.projection import ORPHAN_COLUMNS

K = EventKind
Progress = Callable[[int, int], None]
BATCH = 2000  # events (and rows) read at a time


class Table(NamedTuple):
    """A current-state table and how its rows are compared."""

    name: str
    key: tuple[str, ...]  # the columns naming a row
    fields: tuple[str, ...]  # the columns compared
    where: str = ""  # rows of the table that are state (``review_meta``: the settings)
    positions: tuple[str, ...] = ()  # fields not compared for records re-anchored unlogged
    state: str = ""  # the kind of state key its rows are (``reviewer.domain.events``)
    stamps: tuple[str, ...] = ()  # who and when: see ``check_compare._stamped``
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
    # import's merges are the starting point (see ``reviewer.store.check``): ``_reset_local``
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


_LOCAL_KINDS = (
    K.DUPLICATE_CONFIRM, K.DUPLICATE_UNMERGE, K.RECORD_TEXT_REPLACE, K.ORPHAN_REATTACH,
    K.ORPHAN_DISMISS,
)  # fmt: skip


def rebuild(scratch: sqlite3.Connection, progress: Progress | None) -> tuple[int, set[int]]:
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
        if has_table(scratch, table.name) and table.reset != "":
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
                times.append((key_text(key), who, when))
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
    if has_table(scratch, "anchor_orphans"):
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
        old = text_hash(p.get("old_text") or "")
        by_record.setdefault(rid, []).append((eid, old, p.get("new_sha256", "")))
    here: set[str] = set()
    untouched: set[int] = set()
    for rid, events in by_record.items():
        row = scratch.execute("select text from records where id = ?", [rid]).fetchone()
        want = text_hash(row[0] or "") if row else None
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
        states = [(p["key"][1], {**state, "text_sha256": None if text is None else text_hash(text)})]
    else:
        return
    scratch.executemany(
        "insert into check_fulltexts values (?, ?, ?, ?, ?)",
        [(rid, s.get("sha256"), s.get("path"), s.get("pages"), s.get("text_sha256"))
         for rid, s in states],
    )  # fmt: skip


def text_hash(text: str) -> str:
    """The SHA-256 of a text's words, as events and the check name it."""
    return hashlib.sha256(text.encode()).hexdigest()


def key_text(key: tuple) -> str:
    """A state key as the table's row names it (tags compare without case), as text."""
    if key[0] == "tag":
        key = (*key[:-1], str(key[-1]).casefold())
    return json.dumps(list(key), ensure_ascii=False)


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the file has the table (an older file may lack one)."""
    return conn.execute("select 1 from sqlite_master where name = ?", [name]).fetchone() is not None
