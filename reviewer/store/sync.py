"""A copy's side of a review shared through a server: its sync bookkeeping, the names
its records go by elsewhere, and the records that arrive from other copies.

Record ids are local (two reviewers importing after publishing give different records
the same id), so events leave a copy naming records by their uid (``record_uids``,
migration m013) and arrive translated back to this copy's ids. A published review's
copies were cloned from one snapshot, so the records it had then carry the same uids
everywhere; records imported after publishing travel as ``records.add`` events, which
``log_records_added`` writes in the import's own transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.domain import Source
from reviewer.store.records_added import SHARED_COLUMNS, USER_META
from reviewer.store.state import EventRow
from reviewer.store.store import PUBLISHED_META, Store

URL_META = "sync.url"  # the server URL, never with a password
CURSOR_META = "sync.cursor"  # the last server seq this copy has pulled
PUSHED_META = "sync.pushed"  # every local event up to this seq is on the server
LAST_META = "sync.last"  # when the last sync finished
HELD_META = "sync.held_back"  # events under another name than the role, not pushed


@dataclass
class SyncMeta:
    review_uid: str
    url: str
    cursor: int
    pushed: int
    user: str
    last: str
    held_back: int


def sync_meta(store: Store) -> SyncMeta | None:
    """How this copy syncs, or ``None`` when it is not published or cloned."""
    uid = store.meta(PUBLISHED_META)
    if not uid:
        return None
    return SyncMeta(
        uid,
        store.meta(URL_META),
        int(store.meta(CURSOR_META, "0")),
        int(store.meta(PUSHED_META, "0")),
        store.meta(USER_META),
        store.meta(LAST_META),
        int(store.meta(HELD_META, "0")),
    )


def set_sync_meta(store: Store, **values: Any) -> None:
    """Set ``review_uid``, ``url``, ``cursor``, ``pushed``, ``user``, ``last``, ``held_back``."""
    keys = {
        "review_uid": PUBLISHED_META, "url": URL_META, "cursor": CURSOR_META,
        "pushed": PUSHED_META, "user": USER_META, "last": LAST_META, "held_back": HELD_META,
    }  # fmt: skip
    with store.atomic():
        for name, value in values.items():
            store._set_meta(keys[name], str(value))


@contextmanager
def write_lock(store: Store) -> Iterator[Store]:
    """A transaction that takes the write lock first (``Store.atomic`` does): a sync
    reads what is pending and then writes, while the window may be writing too."""
    with store.atomic():
        yield store


def last_event_seq(store: Store) -> int:
    return store.db.execute("select coalesce(max(seq), 0) from events").fetchone()[0]


def events_after(store: Store, seq: int) -> list[tuple[int, EventRow]]:
    rows = store.db.execute(
        "select seq, id, time, reviewer, kind, record_id, payload from events "
        "where seq > ? order by seq",
        [seq],
    )
    return [(r[0], EventRow(*r[1:])) for r in rows]


def pending_events(store: Store) -> list[tuple[int, EventRow]]:
    """Events of this copy the server lacks (after the pushed mark, less those pulled)."""
    meta = sync_meta(store)
    if meta is None:
        return []
    rows = store.db.execute(
        "select seq, id, time, reviewer, kind, record_id, payload from events "
        "where seq > ? and seq not in (select seq from sync_pulled) order by seq",
        [meta.pushed],
    )
    return [(r[0], EventRow(*r[1:])) for r in rows]


def count_pending(store: Store) -> int:
    meta = sync_meta(store)
    if meta is None:
        return 0
    return store.db.execute(
        "select count(*) from events where seq > ? and seq not in (select seq from sync_pulled)",
        [meta.pushed],
    ).fetchone()[0]


def mark_pulled(store: Store, ids: Iterable[str]) -> None:
    """These events came from the server: nothing to send back."""
    ids = list(ids)
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        marks = ",".join("?" for _ in part)
        store.db.execute(
            f"insert or ignore into sync_pulled (seq) select seq from events where id in ({marks})",
            part,
        )


def mark_pushed(store: Store, seq: int) -> None:
    """Every event up to ``seq`` is on the server."""
    with store.atomic():
        store._set_meta(PUSHED_META, str(seq))
        store.db.execute("delete from sync_pulled where seq <= ?", [seq])


def known_event_ids(store: Store, ids: Iterable[str]) -> set[str]:
    """Which of these events this copy has."""
    ids = list(ids)
    known: set[str] = set()
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        marks = ",".join("?" for _ in part)
        known.update(
            r[0] for r in store.db.execute(f"select id from events where id in ({marks})", part)
        )
    return known


# -- record uids ------------------------------------------------------------------------------


def _pairs_in(store: Store, sql: str, keys: list) -> dict:
    """``sql``'s two columns as a dict for ``keys``, asked 500 at a time (``sql`` has one
    ``{marks}`` for the ``in (...)`` list, under SQLite's limit on variables)."""
    out: dict = {}
    for i in range(0, len(keys), 500):
        part = keys[i : i + 500]
        marks = ",".join("?" for _ in part)
        out.update(store.db.execute(sql.format(marks=marks), part).fetchall())
    return out


