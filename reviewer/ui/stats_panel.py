"""The statistics panel: how far screening is at each stage, and how well each pair of
reviewers agrees, with the counts the figures come from.

A kappa alone can mislead (a high agreement on a rare include gives a low kappa,
the "kappa paradox"), so every pair's figures stand beside its 2x2 table and
PABAK, and the panel says plainly that "maybe" is counted as include, as
``reviewer.review.agreement`` does. Everything shown comes from
``reviewer.review.stats.stats``, the same numbers ``reviewer stats --json`` prints.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import STAGES
from reviewer.review.agreement import kappa_words
from reviewer.review.operations import Changes
from reviewer.review.screening import STAGE_LABELS
from reviewer.review.stats import stats
from reviewer.store import Store
from reviewer.ui import plain, theme
from reviewer.ui.operations import Operations

MAYBE_NOTE = "“Maybe” is counted as include."
UNDEFINED = "—"
class StatsPanel(QWidget):
    """Per stage: records, decisions and resolutions; per reviewer pair: agreement."""

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        jobs: Any = None,
        ops: Operations | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("stats_panel")
        self.store = store
        # counts again a moment after the change notices that touch them (decisions,
        # resolutions, a merge), so that screening by key never waits for it
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(300)
        self._reload_timer.timeout.connect(self.reload)
        if ops is not None:
            ops.operation_did_execute.connect(self._changed)
        # with a JobRunner, counting (a third of a second on 100,000 records) runs on
        # the worker thread with its own connection, and the panel fills in after
        self.jobs = jobs
        self._generation = 0
        self.data: dict[str, Any] = {}
        self._stale = True

        self.maybe_note = QLabel(MAYBE_NOTE)
        self.maybe_note.setObjectName("stats_maybe_note")
        self.maybe_note.setToolTip(
            "Agreement is worked out on include against exclude. A reviewer's “maybe” "
            "sends a record on to the next stage, so it counts as include here too."
        )
        self.maybe_note.setStyleSheet("font-style: italic;")
        self.content = QWidget()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.maybe_note)
        layout.addWidget(self.scroll, 1)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self.reload()

    def set_store(self, store: Store) -> None:
        self.store = store
        self.reload()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.counts:
            self._reload_timer.start()

    def reload(self) -> None:
        """Count again (after decisions, resolutions or a merge). Hidden (a closed or
        tabbed-away dock), the panel only notes that it is out of date and counts when
        shown, so screening does not pay for figures nobody is looking at."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if self.jobs is None:
            self._show(stats(self.store))
            return
        self._generation += 1
        generation, path, opener = self._generation, self.store.path, self.store.opener()

        def work(progress, cancelled) -> dict[str, Any]:
            with opener() as store:
                return stats(store)

        def done(data: dict[str, Any]) -> None:
            if generation == self._generation and self.store.path == path:
                self._show(data)

        self.jobs.start(work, on_success=done)

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        # a new page replaces the old one whole (the scroll area deletes it), keeping
        # the reader's place
        position = self.scroll.verticalScrollBar().value()
        self.content = QWidget()
        v = QVBoxLayout(self.content)
        v.setContentsMargins(0, 0, 0, 0)
        for stage in STAGES:
            v.addWidget(self._stage_box(stage, self.data["stages"][stage]))
        v.addStretch(1)
        self.scroll.setWidget(self.content)
        self.scroll.verticalScrollBar().setValue(position)

    def value(self, name: str) -> str:
        """The text of a figure by its object name (``stats_<stage>_<what>[_<pair>]``)."""
        label = self.content.findChild(QLabel, name)
        return label.text() if label is not None else ""

    # -- one stage ------------------------------------------------------------------------

    def _stage_box(self, stage: str, s: dict[str, Any]) -> QGroupBox:
        box = QGroupBox(STAGE_LABELS[stage].capitalize())
        box.setObjectName(f"stats_{stage}")
        v = QVBoxLayout(box)
        if s["records"] == 0:
            v.addWidget(_muted(f"No records have reached {STAGE_LABELS[stage]} yet."))
            return box
        final, decisions = s["final"], s["decisions"]
        # (heading, [(object name, count, words, colour)])
        rows = (
            ("Records", [("records", s["records"], "at this stage", None)]),
            (
                "Screened",
                [
                    ("screened", s["screened"], "screened", None),
                    ("undecided", final["undecided"], "not yet", None),
                ],
            ),
            (
                "Final decisions",
                [
                    ("final_include", final["include"], "include", "include"),
                    ("final_exclude", final["exclude"], "exclude", "exclude"),
                    ("final_conflict", final["conflict"], "in conflict", None),
                    ("resolved", s["resolved"], "resolved", None),
                ],
            ),
            (
                "Reviewers' decisions",
                [
                    ("decisions_include", decisions["include"], "include", "include"),
                    ("decisions_exclude", decisions["exclude"], "exclude", "exclude"),
                    ("decisions_maybe", decisions["maybe"], "maybe", "maybe"),
                ],
            ),
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        for row, (heading, cells) in enumerate(rows):
            grid.addWidget(_muted(heading), row, 0)
            for col, (what, n, words, colour) in enumerate(cells, start=1):
                grid.addWidget(_figure(f"stats_{stage}_{what}", n, words, colour), row, col)
        grid.setColumnStretch(5, 1)
        v.addLayout(grid)
        if s["reviewers"]:
            v.addWidget(self._reviewers_grid(stage, s["reviewers"]))
        v.addWidget(self._agreement(stage, s["agreement"]))
        return box

    def _reviewers_grid(self, stage: str, reviewers: dict[str, dict[str, int]]) -> QWidget:
        w = QWidget()
        grid = QGridLayout(w)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setHorizontalSpacing(14)
        for col, heading in enumerate(("Reviewer", "screened", "include", "exclude", "maybe")):
            grid.addWidget(_muted(heading), 0, col)
        for row, (name, counts) in enumerate(reviewers.items(), start=1):
            grid.addWidget(plain.label(name), row, 0)  # names come from other copies too
            for col, what in enumerate(("screened", "include", "exclude", "maybe"), start=1):
                label = _number(f"stats_{stage}_{name}_{what}", counts[what])
                if what in theme.DECISIONS:
                    label.setStyleSheet(f"color: {theme.css(theme.decision_colour(what))};")
                grid.addWidget(label, row, col)
        grid.setColumnStretch(5, 1)
        return w

    # -- agreement --------------------------------------------------------------------------

    def _agreement(self, stage: str, pairs: list[dict[str, Any]]) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 6, 0, 0)
        heading = QLabel("Agreement")
        heading.setStyleSheet("font-weight: 600;")
        v.addWidget(heading)
        if not pairs:
            v.addWidget(_muted("No two reviewers have screened the same record yet."))
        for pair in pairs:
            v.addWidget(self._pair(stage, pair))
        return w

    def _pair(self, stage: str, p: dict[str, Any]) -> QWidget:
        first, second = p["reviewers"]
        key = f"{stage}_{first}_{second}"
        w = QFrame()
        w.setObjectName(f"stats_pair_{key}")
        w.setFrameShape(QFrame.Shape.StyledPanel)
        h = QHBoxLayout(w)
        figures = QGridLayout()
        title = plain.label(f"{first} and {second}")
        title.setStyleSheet("font-weight: 600;")
        figures.addWidget(title, 0, 0, 1, 2)
        kappa, po, pabak = p["kappa"], p["percent_agreement"], p["pabak"]
        rows = (
            ("Records both screened", "n", str(p["n"]), ""),
            ("Cohen's kappa", "kappa", _fixed(kappa, 2), _kappa_tip(kappa)),
            ("Percent agreement", "percent", _percent(po), "Records both decided alike"),
            (
                "PABAK",
                "pabak",
                _fixed(pabak, 2),
                "Prevalence- and bias-adjusted kappa: 2 × agreement − 1. Steadier than "
                "kappa when nearly every record is excluded.",
            ),
        )
        for row, (words, what, text, tip) in enumerate(rows, start=1):
            figures.addWidget(_muted(words), row, 0)
            label = QLabel(text)
            label.setObjectName(f"stats_{what}_{key}")
            label.setToolTip(tip)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            figures.addWidget(label, row, 1)
        # what a kappa means, in the words reviews quote (Landis and Koch, 1977)
        meaning = _muted(
            f"{kappa_words(kappa)} agreement (Landis & Koch)" if kappa is not None else
            "undefined: see percent agreement"
        )  # fmt: skip
        meaning.setObjectName(f"stats_kappa_words_{key}")
        figures.addWidget(meaning, 2, 2)
        h.addLayout(figures)
        h.addSpacing(16)
        h.addWidget(_table_2x2(key, first, second, p["table"]))
        h.addStretch(1)
        return w


