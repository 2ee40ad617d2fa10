"""The record list's table model: it holds ids only and builds rows when asked.

Like Anki's card browser, a list of 100,000 records costs one list of ints; the
title, year and decision of a row are fetched from the store a page at a time
when the view first paints it, and cached until the data changes.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from reviewer.store import Store
from reviewer.store.store import ListRow
from reviewer.ui.keyword_colours import keyword_colour
from reviewer.ui.plain import shown
from reviewer.ui.theme import decision_colour

COLUMNS = ("Title", "Year", "Decision")
_PAGE = 200
_CACHE_PAGES = 50

Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    def __init__(self, store: Store, reviewer: str, stage: str = "title_abstract", parent=None):
        super().__init__(parent)
        self.store = store
        self.reviewer = reviewer
        self.stage = stage
        self.ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, tuple]] = OrderedDict()
        self.search = ""
        self.compiled = None  # the review's keyword terms, compiled, for title colours
        # While blinded the Decision column is the reviewer's own; once unblinded it is
        # the stage's final decision ("conflict" while the reviewers disagree).
        self.blinded = True

    # -- content -------------------------------------------------------------

    def reload(self, search: str | None = None) -> None:
        """Fetch the ids (optionally filtered by a full-text search) and forget cached rows."""
        if search is not None:
            self.search = search
        self.beginResetModel()
        self.ids = self.store.record_ids(self.search)
        self._pages.clear()
        self.endResetModel()

    def set_ids(self, ids: list[int]) -> None:
        """Show these records (already filtered and ordered by the caller)."""
        self.beginResetModel()
        self.ids = ids
        self._pages.clear()
        self.endResetModel()

    def refresh_record(self, record_id: int) -> None:
        """A record's decision or title changed: drop its cached row and repaint it."""
        try:
            row = self.ids.index(record_id)
        except ValueError:
            return
        self._pages.pop(row // _PAGE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def id_at(self, row: int) -> int:
        return self.ids[row]

    def row_of(self, record_id: int) -> int:
        try:
            return self.ids.index(record_id)
        except ValueError:
            return -1

    def _row(self, row: int) -> tuple:
        page = row // _PAGE
        cached = self._pages.get(page)
        if cached is None:
            ids = self.ids[page * _PAGE : (page + 1) * _PAGE]
            cached = self.store.list_rows(ids, self.stage, self.reviewer)
            self._pages[page] = cached
            if len(self._pages) > _CACHE_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return cached.get(self.ids[row], ListRow("", None, None, None))

    # -- Qt model interface ----------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def _decision_tip(self, row: ListRow) -> str:
        mine = f"Your decision: {row.decision or 'not screened yet'}"
        if self.blinded:
            return f"{mine} (the review is blinded)"
        return f"Final decision: {row.final or 'not screened yet'}\n{mine}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row(index.row())
        title, year = row.title, row.year
        decision = row.decision if self.blinded else row.final
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:  # bidi controls named, not obeyed: "gnp.exe" never reads "exe.png"
                return shown(title) or "(untitled)"
            if col == 1:
                return "" if year is None else str(year)
            return decision or ""
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return title  # shown as plain text by ``plain.PlainToolTips``, like every tooltip
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return self._decision_tip(row)
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and decision:
            return QBrush(decision_colour(decision))
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and self.compiled is not None:
            colour = keyword_colour(title, self.compiled)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.UserRole:
            return self.ids[index.row()]
        return None