def uids_of(store: Store, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted({int(i) for i in ids})
    return _pairs_in(
        store, "select record_id, uid from record_uids where record_id in ({marks})", wanted
    )


def ids_of(store: Store, uids: Iterable[str]) -> dict[str, int]:
    return _pairs_in(
        store, "select uid, record_id from record_uids where uid in ({marks})", sorted(set(uids))
    )


# -- records that travel ----------------------------------------------------------------------


def add_shared_records(store: Store, payload: dict[str, Any]) -> int:
    """Add the records of another copy's ``records.add`` event (those not here yet);
    return how many. Runs inside the caller's transaction."""
    records = [r for r in payload.get("records", []) if r.get("uid")]
    present = ids_of(store, (r["uid"] for r in records))
    records = [r for r in records if r["uid"] not in present]
    if not records:
        return 0
    source_id = _source_for(store, payload.get("source"))
    first = store.db.execute("select coalesce(max(id), 0) + 1 from records").fetchone()[0]
    cols = ("id", "source_id", *SHARED_COLUMNS)
    sql = f"insert into records ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})"
    store.db.conn.executemany(
        sql,
        (
            [first + i, source_id, *(r.get(c) for c in SHARED_COLUMNS)]
            for i, r in enumerate(records)
        ),
    )
    store.db.conn.executemany(
        "insert into record_uids (record_id, uid) values (?, ?)",
        ((first + i, r["uid"]) for i, r in enumerate(records)),
    )
    store.index_records(first, first + len(records) - 1)
    duplicates = [(r["duplicate_of"], r["uid"]) for r in records if r.get("duplicate_of")]
    if duplicates:
        ids = ids_of(store, [d for d, _ in duplicates] + [u for _, u in duplicates])
        store.db.conn.executemany(
            "update records set duplicate_of = ? where id = ?",
            ((ids.get(d), ids[u]) for d, u in duplicates),
        )
    return len(records)


def _source_for(store: Store, source: dict[str, Any] | None) -> int | None:
    if not source:
        return None
    found = store.source_by_sha256(source["sha256"])
    if found is not None:
        return found.id
    return store.add_source(Source(**source))


# -- snapshots and checks ---------------------------------------------------------------------


def snapshot_to(store: Store, path: Path) -> None:
    """A consistent copy of the whole review file (what ``clone`` starts from)."""
    store.db.execute("vacuum into ?", [str(path)])


def state_digest(store: Store) -> str:
    """A hash of the review's shared state, records named by uid and times left out.

    Two copies that hold the same events hold the same state: this is how the sync
    benchmark and tests check it. Times are left out because the copy where a change
    was made keeps the moment it was made, others the moment it was logged.
    """
    h = hashlib.sha256()
    for line in _state_lines(store):
        h.update(json.dumps(line, sort_keys=True, ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def _state_lines(store: Store) -> Iterable[Any]:
    q = store.db.execute
    yield from (
        ["record", *r]
        for r in q(
            "select u.uid, r.title, d.uid from records r "
            "join record_uids u on u.record_id = r.id "
            "left join record_uids d on d.record_id = r.duplicate_of order by u.uid"
        )
    )
    tables = {
        "decision": "stage, t.reviewer, decision, reason, note from decisions",
        "resolution": "stage, decision, reason, note, resolver from resolutions",
        "value": "field, value, t.reviewer, provenance from field_values",
        "result": "item, field, value, t.reviewer, provenance from result_cells",
        "tag": "lower(tag), t.reviewer from record_tags",
    }
    for name, rest in tables.items():
        sql = f"select u.uid, {rest} t join record_uids u on u.record_id = t.record_id"
        yield from ([name, *r] for r in q(sql + " order by 1, 2, 3").fetchall())
    settings = q("select key, value from review_meta where key like 'setting.%' order by key")
    for key, value in settings:
        yield ["setting", key, json.loads(value)]
    row = q("select json from templates order by id desc limit 1").fetchone()
    yield ["template", json.loads(row[0]) if row else None]
    for r in q("select id, settled_at is not null, choice from merge_conflicts order by id"):
        yield ["conflict", *r]
