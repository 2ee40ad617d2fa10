"""The pieces of a review's state that events change, read and written the same way on
every copy, and the rows a replay of others' events adds.

Merging another copy (``reviewer.review.merge``) and syncing through a shared server
(``reviewer.review.sync``) both bring events made elsewhere into this review through
one replay (``reviewer.review.replay``). That replay decides *what* to change; this
module reads the logs and keeps the merge conflicts; how each piece of state is
read and written is ``reviewer.store.projection``, the same writers ``apply`` uses.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, NamedTuple

from reviewer.store import projection
from reviewer.store.store import Store


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


# -- the pieces of state (how each is read and written: ``reviewer.store.projection``) ---------

STATE = projection.STATE
setting_key = projection.setting_key


def read_state(conn: sqlite3.Connection, key: tuple) -> Any:
    return projection.read_state(conn, key)


def write_state(store: Store, key: tuple, state: Any) -> None:
    """Set a piece of state as it is elsewhere, without an event (the caller logs one)."""
    projection.write_state(store.db, key, state)


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
