"""The counts under the record list and the screening progress in the status bar.

Counting a stage's records and a reviewer's decisions reads every decision of the
stage: 120 ms a time at 1,000,000 records, too slow for every key press. So the
counts are worked out on a background thread (when a review is opened, the stage
changes, and a moment after the last of a run of decisions) and in between kept up
to date by arithmetic: a decision on a record that had none adds one to "screened",
an undone one takes it away. The list's own size is always known (it is the model's
row count).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel

from reviewer.review.screening import STAGE_LABELS, Progress
from reviewer.review.screening import progress as screening_progress
from reviewer.ui.session import Session
from reviewer.wording import count


class ScreeningStatus:
    """Keeps the count under the list and the progress in the status bar right,
    cheaply: given the session, the list's model (asked for, as it changes with the
    review) and the two labels."""

    def __init__(
        self, session: Session, model: Callable[[], Any], count_label: QLabel,
        progress_label: QLabel,
    ):  # fmt: skip
        self.s, self.model = session, model
        self.count_label, self.progress_label = count_label, progress_label
        self.progress: Progress | None = None
        self._generation = 0

    def forget(self) -> None:
        """Another review or stage: the known counts no longer apply."""
        self._generation += 1
        self.progress = None

    def show(self) -> None:
        """Show what is known now (no query)."""
        s, p, model = self.s, self.progress, self.model()
        if model is None:
            return
        shown = model.rowCount()
        stage = STAGE_LABELS[s.stage]
        if not model.complete:
            self.count_label.setText(f"{shown:,}+ shown (counting…) at {stage}")
        elif p is None:
            self.count_label.setText(f"{count(shown, 'record')} shown at {stage}")
        else:
            filt = f"{shown:,} shown · " if shown != p.total else ""
            self.count_label.setText(f"{filt}{count(p.total, 'record')} at {stage}")
        if p is None:
            self.progress_label.setText(f"reviewer: {s.reviewer}")
        else:
            self.progress_label.setText(
                f"{p.screened:,} of {p.total:,} screened · reviewer: {s.reviewer}"
            )
        self.progress_label.setToolTip(str(s.store.path))

    def decided(self, was: str | None, now: str | None) -> None:
        """One record's decision went from ``was`` to ``now`` (None: no decision)."""
        p = self.progress
        if p is None or (was is None) == (now is None):
            return
        self.progress = Progress(
            p.stage, p.reviewer, p.screened + (1 if was is None else -1), p.total
        )

    def recount(self) -> None:
        """Count again on the job thread; shown when ready (a newer count wins)."""
        s = self.s
        self._generation += 1
        generation = self._generation
        opener, stage, reviewer, path = s.store.opener(), s.stage, s.reviewer, s.store.path

        def work(_progress, _cancelled) -> Progress:
            with opener() as store:
                return screening_progress(store, stage, reviewer)

        def done(p: Progress) -> None:
            if generation == self._generation and s.store.path == path and s.stage == stage:
                self.progress = p
                self.show()

        s.jobs.start(work, on_success=done)
