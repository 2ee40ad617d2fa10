"""Team reviews on a shared PostgreSQL server: ``publish``, ``clone`` and ``sync``.

Each reviewer's local review file stays the working copy (fast, and usable offline).
A published review has an append-only event log on the server (``reviewer.store.pg``);
a sync pulls the events this copy lacks and replays them exactly as a merge replays
another file's (``reviewer.review.replay``), then pushes the events the server lacks.
Event ids make the exchange idempotent: a sync cut off at any point, or repeated,
changes nothing twice.

How copies agree. The server's order of events is the review's order. A copy pulls
everything, then, holding the server's append lock, pulls what arrived meanwhile and
pushes its own: whoever pushes later has seen everything pushed before. A piece of
state changed here and, unseen, on the server becomes a conflict that keeps this
copy's state (which is pushed right after, and so is the latest everywhere), logged
as an event that every copy receives, for a reviewer to settle. Every copy that has
pulled everything then holds the same state.

Records are named by uid across copies (``reviewer.store.sync``); the reviewer
column of each event must be the server role that pushes it (row-level security),
so a copy pushes only its own reviewer's events; others it holds are reported.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reviewer.domain.models import now_iso
from reviewer.review import events as ev
from reviewer.review.replay import keys_of, replay
from reviewer.review.server_url import (
    UrlError,
    conninfo,
    display,
    keyring_password,
    remember_password,
    split_password,
)
from reviewer.store import Store, StoreError, pg
from reviewer.store import state as st
from reviewer.store import sync as local
from reviewer.store.state import EventRow, MergeConflict

# Kinds whose payload names records (translated between local ids and uids)
_REF_KINDS = (
    ev.DUPLICATE_CONFIRM, ev.DUPLICATE_REJECT, ev.DUPLICATE_UNMERGE,
    ev.MERGE_CONFLICT, ev.MERGE_SETTLE,
)  # fmt: skip
SOURCE = "server"  # what sync conflicts name as the other side


class SyncError(Exception):
    """Publishing, cloning or syncing cannot go on; the message says why."""


@dataclass
class SyncReport:
    server: str
    pushed: int = 0  # events this copy sent that the server lacked
    pulled: int = 0  # others' events this copy lacked
    records_added: int = 0  # records other copies imported
    applied: int = 0  # pieces of state updated from others' events
    conflicts: list[MergeConflict] = field(default_factory=list)
    not_applied: dict[str, int] = field(default_factory=dict)
    held_back: int = 0  # events under another name than the server role: not pushed
    waiting: int = 0  # events logged here during the sync, for the next one
    server_events: int = 0
    user: str = ""
    time: str = ""
    records: list[int] = field(default_factory=list)  # records others' events changed here

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["conflicts"] = [asdict(c) for c in self.conflicts]
        return out

    def summary(self) -> str:
        text = (
            f"{self.pushed} events sent, {self.pulled} received"
            f" ({self.applied} changes applied, {self.records_added} records added), "
            f"{len(self.conflicts)} conflicts to settle"
        )
        if self.held_back:
            text += (
                f"; {self.held_back} events recorded under another name than "
                f"'{self.user}' stay in this copy"
            )
        return text


# -- connecting -----------------------------------------------------------------------------


def connect(url: str, password: str | None = None, remember: bool = True) -> Any:
    """A connection to the server (autocommit: transactions are explicit).

    The password comes from the argument, the URL, the system keyring, or libpq's
    own ways (``PGPASSWORD``, ``~/.pgpass``); one given in the URL that works is kept
    in the keyring when there is one.
    """
    bare, in_url = split_password(url)
    secret = password or in_url or keyring_password(bare)
    try:
        conn = pg.connect(conninfo(bare), secret, autocommit=True)
    except pg.Error as exc:
        raise SyncError(f"cannot reach {display(url)}: {_first_line(exc)}") from exc
    if remember and (password or in_url):
        remember_password(bare, password or in_url or "")
    return conn


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# -- publish and clone ----------------------------------------------------------------------


def publish(
    store: Store, url: str, *, password: str | None = None, team_role: str | None = None
) -> SyncReport:
    """Put the review on the server: its schema, a snapshot for ``clone`` and every
    event so far. Refused when the database holds a different review; a database that
    holds this one already is simply synced."""
    with connect(url, password) as conn:
        meta = local.sync_meta(store)
        held = pg.published_review(conn)
        if held is not None:
            if meta is None or held.uid != meta.review_uid:
                raise SyncError(
                    f"{display(url)} already holds another review, '{held.name}' "
                    f"(published by {held.published_by} on {held.published_at[:10]}); "
                    "publish into an empty database"
                )
            return sync(store, url=url, password=password, conn=conn)
        uid = meta.review_uid if meta else uuid.uuid4().hex
        local.set_sync_meta(store, review_uid=uid)  # imports from now on travel as events
        team = team_role or f"{pg.database_name(conn)}_reviewers"
        role = pg.current_user(conn)
        with tempfile.TemporaryDirectory() as tmp:
            snapshot = Path(tmp) / "snapshot.review"
            last = local.last_event_seq(store)
            local.snapshot_to(store, snapshot)
            try:
                with conn.transaction():
                    pg.create_schema(conn, team)
                    pg.insert_review(conn, uid, store.name, 0, team)
                    pg.upload_snapshot(conn, _parts(snapshot))
                    events = [row for _seq, row in local.events_after(store, 0)]
                    pushed = pg.push(conn, _to_server(store, events, 0))
                    pg.set_snapshot_seq(conn, pg.last_seq(conn))
            except pg.Error as exc:
                raise SyncError(f"cannot publish to {display(url)}: {_first_line(exc)}") from exc
        cursor = pg.last_seq(conn)
        # the publisher owns the log and may add events under any name: its copy goes on
        # recording under the reviewer's own name (no server role to adopt)
        local.set_sync_meta(
            store, url=display(url), cursor=cursor, pushed=last, user="", last=now_iso()
        )
        return SyncReport(
            display(url), pushed=pushed, server_events=cursor, user=role, time=now_iso()
        )


def _parts(path: Path) -> Iterable[bytes]:
    with path.open("rb") as f:
        while data := f.read(pg.SNAPSHOT_PART):
            yield data


def clone(url: str, path: str | Path, *, password: str | None = None) -> tuple[Store, SyncReport]:
    """A new local copy of the review published at ``url``, brought up to date."""
    path = Path(path)
    if path.exists():
        raise SyncError(f"{path}: already exists; clone into a new file")
    with connect(url, password) as conn:
        review = pg.published_review(conn)
        if review is None:
            raise SyncError(f"{display(url)} holds no published review")
        if review.format > pg.FORMAT:
            raise SyncError(
                f"{display(url)} holds a review published by a newer version of Reviewer"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        with part.open("wb") as f:
            for data in pg.download_snapshot(conn):
                f.write(data)
        part.rename(path)
        try:
            store = Store(path)
        except StoreError:
            path.unlink(missing_ok=True)
            raise
        local.set_sync_meta(
            store,
            review_uid=review.uid,
            url=display(url),
            cursor=review.snapshot_seq,
            pushed=local.last_event_seq(store),
            user=pg.current_user(conn),
            held_back=0,
        )
        return store, sync(store, conn=conn)


# -- sync ------------------------------------------------------------------------------------


def sync(
    store: Store,
    *,
    url: str | None = None,
    password: str | None = None,
    conn: Any = None,
    cancelled: Callable[[], bool] | None = None,
) -> SyncReport:
    """Pull the events this copy lacks, then push the ones the server lacks (see the
    module docs). ``url`` switches this copy to another URL (another role, say)."""
    meta = local.sync_meta(store)
    if meta is None:
        raise SyncError(
            f"{store.path.name} is not on a server: publish it, or clone a published review"
        )
    target = url or meta.url
    if not target:
        raise SyncError(f"{store.path.name}: no server URL; sync with --url")
    if conn is None:
        with connect(target, password) as own:
            return _sync(store, own, meta, target, cancelled)
    return _sync(store, conn, meta, target, cancelled)


def _sync(
    store: Store, conn: Any, meta: local.SyncMeta, url: str, cancelled: Callable[[], bool] | None
) -> SyncReport:
    try:
        review = pg.published_review(conn)
        if review is None or review.uid != meta.review_uid:
            raise SyncError(f"{display(url)} does not hold this review")
        role = pg.current_user(conn)
        privileged = pg.may_insert_any(conn)  # the log's owner, or a superuser
        report = SyncReport(display(url), user=role)
        _reconcile(store, conn)
        cursor = meta.cursor
        while batch := pg.pull(conn, cursor):  # catch up without holding anyone up
            cursor = _apply_pulled(store, batch, role, report)
            if cancelled and cancelled():
                return report
        with conn.transaction():
            pg.lock_appends(conn)
            while batch := pg.pull(conn, cursor):
                cursor = _apply_pulled(store, batch, role, report)
            pushed_to, events, held = _pending(store, role, privileged, cursor)
            report.pushed = pg.push(conn, events)
        report.server_events = cursor + report.pushed
    except pg.Error as exc:
        raise SyncError(f"sync with {display(url)} stopped: {_first_line(exc)}") from exc
    report.held_back = meta.held_back + held
    report.time = now_iso()
    local.mark_pushed(store, pushed_to)
    local.set_sync_meta(
        store,
        last=report.time,
        held_back=report.held_back,
        url=display(url),
        user="" if privileged else role,  # the name this copy's events must carry
    )
    report.waiting = local.count_pending(store)
    return report


def _reconcile(store: Store, conn: Any) -> None:
    """Count as pushed what reached the server though this copy never heard so (the
    connection dropped while the push committed): those events are no longer changes
    the server lacks, and must not turn others' later changes into conflicts."""
    rows = local.pending_events(store)
    if not rows:
        return
    there = pg.existing_ids(conn, [row.id for _seq, row in rows])
    reached = None
    for seq, row in rows:
        if row.id not in there:
            break
        reached = seq
    if reached is not None:
        local.mark_pushed(store, reached)


