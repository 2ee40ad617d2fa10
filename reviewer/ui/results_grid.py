"""The small tables of the results grid: a row per item, a column per cell.

Split from ``results_panel`` (which lays out the arms, outcomes, per-arm results and
comparisons, and turns edits into requests): a ``ResultsGrid`` shows rows, edits choice
cells with a list, takes drops of selected words, and names the cell (``Target``) that an
edit or a drop fills.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QSizePolicy,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
)

from reviewer.domain.results import column
from reviewer.store.results import CellChange
from reviewer.ui.form import display_text
from reviewer.ui.mime import SPAN_MIME
from reviewer.ui.plain import as_html

ROW_HEIGHT = 21


@dataclass(frozen=True)
class Target:
    """A cell a selection can fill: the item (made with ``prelude`` if it is new)."""

    item: str
    field: str
    label: str
    prelude: tuple[CellChange, ...] = ()


class _Choices(QStyledItemDelegate):
    """Choice cells (role, kind, measure) edit with a list."""

    def __init__(self, grid: ResultsGrid):
        super().__init__(grid)
        self.grid = grid

    def createEditor(self, parent, option, index):  # noqa: N802, ANN001, ANN201 (Qt API)
        choices = self.grid.choices(index.column())
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.addItems(["", *choices])
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor, index):  # noqa: N802, ANN001, ANN201 (Qt API)
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data() or ""))
            editor.showPopup()
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):  # noqa: N802, ANN001, ANN201 (Qt API)
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        else:
            super().setModelData(editor, model, index)


class ResultsGrid(QTableWidget):
    """One small table: a row per item, a column per cell; drops of words fill a cell."""

    edited = Signal(int, int, str)  # row, column, text
    dropped = Signal(int, int, int, int)  # row, column, start, end
    activated_cell = Signal()

    def __init__(self, name: str, record_id: Callable[[], int | None]):
        super().__init__(0, 0)
        self.setObjectName(name)
        self.record_id = record_id  # the record shown: words dropped from another are refused
        self.fields: list[str] = []
        self.kind = ""
        self.row_items: list[str | None] = []
        self.row_preludes: list[tuple[CellChange, ...]] = []
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.horizontalHeader().setMinimumSectionSize(28)
        self.horizontalHeader().setHighlightSections(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setItemDelegate(_Choices(self))
        self.setWordWrap(False)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.itemChanged.connect(self._changed)
        self.currentCellChanged.connect(lambda *_a: self.activated_cell.emit())
        self._filling = False

    def choices(self, col: int) -> tuple[str, ...]:
        if not self.kind or col >= len(self.fields) or self.fields[col] == "":
            return ()
        return column(self.kind, self.fields[col]).choices

    def fill(
        self,
        kind: str,
        fields: list[str],
        headers: list[str],
        rows: list[tuple[str | None, list[Any], tuple[CellChange, ...]]],
        tips: list[str] | None = None,
    ) -> None:
        """Show ``rows`` (item id or None, cell values, what makes the item if new)."""
        self._filling = True
        current = (self.currentRow(), self.currentColumn())
        self.kind, self.fields = kind, fields
        self.setColumnCount(len(fields))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(rows))
        self.row_items = [r[0] for r in rows]
        self.row_preludes = [r[2] for r in rows]
        for i, (_item, values, _p) in enumerate(rows):
            for j, value in enumerate(values):
                cell = QTableWidgetItem(display_text(value))
                if fields[j] == "":
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if tips and tips[i]:
                    cell.setToolTip(plain_tip(tips[i]))
                self.setItem(i, j, cell)
        header = self.horizontalHeader()
        wide = {"", "name", "intervention", "timepoint"}
        any_wide = bool(wide & set(fields))
        for j, f in enumerate(fields):
            stretch = f in wide or not any_wide  # numbers only: they share the width
            header.setSectionResizeMode(
                j,
                QHeaderView.ResizeMode.Stretch
                if stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        shown = min(max(len(rows), 1), 6)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + shown * ROW_HEIGHT + 4)
        if 0 <= current[0] < len(rows):
            self.setCurrentCell(current[0], max(current[1], 0))
        self._filling = False

    def _changed(self, cell: QTableWidgetItem) -> None:
        if not self._filling:
            self.edited.emit(cell.row(), cell.column(), cell.text().strip())

    # -- drops of selected words --------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt API)
        if event.mimeData().hasFormat(SPAN_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt API)
        if event.mimeData().hasFormat(SPAN_MIME):
            index = self.indexAt(event.position().toPoint())
            if index.isValid():
                self.setCurrentCell(index.row(), index.column())
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        if not event.mimeData().hasFormat(SPAN_MIME):
            super().dropEvent(event)
            return
        span = json.loads(bytes(event.mimeData().data(SPAN_MIME)).decode())
        index: QModelIndex = self.indexAt(event.position().toPoint())
        event.acceptProposedAction()
        if index.isValid() and span.get("record_id") == self.record_id():
            self.dropped.emit(index.row(), index.column(), span["start"], span["end"])

    def target(self, row: int, col: int) -> Target | None:
        if not (0 <= row < len(self.row_items)) or not (0 <= col < len(self.fields)):
            return None
        field = self.fields[col]
        if not field:
            return None
        item = self.row_items[row]
        prelude = self.row_preludes[row]
        if item is None:  # a result not made yet: made with the selection
            item = next((c.item for c in prelude), None)
            if item is None:
                return None
        header = self.horizontalHeaderItem(col)
        return Target(item, field, header.text() if header else field, prelude)


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt would take text that looks like HTML for
    markup, and quotes come from imported files."""
    return as_html(text) if text else ""  # which plain.PlainToolTips shows unchanged
