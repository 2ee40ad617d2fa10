"""How each piece of a review's current state is read and written, on a bare connection.

The current-state tables are a projection of the event log (``reviewer.store.apply``).
A piece of state is named by its *key* (``reviewer.domain.events.state_key``): one
reader and one writer per kind of key, used by applying an event, by a merge reading
another copy's state, and by ``reviewer check`` rebuilding the state from the log into
a scratch database. They take a connection (anything with ``execute``), not a
``Store``, so the same code writes a live review and a rebuilt one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from reviewer.domain.models import now_iso


class Db(Protocol):
    """A connection: ``sqlite3.Connection`` and ``sqlite_utils.Database`` both are."""

    def execute(self, sql: str, parameters: Any = ...) -> Any: ...


Reader = Callable[[sqlite3.Connection, tuple], Any]
Writer = Callable[[Db, tuple, Any], None]


def setting_key(name: str) -> str:
    """The ``review_meta`` key a setting is stored under (kept apart from name, created_at)."""
    return f"setting.{name}"


def _row(
    conn: sqlite3.Connection, cols: tuple[str, ...], rest: str, params: list[Any]
) -> dict[str, Any] | None:
    """``select cols from {rest}`` as a dict, or ``None`` when there is no such row."""
    try:
        row = conn.execute(f"select {', '.join(cols)} from {rest}", params).fetchone()
    except sqlite3.OperationalError:
        return None  # an older copy without this table has none of this state
    return None if row is None else dict(zip(cols, row, strict=True))


# -- decisions and resolutions ---------------------------------------------------------------


def _read_decision(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, stage, reviewer = key
    return _row(
        conn,
        ("decision", "reason", "note", "time"),
        "decisions where record_id = ? and stage = ? and reviewer = ?",
        [rid, stage, reviewer],
    )


def _write_decision(db: Db, key: tuple, state: dict | None) -> None:
    _k, rid, stage, reviewer = key
    if state is None:
        db.execute(
            "delete from decisions where record_id = ? and stage = ? and reviewer = ?",
            [rid, stage, reviewer],
        )
        return
    db.execute(
        "insert into decisions (record_id, stage, reviewer, decision, reason, note, time) "
        "values (?, ?, ?, ?, ?, ?, ?) on conflict(record_id, stage, reviewer) do update set "
        "decision = excluded.decision, reason = excluded.reason, note = excluded.note, "
        "time = excluded.time",
        [
            rid,
            stage,
            reviewer,
            state["decision"],
            state.get("reason", ""),
            state.get("note", ""),
            state.get("time") or now_iso(),
        ],
    )


def _read_resolution(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, stage = key
    return _row(
        conn,
        ("decision", "reason", "note", "resolver", "time"),
        "resolutions where record_id = ? and stage = ?",
        [rid, stage],
    )


def _write_resolution(db: Db, key: tuple, state: dict | None) -> None:
    _k, rid, stage = key
    db.execute("delete from resolutions where record_id = ? and stage = ?", [rid, stage])
    if state is not None:
        db.execute(
            "insert into resolutions (record_id, stage, decision, reason, note, resolver, time) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [
                rid,
                stage,
                state["decision"],
                state.get("reason", ""),
                state.get("note", ""),
                state["resolver"],
                state["time"],
            ],
        )


# -- field values and result cells -----------------------------------------------------------


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


def _write_value(db: Db, key: tuple, state: dict | None) -> None:
    _k, rid, fld = key
    if state is None:
        db.execute("delete from field_values where record_id = ? and field = ?", [rid, fld])
        return
    db.execute(
        "insert into field_values (record_id, field, value, reviewer, time, provenance) "
        "values (?, ?, ?, ?, ?, ?) on conflict(record_id, field) do update set "
        "value = excluded.value, reviewer = excluded.reviewer, time = excluded.time, "
        "provenance = excluded.provenance",
        [
            rid,
            fld,
            json.dumps(state["value"], ensure_ascii=False),
            state["reviewer"],
            state["time"],
            json.dumps(state.get("provenance", []), ensure_ascii=False),
        ],
    )


_CELL_COLUMNS = "record_id, item, field, value, reviewer, time, provenance"


def read_result(conn: sqlite3.Connection, key: tuple) -> dict[str, Any] | None:
    _k, rid, item, field = key
    try:
        row = conn.execute(
            "select value, reviewer, time, provenance from result_cells "
            "where record_id = ? and item = ? and field = ?",
            [rid, item, field],
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # a copy made before results existed has none
    if row is None:
        return None
    return {
        "value": json.loads(row[0]),
        "reviewer": row[1],
        "time": row[2],
        "provenance": json.loads(row[3]),
    }


def write_result(db: Db, key: tuple, state: dict[str, Any] | None) -> None:
    _k, rid, item, field = key
    db.execute(
        "delete from result_cells where record_id = ? and item = ? and field = ?",
        [rid, item, field],
    )
    if state is not None:
        db.execute(
            f"insert into result_cells ({_CELL_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?)",
            [
                rid,
                item,
                field,
                json.dumps(state["value"], ensure_ascii=False),
                state.get("reviewer", ""),
                state.get("time") or now_iso(),
                json.dumps(state.get("provenance", []), ensure_ascii=False),
            ],
        )


# -- tags, settings, template, sources, full texts -------------------------------------------


def _read_tag(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, tag = key
    return _row(
        conn, ("tag", "reviewer", "time"), "record_tags where record_id = ? and tag = ?", [rid, tag]
    )


def _write_tag(db: Db, key: tuple, state: dict | None) -> None:
    _k, rid, tag = key
    db.execute("delete from record_tags where record_id = ? and tag = ?", [rid, tag])
    if state is not None:
        db.execute(
            "insert into record_tags (record_id, tag, reviewer, time) values (?, ?, ?, ?)",
            [rid, state["tag"], state["reviewer"], state["time"]],
        )


def _read_setting(conn: sqlite3.Connection, key: tuple) -> Any:
    state = _row(conn, ("value",), "review_meta where key = ?", [setting_key(key[1])])
    return None if state is None else json.loads(state["value"])


def _write_setting(db: Db, key: tuple, state: Any) -> None:
    if state is None:
        db.execute("delete from review_meta where key = ?", [setting_key(key[1])])
    else:
        db.execute(
            "insert into review_meta (key, value) values (?, ?) "
            "on conflict(key) do update set value = excluded.value",
            [setting_key(key[1]), json.dumps(state, ensure_ascii=False)],
        )


_FULLTEXT_COLUMNS = ("path", "sha256", "pages", "text", "page_offsets", "reviewer", "time")


def _read_fulltext(conn: sqlite3.Connection, key: tuple) -> dict | None:
    return _row(conn, _FULLTEXT_COLUMNS, "fulltexts where record_id = ?", [key[1]])


def _write_fulltext(db: Db, key: tuple, state: dict | None) -> None:
    db.execute("delete from fulltexts where record_id = ?", [key[1]])
    if state is not None:
        db.execute(
            f"insert into fulltexts (record_id, {', '.join(_FULLTEXT_COLUMNS)}) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [key[1], *(state[c] for c in _FULLTEXT_COLUMNS)],
        )


def _read_template(conn: sqlite3.Connection, key: tuple) -> dict | None:
    state = _row(conn, ("name", "json"), "templates order by id desc limit 1", [])
    if state is not None:
        state["json"] = json.loads(state["json"])
    return state


def _write_template(db: Db, key: tuple, state: dict | None) -> None:
    if state is not None:
        db.execute(
            "insert into templates (name, json, created_at) values (?, ?, ?)",
            [state["name"], json.dumps(state["json"], ensure_ascii=False), now_iso()],
        )


def _read_source_label(conn: sqlite3.Connection, key: tuple) -> dict | None:
    return _row(conn, ("label",), "sources where id = ?", [key[1]])


def _write_source_label(db: Db, key: tuple, state: dict | None) -> None:
    if state is not None:
        db.execute("update sources set label = ? where id = ?", [state["label"], key[1]])


# -- deduplication ---------------------------------------------------------------------------


def _read_duplicate_of(conn: sqlite3.Connection, key: tuple) -> dict | None:
    return _row(conn, ("duplicate_of",), "records where id = ?", [key[1]])


def _write_duplicate_of(db: Db, key: tuple, state: dict | None) -> None:
    if state is not None:
        db.execute(
            "update records set duplicate_of = ? where id = ?", [state["duplicate_of"], key[1]]
        )


def _read_candidate(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, candidate_of = key
    return _row(
        conn,
        ("status", "reviewer", "decided_at"),
        "duplicate_candidates where record_id = ? and candidate_of = ?",
        [rid, candidate_of],
    )


def _write_candidate(db: Db, key: tuple, state: dict | None) -> None:
    """A candidate found here too takes the verdict (one found only in another copy has
    no row here to update: its records' ``duplicate_of`` still travels)."""
    if state is not None:
        _k, rid, candidate_of = key
        db.execute(
            "update duplicate_candidates set status = ?, reviewer = ?, decided_at = ? "
            "where record_id = ? and candidate_of = ?",
            [state["status"], state["reviewer"], state["decided_at"], rid, candidate_of],
        )


# -- the table of kinds of state -------------------------------------------------------------


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
    "source_label": StateKind(_read_source_label, _write_source_label, _fields("label")),
    "duplicate_of": StateKind(_read_duplicate_of, _write_duplicate_of, _equal),
    "candidate": StateKind(_read_candidate, _write_candidate, _fields("status")),
    "result": StateKind(read_result, write_result, _fields("value", "provenance")),
}


