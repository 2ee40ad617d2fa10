"""The pieces of a review's state that events change, read and written the same way on
every copy, and the rows a replay of others' events adds.

Merging another copy (``reviewer.review.merge``) and syncing through a shared server
(``reviewer.review.sync``) both bring events made elsewhere into this review through
one replay (``reviewer.review.replay``). That replay decides *what* to change; this
module is *how*: one reader and one writer per kind of state key (see
``reviewer.review.events.state_key``), so the two ways in cannot drift apart.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from reviewer.domain.models import now_iso
from reviewer.store import results as result_cells
from reviewer.store.store import Store

Reader = Callable[[sqlite3.Connection, tuple], Any]
Writer = Callable[[Store, tuple, Any], None]


def setting_key(name: str) -> str:
    """The ``review_meta`` key a setting is stored under (kept apart from name, created_at)."""
    return f"setting.{name}"


class EventRow(NamedTuple):
    """An event as stored, its payload still JSON text."""

    id: str
    time: str
    reviewer: str
    kind: str
    record_id: int | None
    payload: str


def event_ids(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("select id from events")}


def event_rows(conn: sqlite3.Connection, after_seq: int = 0) -> list[tuple[int, EventRow]]:
    """Events of a review (``conn``: this one's or another copy's), with their seq, in order."""
    rows = conn.execute(
        "select seq, id, time, reviewer, kind, record_id, payload from events "
        "where seq > ? order by seq",
        [after_seq],
    )
    return [(r[0], EventRow(*r[1:])) for r in rows]


def copy_event(store: Store, row: EventRow) -> None:
    """Add an event made elsewhere to this review's log, as it was."""
    store.db.execute(
        "insert into events (id, time, reviewer, kind, record_id, payload) "
        "values (?, ?, ?, ?, ?, ?)",
        list(row),
    )


# -- additive effects: rows added rather than replaced ----------------------------------------


def add_highlight(store: Store, rid: int | None, who: str, time: str, p: dict) -> None:
    s = p.get("span") or {}
    store.db.execute(
        'insert into highlights (record_id, field, start, "end", quote, prefix, suffix, page, '
        "note, reviewer, time) values (?,?,?,?,?,?,?,?,?,?,?)",
        [
            rid,
            p.get("field"),
            s.get("start", 0),
            s.get("end", 0),
            s.get("quote", ""),
            s.get("prefix", ""),
            s.get("suffix", ""),
            s.get("page"),
            p.get("note", ""),
            who,
            time,
        ],
    )


def set_suggestion_status(store: Store, rid: int | None, status: str, p: dict) -> None:
    store.db.execute(
        "update suggestions set status = ? where record_id = ? and field = ? and value = ?",
        [status, rid, p.get("field"), json.dumps(p.get("value"), ensure_ascii=False)],
    )


# -- the pieces of state ----------------------------------------------------------------------