def _table_2x2(key: str, first: str, second: str, table: list[list[int]]) -> QWidget:
    """The pair's counts: the first reviewer's decisions down, the second's across, with
    totals; the cells where they agree in bold."""
    (a, b), (c, d) = table
    w = QWidget()
    w.setObjectName(f"stats_table_{key}")
    grid = QGridLayout(w)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(2)
    for col, words in enumerate((f"{second}: include", f"{second}: exclude", "total"), start=1):
        grid.addWidget(_header(words), 0, col)
    rows = ((f"{first}: include", a, b), (f"{first}: exclude", c, d), ("total", a + c, b + d))
    for row, (words, left, right) in enumerate(rows, start=1):
        grid.addWidget(_header(words), row, 0)
        for col, n in enumerate((left, right, left + right), start=1):
            label = _number(f"stats_cell_{key}_{row - 1}{col - 1}", n)
            if (row, col) in ((1, 1), (2, 2)):
                label.setStyleSheet("font-weight: 600;")
            elif row == 3 or col == 3:
                label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            grid.addWidget(label, row, col)
    return w


# -- small pieces ------------------------------------------------------------------------------


def _figure(name: str, n: int, words: str, colour: str | None) -> QLabel:
    label = QLabel(f"<b>{n}</b> {words}")
    label.setObjectName(name)
    if colour:
        label.setStyleSheet(f"color: {theme.css(theme.decision_colour(colour))};")
    return label


def _number(name: str, n: int) -> QLabel:
    label = QLabel(str(n))
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def _header(text: str) -> QLabel:
    label = _muted(text)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def _muted(text: str) -> QLabel:
    label = plain.label(text)  # headers name reviewers
    label.setTextFormat(Qt.TextFormat.PlainText)  # reviewer names are data, not markup
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _fixed(x: float | None, digits: int) -> str:
    return UNDEFINED if x is None else f"{x:.{digits}f}"


def _percent(x: float | None) -> str:
    return UNDEFINED if x is None else f"{x:.1f} %"


def _kappa_tip(kappa: float | None) -> str:
    if kappa is None:
        return (
            "Undefined: both reviewers gave every record the same decision, so chance "
            "agreement is 1 and kappa is 0/0. See percent agreement and PABAK."
        )
    return f"κ = {kappa:.4f}: {kappa_words(kappa)} agreement (Landis and Koch)"
