"""The one thread that writes the open review (Anki's ``taskman`` with its single
database executor).

Every change the window makes, and every background job that writes (an import,
suggestions, a merge, full texts, results, ranking), runs on this thread with its
one writing connection; the window reads through a connection of its own. So
writes happen in the order they were asked for, and never wait on each other's
locks ("database is locked" cannot happen between them).

A user's edit is *urgent*: it goes ahead of queued jobs, and a long job that is
running lets it through between two of its transactions (each outer transaction of
the writing store first runs the edits that are waiting). Long jobs commit in short
batches, so an edit made during an import waits for one short batch at most.

The writer knows nothing of Qt: it is plain threads and futures, and tests can drive
it without a window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from reviewer.store import Store

T = TypeVar("T")
WriteFn = Callable[[Store], T]


class WritingStore(Store):
    """The writer's store: before each outer transaction, waiting edits go first."""

    between_transactions: Callable[[], None] | None = None

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        if self.between_transactions is not None and not self.db.conn.in_transaction:
            self.between_transactions()
        with super().atomic():
            yield self


class _Task:
    __slots__ = ("fn", "future")

    def __init__(self, fn: WriteFn[Any]):
        self.fn = fn
        self.future: Future[Any] = Future()

    def run(self, store: Store) -> None:
        if not self.future.set_running_or_notify_cancel():
            return
        try:
            result = self.fn(store)
        except BaseException as exc:  # handed to whoever waits on the future
            self.future.set_exception(exc)
        else:
            self.future.set_result(result)


class Writer:
    """A single worker thread owning the review's writing connection.

    ``call(fn)`` runs ``fn(store)`` there as an urgent edit and returns its result (or
    raises its error) on the calling thread; ``submit(fn)`` queues a job and returns a
    ``Future``. ``fn`` must not touch a widget: it runs on the writer's thread.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self._urgent: deque[_Task] = deque()
        self._queued: deque[_Task] = deque()
        self._cond = threading.Condition()
        self._closing = False
        self._draining = False
        self._last_edit = float("-inf")  # when the last urgent edit was asked for
        self._store: WritingStore | None = None
        opened: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(read_only, opened), name="reviewer-writer", daemon=True
        )
        self._thread.start()
        opened.result()  # the review could not be opened: raise it here

    # -- asking for writes --------------------------------------------------------------

    def call(self, fn: WriteFn[T], *, edit: bool = True) -> T:
        """Run ``fn(store)`` on the writer, ahead of queued jobs, and wait for it.

        ``edit``: the user asked for it (``edited_within`` counts it: long jobs then
        write in short transactions); the window's own setting up is not one."""
        if self.on_writer_thread():  # already there (a job's own step): run it in place
            assert self._store is not None
            return fn(self._store)
        return self._put(fn, urgent=True, edit=edit).result()

    def submit(self, fn: WriteFn[T], *, urgent: bool = False) -> Future[T]:
        """Queue ``fn(store)``; a job runs after those queued before it."""
        return self._put(fn, urgent=urgent)

    def run(self, fn: WriteFn[T]) -> T:
        """Run a job on the writer and wait for it (from a job's own thread)."""
        if self.on_writer_thread():
            assert self._store is not None
            return fn(self._store)
        return self._put(fn, urgent=False).result()

    def edited_within(self, seconds: float) -> bool:
        """Whether the user asked for an edit in the last ``seconds`` (they are working:
        a long job should write in short transactions)."""
        return time.monotonic() - self._last_edit < seconds

    def on_writer_thread(self) -> bool:
        return threading.current_thread() is self._thread

    @property
    def closed(self) -> bool:
        return self._closing

    def close(self, timeout: float | None = 30.0) -> None:
        """Finish what was asked for, then close the writing connection."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if not self.on_writer_thread():
            self._thread.join(timeout)

    # -- the thread ----------------------------------------------------------------------

    def _put(self, fn: WriteFn[Any], *, urgent: bool, edit: bool = True) -> Future[Any]:
        task = _Task(fn)
        with self._cond:
            if self._closing:
                raise RuntimeError(f"{self.path}: the review was closed; nothing was written")
            (self._urgent if urgent else self._queued).append(task)
            if urgent and edit:
                self._last_edit = time.monotonic()
            self._cond.notify()
        return task.future

    def _run(self, read_only: bool, opened: Future[None]) -> None:
        try:
            store = WritingStore(self.path, read_only=read_only)
        except BaseException as exc:
            opened.set_exception(exc)
            return
        store.between_transactions = self._run_urgent
        self._store = store
        opened.set_result(None)
        try:
            while True:
                with self._cond:
                    while not (self._urgent or self._queued or self._closing):
                        self._cond.wait()
                    if self._urgent:
                        task = self._urgent.popleft()
                    elif self._queued:
                        task = self._queued.popleft()
                    else:
                        return  # closing, and nothing is left to do
                task.run(store)
        finally:
            store.close()

    def _run_urgent(self) -> None:
        """A long job is between two transactions: the edits waiting meanwhile go now."""
        if self._draining:
            return
        self._draining = True
        try:
            while True:
                with self._cond:
                    if not self._urgent:
                        return
                    task = self._urgent.popleft()
                assert self._store is not None
                task.run(self._store)
        finally:
            self._draining = False
