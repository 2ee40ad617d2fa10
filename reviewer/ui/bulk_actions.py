"""Deciding many records at once from the window: the rows selected in the list
(Shift/Ctrl-click, Shift+arrows, Ctrl+A) or everything the filters show.

A bulk decision is one ``BulkDecision`` command on the operations' undo history, so
one Ctrl+Z undoes all of it. Doing, undoing and redoing it run as a job on the
review's one writer (``Operations.job``) with progress and Cancel in the status bar,
as the import does; a cancel keeps nothing (one transaction). When the step is done
its change notice refreshes the list (the rows on screen) and the counts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog

from reviewer.review import operations as op
from reviewer.review.bulk import BulkDecision
from reviewer.review.operations import Changes
from reviewer.review.screening import DECISIONS
from reviewer.review.settings import exclusion_reasons
from reviewer.store.bulk_decisions import Cancelled
from reviewer.ui import plain
from reviewer.ui.import_dialog import StatusProgress
from reviewer.ui.jobs import Job
from reviewer.ui.record_list import RecordList
from reviewer.ui.session import Session
from reviewer.wording import count


class BulkDecisions:
    """Bulk decisions on a record list (``ScreeningActions.bulk``): given the session,
    the list (its rows and selection) and the exclusion reason chosen under it."""

    def __init__(self, session: Session, records: RecordList, reason: Callable[[], str]):
        self.s = session
        self.records = records
        self.reason = reason
        self.job: Job | None = None
        self.progress: StatusProgress | None = None
        self.last_message = ""

    @property
    def busy(self) -> bool:
        """A bulk step is queued or being written, or its outcome is not shown yet (a
        decision by key would wait for it)."""
        return self.job is not None

    # -- what is chosen -----------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The records of the selected rows, in list order (read from the selection's
        ranges, not row by row: Ctrl+A over 100,000 rows is one range)."""
        selection = self.records.table.selectionModel()
        if selection is None or self.records.model is None:
            return []
        rows: set[int] = set()
        for rng in selection.selection():
            rows.update(range(rng.top(), rng.bottom() + 1))
        ids = self.records.model.ids
        return [int(ids[r]) for r in sorted(rows) if r < len(ids)]

    def several_selected(self) -> bool:
        """More than one row is selected (without listing them)."""
        selection = self.records.table.selectionModel()
        if selection is None:
            return False
        rows = 0
        for rng in selection.selection():
            rows += rng.bottom() - rng.top() + 1
            if rows > 1:
                return True
        return False

    def decide_selected(self, kind: str, reason: str = "") -> None:
        """Decide every selected record (I/E/M or a button with several rows selected)."""
        ids = self.selected_ids()
        if ids:
            self.decide(ids, kind, reason)

    def decide_shown(self, kind: str | None = None) -> None:
        """Screening → Decide all shown…: every record the list shows (its filters and
        search applied), after a question naming how many."""
        s, model = self.s, self.records.model
        if model is None or not model.complete:
            s.status("The list is still being worked out: try again in a moment", 5000)
            return
        ids = [int(i) for i in model.ids]
        if not ids:
            plain.inform(s.widget, "Nothing to decide", "The list shows no records.")
            return
        if kind is None:
            kind, ok = QInputDialog.getItem(
                s.widget, "Decide all shown",
                f"Your decision on all {count(len(ids), 'record')} the list shows:",
                list(DECISIONS), 0, False,
            )  # fmt: skip
            self.records.table.setFocus()
            if not ok:
                return
        reason = self.reason() if kind == "exclude" else ""
        reason = self._full_text_reason(kind, reason or "", len(ids))
        if reason is None:
            return
        text = (
            f"Record “{kind}”{f' ({reason})' if reason else ''} as your decision on all "
            f"{count(len(ids), 'record')} the list shows? Your earlier decisions on them are "
            "replaced; Undo (Ctrl+Z) puts them all back in one step."
        )
        if not plain.ask(s.widget, f"{kind.capitalize()} {len(ids):,} records", text):
            return
        self.decide(ids, kind, reason, asked=True)

    def decide(self, ids: list[int], kind: str, reason: str = "", asked: bool = False) -> None:
        """Record ``kind`` on ``ids`` as one undoable step, in the background."""
        s = self.s
        if s.store.read_only:
            s.status("The review is open read-only: no decision recorded", 5000)
            return
        if self.busy:
            s.status("Other decisions are still being recorded", 5000)
            return
        if not asked:
            got = self._full_text_reason(kind, reason, len(ids))
            if got is None:
                return
            reason = got
        command = BulkDecision(ids, kind, s.reviewer, s.stage, reason)
        self._run(command, "do", f"Recording {kind} on {count(len(ids), 'record')}")

    def _full_text_reason(self, kind: str, reason: str, n: int) -> str | None:
        """An exclusion at full text needs a reason: one asked for all (None: cancelled)."""
        s = self.s
        if kind != "exclude" or reason or s.stage != "full_text":
            return reason
        reason, ok = QInputDialog.getItem(
            s.widget, "Exclusion reason", f"Why are these {count(n, 'record')} excluded at full text?",
            exclusion_reasons(s.store), 0, False,
        )  # fmt: skip
        if s.widget is not None:
            s.widget.activateWindow()  # the keys go back to the list
        self.records.table.setFocus()
        return reason if ok else None

    # -- undo and redo: the top of the history is a bulk decision ------------------------

    def undo(self) -> bool:
        """Undo the last step in the background if it is a bulk decision (True then)."""
        stack = self.s.ops.stack
        command = stack.next_undo if stack is not None else None
        if not isinstance(command, BulkDecision):
            return False
        if not self.busy:
            self._run(command, "undo", f"Undoing {command.label}")
        return True

    def redo(self) -> bool:
        stack = self.s.ops.stack
        command = stack.next_redo if stack is not None else None
        if not isinstance(command, BulkDecision):
            return False
        if not self.busy:
            self._run(command, "redo", f"Redoing {command.label}")
        return True

    # -- one step as a job on the writer --------------------------------------------------

    def _run(self, command: BulkDecision, step: str, text: str) -> None:
        s = self.s
        stack = s.ops.stack
        assert stack is not None
        operation = {"do": op.push, "undo": op.undo, "redo": op.redo}[step]
        write = operation(stack, command) if step == "do" else operation(stack)
        on_writer = s.ops.job

        def work(progress, cancelled) -> Changes:
            command.progress = lambda done, total: progress((done, total))
            command.cancelled = cancelled
            try:
                return on_writer(write)
            finally:
                command.progress = command.cancelled = None

        bar = StatusProgress("bulk_progress", s.widget)
        bar.setLabelText(f"{text}…")
        if s.status_bar is not None:
            s.status_bar.addPermanentWidget(bar)
        self.progress = bar

        def on_progress(p: tuple[int, int]) -> None:
            if self.progress is not bar:  # arrived after the step was done
                return
            done, total = p
            bar.setMaximum(max(total, 1))
            bar.setValue(min(done, max(total, 1)))

        def finished() -> None:
            self.job = None
            bar.reset()
            if s.status_bar is not None:
                s.status_bar.removeWidget(bar)
            bar.deleteLater()
            self.progress = None

        def done(changes: Changes) -> None:
            finished()
            s.ops.announce(changes, s)  # list rows on screen, counts, panels
            verb = {"do": "Recorded", "undo": "Undid", "redo": "Redid"}[step]
            n = len(command.touched)
            self.last_message = f"{verb} {command.decision} on {count(n, 'record')}" + (
                " (Ctrl+Z undoes it)" if step != "undo" else ""
            )
            s.status(self.last_message, 8000)

        def failed(message: str) -> None:
            finished()
            if Cancelled.__name__ in message:
                self.last_message = "Cancelled: no decision was changed"
                s.status(self.last_message, 8000)
                return
            plain.warn(s.widget, "Decisions not recorded", message)

        job = s.jobs.start(work, on_success=done, on_failure=failed, on_progress=on_progress)
        if not job.done:  # else it ran inline (tests) and its outcome is already shown
            self.job = job
            bar.canceled.connect(job.cancel)