def waiting(store: Store) -> int:
    """Events logged here that the server does not have yet."""
    return local.count_pending(store)


def _apply_pulled(store: Store, batch: list[pg.ServerEvent], role: str, report: SyncReport) -> int:
    """Bring one batch of the server's events into this copy (one transaction); return
    the server seq it reached."""
    with local.write_lock(store):
        meta = local.sync_meta(store)
        assert meta is not None
        known = local.known_event_ids(store, (e.id for e in batch))
        batch_ids = {e.id for e in batch}
        pending = [row for _seq, row in local.pending_events(store)]
        # changes here the server lacks (one of them in this batch has reached it)
        changed_here = keys_of(row for row in pending if row.id not in batch_ids)
        for e in batch:
            if e.kind == ev.RECORDS_ADD and e.id not in known:
                report.records_added += local.add_shared_records(store, json.loads(e.payload))
        rows = _to_local(store, batch)
        last_on_key: dict[tuple, tuple[EventRow, bool]] = {}
        for e, row in zip(batch, rows, strict=True):
            for key in ev.state_keys(
                row.kind, row.record_id, row.reviewer, json.loads(row.payload)
            ):
                last_on_key[key] = (row, e.id in known)

        def theirs(key: tuple) -> Any:
            row, ours = last_on_key[key]
            if ours and key in changed_here:
                return st.read_state(store.db.conn, key)  # a later change here stands
            return ev.state_after(key, row.kind, row.reviewer, row.time, json.loads(row.payload))

        incoming = [row for e, row in zip(batch, rows, strict=True) if e.id not in known]
        # this copy's own events may have to restore a state an earlier batch overwrote
        own_keys = [key for key, (_row, ours) in last_on_key.items() if ours]
        result = replay(store, incoming, theirs, changed_here, SOURCE, role, own_keys)
        report.pulled += len(incoming)
        touched = dict.fromkeys(report.records)
        touched.update(dict.fromkeys(r.record_id for r in incoming if r.record_id is not None))
        report.records = list(touched)
        report.applied += result.applied
        report.conflicts += result.conflicts
        for kind, n in result.not_applied.items():
            report.not_applied[kind] = report.not_applied.get(kind, 0) + n
        cursor = batch[-1].seq
        local.set_sync_meta(store, cursor=cursor)
        if not pending and not result.conflicts:  # nothing here to send: all is on the server
            local.mark_pushed(store, local.last_event_seq(store))
        else:
            local.mark_pulled(store, (row.id for row in incoming))
    return cursor


