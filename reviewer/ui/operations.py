"""Running the user's actions and telling every panel what changed (Anki's
``CollectionOp`` and its ``operation_did_execute`` hook).

A widget never writes the review: it hands an operation (see
``reviewer.review.operations``) to ``Operations.run``, which runs it on the one
writing thread and then emits ``operation_did_execute(changes, initiator)`` on the
main thread. Every panel listens and refreshes itself when the change concerns what
it shows; the window no longer refreshes panels by hand.

A user's edit is short and the window needs its outcome (the next record to show, an
error to put beside a field), so ``run`` waits for it; the writer takes it ahead of
any job and between two of a job's short transactions, so the wait is one short batch
at most. A widget used on its own (a test, a dialog opened without a window) gets an
``Operations`` that runs operations inline on its store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from reviewer.annotate.undo import UndoStack
from reviewer.review import operations as op
from reviewer.review.operations import Changes, Operation
from reviewer.store import Store
from reviewer.ui.writer import Writer

T = TypeVar("T")


class Operations(QObject):
    """Runs operations on the review's writer; announces what each one changed."""

    operation_did_execute = Signal(object, object)  # Changes, initiator (or None)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.writer: Writer | None = None
        self._inline: Store | None = None
        self.stack: UndoStack | None = None  # the undo history, its commands run on the writer

    @classmethod
    def inline(cls, store: Store, parent: QObject | None = None) -> Operations:
        """Operations run on ``store`` itself, on the calling thread (a widget on its own)."""
        ops = cls(parent)
        ops._inline = store
        ops.stack = UndoStack(store)
        return ops

    def attach(self, writer: Writer) -> None:
        """Write through ``writer`` from now on (the window opened a review), with a new
        undo history whose commands run with the writing store."""
        self.writer = writer
        self._inline = None
        self.stack = writer.call(UndoStack, edit=False)  # not the reviewer screening

    # -- undoable edits ------------------------------------------------------------------

    def push(self, command: Any, initiator: object | None = None) -> Changes:
        """Do an undoable command and announce it."""
        assert self.stack is not None
        return self.run(op.push(self.stack, command), initiator)

    def undo(self, initiator: object | None = None) -> Changes:
        assert self.stack is not None
        return self.run(op.undo(self.stack), initiator)

    def redo(self, initiator: object | None = None) -> Changes:
        assert self.stack is not None
        return self.run(op.redo(self.stack), initiator)

    # -- running -------------------------------------------------------------------------

    def run(self, op: Operation, initiator: object | None = None) -> Changes:
        """Run ``op`` now, wait for it, announce its changes; its errors are raised here,
        and then nothing is announced."""
        changes = self.write(op)
        self.operation_did_execute.emit(changes, initiator)
        return changes

    def write(self, fn: Callable[[Store], T]) -> T:
        """Run ``fn(store)`` on the writer and wait for it, announcing nothing."""
        if self._inline is not None:
            return fn(self._inline)
        if self.writer is None:
            raise RuntimeError("no review is open")
        return self.writer.call(fn)

    def job(self, fn: Callable[[Store], T]) -> T:
        """Run a background job's writing part (from the job's thread) on the writer, after
        the jobs queued before it; the user's edits still go between its transactions."""
        if self._inline is not None:
            return fn(self._inline)
        if self.writer is None:
            raise RuntimeError("no review is open")
        return self.writer.run(fn)

    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        """Say what a finished job changed (an import, a merge, a sync)."""
        self.operation_did_execute.emit(changes, initiator)


def listen(ops: Operations, slot: Callable[[Changes, Any], None]) -> None:
    """Connect ``slot`` to ``ops``' change notices."""
    ops.operation_did_execute.connect(slot)
