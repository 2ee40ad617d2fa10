"""The record list's table model: it holds ids only and builds rows when asked.

Like Anki's card browser, a list of 100,000 records costs one list of ints; the
title, year and decision of a row are fetched from the store a page at a time
when the view first paints it, and cached until the data changes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from reviewer.store import Store
from reviewer.store.record_reads import ListRow
from reviewer.ui.keyword_colours import keyword_colour
from reviewer.ui.plain import shown
from reviewer.ui.theme import decision_colour

COLUMNS = ("Title", "Year", "Decision")
TITLE, YEAR, DECISION = range(len(COLUMNS))
_PAGE = 64  # rows fetched at a time: about two screens (each row reads a record)
_CACHE_PAGES = 150

Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    def __init__(self, store: Store, reviewer: str, stage: str = "title_abstract", parent=None):
        super().__init__(parent)
        self.store = store
        self.reviewer = reviewer
        self.stage = stage
        self.ids: Sequence[int] = []
        self.complete = True  # False while only the list's first page is known
        self._in_order = True  # ids ascending (import order): rows found by bisection
        self._row_of: np.ndarray | None = None  # else: row by record id, made when needed
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
        self.set_ids(self.store.record_ids(self.search), in_order=True)

    def set_ids(self, ids: Sequence[int], in_order: bool = False, complete: bool = True) -> None:
        """Show these records (already filtered and ordered by the caller); ``in_order``:
        they are in ascending id order (import order), which makes finding a row free.
        ``complete=False``: the first page of a longer list, whose rest ``extend_ids``
        brings (worked out in the background)."""
        self.beginResetModel()
        self._set_ids(ids, in_order)
        self.complete = complete
        self._pages.clear()
        self.endResetModel()

    def extend_ids(self, full: Sequence[int]) -> None:
        """The whole list, in id order, for a list shown from its first page: the rows
        after the page are added (the page's rows stay as they are, even when a decision
        taken meanwhile would no longer let one of them through the filter)."""
        shown = self.ids
        last = shown[-1] if len(shown) else -1
        start = bisect_left(full, last + 1)
        rest = full[start:]
        self.complete = True
        if not len(rest):
            return
        self.beginInsertRows(QModelIndex(), len(shown), len(shown) + len(rest) - 1)
        self._set_ids([*shown, *rest], True)
        self.endInsertRows()

    def append_ids(self, rest: Sequence[int]) -> None:
        """The rest of a list shown from its first page, in the list's order (e.g. by
        relevance), added after the rows already shown, which stay where they are."""
        shown = self.ids
        self.complete = True
        if not len(rest):
            return
        self.beginInsertRows(QModelIndex(), len(shown), len(shown) + len(rest) - 1)
        self._set_ids([*shown, *rest], False)
        self.endInsertRows()

    def refresh_all(self) -> None:
        """What every row shows changed (blinding, keyword colours): fetch rows again."""
        self.beginResetModel()
        self._pages.clear()
        self.endResetModel()

    def _set_ids(self, ids: Sequence[int], in_order: bool) -> None:
        self.ids = ids
        self._in_order = in_order
        self._row_of = None

    def refresh_record(self, record_id: int, columns: Sequence[int] | None = None) -> None:
        """A record's decision (or title) changed: fetch its row again and repaint it,
        that row and the given columns only (all of them by default)."""
        row = self.row_of(record_id)
        if row < 0:
            return
        page = self._pages.get(row // _PAGE)
        if page is not None:
            page.update(self.store.list_rows([record_id], self.stage, self.reviewer))
        cols = sorted(columns) if columns else range(self.columnCount())
        self.dataChanged.emit(self.index(row, min(cols)), self.index(row, max(cols)))

    def refresh_records(self, record_ids: Sequence[int]) -> None:
        """Many records changed (a bulk decision): forget the cached rows, repaint what
        is on screen (the view asks only for the rows it shows)."""
        self._pages.clear()
        if len(self.ids):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, DECISION))

    def cached_decision(self, record_id: int) -> tuple[bool, str | None]:
        """(known, the reviewer's decision) from the rows already fetched, without a query."""
        row = self.row_of(record_id)
        page = self._pages.get(row // _PAGE) if row >= 0 else None
        if page is None or record_id not in page:
            return False, None
        return True, page[record_id].decision

    def id_at(self, row: int) -> int:
        return self.ids[row]

    def row_of(self, record_id: int | None) -> int:
        """The row showing ``record_id``, or -1: by bisection in import order, else by an
        index of rows by id made once per list (4 bytes a record)."""
        if record_id is None:
            return -1
        ids = self.ids
        if self._in_order:
            row = bisect_left(ids, record_id)
            return row if row < len(ids) and ids[row] == record_id else -1
        if self._row_of is None:
            arr = np.asarray(ids, dtype=np.int64)
            self._row_of = np.full(int(arr.max()) + 1 if len(arr) else 0, -1, dtype=np.int32)
            self._row_of[arr] = np.arange(len(arr), dtype=np.int32)
        if 0 <= record_id < len(self._row_of):
            return int(self._row_of[record_id])
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


def fit_columns(table: QTableView) -> None:
    """Column widths and row heights that never depend on the rows' contents, so the
    view asks only for the cells on screen: fitting a column to its contents would read
    every row of the model on each change (320,000 cells for ten decisions at 100,000
    records). The title takes the room left; the others are sized for their widest
    possible text and can still be dragged wider."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
    metrics = QFontMetrics(table.font())
    pad = metrics.horizontalAdvance("MM")  # the cell's margins
    widest = {YEAR: ("Year", "8888"), DECISION: ("Decision", "conflict", "exclude")}
    for col, texts in widest.items():
        header.resizeSection(col, max(metrics.horizontalAdvance(t) for t in texts) + pad)
    model = table.model()
    for col in range(len(COLUMNS), model.columnCount() if model is not None else 0):
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        header.resizeSection(col, metrics.horizontalAdvance(title) + pad)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform row heights
    rows.setDefaultSectionSize(max(22, metrics.height() + 6))
