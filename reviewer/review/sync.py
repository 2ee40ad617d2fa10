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

Records are named by uid across copies (``reviewer.store.sync``; events are translated
and pulled batches applied in ``reviewer.review.sync_exchange``); the reviewer
column of each event must be the server role that pushes it (row-level security),
so a copy pushes only its own reviewer's events; others it holds are reported.

A sync is network steps on the calling thread and local steps (read what is pending,
apply a pulled batch, record what was pushed) handed to ``on_local``: the command line
runs them in place, the window on its one writing thread, so an open window's review
is written by that thread alone. The local steps stay between the network ones (not
all after them) because the protocol needs it: the batches pulled under the append
lock are applied before pushing, so the conflicts they raise travel in the same push.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reviewer.domain.models import now_iso
from reviewer.review.server_url import (
    UrlError,
    conninfo,
    display,
    keyring_password,
    remember_password,
    split_password,
)
from reviewer.review.sync_exchange import (
    SyncError,
    SyncReport,
    apply_pulled,
    pending_push,
    to_server,
)
from reviewer.store import Store, StoreError, pg
from reviewer.store import sync as local

Local = Callable[[Callable[[Store], Any]], Any]  # runs a step on the copy, returns its result

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
                    pushed = pg.push(conn, to_server(store, events, 0))
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
    on_local: Local | None = None,
) -> SyncReport:
    """Pull the events this copy lacks, then push the ones the server lacks (see the
    module docs). ``url`` switches this copy to another URL (another role, say).

    The network steps run on the calling thread; every step that reads or writes the
    copy is handed to ``on_local(step)``, which runs ``step(store)`` and returns its
    result. By default that is ``store`` itself, here; the window hands the steps to
    its one writing thread, so a sync writes nothing through a connection of its own.
    """
    run: Local = on_local if on_local is not None else (lambda step: step(store))
    meta = run(local.sync_meta)
    if meta is None:
        raise SyncError(
            f"{store.path.name} is not on a server: publish it, or clone a published review"
        )
    target = url or meta.url
    if not target:
        raise SyncError(f"{store.path.name}: no server URL; sync with --url")
    if conn is None:
        with connect(target, password) as own:
            return _sync(run, own, meta, target, cancelled)
    return _sync(run, conn, meta, target, cancelled)


def _sync(
    run: Local, conn: Any, meta: local.SyncMeta, url: str, cancelled: Callable[[], bool] | None
) -> SyncReport:
    try:
        review = pg.published_review(conn)
        if review is None or review.uid != meta.review_uid:
            raise SyncError(f"{display(url)} does not hold this review")
        role = pg.current_user(conn)
        privileged = pg.may_insert_any(conn)  # the log's owner, or a superuser
        report = SyncReport(display(url), user=role)
        _reconcile(run, conn)

        def apply(batch: list[pg.ServerEvent]) -> int:  # one batch, one local transaction
            return run(lambda store: apply_pulled(store, batch, role, report))

        cursor = meta.cursor
        while batch := pg.pull(conn, cursor):  # catch up without holding anyone up
            cursor = apply(batch)
            if cancelled and cancelled():
                return report
        with conn.transaction():
            pg.lock_appends(conn)
            while batch := pg.pull(conn, cursor):
                cursor = apply(batch)
            reached = cursor
            pushed_to, events, held = run(
                lambda store: pending_push(store, role, privileged, reached)
            )
            report.pushed = pg.push(conn, events)
        report.server_events = cursor + report.pushed
    except pg.Error as exc:
        raise SyncError(f"sync with {display(url)} stopped: {_first_line(exc)}") from exc
    report.held_back = meta.held_back + held
    report.time = now_iso()

    def record(store: Store) -> int:
        """What was pushed, and when; return what waits for the next sync."""
        with local.write_lock(store):
            local.mark_pushed(store, pushed_to)
            local.set_sync_meta(
                store,
                last=report.time,
                held_back=report.held_back,
                url=display(url),
                user="" if privileged else role,  # the name this copy's events must carry
            )
        return local.count_pending(store)

    report.waiting = run(record)
    return report


def _reconcile(run: Local, conn: Any) -> None:
    """Count as pushed what reached the server though this copy never heard so (the
    connection dropped while the push committed): those events are no longer changes
    the server lacks, and must not turn others' later changes into conflicts."""
    rows = run(local.pending_events)
    if not rows:
        return
    there = pg.existing_ids(conn, [row.id for _seq, row in rows])
    reached = None
    for seq, row in rows:
        if row.id not in there:
            break
        reached = seq
    if reached is not None:
        run(lambda store: local.mark_pushed(store, reached))


def waiting(store: Store) -> int:
    """Events logged here that the server does not have yet."""
    return local.count_pending(store)


__all__ = [
    "SyncError",
    "SyncReport",
    "UrlError",
    "clone",
    "connect",
    "publish",
    "sync",
    "Local",
    "waiting",
]
