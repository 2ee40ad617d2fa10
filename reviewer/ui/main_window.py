"""The main window: record list, document and extraction form side by side."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer.annotate.anchors import dismiss_orphan, reattach_orphan
from reviewer.annotate.undo import (
    AddHighlight,
    DecisionChange,
    DeleteHighlight,
    EditNote,
    Group,
    UndoStack,
    ValueChange,
)
from reviewer.domain import Decision, Template
from reviewer.export.json_import import import_review_json
from reviewer.review import extraction
from reviewer.review.filters import filter_counts, filter_record_ids
from reviewer.review.fulltext import attach_fulltext as attach
from reviewer.review.fulltext import import_fulltexts
from reviewer.review.keywords import compiled_terms, find_spans
from reviewer.review.merge import merge
from reviewer.review.project import create_review, open_review
from reviewer.review.screening import STAGE_LABELS, ScreeningError, next_undecided
from reviewer.review.screening import progress as screening_progress
from reviewer.review.settings import exclusion_reasons, is_blinded
from reviewer.store import Store, StoreError
from reviewer.store.duplicates import unmerge
from reviewer.ui.conflicts_view import ConflictsView
from reviewer.ui.document_view import DocumentView, items_for_record
from reviewer.ui.duplicates_view import DuplicatesDialog
from reviewer.ui.export_dialog import ExportController, PrismaDialog
from reviewer.ui.filter_panel import FilterPanel
from reviewer.ui.form import ExtractionForm
from reviewer.ui.history_panel import HistoryPanel
from reviewer.ui.import_dialog import ImportController
from reviewer.ui.jobs import JobRunner
from reviewer.ui.merge_dialog import MergeReportDialog
from reviewer.ui.notes_panel import NotesPanel
from reviewer.ui.orphans_dialog import OrphansDialog
from reviewer.ui.record_model import RecordTableModel
from reviewer.ui.review_settings_dialog import ReviewSettingsDialog
from reviewer.ui.stats_panel import StatsPanel
from reviewer.ui.tags_editor import TagsEditor
from reviewer.ui.template_editor import TemplateEditorDialog

MAX_RECENT = 8
REVIEW_FILTER = "Reviews (*.review);;All files (*)"
PROVENANCE_COLOUR = "#ffe082"  # accepted value: amber
SUGGESTION_COLOUR = "#bbdefb"  # proposed value: light blue
DECISION_KEYS = {"include": ("I", "1"), "exclude": ("E", "2"), "maybe": ("M", "3")}


def settings() -> QSettings:
    return QSettings()


class MainWindow(QMainWindow):
    def __init__(self, store: Store, jobs: JobRunner | None = None):
        super().__init__()
        self.store = store
        self.jobs = jobs or JobRunner()
        self.stage = "title_abstract"
        self.reviewer = str(
            os.environ.get("REVIEWER_NAME")  # as on the command line
            or settings().value("reviewer/name", "")
            or getpass.getuser()
        )
        self.current_id: int | None = None
        self._sources: dict[int, str] = {}
        self.setAcceptDrops(True)
        self._build_widgets()
        self.exporter = ExportController(self)
        self._build_menus()
        self.importer = ImportController(self)
        self._restore_geometry()
        self._attach(store)

    # -- construction -------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search titles, authors and text  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.table = QTableView()
        self.table.setObjectName("records")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555; padding: 2px;")

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(4, 4, 0, 4)
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stage")
        for key, label in STAGE_LABELS.items():
            self.stage_combo.addItem(f"Stage: {label}", key)
        self.stage_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.stage_combo.currentIndexChanged.connect(
            lambda _i: self.set_stage(self.stage_combo.currentData())
        )
        lv.addWidget(self.stage_combo)
        lv.addWidget(self.search)
        # counts, conflicts and statistics follow decisions a moment later, so a
        # decision by key never waits for them
        self._count_generation = 0
        self.filter_counts: dict[str, Any] = {}
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(300)
        self._recount_timer.timeout.connect(self._after_decisions)
        self.filter_panel = FilterPanel()
        self.filter_panel.filters_changed.connect(self._filters_changed)
        self.filter_panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        lv.addWidget(self.filter_panel)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.count_label)

        self.document = DocumentView()
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        self.decision_label = QLabel()
        self.decision_label.setObjectName("decision_label")
        bar.addWidget(self.decision_label)
        bar.addStretch(1)
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason")
        self.reason_combo.setToolTip("Exclusion reason (required at full text)")
        self.reason_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        bar.addWidget(self.reason_combo)
        for kind, colour in (("include", "#2e7d32"), ("exclude", "#c62828"), ("maybe", "#ef6c00")):
            b = QPushButton(f"{kind.capitalize()}  ({DECISION_KEYS[kind][0]})")
            b.setObjectName(f"decide_{kind}")
            b.setStyleSheet(f"QPushButton {{ color: {colour}; font-weight: 600; }}")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, k=kind: self.decide(k))
            bar.addWidget(b)
            self.buttons[kind] = b
        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.setContentsMargins(0, 4, 0, 4)
        mv.addWidget(self.document, 1)
        self.tags_editor = TagsEditor(self.store, self.reviewer)
        self.tags_editor.tags_changed.connect(lambda _rid: self._reload_counts())
        self.tags_editor.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        mv.addWidget(self.tags_editor)
        mv.addLayout(bar)

        self.form = ExtractionForm()
        self.form.save_fn = self._save_value
        self.form.saved.connect(self._value_saved)
        self.form.field_focused.connect(self.highlight_field)
        self.form.accept_requested.connect(self.accept_suggestion)
        self.form.reject_requested.connect(self.reject_suggestion)
        self.form.span_dropped.connect(self.set_field_from_text)
        self.document.highlight_clicked.connect(self.form.focus_field)
        self.document.set_field_requested.connect(self.set_field_from_text)
        self.document.note_requested.connect(self.add_note)
        self.document.span_remove_requested.connect(self.remove_span)
        self.document.note_delete_requested.connect(self.delete_note)

        self.notes_panel = NotesPanel()
        self.notes_panel.note_activated.connect(self.go_to_span)
        self.notes_panel.note_edit_requested.connect(self.edit_note)
        self.notes_panel.note_delete_requested.connect(self.delete_note)
        self.document.note_clicked.connect(self.notes_panel.select_note)
        self.notes_dock = QDockWidget("Notes", self)
        self.notes_dock.setObjectName("notes_dock")
        self.notes_dock.setWidget(self.notes_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.notes_dock)
        self.notes_dock.hide()

        self.conflicts_view = ConflictsView(self.store, self.reviewer, self.stage)
        self.conflicts_view.record_activated.connect(self.go_to_record)
        self.conflicts_view.resolved.connect(self._resolved)
        self.conflicts_view.blinding_changed.connect(lambda _b: self._blinding_changed())
        self.stats_panel = StatsPanel(self.store, jobs=self.jobs)
        self.history_panel = HistoryPanel(self.jobs)
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget in (
            ("conflicts", "Conflicts", self.conflicts_view),
            ("stats", "Statistics", self.stats_panel),
            ("history", "History", self.history_panel),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"{name}_dock")
            dock.setWidget(widget)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
            self.docks[name] = dock
        self.tabifyDockWidget(self.notes_dock, self.docks["conflicts"])
        self.tabifyDockWidget(self.docks["conflicts"], self.docks["stats"])
        self.tabifyDockWidget(self.docks["stats"], self.docks["history"])
        self.docks["stats"].visibilityChanged.connect(
            lambda shown: self.stats_panel.reload() if shown else None
        )

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.setCentralWidget(self.splitter)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("screening_progress")
        self.statusBar().addPermanentWidget(self.progress_label)

        # Single-key screening keys act on the list and the document only, so typing
        # in the form (or a choice list's type-ahead) never records a decision.
        for kind, keys in DECISION_KEYS.items():
            self._pane_action(f"{kind}", keys, lambda _c=False, k=kind: self.decide(k))
        self._pane_action("next", ("J",), lambda: self.move(1))
        self._pane_action("previous", ("K",), lambda: self.move(-1))

    def _pane_action(self, name: str, keys: tuple[str, ...], slot: Any) -> None:
        for pane in (self.table, self.document):
            act = QAction(name, pane)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            pane.addAction(act)

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        self._add(m, "&New review…", self.new_review, QKeySequence.StandardKey.New)
        self._add(m, "&Open review…", self.choose_review, QKeySequence.StandardKey.Open)
        self._add(m, "New review from a JSON export…", self.choose_json_export)
        self.recent_menu = m.addMenu("Recent reviews")
        m.addSeparator()
        self._add(m, "&Import files…", self.choose_import_files, "Ctrl+I")
        self._add(m, "Import &folder…", self.choose_import_folder, "Ctrl+Shift+I")
        self._add(m, "Import full-text PDFs…", self.choose_fulltext_folder)
        self._add(m, "&Merge another copy of this review…", self.choose_merge)
        m.addSeparator()
        self._add(m, "&Export…", self.exporter.choose, "Ctrl+E")
        self._add(m, "PRISMA flow &diagram…", self.show_prisma)
        m.addSeparator()
        self._add(m, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        m = self.menuBar().addMenu("&Records")
        self._add(m, "Possible &duplicates…", self.show_duplicates, "Ctrl+D")
        self._add(m, "Not a duplicate (unmerge this record)", self.unmerge_current)

        m = self.menuBar().addMenu("&Screening")
        for kind, keys in DECISION_KEYS.items():
            act = self._add(
                m,
                f"{kind.capitalize()}\t{keys[0]} / {keys[1]}",
                lambda _c=False, k=kind: self.decide(k),
            )
            act.setObjectName(f"menu_{kind}")
        m.addSeparator()
        self._add(m, "Next record\tJ", lambda: self.move(1))
        self._add(m, "Previous record\tK", lambda: self.move(-1))
        m.addSeparator()
        self._add(m, "Set reviewer name…", self.ask_reviewer_name)
        self._add(m, "Review settings (reasons, keywords, blinding)…", self.edit_review_settings)
        m.addSeparator()
        for name, key in (
            ("conflicts", "Ctrl+Shift+C"),
            ("stats", "Ctrl+Shift+S"),
            ("history", "Ctrl+Shift+H"),
        ):
            act = self.docks[name].toggleViewAction()
            act.setShortcut(QKeySequence(key))
            m.addAction(act)

        m = self.menuBar().addMenu("E&xtraction")
        act = self._add(m, "Accept all suggestions", self.accept_all, "Ctrl+Shift+A")
        act.setObjectName("accept_all")
        self._add(m, "Compute suggestions for all records", self.compute_all_suggestions)
        m.addSeparator()
        self._add(m, "Edit template…", self.edit_template)
        self._add(m, "Orphaned highlights…", self.show_orphans)
        notes = self.notes_dock.toggleViewAction()
        notes.setText("Notes panel")
        notes.setShortcut(QKeySequence("Ctrl+Shift+N"))
        m.addAction(notes)

        m = self.menuBar().addMenu("&Edit")
        self.undo_action = self._add(m, "&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._add(m, "&Redo", self.redo, "Ctrl+Shift+Z")
        m.addSeparator()
        self._add(
            m,
            "&Find",
            lambda: (self.search.setFocus(), self.search.selectAll()),
            QKeySequence.StandardKey.Find,
        )

        m = self.menuBar().addMenu("&Help")
        self._add(m, "&About Reviewer", self.about)

    def _add(self, menu, text: str, slot: Any, shortcut: Any = None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    # -- the open review -------------------------------------------------------------

    def _attach(self, store: Store) -> None:
        self.store = store
        self.undo_stack = UndoStack(store)
        self.undo_stack.changed = self._undo_changed
        self.template = store.template()
        self._sources = {s.id: s.name for s in store.sources() if s.id is not None}
        self.model = RecordTableModel(store, self.reviewer, self.stage, self)
        self.compiled_terms = compiled_terms(store)
        self.model.compiled = self.compiled_terms
        for widget in (self.conflicts_view, self.stats_panel, self.tags_editor):
            widget.set_store(store)
        self.filter_panel.set_blinded(self.reviewer if is_blinded(store) else None)
        self.filters: dict[str, Any] = {}
        self._reload_reasons()
        self._reload_list()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.show_record(
                self.model.id_at(cur.row()) if cur.isValid() else None
            )
        )
        self.form.set_template(self.template)
        self.document.set_fields([(f.key, f.label, f.group) for f in self.template.fields])
        self.setWindowTitle(f"{store.name} — Reviewer")
        self._remember_recent(store.path)
        self.select_row(0)
        self.table.setFocus()  # keyboard screening works at once
        self._update_status()

    def reload_records(self) -> None:
        """Records were added (an import finished): refresh the list, keep the selection."""
        keep = self.current_id
        self._sources = {s.id: s.name for s in self.store.sources() if s.id is not None}
        self._reload_list()
        row = self.model.row_of(keep) if keep is not None else 0
        self.select_row(max(row, 0))
        self._update_status()

    def switch_review(self, path: str | Path) -> bool:
        try:
            new = open_review(path)
        except StoreError as exc:
            QMessageBox.warning(self, "Cannot open review", str(exc))
            return False
        self.form.flush()
        old = self.store
        self._attach(new)
        old.close()
        return True

    # -- records ---------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self.show_record(None)
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def show_record(self, record_id: int | None) -> None:
        self.form.flush()
        self.current_id = record_id
        if record_id is None:
            self.document.show_record(None)
            self.form.load(None, {})
        else:
            record = self.store.record(record_id)
            self.document.show_record(record, self._sources.get(record.source_id or -1, ""))
            values = {k: v.value for k, v in self.store.values(record_id).items()}
            self.form.load(record_id, values)
            self._show_suggestions()
            self._ensure_suggestions([record_id])
        self.notes_panel.reload(self.store, record_id)
        self.tags_editor.set_record(record_id)
        if self.docks["history"].isVisible():
            self.history_panel.reload(self.store, record_id)
        self._show_decision()

    # -- annotation ------------------------------------------------------------------------

    def refresh_highlights(self) -> None:
        """Draw every value's spans, pending suggestions and notes of the shown record."""
        if self.current_id is None:
            self.document.set_highlights([])
            return
        rid = self.current_id
        items = items_for_record(
            self.template,
            self.store.values(rid),
            self.store.suggestions(rid),
            self.store.highlights(rid),
            self.keyword_spans(rid),
        )
        self.document.set_highlights(items)

    def keyword_spans(self, record_id: int) -> list:
        """Where the review's inclusion and exclusion terms occur in the record's text."""
        if not self.compiled_terms:
            return []
        return find_spans(self.store.record(record_id).text, self.compiled_terms)

    def set_field_from_text(self, key: str, start: int, end: int, append: bool = False) -> None:
        """A selection (context menu, Ctrl+digit or a drop on the field) sets a field."""
        if self.current_id is None:
            return
        self.form.flush()
        try:
            self.undo_stack.push(
                ValueChange.from_selection(self.current_id, key, start, end, self.reviewer, append)
            )
        except ValueError as exc:
            editor = self.form.editors.get(key)
            if editor is not None:
                editor.show_error(str(exc))
            self.statusBar().showMessage(str(exc), 6000)
            return
        self.form.focus_field(key)

    def add_note(self, start: int, end: int) -> None:
        if self.current_id is None:
            return
        comment, ok = QInputDialog.getMultiLineText(self, "Note", "Comment on the selected words:")
        if ok:
            self.undo_stack.push(
                AddHighlight.note(self.current_id, start, end, comment.strip(), self.reviewer)
            )
            self.notes_panel.refresh()

    def remove_span(self, key: str, span_index: int) -> None:
        if self.current_id is not None:
            self.undo_stack.push(
                ValueChange.remove_span(self.current_id, key, span_index, self.reviewer)
            )

    def delete_note(self, note_id: int) -> None:
        self.undo_stack.push(DeleteHighlight(note_id, self.reviewer))
        self.notes_panel.refresh()

    def edit_note(self, note_id: int, comment: str) -> None:
        self.undo_stack.push(EditNote(note_id, comment, self.reviewer))
        self.notes_panel.refresh()

    def go_to_span(self, record_id: int, start: int, end: int) -> None:
        if record_id != self.current_id:
            if self.model.row_of(record_id) < 0:
                self.search.setText("")
                self._apply_search()
            self.select_row(self.model.row_of(record_id))
        self.document.focus_span(start, end)

    def edit_template(self) -> None:
        dialog = TemplateEditorDialog(self.store, self.reviewer, self)
        dialog.template_changed.connect(self._template_changed)
        dialog.values_deleted.connect(lambda _k, _n: self._reload_form())
        self.template_dialog = dialog
        dialog.show()

    def _template_changed(self, template: Template) -> None:
        self.form.flush()
        self.template = template
        self.form.set_template(template)
        self.document.set_fields([(f.key, f.label, f.group) for f in template.fields])
        self._reload_form()

    def show_prisma(self) -> None:
        self.prisma_dialog = PrismaDialog(self.store, self)
        self.prisma_dialog.show()

    def show_duplicates(self) -> None:
        dialog = DuplicatesDialog(self.store, self.reviewer, self)
        dialog.changed.connect(self.reload_records)
        self.duplicates_dialog = dialog
        dialog.show()

    def unmerge_current(self) -> None:
        if self.current_id is None:
            return
        try:
            unmerge(self.store, self.current_id, self.reviewer)
        except ValueError as exc:
            QMessageBox.information(self, "Not merged", str(exc))
            return
        self.reload_records()

    def show_orphans(self) -> None:
        dialog = OrphansDialog(self)
        dialog.reattach_requested.connect(self._reattach_orphan)
        dialog.dismiss_requested.connect(
            lambda oid: (dismiss_orphan(self.store, oid, self.reviewer), dialog.refresh())
        )
        dialog.record_requested.connect(lambda rid: self.go_to_span(rid, 0, 0))
        dialog.reload(self.store, None)
        self.orphans_dialog = dialog
        dialog.show()

    def _reattach_orphan(self, orphan_id: int) -> None:
        sel = self.document.selection()
        if sel is None:
            self.statusBar().showMessage("Select the words to attach it to first", 5000)
            return
        reattach_orphan(self.store, orphan_id, sel[0], sel[1], self.reviewer)
        self.orphans_dialog.refresh()
        self._reload_form()

    # -- suggestions ---------------------------------------------------------------------

    def _show_suggestions(self) -> None:
        if self.current_id is None:
            self.form.set_suggestions({})
            return
        pending = extraction.pending_by_field(self.store, self.current_id)
        values = self.store.values(self.current_id)
        # an accepted value hides suggestions that say the same thing
        for key, fv in values.items():
            if key in pending:
                pending[key] = [s for s in pending[key] if s.value != fv.value]
        self.form.set_suggestions(pending)
        self.refresh_highlights()

    def _ensure_suggestions(self, record_ids: list[int] | None) -> None:
        """Compute missing or outdated suggestions in the background; the UI never waits."""
        review_path = self.store.path

        def work(progress, cancelled) -> list[int] | None:
            from reviewer.suggest.runner import compute_suggestions

            with Store(review_path) as store:
                compute_suggestions(
                    store,
                    record_ids,
                    cancel=cancelled,
                    progress=lambda done, total: progress((done, total)),
                )
            return record_ids

        def done(ids: list[int] | None) -> None:
            if self.store.path == review_path and (ids is None or self.current_id in ids):
                self._show_suggestions()

        self.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: self.statusBar().showMessage(f"Suggestions failed: {m}", 8000),
        )

    def compute_all_suggestions(self) -> None:
        self._ensure_suggestions(None)

    def accept_suggestion(self, suggestion_id: int) -> None:
        self.form.flush()
        self.undo_stack.push(self._accept_command(suggestion_id))
        self._reload_form()

    def reject_suggestion(self, suggestion_id: int) -> None:
        extraction.reject(self.store, suggestion_id, self.reviewer)
        self._show_suggestions()

    def accept_all(self) -> None:
        if self.current_id is None:
            return
        self.form.flush()
        plan = extraction.accept_all_plan(self.store, self.current_id)
        if plan:
            self.undo_stack.push(
                Group("accept all", [self._accept_command(s.id) for s in plan if s.id])
            )
        self._reload_form()
        self.statusBar().showMessage(f"Accepted {len(plan)} suggestions", 4000)

    def _accept_command(self, suggestion_id: int) -> ValueChange:
        field = self.store.db.execute(
            "select field from suggestions where id = ?", [suggestion_id]
        ).fetchone()[0]
        return ValueChange(
            self.current_id,  # type: ignore[arg-type]
            field,
            self.reviewer,
            lambda store: extraction.accept(store, suggestion_id, self.reviewer),
            f"accept {field}",
        )

    # -- undo ------------------------------------------------------------------------------

    def undo(self) -> None:
        self.form.flush()
        label = self.undo_stack.undo()
        self.statusBar().showMessage(f"Undid {label}" if label else "Nothing to undo", 3000)

    def redo(self) -> None:
        label = self.undo_stack.redo()
        self.statusBar().showMessage(f"Redid {label}" if label else "Nothing to redo", 3000)

    def _undo_changed(self) -> None:
        """After any push, undo or redo: refresh what the change may have touched."""
        self.undo_action.setEnabled(self.undo_stack.can_undo)
        self.redo_action.setEnabled(self.undo_stack.can_redo)
        self.undo_action.setText(f"&Undo {self.undo_stack.undo_label}".rstrip())
        self.redo_action.setText(f"&Redo {self.undo_stack.redo_label}".rstrip())
        if self.current_id is not None:
            self.model.refresh_record(self.current_id)
            if not any(e.dirty for e in self.form.editors.values()):
                self._reload_form()
            else:
                self.refresh_highlights()
            self.notes_panel.refresh()
            self._show_decision()
        self._update_status()

    def _reload_form(self) -> None:
        if self.current_id is None:
            return
        values = {k: v.value for k, v in self.store.values(self.current_id).items()}
        self.form.load(self.current_id, values)
        self._show_suggestions()

    def _value_saved(self, key: str) -> None:
        self._show_suggestions()
        self._update_status()

    def highlight_field(self, key: str) -> None:
        """Show where a field's value (or its proposed value) stands in the text."""
        if self.current_id is None:
            return
        spans: list[tuple[int, int, str]] = []
        fv = self.store.values(self.current_id).get(key)
        if fv is not None:
            spans += [(s.start, s.end, PROVENANCE_COLOUR) for s in fv.provenance]
        editor = self.form.editors.get(key)
        suggestion = editor.current_suggestion() if editor else None
        if suggestion is not None:
            spans.append((suggestion.start, suggestion.end, SUGGESTION_COLOUR))
        self.document.highlight(spans)

    def move(self, step: int) -> None:
        row = self.table.currentIndex().row()
        self.select_row(min(max(row + step, 0), self.model.rowCount() - 1))

    def _save_value(self, field: str, raw: Any) -> str | None:
        if self.current_id is None:
            return "no record is selected"
        try:
            self.undo_stack.push(ValueChange.set(self.current_id, field, raw, self.reviewer))
        except ValueError as exc:
            return str(exc)
        return None

    # -- decisions ----------------------------------------------------------------------

    def decide(self, kind: str) -> None:
        if self.current_id is None:
            return
        reason = self.reason_combo.currentData() if kind == "exclude" else ""
        if kind == "exclude" and not reason and self.stage == "full_text":
            reason, ok = QInputDialog.getItem(
                self,
                "Exclusion reason",
                "Why is this record excluded at full text?",
                exclusion_reasons(self.store),
                0,
                False,
            )
            if not ok:
                return
        decision = Decision(
            record_id=self.current_id,
            stage=self.stage,
            reviewer=self.reviewer,  # type: ignore[arg-type]
            decision=kind,
            reason=reason or "",  # type: ignore[arg-type]
        )
        try:
            self.undo_stack.push(DecisionChange(decision))
        except ScreeningError as exc:
            QMessageBox.warning(self, "Decision not recorded", str(exc))
            return
        done = self.current_id
        self.model.refresh_record(done)
        self._recount_timer.start()
        self.reason_combo.setCurrentIndex(0)
        self.statusBar().showMessage(f"Record {done}: {kind}", 3000)
        self._update_status()
        nxt = next_undecided(self.store, self.stage, self.reviewer, after_record_id=done)
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
        self.decision_label.setText(f"Your decision: {d.decision}" if d else "Not screened yet")
        for b in self.buttons.values():
            b.setEnabled(self.current_id is not None)

    def _update_status(self) -> None:
        p = screening_progress(self.store, self.stage, self.reviewer)
        shown = self.model.rowCount()
        filt = f"{shown:,} shown · " if shown != p.total else ""
        self.count_label.setText(f"{filt}{p.total:,} records at {STAGE_LABELS[self.stage]}")
        self.progress_label.setText(
            f"{p.screened:,} of {p.total:,} screened · reviewer: {self.reviewer}"
        )
        self.progress_label.setToolTip(str(self.store.path))

    def _apply_search(self) -> None:
        self.form.flush()
        self._reload_list()
        self.select_row(0)
        self._update_status()

    def _reload_list(self) -> None:
        """The list shows the records at the current stage that pass the filters and search
        at once; the filter options' counts follow from the worker thread."""
        ids = filter_record_ids(
            self.store, stage=self.stage, search=self.search.text(), **self.filters
        )
        self.model.set_ids(ids)
        self._reload_counts()

    def _reload_counts(self) -> None:
        """Recount the filter options in the background (the list is not touched)."""
        self._count_generation += 1
        generation = self._count_generation
        review_path = self.store.path
        query = dict(stage=self.stage, search=self.search.text(), **self.filters)

        def work(progress, cancelled) -> dict:
            with Store(review_path) as store:
                return filter_counts(store, **query)

        def done(counts: dict) -> None:
            if generation == self._count_generation and self.store.path == review_path:
                self.filter_counts = counts
                self.filter_panel.set_counts(counts)

        self.jobs.start(work, on_success=done)

    def _filters_changed(self, chosen: dict) -> None:
        self.form.flush()
        self.filters = {k: v for k, v in chosen.items() if v is not None}
        self._reload_list()
        self.select_row(0)
        self._update_status()

    def go_to_record(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        if row < 0:  # filtered out: show everything at this stage
            self.search.setText("")
            self.filter_panel.clear()
            self.filters = {}
            self._reload_list()
            row = self.model.row_of(record_id)
        if row >= 0:
            self.select_row(row)

    def _after_decisions(self) -> None:
        self._reload_counts()
        if self.docks["conflicts"].isVisible():
            self.conflicts_view.reload()
        self.stats_panel.reload()

    def _resolved(self, record_id: int) -> None:
        self.model.refresh_record(record_id)
        self.stats_panel.reload()
        self._reload_counts()
        self._update_status()

    def _blinding_changed(self) -> None:
        blinded = is_blinded(self.store)
        self.filter_panel.set_blinded(self.reviewer if blinded else None)
        self.conflicts_view.reload()
        self._reload_list()

    def edit_review_settings(self) -> None:
        dialog = ReviewSettingsDialog(self.store, self.reviewer, self)
        dialog.settings_changed.connect(self._settings_changed)
        self.settings_dialog = dialog
        dialog.show()

    def _settings_changed(self, names: list) -> None:
        if "keyword_terms" in names:
            self.compiled_terms = compiled_terms(self.store)
            self.model.compiled = self.compiled_terms
            self.model.set_ids(self.model.ids)
            self.refresh_highlights()
        if "exclusion_reasons" in names:
            self._reload_reasons()
            self._reload_counts()
        if "blinded" in names:
            self._blinding_changed()

    def choose_merge(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Merge another copy of this review", str(self.store.path.parent), REVIEW_FILTER
        )
        if path:
            self.merge_from(path)

    def merge_from(self, other: str) -> None:
        """Bring another copy's events in (in the background), then show what happened."""
        review_path, reviewer = self.store.path, self.reviewer

        def work(progress, cancelled):
            with Store(review_path) as store:
                return merge(store, other, reviewer=reviewer)

        def done(report) -> None:
            self.reload_records()
            self.conflicts_view.reload()
            self.stats_panel.reload()
            if self.current_id is not None:
                self.show_record(self.current_id)
            self.merge_dialog = MergeReportDialog(report, self.store, self.reviewer, self)
            self.merge_dialog.record_activated.connect(self.go_to_record)
            self.merge_dialog.show()

        self.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: QMessageBox.warning(self, "Merge failed", m),
        )

    def set_stage(self, stage: str) -> None:
        if stage == self.stage:
            return
        self.form.flush()
        self.stage = stage
        self.model.stage = stage
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

    # -- files ---------------------------------------------------------------------------

    def new_review(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New review", str(Path.home() / "new.review"), REVIEW_FILTER
        )
        if not path:
            return
        if not path.endswith(".review"):
            path += ".review"
        try:
            store = create_review(path)
        except StoreError as exc:
            QMessageBox.warning(self, "Cannot create review", str(exc))
            return
        store.close()
        self.switch_review(path)

    def choose_json_export(self) -> None:
        src, _ = QFileDialog.getOpenFileName(
            self, "JSON export", str(Path.home()), "JSON (*.json);;All files (*)"
        )
        if not src:
            return
        dest, _ = QFileDialog.getSaveFileName(
            self, "New review", str(Path(src).with_suffix(".review")), REVIEW_FILTER
        )
        if dest:
            self.new_review_from_json(src, dest)

    def new_review_from_json(self, src: str, dest: str) -> None:
        """Build a review from a JSON export in the background, then open it."""
        reviewer = self.reviewer

        def work(progress, cancelled) -> str:
            import_review_json(
                src,
                dest,
                reviewer=reviewer,
                progress=lambda d, t: progress((d, t)),
                cancel=cancelled,
            ).close()
            return dest

        self.jobs.start(
            work,
            on_success=self.switch_review,
            on_failure=lambda m: QMessageBox.warning(self, "Cannot build the review", m),
        )

    def choose_review(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open review", str(self.store.path.parent), REVIEW_FILTER
        )
        if path:
            self.switch_review(path)

    def choose_import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import files", str(Path.home()))
        if paths:
            self.importer.start(paths)

    def choose_import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import folder", str(Path.home()))
        if path:
            self.importer.start([path])

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

    # -- full texts ---------------------------------------------------------------------------

    def attach_fulltext(self, record_id: int, pdf_path: str) -> None:
        """Attach a PDF as the record's full text, in the background; then show it."""
        review_path, reviewer = self.store.path, self.reviewer

        def work(progress, cancelled) -> int:
            with Store(review_path) as store:
                attach(store, record_id, pdf_path, reviewer)
                return extraction.adopt_fulltext(store, record_id, reviewer)

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
            on_failure=lambda m: QMessageBox.warning(self, "Full text not attached", m),
        )

    def choose_fulltext_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder of full-text PDFs", str(Path.home())
        )
        if folder:
            self.import_fulltext_folder(folder)

    def import_fulltext_folder(self, folder: str) -> None:
        """Match a folder of PDFs to records by DOI or title; list what matched nothing."""
        review_path, reviewer = self.store.path, self.reviewer

        def work(progress, cancelled):
            with Store(review_path) as store:
                result = import_fulltexts(store, folder, reviewer)
                for record_id, _path in result.matched:
                    extraction.adopt_fulltext(store, record_id, reviewer)
                return result

        def done(result) -> None:
            lines = [f"{len(result.matched)} PDFs attached to their records."]
            if result.unmatched:
                lines.append(f"{len(result.unmatched)} matched no record:")
                lines += [
                    f"  {Path(p).name}" + (f" — {result.errors[p]}" if p in result.errors else "")
                    for p in result.unmatched
                ]
            self.fulltext_report = "\n".join(lines)
            QMessageBox.information(self, "Full texts", self.fulltext_report)
            if self.current_id is not None:
                self.show_record(self.current_id)

        self.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: QMessageBox.warning(self, "Full texts not imported", m),
        )

    def _remember_recent(self, path: Path) -> None:
        s = settings()
        recent = [p for p in (s.value("recent", []) or []) if p != str(path)]
        recent.insert(0, str(path))
        s.setValue("recent", recent[:MAX_RECENT])
        s.setValue("last_review", str(path))
        self.recent_menu.clear()
        for p in recent[:MAX_RECENT]:
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _c=False, p=p: self.switch_review(p))

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
            self.model.reviewer = self.reviewer
            self._reload_list()
            self._show_decision()
            self._update_status()

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Reviewer",
            "Reviewer — offline systematic reviews.\n"
            "Import, screen, extract with provenance, export.",
        )

    # -- window state ----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        s = settings()
        geom = s.value("window/geometry")
        if isinstance(geom, QByteArray) and not geom.isEmpty():
            self.restoreGeometry(geom)
        else:
            self.resize(1400, 900)
        split = s.value("window/splitter")
        if isinstance(split, QByteArray) and not split.isEmpty():
            self.splitter.restoreState(split)
        else:
            self.splitter.setSizes([420, 560, 420])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.form.flush()
        self._recount_timer.stop()
        self._search_timer.stop()
        self.importer.cancel()
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()
        self.jobs.wait(10000)
        super().closeEvent(event)


def focused_in(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))
