"""The results grid beside the document: arms, outcomes, each arm's result for the
selected outcome, and the comparisons reported for it, in small tables that fit the
form's width.

The panel shows and edits; it never writes. Every edit, drop or accepted suggestion is
handed to the window as cells to set (``cells_requested``) or a selection to read
(``selection_requested``), which it turns into undoable, logged changes. A cell is
filled from the document by dropping selected words on it, by the document's context
menu, or with Alt+1…Alt+9 for the cells of the current row (Alt+1 is its first column).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import OutcomeSpec
from reviewer.domain.results import (
    MEASURES,
    OUTCOME_KINDS,
    RESULT_COLUMNS_BY_KIND,
    ROLES,
    Item,
    StudyResults,
    arm_label,
    column,
    new_item_id,
    outcome_label,
)
from reviewer.store.results import CellChange
from reviewer.suggest.results import GridSuggestion
from reviewer.ui.results_grid import ResultsGrid, Target, plain_tip

DEFAULT_MEASURE = {"dichotomous": "RR", "continuous": "MD", "time_to_event": "HR", "other": "RR"}
SuggestFn = Callable[[StudyResults, str | None], list[GridSuggestion]]


class ResultsPanel(QWidget):
    """Arms, outcomes, results and comparisons of the record shown (see module docs)."""

    cells_requested = Signal(object, str)  # list[CellChange], label
    delete_requested = Signal(str)  # item id
    selection_requested = Signal(object, int, int)  # Target, start, end
    cell_focused = Signal(str, str)  # item, field: show its words
    suggestion_hovered = Signal(int, int)  # start, end of a suggestion's words

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.record_id: int | None = None
        self.results = StudyResults(0)
        self.suggest: SuggestFn | None = None
        self.outcome_id: str | None = None
        self.medians = False
        self._suggestions: list[GridSuggestion] = []
        self._stale = False

        self.arms = ResultsGrid("results_arms", lambda: self.record_id)
        self.outcomes = ResultsGrid("results_outcomes", lambda: self.record_id)
        self.per_arm = ResultsGrid("results_per_arm", lambda: self.record_id)
        self.comparisons = ResultsGrid("results_comparisons", lambda: self.record_id)
        self.active: ResultsGrid = self.arms
        for grid in (self.arms, self.outcomes, self.per_arm, self.comparisons):
            grid.edited.connect(lambda r, c, t, g=grid: self._edited(g, r, c, t))
            grid.dropped.connect(lambda r, c, s, e, g=grid: self._dropped(g, r, c, s, e))
            grid.activated_cell.connect(lambda g=grid: self._activated(g))
            grid.installEventFilter(self)
        self.outcomes.currentCellChanged.connect(lambda r, *_a: self._pick_outcome(r))

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(2)
        self.arm_add, self.arm_del = self._heading(lay, "Arms", "arm")
        lay.addWidget(self.arms)
        self.outcome_add, self.outcome_del = self._heading(lay, "Outcomes", "outcome")
        self.review_outcomes: list[OutcomeSpec] = []  # the template's, offered by + 's menu
        self.outcome_menu = QMenu(self.outcome_add)
        self.outcome_menu.setObjectName("results_outcome_menu")
        self.outcome_menu.aboutToShow.connect(self._fill_outcome_menu)
        self.outcome_add.setMenu(self.outcome_menu)
        self.outcome_add.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.outcome_add.setToolTip("Add an outcome (the arrow lists the review's outcomes)")
        lay.addWidget(self.outcomes)
        row = QHBoxLayout()
        self.per_arm_label = QLabel("Results per arm")
        self.per_arm_label.setStyleSheet("font-weight: 600;")
        self.per_arm_label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.per_arm_label, 1)
        self.medians_button = QToolButton()
        self.medians_button.setObjectName("results_medians")
        self.medians_button.setText("Medians")
        self.medians_button.setCheckable(True)
        self.medians_button.setToolTip("Show median, quartiles and range instead of mean and SD")
        self.medians_button.toggled.connect(self._toggle_medians)
        row.addWidget(self.medians_button)
        lay.addLayout(row)
        lay.addWidget(self.per_arm)
        self.comparison_add, self.comparison_del = self._heading(lay, "Comparisons", "comparison")
        lay.addWidget(self.comparisons)
        self.error = QLabel()
        self.error.setObjectName("results_error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c62828; font-size: 11px;")
        self.error.hide()
        lay.addWidget(self.error)
        sug = QHBoxLayout()
        title = QLabel("Suggested from the text")
        title.setStyleSheet("font-weight: 600;")
        sug.addWidget(title, 1)
        self.accept_button = QToolButton()
        self.accept_button.setObjectName("results_accept")
        self.accept_button.setText("✓")
        self.accept_button.setToolTip("Accept the selected suggestion (or double-click it)")
        self.accept_button.clicked.connect(lambda: self.accept(self.suggestion_list.currentRow()))
        sug.addWidget(self.accept_button)
        lay.addLayout(sug)
        self.suggestion_list = QListWidget()
        self.suggestion_list.setObjectName("results_suggestions")
        self.suggestion_list.setWordWrap(True)
        self.suggestion_list.setMaximumHeight(120)
        self.suggestion_list.itemDoubleClicked.connect(
            lambda it: self.accept(self.suggestion_list.row(it))
        )
        self.suggestion_list.currentRowChanged.connect(self._hover_suggestion)
        lay.addWidget(self.suggestion_list)
        self.no_suggestions = QLabel("Nothing more to suggest for this record.")
        self.no_suggestions.setStyleSheet("color: palette(mid); font-size: 11px;")
        lay.addWidget(self.no_suggestions)
        hint = QLabel(
            "Drop selected words on a cell, or select words and press Alt+1…Alt+9 for the "
            "cells of the current row. “12/120 (10%)” fills events and N; “3.1 ± 1.2” mean "
            "and SD; an estimate with its CI fills all three."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid); font-size: 11px;")
        lay.addWidget(hint)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setEnabled(False)

    def _heading(self, lay: QVBoxLayout, text: str, kind: str) -> tuple[QToolButton, QToolButton]:
        row = QHBoxLayout()
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600;")
        row.addWidget(label, 1)
        add, remove = QToolButton(), QToolButton()
        add.setText("+")
        add.setObjectName(f"results_add_{kind}")
        add.setToolTip(f"Add {'an' if kind[0] in 'aeiou' else 'a'} {kind}")
        remove.setText("−")
        remove.setObjectName(f"results_delete_{kind}")
        remove.setToolTip(f"Delete the selected {kind} (Ctrl+Z undoes it)")
        add.clicked.connect(lambda: self.add(kind))
        remove.clicked.connect(lambda: self.delete_selected(kind))
        row.addWidget(add)
        row.addWidget(remove)
        lay.addLayout(row)
        return add, remove

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusIn and isinstance(obj, ResultsGrid):
            self._activated(obj)
        return False

    # -- showing -----------------------------------------------------------------------------

    def show_results(self, record_id: int | None, results: StudyResults) -> None:
        """Show a record's results (None: no record)."""
        if record_id != self.record_id:
            self.outcome_id = None
            self.show_error(None)
        self.record_id = record_id
        self.results = results
        self.setEnabled(record_id is not None)
        ids = [o.id for o in results.outcomes]
        if self.outcome_id not in ids:
            self.outcome_id = ids[0] if ids else None
        self._fill()

    def _fill(self) -> None:
        r = self.results
        self.arms.fill(
            "arm",
            ["name", "role", "n_randomised", "n_analysed", "intervention"],
            ["Arm", "Role", "Rand.", "Anal.", "Intervention"],
            [(a.id, [a.value(f) for f in ("name", "role", "n_randomised", "n_analysed",
                                            "intervention")], ()) for a in r.arms],  # fmt: skip
            [_tip(a) for a in r.arms],
        )
        self.outcomes.fill(
            "outcome",
            ["name", "kind", "timepoint"],
            ["Outcome", "Kind", "Time point"],
            [(o.id, [o.value("name"), o.value("kind"), o.value("timepoint")], ())
             for o in r.outcomes],  # fmt: skip
            [_tip(o) for o in r.outcomes],
        )
        if self.outcome_id in [o.id for o in r.outcomes]:
            row = [o.id for o in r.outcomes].index(self.outcome_id)
            self.outcomes.blockSignals(True)
            self.outcomes.setCurrentCell(row, max(self.outcomes.currentColumn(), 0))
            self.outcomes.blockSignals(False)
        self._fill_outcome()
        self._fill_suggestions()

    def _fill_outcome(self) -> None:
        r = self.results
        outcome = r.get(self.outcome_id)
        kind = (outcome.value("kind") if outcome else None) or "other"
        self.medians_button.setVisible(kind == "continuous")
        key = "continuous_median" if kind == "continuous" and self.medians else kind
        fields = list(RESULT_COLUMNS_BY_KIND.get(key, RESULT_COLUMNS_BY_KIND["other"]))
        self.per_arm_label.setText(
            f"Results: {outcome_label(outcome)}" if outcome else "Results per arm (add an outcome)"
        )
        rows = []
        tips = []
        for arm in r.arms if outcome else []:
            res = r.result_for(outcome.id, arm.id)  # type: ignore[union-attr]
            if res is None:
                new = new_item_id("result")
                prelude = (CellChange(new, "outcome", outcome.id),  # type: ignore[union-attr]
                           CellChange(new, "arm", arm.id))  # fmt: skip
                rows.append((None, [arm_label(arm), *([None] * len(fields))], prelude))
                tips.append("")
            else:
                rows.append((res.id, [arm_label(arm), *(res.value(f) for f in fields)], ()))
                tips.append(_tip(res))
        headers = ["Arm", *(column("result", f).short for f in fields)]
        self.per_arm.fill("result", ["", *fields], headers, rows, tips)
        comp_fields = ["measure", "estimate", "ci_low", "ci_high", "se", "p_value"]
        comps = [c for c in r.comparisons if outcome and c.value("outcome") == outcome.id]
        self.comparisons.fill(
            "comparison",
            comp_fields,
            [column("comparison", f).short for f in comp_fields],
            [(c.id, [c.value(f) for f in comp_fields], ()) for c in comps],
            [f"{arm_label(r.get(c.value('experimental')))} vs "
             f"{arm_label(r.get(c.value('control')))}\n{_tip(c)}" for c in comps],  # fmt: skip
        )
        self.comparison_add.setEnabled(outcome is not None)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt API)
        super().showEvent(event)
        if self._stale:
            self._fill_suggestions()

    def _fill_suggestions(self) -> None:
        if not self.isVisible():  # read the text only when the tab is looked at
            self._stale = True
            return
        self._stale = False
        self._suggestions = self.suggest(self.results, self.outcome_id) if self.suggest else []
        self.suggestion_list.blockSignals(True)
        self.suggestion_list.clear()
        for g in self._suggestions:
            quote = " ".join(g.quote.split())
            quote = quote if len(quote) <= 70 else quote[:69] + "…"
            item = QListWidgetItem(f"{g.text}  —  “{quote}”")
            item.setToolTip(plain_tip(g.quote))
            self.suggestion_list.addItem(item)
        self.suggestion_list.blockSignals(False)
        self.accept_button.setEnabled(bool(self._suggestions))
        self.suggestion_list.setVisible(bool(self._suggestions))
        self.no_suggestions.setVisible(not self._suggestions)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    # -- choosing ----------------------------------------------------------------------------

    def _pick_outcome(self, row: int) -> None:
        ids = [o.id for o in self.results.outcomes]
        if 0 <= row < len(ids) and ids[row] != self.outcome_id:
            self.outcome_id = ids[row]
            self._fill_outcome()
            self._fill_suggestions()

    def _toggle_medians(self, on: bool) -> None:
        self.medians = on
        self._fill_outcome()

    def _activated(self, grid: ResultsGrid) -> None:
        self.active = grid
        t = grid.target(grid.currentRow(), grid.currentColumn())
        if t is not None:
            self.cell_focused.emit(t.item, t.field)

    def current_targets(self) -> list[Target]:
        """The cells of the active table's current row, in column order (Alt+1 …)."""
        grid = self.active
        row = grid.currentRow()
        if row < 0 and grid.rowCount():
            row = 0
        out = []
        for col in range(grid.columnCount()):
            t = grid.target(row, col)
            if t is not None:
                out.append(t)
        return out

    def focus_cell(self, item: str, field: str) -> bool:
        """Select the cell showing ``item``'s ``field`` (a click on its words)."""
        kind = item.split(":", 1)[0]
        if kind == "result":
            self.outcome_id = self.results.get(item).value("outcome") if self.results.get(item) else self.outcome_id  # type: ignore[union-attr]
            self._fill()
        grid = {"arm": self.arms, "outcome": self.outcomes, "result": self.per_arm,
                "comparison": self.comparisons}[kind]  # fmt: skip
        if item in grid.row_items and field in grid.fields:
            grid.setCurrentCell(grid.row_items.index(item), grid.fields.index(field))
            grid.setFocus()
            self.active = grid
            return True
        return False

    # -- changing ----------------------------------------------------------------------------

    def _edited(self, grid: ResultsGrid, row: int, col: int, text: str) -> None:
        t = grid.target(row, col)
        if t is None:
            return
        self.cells_requested.emit([*t.prelude, CellChange(t.item, t.field, text or None)],
                                  f"edit {t.label.lower()}")  # fmt: skip

    def _dropped(self, grid: ResultsGrid, row: int, col: int, start: int, end: int) -> None:
        t = grid.target(row, col)
        if t is None:
            self.show_error("Drop the words on a cell that holds a value (not on the arm's name).")
            return
        self.active = grid
        self.selection_requested.emit(t, start, end)

    def add(self, kind: str) -> None:
        if self.record_id is None:
            return
        item = new_item_id(kind)
        r = self.results
        if kind == "arm":
            roles = {a.value("role") for a in r.arms}
            role = next((x for x in ("experimental", "control") if x not in roles), "other")
            changes = [CellChange(item, "name", f"Arm {len(r.arms) + 1}"),
                       CellChange(item, "role", role)]  # fmt: skip
        elif kind == "outcome":
            changes = [CellChange(item, "name", f"Outcome {len(r.outcomes) + 1}"),
                       CellChange(item, "kind", "dichotomous")]  # fmt: skip
            self.outcome_id = item
        else:
            outcome = r.get(self.outcome_id)
            exp = [a for a in r.arms if a.value("role") == "experimental"]
            ctrl = [a for a in r.arms if a.value("role") == "control"]
            if outcome is None or len(exp) != 1 or len(ctrl) != 1:
                self.show_error("A comparison needs an outcome and one experimental and one "
                                "control arm (set the arms' roles).")  # fmt: skip
                return
            measure = DEFAULT_MEASURE.get(outcome.value("kind") or "other", "RR")
            changes = [CellChange(item, "outcome", outcome.id),
                       CellChange(item, "experimental", exp[0].id),
                       CellChange(item, "control", ctrl[0].id),
                       CellChange(item, "measure", measure)]  # fmt: skip
        self.cells_requested.emit(changes, f"add {kind}")

    def _fill_outcome_menu(self) -> None:
        self.outcome_menu.clear()
        have = {(str(o.value("name", "")).casefold(), str(o.value("timepoint") or "").casefold())
                for o in self.results.outcomes}  # fmt: skip
        for spec in self.review_outcomes:
            act = self.outcome_menu.addAction(
                spec.name + (f" · {spec.timepoint}" if spec.timepoint else "")
                + f"  ({spec.kind.replace('_', ' ')})"
            )
            act.setEnabled((spec.name.casefold(), spec.timepoint.casefold()) not in have)
            act.triggered.connect(lambda _c=False, spec=spec: self.add_review_outcome(spec))
        if self.review_outcomes:
            self.outcome_menu.addSeparator()
        other = self.outcome_menu.addAction("Another outcome")
        other.triggered.connect(lambda: self.add("outcome"))

    def add_review_outcome(self, spec: OutcomeSpec) -> None:
        """Add one of the review's outcomes (as the template names it) to this study."""
        if self.record_id is None:
            return
        item = new_item_id("outcome")
        changes = [CellChange(item, "name", spec.name), CellChange(item, "kind", spec.kind)]
        if spec.timepoint:
            changes.append(CellChange(item, "timepoint", spec.timepoint))
        self.outcome_id = item
        self.cells_requested.emit(changes, "add outcome")

    def delete_selected(self, kind: str) -> None:
        grid = {"arm": self.arms, "outcome": self.outcomes, "comparison": self.comparisons}[kind]
        row = grid.currentRow()
        if 0 <= row < len(grid.row_items) and grid.row_items[row]:
            self.delete_requested.emit(grid.row_items[row])

    def accept(self, index: int) -> None:
        if 0 <= index < len(self._suggestions):
            g = self._suggestions[index]
            self.cells_requested.emit(g.changes, "accept a suggested result")

    def _hover_suggestion(self, index: int) -> None:
        if 0 <= index < len(self._suggestions):
            g = self._suggestions[index]
            self.suggestion_hovered.emit(g.start, g.end)


def _tip(item: Item) -> str:
    """The words behind an item's cells, for its tooltip."""
    quote = item.quote()
    return f"“{quote}”" if quote else ""


__all__ = ["MEASURES", "OUTCOME_KINDS", "ROLES", "ResultsPanel"]