def read_state(conn: sqlite3.Connection, key: tuple) -> Any:
    return STATE[key[0]].read(conn, key)


def write_state(db: Db, key: tuple, state: Any) -> None:
    STATE[key[0]].write(db, key, state)


# -- additive effects: rows added, changed or taken out rather than replaced by key ----------


def insert_highlight(
    db: Db, hid: int | None, record_id: int | None, field: str | None, span: dict[str, Any],
    note: str, reviewer: str, time: str,
) -> int:  # fmt: skip
    """A ``highlights`` row under ``hid`` (a new id when ``None`` or taken); its id."""
    if hid is not None and db.execute("select 1 from highlights where id = ?", [hid]).fetchone():
        hid = None
    cur = db.execute(
        'insert into highlights (id, record_id, field, start, "end", quote, prefix, suffix, '
        "page, note, reviewer, time) values (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            hid, record_id, field, span.get("start", 0), span.get("end", 0),
            span.get("quote", ""), span.get("prefix", ""), span.get("suffix", ""),
            span.get("page"), note, reviewer, time,
        ],
    )  # fmt: skip
    return int(cur.lastrowid)


def set_highlight_note(db: Db, hid: int, note: str) -> None:
    db.execute("update highlights set note = ? where id = ?", [note, hid])


def delete_highlight(db: Db, hid: int) -> None:
    db.execute("delete from highlights where id = ?", [hid])


