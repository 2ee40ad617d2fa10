"""The record list with a relevance column, and re-sorting that keeps the cursor.

``RankedRecordModel`` is the record list's model plus one column: where the ranking
puts the record among those at the stage, as a percentile (100 = the most likely
include). ``reorder`` changes the row order as a layout change, not a reset, so the
selected record stays selected and is not reloaded: a new ranking arriving while
the reviewer reads never moves the record under the cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView

from reviewer.store import Store
from reviewer.ui.record_model import COLUMNS, RecordTableModel

RELEVANCE = len(COLUMNS)  # the added column's index
# A list in relevance order shows its first page at once: the filters are asked about
# this many times a page of the ranking's best records, then twice as many, ...
FIRST_PAGE_CANDIDATES = 4
FIRST_PAGE_LOOKS = 3
Index = QModelIndex | QPersistentModelIndex


class RankedRecordModel(RecordTableModel):
    def __init__(self, store: Store, reviewer: str, stage: str = "title_abstract", parent=None):
        super().__init__(store, reviewer, stage, parent)
        self.rank_of = np.empty(0, dtype=np.int64)  # by record id: place in the ranking, or -1
        self.ranked = 0  # records in the ranking

    def set_ranking(self, rank_of: np.ndarray, ranked: int) -> None:
        """Places in the ranking (0 = best, -1 = not ranked), indexed by record id."""
        self.rank_of = rank_of
        self.ranked = ranked
        if self.ids:
            self.dataChanged.emit(
                self.index(0, RELEVANCE), self.index(len(self.ids) - 1, RELEVANCE)
            )

    def position(self, record_id: int) -> int | None:
        if 0 <= record_id < len(self.rank_of) and self.rank_of[record_id] >= 0:
            return int(self.rank_of[record_id])
        return None

    def relevance(self, record_id: int) -> int | None:
        """Percentile of the record in the ranking: 100 best, 0 worst; None if unranked."""
        pos = self.position(record_id)
        if pos is None or not self.ranked:
            return None
        return round(100 * (1 - pos / self.ranked))

    def reorder(self, ids: list[int]) -> None:
        """Show the same records in a new order, keeping selection and current record."""
        if len(ids) != len(self.ids) or not np.array_equal(np.sort(ids), np.sort(self.ids)):
            self.set_ids(ids)
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self.ids[i.row()] if i.isValid() else None for i in old]
        self._set_ids(list(ids), in_order=False)
        self._pages.clear()
        new = [  # rows found through the model's index by id, not a dict of every record
            self.index(self.row_of(rid), i.column()) if rid is not None else QModelIndex()
            for rid, i in zip(old_ids, old, strict=True)
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- Qt model interface ----------------------------------------------------

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and section == RELEVANCE:
            if role == Qt.ItemDataRole.DisplayRole:
                return "Relevance"
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "Where the ranking puts the record among those at this stage: "
                    "100 is the most likely include, 0 the least"
                )
            return None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != RELEVANCE:
            return super().data(index, role)
        rid = self.ids[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.relevance(rid)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            pos = self.position(rid)
            if pos is None:
                return "Not ranked yet"
            return f"Ranked {pos + 1:,} of {self.ranked:,} at this stage"
        if role == Qt.ItemDataRole.UserRole:
            return rid
        return None


def rank_array(ranked_ids: Sequence[int] | np.ndarray) -> np.ndarray:
    """Places in the ranking (0 = best) indexed by record id; -1 for records not in it."""
    ids = np.asarray(ranked_ids, dtype=np.int64)
    out = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int64)
    out[ids] = np.arange(len(ids))
    return out


def ranked_order(ids: Sequence[int], rank_of: np.ndarray) -> list[int]:
    """``ids`` best-ranked first; records the ranking lacks (imported since) go last."""
    arr = np.asarray(ids, dtype=np.int64)
    place = np.full(len(arr), np.iinfo(np.int64).max, dtype=np.int64)
    inside = arr < len(rank_of)
    known = rank_of[arr[inside]]
    place[np.flatnonzero(inside)[known >= 0]] = known[known >= 0]
    return arr[np.lexsort((arr, place))].tolist()


def first_page(
    best: np.ndarray, rank_of: np.ndarray, select: Callable[[list[int]], list[int]], size: int
) -> list[int]:
    """The first ``size`` records of a list in relevance order without working out the
    whole list (``best``: the ranked ids, best first; ``rank_of``: by record id, the
    place in the ranking): ``select`` keeps those of some record ids that pass the list's filters,
    and is asked about the ranking's best records a few pages at a time until
    ``size`` are found or ``FIRST_PAGE_LOOKS`` rounds were asked (fewer are then
    returned; a filter that lets few through still shows what it let through).
    What is returned is exactly the head of the whole list in relevance order:
    the rest follows it, never comes before it."""
    found: list[int] = []
    start, step = 0, FIRST_PAGE_CANDIDATES * size
    for _ in range(FIRST_PAGE_LOOKS):
        if len(found) >= size or start >= len(best):
            break
        found += ranked_order(select(best[start : start + step].tolist()), rank_of)
        start, step = start + step, step * 2
    return found[:size]


def reorder_keeping_place(
    table: QTableView, model: RankedRecordModel, ids: list[int], current: int | None
) -> None:
    """Show ``model``'s rows in the order of ``ids``, keeping the ``current`` record where
    it is on screen and selected (its selection is not announced again)."""
    old_row = model.row_of(current) if current is not None else -1
    bar = table.verticalScrollBar()
    offset = table.rowViewportPosition(old_row) if old_row >= 0 else None
    selection = table.selectionModel()
    blocked = selection.blockSignals(True)  # the same record stays current: no reload
    try:
        model.reorder(ids)
    finally:
        selection.blockSignals(blocked)
    if current is None or offset is None:
        return
    new_row = model.row_of(current)
    if new_row < 0:
        return
    # keep the current row at the same height in the view
    table.scrollTo(model.index(new_row, 0), table.ScrollHint.PositionAtTop)
    step = max(table.rowHeight(new_row), 1)
    if bar.singleStep() == 1 and table.verticalScrollMode() == table.ScrollMode.ScrollPerItem:
        bar.setValue(max(bar.value() - offset // step, 0))
    else:
        bar.setValue(max(bar.value() - offset, 0))
    table.viewport().update()
