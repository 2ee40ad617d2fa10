"""Reading the event log back: a record's events, or the whole log, oldest first.

Rows come as ``LoggedEvent`` with the payload still JSON text, so that the audit
trail and the exports can stream a large log without decoding what they do not show;
``events`` (``Store.events``) reads them whole, as ``Event``s. Writing events is the
store's (``Store.commit``, ``Store.log_event``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from reviewer.domain import Event

if TYPE_CHECKING:
    from reviewer.store.store import Store

_COLUMNS = "seq, id, time, reviewer, kind, record_id, payload"


class LoggedEvent(NamedTuple):
    seq: int
    id: str
    time: str
    reviewer: str
    kind: str
    record_id: int | None
    payload: str  # JSON


def record_events(store: Store, record_id: int) -> list[LoggedEvent]:
    """The events about one record, in order."""
    rows = store.db.execute(
        f"select {_COLUMNS} from events where record_id = ? order by seq", [record_id]
    )
    return [LoggedEvent._make(r) for r in rows]


def all_events(store: Store) -> Iterator[LoggedEvent]:
    """Every event in order, read lazily."""
    for r in store.db.execute(f"select {_COLUMNS} from events order by seq"):
        yield LoggedEvent._make(r)


def event_count(store: Store) -> int:
    return store.db.execute("select count(*) from events").fetchone()[0]


def events_by(store: Store, reviewer: str) -> Iterator[LoggedEvent]:
    """``reviewer``'s events, newest first, read lazily (undo walks back through them)."""
    rows = store.db.execute(
        f"select {_COLUMNS} from events where reviewer = ? order by seq desc", [reviewer]
    )
    for r in rows:
        yield LoggedEvent._make(r)


def record_events_before(store: Store, record_id: int, seq: int) -> Iterator[LoggedEvent]:
    """The events about one record logged before event ``seq``, newest first."""
    rows = store.db.execute(
        f"select {_COLUMNS} from events where record_id = ? and seq < ? order by seq desc",
        [record_id, seq],
    )
    for r in rows:
        yield LoggedEvent._make(r)


def events(store: Store, record_id: int | None = None) -> list[Event]:
    sql = "select id, time, reviewer, kind, record_id, payload from events"
    params: list[Any] = []
    if record_id is not None:
        sql += " where record_id = ?"
        params.append(record_id)
    sql += " order by seq"
    return [
        Event(
            id=r[0],
            time=r[1],
            reviewer=r[2],
            kind=r[3],
            record_id=r[4],
            payload=json.loads(r[5]),
        )
        for r in store.db.execute(sql, params)
    ]