def _to_local(store: Store, batch: list[pg.ServerEvent]) -> list[EventRow]:
    uids = {e.record_uid for e in batch if e.record_uid}
    ids = local.ids_of(store, uids)

    def to_id(uid: Any) -> int | None:
        if uid is None:
            return None
        if uid not in ids:
            found = local.ids_of(store, [uid])
            if not found:
                raise SyncError(f"an event names record {uid}, which this copy does not have")
            ids.update(found)
        return ids[uid]

    out = []
    for e in batch:
        payload = e.payload
        if e.kind in _REF_KINDS:
            mapped = ev.map_record_refs(e.kind, json.loads(payload), to_id)
            payload = json.dumps(mapped, ensure_ascii=False)
        out.append(EventRow(e.id, e.time, e.reviewer, e.kind, to_id(e.record_uid), payload))
    return out


def _to_server(store: Store, rows: list[EventRow], base_seq: int) -> list[pg.ServerEvent]:
    refs: set[int] = {r.record_id for r in rows if r.record_id is not None}
    uids = local.uids_of(store, refs)

    def to_uid(rid: Any) -> str | None:
        if rid is None:
            return None
        rid = int(rid)
        if rid not in uids:
            uids.update(local.uids_of(store, [rid]))
            if rid not in uids:
                raise SyncError(f"record {rid} has no uid; open the review once to upgrade it")
        return uids[rid]

    out = []
    for r in rows:
        payload = r.payload
        if r.kind in _REF_KINDS:
            payload = json.dumps(ev.map_record_refs(r.kind, json.loads(payload), to_uid))
        out.append(
            pg.ServerEvent(
                0, r.id, r.time, r.reviewer, r.kind, to_uid(r.record_id), payload, base_seq
            )
        )
    return out


def _pending(
    store: Store, role: str, privileged: bool, cursor: int
) -> tuple[int, list[pg.ServerEvent], int]:
    """What to push: (the local seq it reaches, the events, how many are held back)."""
    last = local.last_event_seq(store)  # first: an event the window logs meanwhile stays
    rows = [row for seq, row in local.pending_events(store) if seq <= last]
    send = [row for row in rows if row.reviewer == role or privileged]
    return last, _to_server(store, send, cursor), len(rows) - len(send)


__all__ = [
    "SyncError",
    "SyncReport",
    "UrlError",
    "clone",
    "connect",
    "publish",
    "sync",
    "waiting",
]
