"""The screening side of the main window: decisions, stages, filters, conflicts,
settings, merging copies and full texts.

A mixin of ``MainWindow``, kept apart so each concern of the window reads on its own;
what it uses of the window is declared at the top of the class. Every change goes
through the window's operations (``reviewer.ui.operations``), and the panels refresh
themselves from their change notices.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog

from reviewer.domain import Decision
from reviewer.review import extraction
from reviewer.review.filters import filter_counts, filter_record_ids
from reviewer.review.fulltext import attach_fulltext as attach
from reviewer.review.fulltext import import_fulltexts
from reviewer.review.keywords import compiled_terms
from reviewer.review.merge import merge
from reviewer.review.operations import Changes
from reviewer.review.screening import ScreeningError
from reviewer.review.screening_undo import DecisionChange
from reviewer.review.settings import exclusion_reasons, is_blinded
from reviewer.store import Store, StoreError
from reviewer.ui import file_dialogs as dialogs
from reviewer.ui import plain
from reviewer.ui.merge_dialog import MergeReportDialog
from reviewer.ui.rank_controller import ranked_order
from reviewer.ui.review_settings_dialog import ReviewSettingsDialog
from reviewer.wording import count

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import (
        QComboBox,
        QLabel,
        QLineEdit,
        QPushButton,
        QStatusBar,
        QTableView,
    )

    from reviewer.ui.bulk_actions import BulkDecisions
    from reviewer.ui.conflicts_view import ConflictsView
    from reviewer.ui.filter_panel import FilterPanel
    from reviewer.ui.form import ExtractionForm
    from reviewer.ui.jobs import JobRunner
    from reviewer.ui.operations import Operations
    from reviewer.ui.rank_controller import RankController
    from reviewer.ui.rank_model import RankedRecordModel

REVIEW_FILTER = "Reviews (*.review);;All files (*)"
FIRST_PAGE = 500  # rows of a list shown at once; the rest is worked out in the background


class ScreeningActions:
    """Decisions, stages, filters, conflicts, settings, merge and full texts."""

    # Everything this part of the window uses of the window, declared (MainWindow
    # provides each); it writes only through ``ops``, and refreshes no panel by hand.
    store: Store
    ops: Operations
    bulk: BulkDecisions
    jobs: JobRunner
    stage: str
    reviewer: str
    current_id: int | None
    compiled_terms: Any
    filters: dict[str, Any]
    filter_counts: dict[str, Any]
    _count_generation: int
    model: RankedRecordModel
    table: QTableView
    ranking: RankController
    form: ExtractionForm
    search: QLineEdit
    filter_panel: FilterPanel
    conflicts_view: ConflictsView
    reason_combo: QComboBox
    stage_combo: QComboBox
    buttons: dict[str, QPushButton]
    decision_label: QLabel
    count_label: QLabel
    progress_label: QLabel
    select_row: Callable[[int], None]
    move: Callable[[int], None]
    show_record: Callable[[int | None], None]
    refresh_highlights: Callable[[], None]
    reload_records: Callable[[], None]
    statusBar: Callable[[], QStatusBar]  # noqa: N815 (Qt's name)

    # -- decisions ----------------------------------------------------------------------

    def decide(self, kind: str) -> None:
        if self.current_id is None:
            return
        if self.store.read_only:  # by key: say so where the eye is, without a dialog
            self.statusBar().showMessage("The review is open read-only: no decision recorded", 5000)
            return
        reason = self.reason_combo.currentData() if kind == "exclude" else ""
        if self.bulk.busy:  # one transaction on the writer: this decision would wait for it
            self.statusBar().showMessage("Other decisions are still being recorded", 5000)
            return
        if self.bulk.several_selected():  # every selected record, as one undoable step
            self.bulk.decide_selected(kind, reason or "")
            return
        if kind == "exclude" and not reason and self.stage == "full_text":
            reason, ok = QInputDialog.getItem(
                self,
                "Exclusion reason",
                "Why is this record excluded at full text?",
                exclusion_reasons(self.store),
                0,
                False,
            )
            self.activateWindow()  # the keys go back to the list (no window manager
            self.table.setFocus()  # re-activates the window after a modal dialog)
            if not ok:
                return
        decision = Decision(
            record_id=self.current_id,
            stage=self.stage,
            reviewer=self.reviewer,  # type: ignore[arg-type]
            decision=kind,
            reason=reason or "",  # type: ignore[arg-type]
        )
        try:  # the list's row, the counts and the panels follow from the change notice
            self.ops.push(DecisionChange(decision), self)
        except (ScreeningError, StoreError) as exc:  # StoreError: read-only, disk full ...
            plain.warn(self, "Decision not recorded", str(exc))
            return
        done = self.current_id
        self.reason_combo.setCurrentIndex(0)
        self.statusBar().showMessage(f"Record {done}: {kind}", 3000)
        nxt = self.ranking.next_undecided(done)  # by rank when sorted by relevance
        row = self.model.row_of(nxt) if nxt is not None else -1
        if row >= 0:
            self.select_row(row)
        else:
            self.move(1)

    def _show_decision(self) -> None:
        d = (
            self.store.decision(self.current_id, self.stage, self.reviewer)
            if self.current_id is not None
            else None
        )
        if d is None:
            text = "Not screened yet" if self.current_id is not None else ""
        else:
            text = f"Your decision: {d.decision}" + (f" — {d.reason}" if d.reason else "")
        self.decision_label.setText(text)
        self._show_reason(d.reason if d is not None and d.decision == "exclude" else "")
        shown = self.current_id is not None
        for b in self.buttons.values():
            b.setEnabled(shown and not self.store.read_only)
        for kind in self.buttons:  # the menu's Include/Exclude/Maybe too
            act = self.findChild(QAction, f"menu_{kind}")
            if act is not None:
                act.setEnabled(shown and not self.store.read_only)
        self.reason_combo.setEnabled(shown and not self.store.read_only)

    def _show_reason(self, reason: str) -> None:
        """The reason combo shows the record's own exclusion reason (kept when the
        reviewer excludes it again), or "(no reason)"."""
        index = self.reason_combo.findData(reason)
        if index < 0:  # a reason no longer in the review's list (or from another copy)
            self.reason_combo.addItem(reason, reason)
            index = self.reason_combo.count() - 1
        self.reason_combo.setCurrentIndex(index)

    def go_to_next_undecided(self) -> None:
        """The next record in the list (after the current one, wrapping round) that the
        reviewer has not decided at this stage."""
        nxt = self.ranking.next_undecided_after(self.current_id)
        row = self.model.row_of(nxt) if nxt is not None else -1
        if row >= 0:
            self.select_row(row)
        else:
            self.statusBar().showMessage("No undecided record left in the list", 4000)

    def _update_status(self) -> None:
        """The counts as known now (no query), and counted again on the job thread."""
        self.screening_status.show()
        self.screening_status.recount()

    def _apply_search(self) -> None:
        self.form.flush()
        self._reload_list()
        self.select_row(0)
        self.screening_status.show()

    def _reload_list(self) -> None:
        """The list shows the records at the current stage that pass the filters and search:
        in import order its first page at once and the rest from the job thread; a search
        from the job thread. The filter options' counts follow from the job thread too."""
        query = dict(stage=self.stage, search=self.search.text(), **self.filters)
        self._list_generation = getattr(self, "_list_generation", 0) + 1
        self._interrupt_running()  # a list or counts still being worked out: not wanted now
        if query["search"].strip():
            # a search's cost depends on the words (a one-letter prefix matches nearly
            # every record: seconds at 1,000,000): always off the UI thread
            self._search_in_background(query)
            self._reload_counts()
            return
        if not self.ranking.orders_by_relevance():
            first = filter_record_ids(self.store, limit=FIRST_PAGE, **query)
            if len(first) < FIRST_PAGE:
                self.model.set_ids(first, in_order=True)
            else:
                self.model.set_ids(first, in_order=True, complete=False)
                self._load_rest(query)
            self._reload_counts()
            return
        # by relevance: the best-ranked records that pass, found among the ranking's
        # best a page at a time; the rest, ordered, from the job thread
        store = self.store
        first = self.ranking.first_page(
            lambda some: filter_record_ids(store, among=some, **query), FIRST_PAGE
        )
        self.model.set_ids(first, complete=False)
        self._load_ranked_rest(query, first)
        self._reload_counts()

    def _load_rest(self, query: dict) -> None:
        """The whole filtered list, worked out on the job thread, joins its first page."""
        generation = self._list_generation
        review_path = self.store.path

        def done(ids: list[int] | None) -> None:
            fresh = generation == self._list_generation and self.store.path == review_path
            if ids is not None and fresh:
                self.model.extend_ids(ids)
                self.screening_status.show()

        work = self._interruptible(lambda store: filter_record_ids(store, **query))
        self.jobs.start(work, on_success=done)

    def _load_ranked_rest(self, query: dict, page: list[int]) -> None:
        """The whole list in relevance order, worked out (and sorted) on the job thread,
        joins the first page shown: the records after it are added below it."""
        generation = self._list_generation
        review_path = self.store.path
        rank_of = self.ranking.rank_of  # replaced, never changed in place, by a retrain

        def rest(store: Store) -> list[int]:
            shown = set(page)
            ordered = ranked_order(filter_record_ids(store, **query), rank_of)
            return [rid for rid in ordered if rid not in shown]

        def done(ids: list[int] | None) -> None:
            fresh = generation == self._list_generation and self.store.path == review_path
            if ids is None or not fresh:
                return
            had_rows = self.model.rowCount() > 0
            self.model.append_ids(ids)
            if self.ranking.rank_of is not rank_of or not self.ranking.orders_by_relevance():
                self.ranking.reorder_list()  # a new ranking (or order) came meanwhile
            if not had_rows and len(ids):  # none of the best passed: the list begins now
                self.select_row(0)
            self.screening_status.show()

        self.jobs.start(self._interruptible(rest), on_success=done)

    def _search_in_background(self, query: dict) -> None:
        """The list for a search, worked out on the job thread; the list shown until then
        stays, and a newer search or filter interrupts this one."""
        generation = self._list_generation
        review_path = self.store.path
        self.count_label.setText("Searching…")

        def done(ids: list[int] | None) -> None:
            if ids is None or generation != self._list_generation:
                return
            if self.store.path != review_path:
                return
            ordered = self.ranking.order(ids)
            self.model.set_ids(ordered, in_order=ordered is ids)
            self.select_row(0)
            self.screening_status.show()

        work = self._interruptible(lambda store: filter_record_ids(store, **query))
        self.jobs.start(work, on_success=done)

    def _interruptible(self, fn: Callable[[Store], Any]) -> Callable[..., Any]:
        """A job running ``fn`` on its own connection, which ``_interrupt_running`` stops
        (the job then returns None): for work a newer list or count makes unwanted."""
        opener = self.store.opener()
        running = self.__dict__.setdefault("_running_connections", set())

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
        for conn in list(self.__dict__.get("_running_connections", ())):
            conn.interrupt()

    def _reload_counts(self) -> None:
        """Recount the filter options in the background (the list is not touched)."""
        self._count_generation += 1
        generation = self._count_generation
        review_path = self.store.path
        query = dict(stage=self.stage, search=self.search.text(), **self.filters)
        work = self._interruptible(lambda store: filter_counts(store, **query))

        def done(counts: dict | None) -> None:
            if counts is None:
                return  # interrupted: a newer count follows
            if generation == self._count_generation and self.store.path == review_path:
                self.filter_counts = counts
                self.filter_panel.set_counts(counts)

        self.jobs.start(work, on_success=done)

    def _filters_changed(self, chosen: dict) -> None:
        self.form.flush()
        self.filters = {k: v for k, v in chosen.items() if v is not None}
        self._reload_list()
        self.select_row(0)
        self.screening_status.show()  # the list's size; progress does not depend on filters

    def go_to_record(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        if row < 0:  # filtered out: show everything at this stage
            self.search.setText("")
            self.filter_panel.clear()  # emits: the list is reloaded with no filter
            row = self.model.row_of(record_id)
        if row >= 0:
            self.select_row(row)

    def _after_decisions(self) -> None:
        """A moment after decisions: the filter counts (the conflicts and statistics
        panels follow the change notices themselves), and the progress."""
        self._reload_counts()
        self.screening_status.recount()

    def _blinding_changed(self) -> None:
        blinded = is_blinded(self.store)
        self.model.blinded = blinded
        self.model.refresh_all()  # the Decision column changes meaning
        self.filter_panel.set_blinded(self.reviewer if blinded else None)
        self.conflicts_view.reload()
        self._reload_list()

    def edit_review_settings(self) -> None:
        dialog = ReviewSettingsDialog(self.store, self.reviewer, self, ops=self.ops)
        self.settings_dialog = dialog
        dialog.show()

    def _settings_changed(self, names: list) -> None:
        if "keyword_terms" in names:
            self.compiled_terms = compiled_terms(self.store)
            self.model.compiled = self.compiled_terms
            self.model.refresh_all()
            self.refresh_highlights()
        if "exclusion_reasons" in names:
            self._reload_reasons()
            self._reload_counts()
        if "blinded" in names:
            self._blinding_changed()

    def choose_merge(self) -> None:
        path = dialogs.open_file(
            self, "Merge another copy of this review", "copies", REVIEW_FILTER,
            self.store.path.parent,
        )  # fmt: skip
        if path:
            self.merge_from(path)

    def merge_from(self, other: str) -> None:
        """Bring another copy's events in (in the background), then show what happened."""
        reviewer, job = self.reviewer, self.ops.job

        def work(progress, cancelled):
            return job(lambda store: merge(store, other, reviewer=reviewer))

        def done(report) -> None:
            self.ops.announce(Changes.everything("merge"), self)
            if self.current_id is not None:
                self.show_record(self.current_id)
            self.merge_dialog = MergeReportDialog(report, self.store, self.reviewer, self, ops=self.ops)
            self.merge_dialog.record_activated.connect(self.go_to_record)
            self.merge_dialog.show()

        self.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: plain.warn(self, "Merge failed", m),
        )

    def set_stage(self, stage: str) -> None:
        if stage == self.stage:
            return
        self.form.flush()
        self.stage = stage
        self.model.stage = stage
        self.screening_status.forget()
        self.conflicts_view.set_stage(stage)
        self.stage_combo.setCurrentIndex(self.stage_combo.findData(stage))
        self._reload_list()
        self.select_row(0)
        self._update_status()

    def _reload_reasons(self) -> None:
        self.reason_combo.clear()
        self.reason_combo.addItem("(no reason)", "")
        for reason in exclusion_reasons(self.store):
            self.reason_combo.addItem(reason, reason)

    # -- full texts ---------------------------------------------------------------------------

    def attach_fulltext(self, record_id: int, pdf_path: str) -> None:
        """Attach a PDF as the record's full text, in the background; then show it."""
        reviewer, job = self.reviewer, self.ops.job

        def attach_it(store: Store) -> int:
            attach(store, record_id, pdf_path, reviewer)
            return extraction.adopt_fulltext(store, record_id, reviewer)

        def work(progress, cancelled) -> int:
            return job(attach_it)

        def done(orphaned: int) -> None:
            self.statusBar().showMessage(
                f"Full text attached to record {record_id}"
                + (f"; {orphaned} highlights could not be found again" if orphaned else ""),
                8000,
            )
            if self.current_id == record_id:
                self.show_record(record_id)

        self.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: plain.warn(self, "Full text not attached", m),
        )

    def choose_fulltext_folder(self) -> None:
        folder = dialogs.existing_folder(
            self, "Folder of full-text PDFs", "fulltexts", self.store.path.parent
        )
        if folder:
            self.import_fulltext_folder(folder)

    def import_fulltext_folder(self, folder: str) -> None:
        """Match a folder of PDFs to records by DOI or title; list what matched nothing."""
        reviewer, job = self.reviewer, self.ops.job

        def import_them(store: Store):
            result = import_fulltexts(store, folder, reviewer)
            for record_id, _path in result.matched:
                extraction.adopt_fulltext(store, record_id, reviewer)
            return result

        def work(progress, cancelled):
            return job(import_them)

        def done(result) -> None:
            lines = [f"{count(len(result.matched), 'PDF')} attached to their records."]
            if result.unmatched:
                lines.append(f"{count(len(result.unmatched), 'PDF')} matched no record:")
                lines += [
                    f"  {Path(p).name}" + (f" — {result.reason(p)}" if result.reason(p) else "")
                    for p in result.unmatched
                ]
            self.fulltext_report = "\n".join(lines)
            plain.inform(self, "Full texts", self.fulltext_report)
            if self.current_id is not None:
                self.show_record(self.current_id)

        self.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: plain.warn(self, "Full texts not imported", m),
        )
