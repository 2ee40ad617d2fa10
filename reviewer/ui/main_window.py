"""The main window: record list, document and extraction form side by side.

The window builds the widgets and places them; what happens in them is done by
components, each given the session (``reviewer.ui.session``) and the widgets it works
on, never the window: ``RecordList`` (which records the list shows, moving through
it), ``ScreeningActions`` (decisions, settings, merge, full texts, bulk decisions),
``ExtractionActions`` (values, suggestions, notes, template, drafts),
``ResultsController`` (the Results and RoB 2 tabs) and ``RankController`` (relevance
order). Every change runs as an operation through ``ops``; the window and the panels
refresh from its change notices (``_operation_did_execute``). The public methods
kept here (``decide``, ``undo``, ``go_to_record`` ...) are the window's own menu and
key entries, or hand on to a component.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QInputDialog,
    QMainWindow,
    QMenu,
    QSplitter,
)

from reviewer.domain import Template
from reviewer.review.operations import Changes
from reviewer.review.pdf_files import find_record_pdf
from reviewer.review.screening import STAGE_LABELS
from reviewer.review.settings import is_blinded
from reviewer.store import Store
from reviewer.store.duplicates import group_sources
from reviewer.ui import plain
from reviewer.ui.conflicts_view import ConflictsView
from reviewer.ui.document_view import DocumentView
from reviewer.ui.empty_state import IMPORT_HELP
from reviewer.ui.export_dialog import ExportController
from reviewer.ui.extraction_actions import ExtractionActions
from reviewer.ui.form import ExtractionForm
from reviewer.ui.history_panel import HistoryPanel
from reviewer.ui.import_dialog import ImportController
from reviewer.ui.jobs import JobRunner
from reviewer.ui.notes_panel import NotesPanel
from reviewer.ui.opening import open_review_asking
from reviewer.ui.operations import Operations
from reviewer.ui.page_chrome import known_pdf_location
from reviewer.ui.page_view import install_page_view
from reviewer.ui.pdf_table_dialog import results_sender
from reviewer.ui.rank_controller import RankController
from reviewer.ui.rank_model import RankedRecordModel
from reviewer.ui.record_list import RecordList
from reviewer.ui.record_model import DECISION, fit_columns
from reviewer.ui.results_actions import ResultsController
from reviewer.ui.review_files import ReviewFiles, settings
from reviewer.ui.screening_actions import DECISION_KEYS, ScreeningActions
from reviewer.ui.screening_status import ScreeningStatus
from reviewer.ui.session import Session
from reviewer.ui.stats_panel import StatsPanel
from reviewer.ui.sync_status import SyncLink, server_role
from reviewer.ui.tags_editor import TagsEditor
from reviewer.ui.window_dialogs import WindowDialogs
from reviewer.ui.window_layout import build_docks, read_only_badge, restore_geometry, save_geometry
from reviewer.ui.window_menus import WindowMenus, build_menus, pane_action
from reviewer.ui.window_panes import ListPane, RecordPane
from reviewer.ui.writer import Writer


class MainWindow(QMainWindow):
    def __init__(self, store: Store, jobs: JobRunner | None = None):
        super().__init__()
        plain.PlainToolTips.install()  # every tooltip of the app shown as text
        self.jobs = jobs or JobRunner()
        self.writer: Writer | None = None  # the one thread that writes the review
        self.ops = Operations(self)  # runs the user's actions there, announces their changes
        self.ops.operation_did_execute.connect(self._operation_did_execute)
        reviewer = str(
            server_role(store)  # a review on a server: the role it syncs as
            or os.environ.get("REVIEWER_NAME")  # as on the command line
            or settings().value("reviewer/name", "")
            or getpass.getuser()
        )
        # what the components share: the review (read), ops (write), who, where, what
        self.session = Session(store, self.ops, self.jobs, reviewer, self, self.statusBar())
        self._sources: dict[int, str] = {}
        self.setAcceptDrops(True)
        self._build_widgets()
        self.sync = SyncLink(self.session, self.statusBar(), self._reviewer_changed)
        self.recent_menu = QMenu("Recent reviews", self)
        self.files = ReviewFiles(  # new, open, from JSON, copies, Recent reviews
            self.session, self.recent_menu, self.switch_review,
            lambda paths: self.importer.start(paths),
        )  # fmt: skip
        self.exporter = ExportController(self, self.statusBar(), self.jobs, lambda: self.store)
        self.dialogs = WindowDialogs(self.session, self, self.exporter)
        self.document.originals_requested.connect(self.dialogs.show_originals)
        self.menus = WindowMenus(self)
        build_menus(
            self.menus, files=self.files, recent_menu=self.recent_menu,
            screening=self.screening, extraction=self.extraction, results=self.results,
            exporter=self.exporter, dialogs=self.dialogs, search=self.search,
            docks={**self.docks, "ranking": self.ranking.recall_curve.dock, "notes": self.notes_dock},
            decide=self.decide, move=self.move, undo=self.undo, redo=self.redo,
            close=self.close, ask_reviewer_name=self.ask_reviewer_name,
        )  # fmt: skip
        self.importer = ImportController(self, self.statusBar(), self.jobs, self.ops)
        self.importer.imported.connect(
            lambda report: self.extraction.compute_all_suggestions() if report.added else None
        )
        restore_geometry(self, self.splitter, settings())
        self._attach(store)

    # -- what the session holds, read (and set) through the window -------------------

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def reviewer(self) -> str:
        return self.session.reviewer

    @reviewer.setter
    def reviewer(self, name: str) -> None:
        self.session.reviewer = name

    @property
    def stage(self) -> str:
        return self.session.stage

    @property
    def current_id(self) -> int | None:
        return self.session.current_id

    @current_id.setter
    def current_id(self, record_id: int | None) -> None:
        self.session.current_id = record_id

    @property
    def template(self) -> Template:
        return self.session.template

    @property
    def compiled_terms(self) -> Any:
        return self.session.compiled_terms

    @property
    def model(self) -> RankedRecordModel:
        assert self.records.model is not None
        return self.records.model

    @property
    def filters(self) -> dict[str, Any]:
        return self.records.filters

    @property
    def filter_counts(self) -> dict[str, Any]:
        return self.records.filter_counts

    @property
    def bulk(self) -> Any:
        return self.screening.bulk

    @property
    def merge_dialog(self) -> Any:
        return self.screening.merge_dialog

    @property
    def sync_controller(self) -> Any:
        return self.sync.controller

    @property
    def sync_button(self) -> Any:
        return self.sync.button

    # -- construction -------------------------------------------------------------

    def _build_widgets(self) -> None:
        left = ListPane()  # the stage, search, filters, list, count
        self.search, self.table = left.search, left.table
        self.count_label, self.stage_combo = left.count_label, left.stage_combo
        self.filter_panel = left.filter_panel
        self.progress_label = plain.label()  # names the reviewer (in the status bar)
        self.progress_label.setObjectName("screening_progress")
        self.screening_status = ScreeningStatus(  # counts kept without recounting
            self.session, lambda: self.records.model, self.count_label, self.progress_label
        )

        self.stage_combo.currentIndexChanged.connect(
            lambda _i: self.set_stage(self.stage_combo.currentData())
        )
        # counts, conflicts and statistics follow decisions a moment later, so a
        # decision by key never waits for them
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(300)
        self._recount_timer.timeout.connect(self._after_decisions)

        # the list, its order (the ranking) and screening: components on the session
        self.records = RecordList(
            self.session, self.table, self.search, self.filter_panel, self.count_label,
            self.screening_status, before_change=lambda: self.form.flush(),
        )  # fmt: skip
        self.records.current_changed.connect(lambda rid: self.show_record(rid))
        self.ranking = RankController(self.session, self.records)
        self.records.ordering = self.ranking
        self.conflicts_view = ConflictsView(self.store, self.reviewer, self.stage, ops=self.ops)
        self.conflicts_view.record_activated.connect(self.go_to_record)
        self.screening = ScreeningActions(
            self.session, self.records, self.ranking, self.conflicts_view, self._reshow
        )
        self.buttons = self.screening.buttons
        self.reason_combo = self.screening.reason_combo
        self.decision_label = self.screening.decision_label

        self.document = DocumentView()
        self.pages = install_page_view(  # a record's PDF as pages, beside its text
            self.document, lambda rid: find_record_pdf(self.store, rid, known_pdf_location)
        )
        self.tags_editor = TagsEditor(self.store, self.reviewer, self.ops)
        middle = self.record_pane = RecordPane(self.document, self.tags_editor, self.screening.bar)
        self.middle_pages, self.empty_state = middle.stack, middle.empty_state

        self.form = ExtractionForm()
        self.extraction = ExtractionActions(
            self.session, self.form, self.document, self.records.go_to_record
        )
        self.form.saved.connect(lambda _key: self._update_status())
        # the Results and RoB 2 tabs beside the form's fields
        self.results = ResultsController(self.session, self.form, self.document, self.extraction)
        self.extraction.results = self.results
        self.pages.results_target = results_sender(self.session, self.results)

        self.notes_panel = NotesPanel()
        self.ops.operation_did_execute.connect(self._notes_and_history_follow)
        self.notes_panel.note_activated.connect(self.extraction.go_to_span)
        self.notes_panel.note_edit_requested.connect(self.extraction.edit_note)
        self.notes_panel.note_delete_requested.connect(self.extraction.delete_note)
        self.document.note_clicked.connect(self.notes_panel.select_note)
        self.stats_panel = StatsPanel(self.store, jobs=self.jobs, ops=self.ops)
        self.history_panel = HistoryPanel(self.jobs)
        self.notes_dock, self.docks = build_docks(
            self, self.session, self.notes_panel, self.conflicts_view,
            self.stats_panel, self.history_panel,
        )  # fmt: skip

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.results.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.setCentralWidget(self.splitter)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.read_only_label = read_only_badge()
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.read_only_label.hide()
        # the ranking's order choice under the search box, its verdict in the status
        # bar, the recall curve in a dock (hidden until asked for, like the others)
        left.add_under_search(self.ranking.sort_combo)
        self.statusBar().insertPermanentWidget(0, self.ranking.status)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.ranking.recall_curve.dock)
        self.ranking.recall_curve.dock.hide()

        # Single-key screening keys act on the list and the document only, so typing
        # in the form (or a choice list's type-ahead) never records a decision.
        panes = (self.table, self.document)
        for kind, keys in DECISION_KEYS.items():
            pane_action(panes, f"{kind}", keys, lambda _c=False, k=kind: self.decide(k))
        pane_action(panes, "next", ("J",), lambda: self.move(1))
        pane_action(panes, "next_undecided", ("N",), self.screening.go_to_next_undecided)
        pane_action(panes, "previous", ("K",), lambda: self.move(-1))

    # -- the open review -------------------------------------------------------------

    def _attach(self, store: Store) -> None:
        self.session.open(store)  # its template and keyword terms are read
        self.screening_status.forget()
        old, self.writer = self.writer, Writer(store.path, read_only=store.read_only)
        if old is not None:
            self.sync.stop()  # its sync writes through the old writer: it stops first
            old.close()
        self.ops.attach(self.writer)
        self._sources = {s.id: s.shown for s in store.sources() if s.id is not None}
        model = RankedRecordModel(store, self.reviewer, self.stage, self.records)
        self.records.model = model
        self.ranking.attach(store)
        model.compiled = self.compiled_terms
        for widget in (self.conflicts_view, self.stats_panel, self.tags_editor):
            widget.set_store(store)
        was = self.filter_panel.blockSignals(True)  # the list is loaded below, once
        blinded = is_blinded(store)
        model.blinded = blinded
        self.filter_panel.set_blinded(self.reviewer if blinded else None)
        self.filter_panel.blockSignals(was)
        self.screening.reload_reasons()
        self.records.attach(model)  # the list loaded, with the panel's filters
        fit_columns(self.table)  # nothing sized to contents: only visible cells are read
        self.form.set_template(self.template)
        self.document.set_fields([(f.key, f.label, f.group) for f in self.template.fields])
        self._show_read_only(store.read_only)
        # the review's name and its file: two copies of one review are told apart
        self.setWindowTitle(
            f"{store.name} ({store.path.name}) — Reviewer"
            + (" (read-only)" if store.read_only else "")
        )
        self.files.remember_recent(store.path, store.name)
        self.select_row(0)
        self.table.setFocus()  # keyboard screening works at once
        self._update_status()
        self.extraction.restore_drafts()
        if not store.read_only:  # a sync writes what it brings in
            self.sync.start(self.writer.call)  # a review on a server syncs in the background

    def _operation_did_execute(self, changes: Changes, initiator: object) -> None:
        """An operation changed the review: refresh the list, the counts and the Edit
        menu (the components and panels listen to ``ops`` and refresh themselves)."""
        if changes.undo:
            self._undo_changed()
        if changes.record_set:
            self.reload_records()
        elif changes.decisions and not changes.fields and len(changes.records) > 50:
            self.model.refresh_records(sorted(changes.records))  # on screen only
            self.screening_status.forget()
        else:
            # a decision: its row's Decision cell, and the progress by arithmetic
            only = (DECISION,) if changes.decisions and not changes.fields else None
            for rid in sorted(changes.records):
                known, was = self.model.cached_decision(rid)
                self.model.refresh_record(rid, only)
                known_now, now = self.model.cached_decision(rid)
                if changes.decisions and known and known_now:
                    self.screening_status.decided(was, now)
        ours = initiator is self.session  # an action in this window (not a sync, a job)
        if changes.counts and ours:  # a decision by key never waits for them
            self._recount_timer.start()
        elif changes.counts:  # a resolution, a tag, an import: counted again at once
            self.records.reload_counts()
        # the screening and extraction components follow the notice themselves (the
        # current record's decision, form and highlights; settings)
        self.screening_status.show()  # counted again on the job thread after the last key
        if changes.counts and not ours:
            self.screening_status.recount()

    def _notes_and_history_follow(self, changes: Changes, _initiator: object) -> None:
        """The notes and history panels show the current record: read again when it
        changed (they know nothing of the window, so it tells them)."""
        if changes.notes or changes.undo or changes.record_set:
            self.notes_panel.refresh()
        if self.docks["history"].isVisible() and (
            self.current_id in changes.records or changes.record_set
        ):
            self.history_panel.reload(self.store, self.current_id, self.reviewer)

    def reload_records(self) -> None:
        """Records were added (an import finished): refresh the list, keep the selection."""
        keep = self.current_id
        self._sources = {s.id: s.shown for s in self.store.sources() if s.id is not None}
        self.records.reload()
        row = self.model.row_of(keep) if keep is not None else 0
        self.select_row(max(row, 0))
        self._update_status()

    def _show_read_only(self, read_only: bool) -> None:
        """Everything that would change the review is off while it is open read-only."""
        self.read_only_label.setVisible(read_only)
        self.menus.set_read_only(read_only)
        self.form.set_read_only(read_only)
        self.tags_editor.setEnabled(not read_only)
        self.reason_combo.setEnabled(not read_only)
        self.setAcceptDrops(not read_only)

    def switch_review(self, path: str | Path, read_only: bool = False) -> bool:
        new = open_review_asking(self, path, read_only=read_only)
        if new is None:
            return False
        self.form.flush()
        if not self.extraction.may_lose_unsaved():
            new.close()
            return False
        self.form.unsaved.clear()
        old = self.store
        self._attach(new)
        old.close()
        return True

    # -- the window's own actions, and those it hands on ------------------------------

    def decide(self, kind: str) -> None:
        self.screening.decide(kind)

    def select_row(self, row: int) -> None:
        self.records.select_row(row)

    def move(self, step: int) -> None:
        self.records.move(step)

    def go_to_record(self, record_id: int) -> None:
        self.records.go_to_record(record_id)

    def set_stage(self, stage: str) -> None:
        if stage == self.stage:
            return
        self.form.flush()
        self.session.stage = stage
        self.model.stage = stage
        self.screening_status.forget()
        self.conflicts_view.set_stage(stage)
        self.stage_combo.setCurrentIndex(self.stage_combo.findData(stage))
        self.records.reload()
        self.select_row(0)
        self._update_status()

    def undo(self) -> None:
        self.form.flush()
        if self.screening.bulk.undo():  # a bulk decision: undone in the background
            return
        changes = self.ops.undo(self.session)
        self.session.status(changes.label, 3000)
        if changes.decisions and not changes.fields and len(changes.records) == 1:
            (rid,) = changes.records  # a decision undone: back to its record
            if rid != self.current_id and self.model.row_of(rid) >= 0:
                self.select_row(self.model.row_of(rid))

    def redo(self) -> None:
        if self.screening.bulk.redo():
            return
        self.session.status(self.ops.redo(self.session).label, 3000)

    def _undo_changed(self) -> None:
        """The undo history changed: the Edit menu names what Undo and Redo would do."""
        stack = self.ops.stack
        if stack is None:
            return
        self.menus.show_undo(stack.can_undo, stack.can_redo, stack.undo_label, stack.redo_label)

    def _update_status(self) -> None:
        """The counts as known now (no query), and counted again on the job thread."""
        self.screening_status.show()
        self.screening_status.recount()

    def _after_decisions(self) -> None:
        """A moment after decisions: the filter counts (the conflicts and statistics
        panels follow the change notices themselves), and the progress."""
        self.records.reload_counts()
        self.screening_status.recount()

    def attach_fulltext(self, record_id: int, pdf_path: str) -> None:
        self.screening.attach_fulltext(record_id, pdf_path)

    # -- records ---------------------------------------------------------------------

    def _reshow(self) -> None:
        """Show the current record again (its text, values or group changed)."""
        if self.current_id is not None:
            self.show_record(self.current_id)

    def show_record(self, record_id: int | None) -> None:
        self.form.flush()
        self.session.current_id = record_id
        self.results.show_record(record_id)  # its cells' words are drawn with the highlights
        if record_id is None:
            self.document.show_record(None)
        else:
            record = self.store.record(record_id)
            group = group_sources(self.store, record_id) if record.duplicate_of is None else []
            self.document.show_record(
                record,
                self._sources.get(record.source_id or -1, ""),
                [name for _rid, name in group],
            )
        self.extraction.show_record(record_id)  # its values, drafts and suggestions
        self._show_empty_state(record_id is None)
        self.notes_panel.reload(self.store, record_id)
        self.tags_editor.set_record(record_id)
        if self.docks["history"].isVisible():
            self.history_panel.reload(self.store, record_id, self.reviewer)
        self.screening.show_decision()

    def _show_empty_state(self, empty: bool) -> None:
        """A new review, or filters that leave nothing: say so, and what to do."""
        pane = self.record_pane
        if not empty:
            pane.show_document()
        elif self.store.record_count() == 0:
            pane.show_empty(
                "This review has no records yet",
                IMPORT_HELP,
                [("Import files…", self.files.choose_import_files),
                 ("Import folder…", self.files.choose_import_folder)],
            )  # fmt: skip
        elif self.model.rowCount() == 0 and (self.records.filters_in_use() or self.search.text()):
            pane.show_empty(
                "No record matches the filters",
                "Every record is still in the review; the filters or the search above "
                "the list leave none of them at this stage.",
                [("Clear filters and search", self.records.clear_filters)],
            )
        elif self.model.rowCount() == 0:
            pane.show_empty(
                f"No record has reached {STAGE_LABELS[self.stage]} yet",
                "Records reach the next stage when they are included at the one before.",
                [("Go to title/abstract", lambda: self.set_stage("title_abstract"))],
            )
        else:
            pane.show_empty("Choose a record in the list", "")

    # -- files ---------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        target = self._record_under(event.position().toPoint())
        if len(paths) == 1 and paths[0].lower().endswith(".pdf") and target is not None:
            self.attach_fulltext(target, paths[0])  # a PDF dropped on a record: its full text
        else:
            self.importer.start(paths)

    def _record_under(self, window_point) -> int | None:
        viewport = self.table.viewport()
        index = self.table.indexAt(viewport.mapFrom(self, window_point))
        return self.model.id_at(index.row()) if index.isValid() else None

    # -- reviewer ---------------------------------------------------------------------------

    def ask_reviewer_name(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            "Reviewer",
            "Your name (recorded with every decision and value):",
            text=self.reviewer,
        )
        if ok and name.strip():
            self.reviewer = name.strip()
            settings().setValue("reviewer/name", self.reviewer)
            self._reviewer_changed()

    def _reviewer_changed(self) -> None:
        """Someone else screens now (asked, or the server's role): their decisions."""
        self.model.reviewer = self.reviewer
        self.records.reload()
        self.screening.show_decision()
        self._update_status()

    # -- window state ----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.form.flush()
        if not self.extraction.may_lose_unsaved():
            event.ignore()
            return
        self._recount_timer.stop()
        self.records.search_timer.stop()
        self.importer.cancel()
        self.ranking.shutdown()
        self.sync.stop()
        save_geometry(self, self.splitter, settings())
        self.jobs.wait(10000)
        if self.writer is not None:  # what was asked for is written, then it closes
            self.writer.close()
        super().closeEvent(event)

