"""The recall curve's dock: the stopping rule's picture, verdict and targets.

Split from ``rank_controller`` (which ranks and orders the list): this draws the recall
curve of the current ranking in the background when the dock is shown, saves it as PNG
or SVG, and keeps the stopping rule's targets the reviewer chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMessageBox

from reviewer.rank import curve
from reviewer.rank.session import RankResult, set_stopping_targets, stopping_targets
from reviewer.rank.stopping import StopVerdict
from reviewer.review import operations as op
from reviewer.review.operations import Changes
from reviewer.store import Store
from reviewer.ui.jobs import JobRunner
from reviewer.ui.rank_curve import RecallCurvePanel
from reviewer.ui.session import Session

NO_DECISIONS = "The stopping rule needs decisions at this stage."


class RecallCurveDock:
    """The dock of the recall curve of ``result()`` (the ranking shown, or None);
    ``generation()`` tells a picture drawn for an older ranking; ``targets_set`` is
    called once the reviewer changed the stopping rule's targets, a change made on behalf of
    ``initiator`` (the ranking's controller)."""

    def __init__(
        self,
        session: Session,
        initiator: QObject,
        jobs: JobRunner,
        result: Callable[[], RankResult | None],
        generation: Callable[[], int],
        targets_set: Callable[[], None],
    ):
        self.s = session
        self.initiator = initiator
        self.jobs = jobs
        self.result = result
        self.generation = generation
        self.targets_set = targets_set
        self.stopped_at: int | None = None
        self.panel = RecallCurvePanel()
        self.panel.render_wanted.connect(lambda _s: self.render())
        self.panel.save_wanted.connect(self.save)
        self.panel.targets_changed.connect(self.set_targets)
        self.dock = QDockWidget("Recall curve", session.widget)
        self.dock.setObjectName("recall_dock")
        self.dock.setWidget(self.panel)
        self.dock.visibilityChanged.connect(lambda shown: self.render() if shown else None)

    def reset(self, store: Store) -> None:
        """A review was opened: no picture yet, and its own targets."""
        self.stopped_at = None
        self.panel.set_picture(None)
        self.panel.set_verdict(NO_DECISIONS)
        self.panel.set_targets(*stopping_targets(store))

    def wanted(self) -> bool:
        """Whether a ranking should draw the curve with it (the dock is shown)."""
        return self.dock.isVisible()

    def request(self) -> tuple[QSize, curve.Colours]:
        """The size and colours a picture is drawn in."""
        return self.panel.picture_size(), _colours()

    def show(self, result: RankResult, png: bytes | None, stopped_at: int | None) -> None:
        """A ranking finished: its verdict, and its picture if one was drawn."""
        if png is not None:
            self.stopped_at = stopped_at
            self.panel.set_picture(png)
        self.panel.set_verdict(verdict_text(result))

    def set_targets(self, recall: float, confidence: float) -> None:
        """The reviewer changed the stopping rule's targets: keep them, and run it again."""
        who = self.s.reviewer
        try:
            self.s.ops.run(
                op.write(lambda s: set_stopping_targets(s, recall, confidence, who),
                         Changes(settings=frozenset(["stopping_targets"]))), self.initiator)  # fmt: skip
        except ValueError as exc:
            QMessageBox.warning(self.s.widget, "Stopping rule", str(exc))
            return
        self.targets_set()

    def render(self) -> None:
        result = self.result()
        if result is None or not self.dock.isVisible():
            return
        (size, colours), generation = self.request(), self.generation()

        def work(progress, cancelled) -> tuple[int, int | None, bytes]:
            stopped_at = curve.first_stop(result.labels, result.total)
            return generation, stopped_at, render(result, stopped_at, size, colours)

        def done(out: tuple[int, int | None, bytes]) -> None:
            if out[0] == self.generation():
                self.stopped_at = out[1]
                self.panel.set_picture(out[2])

        self.jobs.start(work, on_success=done)

    def save(self, fmt: str) -> None:
        if self.result() is None:
            return
        default = f"{self.s.store.path.with_suffix('')}-recall-curve.{fmt}"
        path, _ = QFileDialog.getSaveFileName(
            self.s.widget, "Save the recall curve", default, f"{fmt.upper()} (*.{fmt})"
        )
        if path:
            self.write(path if path.lower().endswith(f".{fmt}") else f"{path}.{fmt}")

    def write(self, path: str) -> None:
        """Save the current recall curve as PNG or SVG (by suffix), in the background."""
        result, stopped_at = self.result(), self.stopped_at
        if result is None:
            return

        def work(progress, cancelled) -> Path:
            fig = curve.figure(result.labels, result.total, result.verdict, stopped_at)
            return curve.save(fig, path)

        self.jobs.start(
            work,
            on_success=lambda p: self.s.status(f"Saved {p}", 5000),
            on_failure=lambda m: QMessageBox.warning(self.s.widget, "Recall curve not saved", m),
        )


def _colours() -> curve.Colours:
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    return curve.DARK if window.lightness() < 128 else curve.Colours()


def render(
    result: RankResult, stopped_at: int | None, size: QSize, colours: curve.Colours
) -> bytes:
    """The recall curve of ``result`` as PNG bytes (safe off the main thread)."""
    dpi = 100
    fig = curve.figure(
        result.labels,
        result.total,
        result.verdict,
        stopped_at,
        colours=colours,
        size=(size.width() / dpi, size.height() / dpi),
        dpi=dpi,
    )
    return curve.render(fig, "png")


def verdict_text(result: RankResult) -> str:
    """The stopping rule's verdict in a sentence, under the curve."""
    v = result.verdict
    if not v.screened:
        return NO_DECISIONS
    return (
        f"{v.found:,} includes in {v.screened:,} of {v.total:,} records screened. "
        f"Stopping rule: {v.text}. At most {v.missing_max:,} includes are left "
        f"({round(v.confidence * 100)}% confidence)."
    )


def status_text(v: StopVerdict) -> str:
    """The status bar's words: includes found, estimated left, the verdict."""
    left = (
        f"est. {_includes(v.missing_median)} left (at most {v.missing_max:,})"
        if v.screened < v.total
        else "all screened"
    )
    return f"{_includes(v.found)} · {left} · {v.short} ·"


def _includes(n: int) -> str:
    return f"{n:,} include" + ("" if n == 1 else "s")