def _read_decision(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, stage, reviewer = key
    return _row(
        conn,
        ("decision", "reason", "note", "time"),
        "decisions where record_id = ? and stage = ? and reviewer = ?",
        [rid, stage, reviewer],
    )


def _read_resolution(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, stage = key
    return _row(
        conn,
        ("decision", "reason", "note", "resolver", "time"),
        "resolutions where record_id = ? and stage = ?",
        [rid, stage],
    )


def _read_value(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, fld = key
    state = _row(
        conn,
        ("value", "reviewer", "time", "provenance"),
        "field_values where record_id = ? and field = ?",
        [rid, fld],
    )
    if state is not None:
        state["value"] = json.loads(state["value"])
        state["provenance"] = json.loads(state["provenance"])
    return state


def _read_tag(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, tag = key
    return _row(
        conn, ("tag", "reviewer", "time"), "record_tags where record_id = ? and tag = ?", [rid, tag]
    )


def _read_setting(conn: sqlite3.Connection, key: tuple) -> Any:
    state = _row(conn, ("value",), "review_meta where key = ?", [setting_key(key[1])])
    return None if state is None else json.loads(state["value"])


_FULLTEXT_COLUMNS = ("path", "sha256", "pages", "text", "page_offsets", "reviewer", "time")


def _read_fulltext(conn: sqlite3.Connection, key: tuple) -> dict | None:
    return _row(conn, _FULLTEXT_COLUMNS, "fulltexts where record_id = ?", [key[1]])


def _read_template(conn: sqlite3.Connection, key: tuple) -> dict | None:
    state = _row(conn, ("name", "json"), "templates order by id desc limit 1", [])
    if state is not None:
        state["json"] = json.loads(state["json"])
    return state


def _read_duplicate_of(conn: sqlite3.Connection, key: tuple) -> dict | None:
    return _row(conn, ("duplicate_of",), "records where id = ?", [key[1]])


def _read_candidate(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, candidate_of = key
    return _row(
        conn,
        ("status", "reviewer", "decided_at"),
        "duplicate_candidates where record_id = ? and candidate_of = ?",
        [rid, candidate_of],
    )


def _row(
    conn: sqlite3.Connection, cols: tuple[str, ...], rest: str, params: list[Any]
) -> dict[str, Any] | None:
    """``select cols from {rest}`` as a dict, or ``None`` when there is no such row."""
    try:
        row = conn.execute(f"select {', '.join(cols)} from {rest}", params).fetchone()
    except sqlite3.OperationalError:
        return None  # an older copy without this table has none of this state
    return None if row is None else dict(zip(cols, row, strict=True))


def write_decision_row(
    store: Store, record_id: int, stage: str, reviewer: str, state: dict[str, str] | None
) -> None:
    """Set the decisions row to ``state`` without an event (the caller logs its own)."""
    if state is None:
        store.db.execute(
            "delete from decisions where record_id = ? and stage = ? and reviewer = ?",
            [record_id, stage, reviewer],
        )
        return
    store.db.execute(
        "insert into decisions (record_id, stage, reviewer, decision, reason, note, time) "
        "values (?, ?, ?, ?, ?, ?, ?) on conflict(record_id, stage, reviewer) do update set "
        "decision = excluded.decision, reason = excluded.reason, note = excluded.note, "
        "time = excluded.time",
        [
            record_id,
            stage,
            reviewer,
            state["decision"],
            state.get("reason", ""),
            state.get("note", ""),
            state.get("time") or now_iso(),
        ],
    )


def _write_decision(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, stage, reviewer = key
    write_decision_row(store, rid, stage, reviewer, state)


def _write_resolution(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, stage = key
    store.db.execute("delete from resolutions where record_id = ? and stage = ?", [rid, stage])
    if state is not None:
        store.db.execute(
            "insert into resolutions (record_id, stage, decision, reason, note, resolver, time) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [
                rid,
                stage,
                state["decision"],
                state["reason"],
                state["note"],
                state["resolver"],
                state["time"],
            ],
        )


def _write_value(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, fld = key
    store.db.execute("delete from field_values where record_id = ? and field = ?", [rid, fld])
    if state is not None:
        store.db.execute(
            "insert into field_values (record_id, field, value, reviewer, time, provenance) "
            "values (?, ?, ?, ?, ?, ?)",
            [
                rid,
                fld,
                json.dumps(state["value"], ensure_ascii=False),
                state["reviewer"],
                state["time"],
                json.dumps(state["provenance"], ensure_ascii=False),
            ],
        )


def _write_tag(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, tag = key
    store.db.execute("delete from record_tags where record_id = ? and tag = ?", [rid, tag])
    if state is not None:
        store.db.execute(
            "insert into record_tags (record_id, tag, reviewer, time) values (?, ?, ?, ?)",
            [rid, state["tag"], state["reviewer"], state["time"]],
        )


def _write_setting(store: Store, key: tuple, state: Any) -> None:
    if state is None:
        store.db.execute("delete from review_meta where key = ?", [setting_key(key[1])])
    else:
        store._set_meta(setting_key(key[1]), json.dumps(state, ensure_ascii=False))


def _write_fulltext(store: Store, key: tuple, state: dict | None) -> None:
    store.db.execute("delete from fulltexts where record_id = ?", [key[1]])
    if state is not None:
        store.db.execute(
            f"insert into fulltexts (record_id, {', '.join(_FULLTEXT_COLUMNS)}) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [key[1], *(state[c] for c in _FULLTEXT_COLUMNS)],
        )


def _write_template(store: Store, key: tuple, state: dict | None) -> None:
    if state is not None:
        store.db.execute(
            "insert into templates (name, json, created_at) values (?, ?, ?)",
            [state["name"], json.dumps(state["json"], ensure_ascii=False), now_iso()],
        )


def _write_duplicate_of(store: Store, key: tuple, state: dict | None) -> None:
    if state is not None:
        store.db.execute(
            "update records set duplicate_of = ? where id = ?", [state["duplicate_of"], key[1]]
        )


def _write_candidate(store: Store, key: tuple, state: dict | None) -> None:
    """A candidate found here too takes the other copy's verdict (one found only
    there has no row here to update: its records' ``duplicate_of`` still travels)."""
    if state is not None:
        _k, rid, candidate_of = key
        store.db.execute(
            "update duplicate_candidates set status = ?, reviewer = ?, decided_at = ? "
            "where record_id = ? and candidate_of = ?",
            [state["status"], state["reviewer"], state["decided_at"], rid, candidate_of],
        )


def _fields(*names: str) -> Callable[[Any, Any], bool]:
    """Two states are the same when these fields agree (times and authors aside)."""

    def same(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return a is b
        return all(a.get(n) == b.get(n) for n in names)

    return same


def _equal(a: Any, b: Any) -> bool:
    return a == b


class StateKind(NamedTuple):
    read: Reader
    write: Writer
    same: Callable[[Any, Any], bool]


STATE: dict[str, StateKind] = {
    "decision": StateKind(_read_decision, _write_decision, _fields("decision", "reason", "note")),
    "resolution": StateKind(
        _read_resolution, _write_resolution, _fields("decision", "reason", "note")
    ),
    "value": StateKind(_read_value, _write_value, _fields("value", "provenance")),
    "tag": StateKind(_read_tag, _write_tag, lambda a, b: (a is None) == (b is None)),
    "setting": StateKind(_read_setting, _write_setting, _equal),
    "fulltext": StateKind(_read_fulltext, _write_fulltext, _fields("sha256")),
    "template": StateKind(_read_template, _write_template, _fields("json")),
    "duplicate_of": StateKind(_read_duplicate_of, _write_duplicate_of, _equal),
    "candidate": StateKind(_read_candidate, _write_candidate, _fields("status")),
    "result": StateKind(
        result_cells.read_state, result_cells.write_state, _fields("value", "provenance")
    ),
}


def read_state(conn: sqlite3.Connection, key: tuple) -> Any:
    return STATE[key[0]].read(conn, key)


def write_state(store: Store, key: tuple, state: Any) -> None:
    STATE[key[0]].write(store, key, state)


# -- merge conflicts ----------------------------------------------------------------------------


@dataclass
class MergeConflict:
    """One piece of state both copies changed differently."""

    id: str
    key: list[Any]
    record_id: int | None
    kept: Any  # the state the merging copy kept (and has)
    other: Any  # the other copy's state
    source: str
    reviewer: str
    time: str
    settled_by: str | None = None
    settled_at: str | None = None
    choice: str | None = None


def insert_conflict(store: Store, c: MergeConflict) -> None:
    store.db.execute(
        "insert or ignore into merge_conflicts (id, key, record_id, kept, other, source, "
        "reviewer, time) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            c.id,
            json.dumps(c.key),
            c.record_id,
            json.dumps(c.kept),
            json.dumps(c.other),
            c.source,
            c.reviewer,
            c.time,
        ],
    )


def mark_settled(store: Store, ids: list[str], who: str, time: str, choice: str | None) -> None:
    for cid in ids:
        store.db.execute(
            "update merge_conflicts set settled_by = ?, settled_at = ?, choice = ? "
            "where id = ? and settled_at is null",
            [who, time, choice, cid],
        )


def merge_conflicts(
    store: Store, open_only: bool = True, key: list[Any] | None = None
) -> list[MergeConflict]:
    """Merge conflicts, oldest first; only those not yet settled unless ``open_only`` is
    off; only those on one piece of state when ``key`` is given."""
    sql = (
        "select id, key, record_id, kept, other, source, reviewer, time, settled_by, "
        "settled_at, choice from merge_conflicts where 1"
    )
    params: list[Any] = []
    if key is not None:
        sql += " and key = ?"
        params.append(json.dumps(list(key)))
    if open_only:
        sql += " and settled_at is null"
    rows = store.db.execute(sql + " order by time, id", params).fetchall()
    return [
        MergeConflict(r[0], json.loads(r[1]), r[2], json.loads(r[3]), json.loads(r[4]), *r[5:])
        for r in rows
    ]
