"""Background work for the UI, in the manner of Anki's operations.

A job is a plain function ``fn(progress, cancelled) -> result`` that knows
nothing of Qt: the same function serves the command line. ``JobRunner`` runs it
on a worker thread and delivers progress, success and failure on the main
thread through signals; nothing in the background touches a widget. Tests swap
``JobRunner.synchronous`` on to run jobs inline and deterministically.

The job runner does not order database writes: a job that writes hands its writing
part to the window's one writer (``reviewer.ui.writer``, through
``Operations.job``), which orders every write of the window, its edits and its jobs
alike. A job here only reads, or waits for the writer.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

JobFn = Callable[[Callable[[Any], None], Callable[[], bool]], Any]


class Job(QObject):
    """Handle of a running job: its signals arrive on the main thread."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, fn: JobFn, parent: QObject | None = None):
        super().__init__(parent)
        self._fn = fn
        self._cancel = threading.Event()
        self.done = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        """Run the function (on whatever thread calls this) and emit the outcome."""
        try:
            result = self._fn(self.progressed.emit, self._cancel.is_set)
        except Exception as exc:  # reported to the user, never swallowed silently
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self.failed.emit(detail)
            if not self.cancelled:  # a job that stops because it was asked to is no error
                traceback.print_exc()
        else:
            self.succeeded.emit(result)
        finally:
            self.done = True
            self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, job: Job):
        super().__init__()
        self.job = job

    @Slot()
    def run(self) -> None:
        self.job.run()


class JobRunner:
    """Starts jobs on a thread pool of one worker, one job after another.

    Writes are ordered by the writer, not here (see the module's docstring)."""

    synchronous = False  # tests set this to run jobs inline

    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.jobs: list[Job] = []

    def start(
        self,
        fn: JobFn,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> Job:
        job = Job(fn)
        if on_progress:
            job.progressed.connect(on_progress)
        if on_success:
            job.succeeded.connect(on_success)
        if on_failure:
            job.failed.connect(on_failure)
        self.jobs.append(job)
        job.finished.connect(lambda: self.jobs.remove(job) if job in self.jobs else None)
        if self.synchronous:
            job.run()
        else:
            self.pool.start(_Runnable(job))
        return job

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
