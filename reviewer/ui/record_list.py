"""The record list beside the document: which records it shows (stage, filters,
search, order), loading them without freezing, the filter options' counts, and
moving through it.

A component of the main window (see ``reviewer.ui.session``): it is given the
session, the list's widgets and something that orders records (the ranking, or
import order), and it tells whoever listens which record became current
(``current_changed``). Long lists show their first page at once and the rest from
the job thread; a search always runs there, and a newer list or count interrupts one
still being worked out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from reviewer.review.filters import filter_counts, filter_record_ids
from reviewer.store import Store
from reviewer.ui.filter_panel import FilterPanel
from reviewer.ui.rank_model import RankedRecordModel, ranked_order
from reviewer.ui.session import Session

FIRST_PAGE = 500  # rows of a list shown at once; the rest is worked out in the background
SEARCH_PAUSE_MS = 150  # a search starts once the typing pauses this long


class Ordering(Protocol):
    """What orders the list (``reviewer.ui.rank_controller.RankController``)."""

    rank_of: np.ndarray

    def orders_by_relevance(self) -> bool: ...

    def order(self, ids: list[int]) -> list[int]: ...

    def first_page(self, select: Callable[[list[int]], list[int]], size: int) -> list[int]: ...

    def reorder_list(self) -> None: ...


class ImportOrder:
    """Records in the order they were imported (a list with no ranking)."""

    rank_of = np.empty(0, dtype=np.int64)

    def orders_by_relevance(self) -> bool:
        return False

    def order(self, ids: list[int]) -> list[int]:
        return ids

    def first_page(self, select: Callable[[list[int]], list[int]], size: int) -> list[int]:
        return []

    def reorder_list(self) -> None:
        pass


class Counts(Protocol):
    """The counts under the list (``reviewer.ui.screening_status.ScreeningStatus``)."""

    def show(self) -> None: ...


class RecordList(QObject):
    """The list's content and the current row (see the module docstring)."""

    current_changed = Signal(object)  # the record id now current, or None

    def __init__(
        self,
        session: Session,
        table: QTableView,
        search: QLineEdit,
        filter_panel: FilterPanel,
        count_label: QLabel,
        counts: Counts | None = None,
        before_change: Callable[[], None] = lambda: None,
    ):
        super().__init__(table)
        self.s = session
        self.table, self.search, self.filter_panel = table, search, filter_panel
        self.count_label = count_label
        self.counts = counts
        self.ordering: Ordering = ImportOrder()
        self.before_change = before_change  # what is typed in the form is saved first
        self.model: RankedRecordModel | None = None  # set by ``attach``
        self.filters: dict[str, Any] = {}
        self.filter_counts: dict[str, Any] = {}
        self._list_generation = 0
        self._count_generation = 0
        self._running: set[sqlite3.Connection] = set()
        # a search waits for a pause in the typing; a filter applies at once
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_PAUSE_MS)
        self.search_timer.timeout.connect(self.apply_search)
        search.textChanged.connect(lambda _t: self.search_timer.start())
        filter_panel.filters_changed.connect(self.filters_changed)

    def attach(self, model: RankedRecordModel) -> None:
        """A review was opened: show ``model``'s records, with the panel's filters."""
        self.model = model
        self.filters = {k: v for k, v in self.filter_panel.filters().items() if v is not None}
        self.reload()
        self.table.setModel(model)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.current_changed.emit(
                model.id_at(cur.row()) if cur.isValid() else None
            )
        )

    def _show_counts(self) -> None:
        if self.counts is not None:
            self.counts.show()

    # -- moving ------------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        if self.table.selectionModel() is None or self.model is None:
            return  # the list has no model yet (the review is still being attached)
        if not 0 <= row < self.model.rowCount():
            self.current_changed.emit(None)
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def move(self, step: int) -> None:
        assert self.model is not None
        row = self.table.currentIndex().row()
        self.select_row(min(max(row + step, 0), self.model.rowCount() - 1))

    def go_to_record(self, record_id: int) -> None:
        """Show ``record_id``: in the list as filtered, else in the whole stage."""
        assert self.model is not None
        row = self.model.row_of(record_id)
        if row < 0:  # filtered out: show everything at this stage
            self.search.setText("")
            self.filter_panel.clear()  # emits: the list is reloaded with no filter
            row = self.model.row_of(record_id)
        if row >= 0:
            self.select_row(row)

    # -- what the list shows ---------------------------------------------------------------

    def filters_in_use(self) -> bool:
        return any(k != "viewer" for k in self.filters)

    def clear_filters(self) -> None:
        self.search.setText("")
        self.filter_panel.clear()

    def apply_search(self) -> None:
        if self.s.store.closed:
            return  # the typing paused as the review closed
        self.before_change()
        self.reload()
        self.select_row(0)
        self._show_counts()

    def filters_changed(self, chosen: dict) -> None:
        self.before_change()
        self.filters = {k: v for k, v in chosen.items() if v is not None}
        self.reload()
        self.select_row(0)
        self._show_counts()  # the list's size; progress does not depend on filters

    def _query(self) -> dict[str, Any]:
        return dict(stage=self.s.stage, search=self.search.text(), **self.filters)

    def reload(self) -> None:
        """The list shows the records at the current stage that pass the filters and search:
        in import order its first page at once and the rest from the job thread; a search
        from the job thread. The filter options' counts follow from the job thread too."""
        assert self.model is not None
        query = self._query()
        self._list_generation += 1
        self._interrupt_running()  # a list or counts still being worked out: not wanted now
        if query["search"].strip():
            # a search's cost depends on the words (a one-letter prefix matches nearly
            # every record: seconds at 1,000,000): always off the UI thread
            self._search_in_background(query)
            self.reload_counts()
            return
        if not self.ordering.orders_by_relevance():
            first = filter_record_ids(self.s.store, limit=FIRST_PAGE, **query)
            if len(first) < FIRST_PAGE:
                self.model.set_ids(first, in_order=True)
            else:
                self.model.set_ids(first, in_order=True, complete=False)
                self._load_rest(query)
            self.reload_counts()
            return
        # by relevance: the best-ranked records that pass, found among the ranking's
        # best a page at a time; the rest, ordered, from the job thread
        store = self.s.store
        first = self.ordering.first_page(
            lambda some: filter_record_ids(store, among=some, **query), FIRST_PAGE
        )
        self.model.set_ids(first, complete=False)
        self._load_ranked_rest(query, first)
        self.reload_counts()

    def _fresh(self, generation: int, review_path: Any) -> bool:
        return generation == self._list_generation and self.s.store.path == review_path

    def _load_rest(self, query: dict) -> None:
        """The whole filtered list, worked out on the job thread, joins its first page."""
        generation, review_path, model = self._list_generation, self.s.store.path, self.model
        assert model is not None

        def done(ids: list[int] | None) -> None:
            if ids is not None and self._fresh(generation, review_path):
                model.extend_ids(ids)
                self._show_counts()

        work = self._interruptible(lambda store: filter_record_ids(store, **query))
        self.s.jobs.start(work, on_success=done)

    def _load_ranked_rest(self, query: dict, page: list[int]) -> None:
        """The whole list in relevance order, worked out (and sorted) on the job thread,
        joins the first page shown: the records after it are added below it."""
        generation, review_path, model = self._list_generation, self.s.store.path, self.model
        assert model is not None
        ordering = self.ordering
        rank_of = ordering.rank_of  # replaced, never changed in place, by a retrain

        def rest(store: Store) -> list[int]:
            shown = set(page)
            ordered = ranked_order(filter_record_ids(store, **query), rank_of)
            return [rid for rid in ordered if rid not in shown]

        def done(ids: list[int] | None) -> None:
            if ids is None or not self._fresh(generation, review_path):
                return
            had_rows = model.rowCount() > 0
            model.append_ids(ids)
            if ordering.rank_of is not rank_of or not ordering.orders_by_relevance():
                ordering.reorder_list()  # a new ranking (or order) came meanwhile
            if not had_rows and len(ids):  # none of the best passed: the list begins now
                self.select_row(0)
            self._show_counts()

        self.s.jobs.start(self._interruptible(rest), on_success=done)

    def _search_in_background(self, query: dict) -> None:
        """The list for a search, worked out on the job thread; the list shown until then
        stays, and a newer search or filter interrupts this one."""
        generation, review_path, model = self._list_generation, self.s.store.path, self.model
        assert model is not None
        self.count_label.setText("Searching…")

        def done(ids: list[int] | None) -> None:
            if ids is None or not self._fresh(generation, review_path):
                return
            ordered = self.ordering.order(ids)
            model.set_ids(ordered, in_order=ordered is ids)
            self.select_row(0)
            self._show_counts()

        work = self._interruptible(lambda store: filter_record_ids(store, **query))
        self.s.jobs.start(work, on_success=done)

    def _interruptible(self, fn: Callable[[Store], Any]) -> Callable[..., Any]:
        """A job running ``fn`` on its own connection, which ``_interrupt_running`` stops
        (the job then returns None): for work a newer list or count makes unwanted."""
        opener = self.s.store.opener()
        running = self._running

        def work(progress, cancelled) -> Any:
            with opener() as store:
                conn = store.db.conn
                running.add(conn)
                try:
                    return fn(store)
                except sqlite3.OperationalError as exc:
                    if "interrupt" in str(exc).lower():
                        return None
                    raise
                finally:
                    running.discard(conn)

        return work

    def _interrupt_running(self) -> None:
        for conn in list(self._running):
            conn.interrupt()

    def reload_counts(self) -> None:
        """Recount the filter options in the background (the list is not touched)."""
        self._count_generation += 1
        generation = self._count_generation
        review_path = self.s.store.path
        query = self._query()
        work = self._interruptible(lambda store: filter_counts(store, **query))

        def done(counts: dict | None) -> None:
            if counts is None:
                return  # interrupted: a newer count follows
            if generation == self._count_generation and self.s.store.path == review_path:
                self.filter_counts = counts
                self.filter_panel.set_counts(counts)

        self.s.jobs.start(work, on_success=done)