def set_suggestion_status(
    db: Db, rid: int | None, status: str, field: str, value: Any, suggestion_id: int | None
) -> None:
    """Mark the suggestion ``suggestion_id`` (when it is still this one) or, in a copy
    where ids differ, the record's suggestions of that field and value."""
    raw = json.dumps(value, ensure_ascii=False)
    if suggestion_id is not None:
        cur = db.execute(
            "update suggestions set status = ? "
            "where id = ? and record_id = ? and field = ? and value = ?",
            [status, suggestion_id, rid, field, raw],
        )
        if cur.rowcount:
            return
    db.execute(
        "update suggestions set status = ? where record_id = ? and field = ? and value = ?",
        [status, rid, field, raw],
    )


def rename_field_values(db: Db, old: str, new: str) -> int:
    cur = db.execute("update field_values set field = ? where field = ?", [new, old])
    return cur.rowcount


def insert_conflict(
    db: Db, eid: str, key: list[Any], record_id: int | None, kept: Any, other: Any,
    source: str, reviewer: str, time: str,
) -> None:  # fmt: skip
    db.execute(
        "insert or ignore into merge_conflicts (id, key, record_id, kept, other, source, "
        "reviewer, time) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [eid, json.dumps(key), record_id, json.dumps(kept), json.dumps(other), source,
         reviewer, time],
    )  # fmt: skip


def mark_settled(db: Db, ids: list[str], who: str, time: str, choice: str | None) -> None:
    for cid in ids:
        db.execute(
            "update merge_conflicts set settled_by = ?, settled_at = ?, choice = ? "
            "where id = ? and settled_at is null",
            [who, time, choice, cid],
        )


# -- re-anchoring after a record's text changed ----------------------------------------------

ORPHAN_COLUMNS = (
    "id", "record_id", "kind", "field", "highlight_id", "start", "end", "quote", "prefix",
    "suffix", "page", "note", "reviewer", "time", "orphaned_at", "status",
)  # fmt: skip
_SPAN_COLUMNS = ("start", "end", "quote", "prefix", "suffix", "page")


def set_provenance(db: Db, record_id: int | None, field: str, spans: list[dict[str, Any]]) -> None:
    """A value's spans found again in its record's new text (who set it and when stay)."""
    db.execute(
        "update field_values set provenance = ? where record_id = ? and field = ?",
        [json.dumps(spans, ensure_ascii=False), record_id, field],
    )


def move_highlight(db: Db, hid: int, span: dict[str, Any]) -> None:
    db.execute(
        'update highlights set start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
        "page = ? where id = ?",
        [*(span.get(c) for c in _SPAN_COLUMNS), hid],
    )


def next_orphan_id(db: Db) -> int:
    return db.execute("select coalesce(max(id), 0) + 1 from anchor_orphans").fetchone()[0]


def insert_orphan(db: Db, orphan: dict[str, Any]) -> None:
    """A span not found in its record's new text, kept under the id its event gave it."""
    cols = [c for c in ORPHAN_COLUMNS if c in orphan]
    names = ", ".join(f'"{c}"' for c in cols)
    db.execute(
        f"insert or replace into anchor_orphans ({names}) "
        f"values ({', '.join('?' for _ in cols)})",
        [orphan[c] for c in cols],
    )


def set_orphan_status(db: Db, orphan_id: int, status: str) -> None:
    db.execute("update anchor_orphans set status = ? where id = ?", [status, orphan_id])
