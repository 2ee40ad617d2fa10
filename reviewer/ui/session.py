"""What the window's parts share about the open review, and nothing more.

The main window used to be one class over three files: mixins that read some fifty of
its attributes and called each other. Its parts are now components (the record list,
screening, extraction, results, ranking, bulk decisions), each built from a
``Session`` and the few widgets it works on, never from the window. A ``Session``
holds:

* the open review, for reading (``store``); every write goes through ``ops``, the
  operations runner (``reviewer.ui.operations``), whose change notices the parts
  listen to;
* ``jobs`` for background work;
* who is screening (``reviewer``), at which ``stage``, which record is shown
  (``current_id``), the review's extraction ``template`` and its compiled keyword
  terms;
* a status sink (``status(text, ms)``) and the widget dialogs are parented to.

A test builds a ``Session`` on a real review with ``Operations.inline`` and a
synchronous ``JobRunner``, and presses a component's actions without any window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar, QWidget

from reviewer.annotate.undo import UndoStack
from reviewer.domain import Template
from reviewer.review.keywords import compiled_terms
from reviewer.review.operations import Changes, Operation
from reviewer.store import Store
from reviewer.ui.jobs import JobRunner
from reviewer.ui.operations import Operations

TITLE_ABSTRACT = "title_abstract"


class Session(QObject):
    """The open review as the window's parts see it (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        ops: Operations,
        jobs: JobRunner,
        reviewer: str,
        widget: QWidget | None = None,
        status_bar: QStatusBar | None = None,
    ):
        super().__init__(widget)
        self.store = store  # for reading: every write goes through ``ops``
        self.ops = ops
        self.jobs = jobs
        self.reviewer = reviewer
        self.stage = TITLE_ABSTRACT
        self.current_id: int | None = None
        self.widget = widget  # what dialogs and message boxes are parented to
        self.status_bar = status_bar  # where ``status`` speaks (none: nowhere)
        self.template: Template = store.template()
        self.compiled_terms: Any = compiled_terms(store)
        self.said = ""  # the last thing said (a session without a status bar keeps it)

    def open(self, store: Store) -> None:
        """Another review is open: read its template and keyword terms."""
        self.store = store
        self.template = store.template()
        self.compiled_terms = compiled_terms(store)

    def status(self, text: str, ms: int = 0) -> None:
        """Say ``text`` in the status bar for ``ms`` milliseconds (0: until replaced)."""
        self.said = text
        if self.status_bar is not None:
            self.status_bar.showMessage(text, ms)

    @property
    def stack(self) -> UndoStack:
        """The undo history the undoable operations go on."""
        assert self.ops.stack is not None, "no review is open"
        return self.ops.stack

    def run(self, operation: Operation, initiator: object | None = None) -> Changes:
        """Run one of the user's operations (``reviewer.review.operations``) where the
        review is written; its change notice names ``initiator``, by default this
        session (an action in this window: counts follow a moment after a run of keys)."""
        return self.ops.run(operation, self if initiator is None else initiator)
