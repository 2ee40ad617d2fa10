"""Deciding many records at once from the window: the rows selected in the list
(Shift/Ctrl-click, Ctrl+A) or everything the filters show.

The decisions are written on the job thread with their own connection, in one
transaction, with a progress dialog that can cancel (nothing is kept then); the
window stays responsive. The result is one step on the undo stack, and undoing or
redoing it runs in the background the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QProgressDialog

from reviewer.review.bulk import BulkDecision
from reviewer.review.settings import exclusion_reasons
from reviewer.store.bulk_decisions import Cancelled
from reviewer.ui import plain
from reviewer.wording import count


class BulkDecisions:
    """The window's bulk decisions (``window.bulk``)."""

    def __init__(self, window: Any):
        self.w = window
        self.dialog: QProgressDialog | None = None
        self.last_message = ""

    # -- what is chosen -----------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The records of the selected rows, in list order (read from the selection's
        ranges, not index by index: a Ctrl+A over 100,000 rows is one range)."""
        selection = self.w.table.selectionModel()
        if selection is None:
            return []
        rows: set[int] = set()
        for rng in selection.selection():
            rows.update(range(rng.top(), rng.bottom() + 1))
        ids = self.w.model.ids
        return [int(ids[r]) for r in sorted(rows) if r < len(ids)]

    def decide_selected(self, kind: str, reason: str = "") -> bool:
        """With more than one row selected, decide them all (after asking); True when the
        selection was handled here (the caller then decides nothing itself)."""
        ids = self.selected_ids()
        if len(ids) < 2:
            return False
        self.decide(ids, kind, reason, "the selected")
        return True

    def decide_shown(self, kind: str | None = None) -> None:
        """Decide every record the list shows (the filters and search applied)."""
        if not self.w.model.complete:  # only its first page is known yet
            self.last_message = "The list is still being counted; try again in a moment"
            self.w.statusBar().showMessage(self.last_message, 5000)
            return
        ids = [int(i) for i in self.w.model.ids]
        if not ids:
            plain.inform(self.w, "Nothing to decide", "The list shows no records.")
            return
        if kind is None:
            kind, ok = QInputDialog.getItem(
                self.w, "Decide every record shown",
                f"Decision for the {count(len(ids), 'record')} the list shows:",
                ["include", "exclude", "maybe"], 1, False,
            )  # fmt: skip
            if not ok:
                return
        self.decide(ids, kind, "", "every shown")

    def decide(self, ids: list[int], kind: str, reason: str, which: str) -> None:
        w = self.w
        if w.store.read_only:
            w.statusBar().showMessage("The review is open read-only: no decision recorded", 5000)
            return
        if kind == "exclude" and not reason and w.stage == "full_text":
            reason, ok = QInputDialog.getItem(
                w, "Exclusion reason", f"Why are these {len(ids):,} records excluded?",
                exclusion_reasons(w.store), 0, False,
            )  # fmt: skip
            if not ok:
                return
        text = (
            f"Record your decision “{kind}”{f' ({reason})' if reason else ''} on "
            f"{which} {count(len(ids), 'record')}? Their earlier decisions are replaced; "
            "Undo puts them back in one step."
        )
        if not plain.ask(w, f"{kind.capitalize()} {len(ids):,} records", text):
            return
        command = BulkDecision(ids, kind, w.reviewer, w.stage, reason)
        self._run(command, "do", f"Recording {kind} on {count(len(ids), 'record')}…")

    # -- doing, undoing, redoing in the background --------------------------------------

    def undo(self, command: BulkDecision) -> None:
        self._run(command, "undo", f"Undoing {command.label}…")

    def redo(self, command: BulkDecision) -> None:
        self._run(command, "redo", f"Redoing {command.label}…")

    def _run(self, command: BulkDecision, step: str, text: str) -> None:
        w = self.w
        opener = w.store.opener()
        dialog = QProgressDialog(text, "Cancel", 0, 100, w)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self.dialog = dialog

        def work(progress, cancelled) -> int:
            with opener() as store:
                report = lambda d, t: progress((d, t))  # noqa: E731
                if step == "undo":
                    command.undo(store, None, report, cancelled)
                else:
                    command.do(store, None, report, cancelled)
            return len(command.touched)

        def on_progress(p) -> None:
            done, total = p
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))

        def done(n: int) -> None:
            dialog.reset()
            stack = w.undo_stack
            w._changed_command = command  # what the undo stack's notice refreshes
            try:
                if step == "do":
                    stack.record_done(command)
                elif step == "undo":
                    stack.record_undone()
                else:
                    stack.record_redone()
            finally:
                w._changed_command = None
            verb = {"do": "Recorded", "undo": "Undid", "redo": "Redid"}[step]
            self.last_message = f"{verb} {command.decision} on {count(n, 'record')}"
            w.statusBar().showMessage(self.last_message, 8000)

        def failed(message: str) -> None:
            dialog.reset()
            if Cancelled.__name__ in message:
                self.last_message = "Cancelled: no decision was changed"
                w.statusBar().showMessage(self.last_message, 8000)
                return
            plain.warn(w, "Decisions not recorded", message)

        job = w.jobs.start(work, on_success=done, on_failure=failed, on_progress=on_progress)
        dialog.canceled.connect(job.cancel)
