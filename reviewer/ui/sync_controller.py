"""Keeping a published review in step with its server while the window is open.

A worker thread (not the job pool: it lives as long as the window) holds two
connections: one syncs, the other ``LISTEN``s for the server's notification that
events were added. It syncs when it connects, when another copy adds events (within
moments, through ``NOTIFY``), when this copy has events waiting to go (checked twice a
second), on demand, and once a minute regardless. When the server cannot be reached
it says so and tries again, backing off; working offline is normal and everything
goes when the server is back. The worker touches no widget: what it learns arrives
on the main thread as signals.

The worker does the network part of a sync (connecting, pulling others' events,
pushing this copy's); every step that reads or writes the review (applying a pulled
batch through replay, choosing what to push, recording what was pushed) it hands to
``on_local``, in the window the review's one writing thread (``reviewer.ui.writer``),
which takes it between two of a long job's transactions. Its own connection to the
review then only reads (how many events wait to go), and is opened read-only.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from reviewer.review.sync import Local, SyncError, SyncReport, connect, sync, waiting
from reviewer.store import Store, pg
from reviewer.store import sync as local


@dataclass
class SyncStatus:
    """What the status bar shows."""

    online: bool
    server: str
    last_sync: str = ""  # ISO time of the last sync that finished
    waiting: int = 0  # events here the server does not have yet
    message: str = ""  # why it is offline
    syncing: bool = False


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    synced = Signal(object)  # a SyncReport that brought others' changes

    def __init__(
        self,
        path: Path,
        parent: QObject | None = None,
        *,
        poll: float = 0.5,
        retry: float = 3.0,
        max_retry: float = 60.0,
        resync: float = 60.0,
        on_local: Local | None = None,
    ):
        """``on_local(step)`` runs ``step(store)`` where the review is written and returns
        its result; without it the worker writes through a connection of its own."""
        super().__init__(parent)
        self.path = Path(path)
        self.on_local = on_local
        self.poll, self.retry, self.max_retry, self.resync = poll, retry, max_retry, resync
        self.password: str | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        with Store(self.path) as store:
            meta = local.sync_meta(store)
            assert meta is not None, "only a published review syncs"
            self.url = meta.url
            self.status = SyncStatus(False, meta.url, meta.last, waiting(store), "connecting…")

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="reviewer-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def sync_now(self, password: str | None = None) -> None:
        if password:
            self.password = password
        self._wake.set()

    # -- the worker thread -------------------------------------------------------------------

    def _emit(self, **changes: Any) -> None:
        self.status = SyncStatus(**{**self.status.__dict__, **changes})
        self.status_changed.emit(self.status)

    def _run(self) -> None:
        store = Store(self.path, read_only=self.on_local is not None)  # reads, or writes too
        delay = self.retry
        try:
            while not self._stop.is_set():
                try:
                    self._connected(store)
                    delay = self.retry
                except RuntimeError:  # the writer was closed: the review is closing
                    if self._stop.is_set():
                        return
                    raise
                except (SyncError, pg.Error) as exc:
                    message = str(exc).strip().splitlines()[0] if str(exc).strip() else "offline"
                    self._emit(online=False, syncing=False, message=message, waiting=waiting(store))
                    self._sleep(store, delay)
                    delay = min(delay * 2, self.max_retry)
        finally:
            store.close()

    def _connected(self, store: Store) -> None:
        with (
            connect(self.url, self.password) as conn,
            connect(self.url, self.password, remember=False) as listener,
        ):
            pg.listen(listener)
            self._sync(store, conn)
            last = time.monotonic()
            while not self._stop.is_set():
                notified = any(True for _ in listener.notifies(timeout=self.poll, stop_after=1))
                due = (
                    notified
                    or self._wake.is_set()
                    or waiting(store) > 0
                    or time.monotonic() - last > self.resync
                )
                if due and not self._stop.is_set():
                    self._wake.clear()
                    self._sync(store, conn)
                    last = time.monotonic()

    def _sync(self, store: Store, conn: Any) -> None:
        self._emit(syncing=True)
        report: SyncReport = sync(
            store, conn=conn, cancelled=self._stop.is_set, on_local=self.on_local
        )
        self._emit(
            online=True, syncing=False, message="", last_sync=report.time, waiting=report.waiting
        )
        if report.pulled or report.conflicts:
            self.synced.emit(report)

    def _sleep(self, store: Store, seconds: float) -> None:
        """Wait before trying again; a request to sync now or to stop cuts it short."""
        end = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < end:
            if self._wake.wait(min(1.0, end - time.monotonic())):
                self._wake.clear()
                return
            count = waiting(store)
            if count != self.status.waiting:
                self._emit(waiting=count)


__all__ = ["SyncController", "SyncStatus"]
