"""The window's results and risk of bias: the Results and Risk of bias tabs beside the
form, filling cells from the document, the Analysis menu, and the result cells'
highlights in the text.

A component of the main window, given the session (``reviewer.ui.session``), the form
it puts beside the results (``tabs``, which the window places), the document and the
extraction actions it shares fields with; the window tells it when a record is shown.
Every edit is an operation on the session's undo history, so a results edit is undone
with Ctrl+Z like a field's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QTabWidget

from reviewer.analysis import rob2
from reviewer.annotate.results_edit import ResultsChange
from reviewer.domain.results import StudyResults, column, kind_of
from reviewer.review import operations as op
from reviewer.store import Store
from reviewer.store import results as result_store
from reviewer.suggest.results import GridSuggestion, suggest_results
from reviewer.ui import plain
from reviewer.ui.analysis_dialog import AnalysisDialog, Rob2PlotDialog
from reviewer.ui.document_view import DocumentView
from reviewer.ui.field_editor import display_text
from reviewer.ui.form import ExtractionForm
from reviewer.ui.highlight_items import HighlightItem
from reviewer.ui.results_grid import Target
from reviewer.ui.results_panel import ResultsPanel
from reviewer.ui.rob2_panel import Rob2Panel
from reviewer.ui.session import Session

CELL_PREFIX = "cell:"  # highlight keys of result cells: cell:<item>:<field>
PROVENANCE_COLOUR = "#ffe082"
SUGGESTION_COLOUR = "#bbdefb"
RESULT_GROUP = "outcomes"
ALT_KEYS = 9


class _Tabs(QTabWidget):
    """The form's tabs; as narrow as the form alone may be (the tab bar scrolls)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 90), hint.height())


class Fields(Protocol):
    """What the results share with the form's fields (``ExtractionActions``)."""

    def set_field_from_text(self, key: str, start: int, end: int, append: bool = False) -> None: ...

    def highlight_field(self, key: str) -> None: ...

    def template_changed(self, template: Any) -> None: ...

    def refresh_highlights(self) -> None: ...


AddAction = Callable[..., QAction]  # (menu, text, slot, shortcut=None) -> the action


class ResultsController(QObject):
    """Results and RoB 2 panels, their menu and shortcuts (see the module docstring)."""

    def __init__(
        self, session: Session, form: ExtractionForm, document: DocumentView, fields: Fields
    ):
        super().__init__(session)
        self.s = session
        self.form, self.document, self.fields = form, document, fields
        self.results = StudyResults(0)
        self.panel = ResultsPanel()
        self.panel.suggest = self._suggest
        self.rob = Rob2Panel()
        self.tabs = _Tabs()
        self.tabs.setObjectName("form_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(form, "Fields")
        self.tabs.addTab(self.panel, "Results")
        self.tabs.addTab(self.rob, "RoB 2")
        self.tabs.setTabToolTip(2, "Risk of bias (RoB 2)")
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.setUsesScrollButtons(True)
        form.hidden_groups = {rob2.GROUP}
        self.analysis_dialog: AnalysisDialog | None = None
        self.rob2_dialog: Rob2PlotDialog | None = None
        self.table_dialog: QDialog | None = None  # a PDF table's rows, being mapped

        self.panel.cells_requested.connect(self._cells)
        self.panel.delete_requested.connect(self._delete)
        self.panel.selection_requested.connect(self._selection)
        self.panel.cell_focused.connect(self._show_cell)
        self.panel.suggestion_hovered.connect(
            lambda s, e: document.highlight([(s, e, SUGGESTION_COLOUR)])
        )
        self.rob.value_requested.connect(self._rob_value)
        self.rob.span_dropped.connect(lambda f, s, e: fields.set_field_from_text(f, s, e, True))
        self.rob.field_focused.connect(fields.highlight_field)
        self.rob.add_requested.connect(self.add_rob2)
        document.highlight_clicked.connect(self.focus_cell)
        document.menu_extenders.append(self._extend_menu)
        self._add_shortcuts()

    # -- the window tells ----------------------------------------------------------------------

    def show_record(self, record_id: int | None) -> None:
        self.refresh(record_id)

    def refresh(self, record_id: int | None = None) -> None:
        """Show the current record's results and RoB 2 again (after any change)."""
        rid = self.s.current_id if record_id is None else record_id
        store = self.s.store
        self.results = result_store.study_results(store, rid) if rid is not None else StudyResults(0)
        self.panel.review_outcomes = list(self.s.template.outcomes)
        self.panel.show_results(rid, self.results)
        self.rob.set_available(rob2.has_rob2(self.s.template))
        self.rob.show_values(rid, store.values(rid) if rid is not None else {})

    def highlight_items(self) -> list[HighlightItem]:
        """The words behind the shown record's result cells, as marks on the text."""
        items = []
        for it in self.results.items.values():
            for field, cell in it.cells.items():
                label = f"{it.kind.capitalize()} {column(it.kind, field).label.lower()}"
                tip = f"{label}: {display_text(cell.value)}"
                for span in cell.provenance:
                    if span.end > span.start:
                        items.append(HighlightItem(span.start, span.end, "value",
                                                   f"{CELL_PREFIX}{it.id}:{field}", RESULT_GROUP,
                                                   tip, None))  # fmt: skip
        return items

    # -- changes -----------------------------------------------------------------------------

    def _push(self, command: Any) -> bool:
        try:
            self.s.ops.push(command, self)
        except ValueError as exc:
            self.panel.show_error(str(exc))
            self.s.status(str(exc), 6000)
            self.refresh()
            return False
        self.panel.show_error(None)
        return True

    def _cells(self, changes: list, label: str) -> None:
        if self.s.current_id is not None:
            self._push(ResultsChange.set_many(self.s.current_id, changes, self.s.reviewer, label))

    def _delete(self, item: str) -> None:
        if self.s.current_id is not None:
            self._push(ResultsChange.delete(self.s.current_id, item, self.s.reviewer))

    def _selection(self, target: Target, start: int, end: int, append: bool = False) -> None:
        rid = self.s.current_id
        if rid is None:
            return
        who = self.s.reviewer

        def change(store: Store) -> None:
            from reviewer.annotate.results_edit import set_from_selection

            with store.atomic():
                if target.prelude:
                    result_store.set_cells(store, rid, list(target.prelude), who)
                set_from_selection(store, rid, target.item, target.field, start, end, who, append)

        label = f"set {target.label.lower()} from the text"
        if self._push(ResultsChange(rid, who, change, label)):
            self.panel.focus_cell(target.item, target.field)

    def fill_from_selection(self, index: int, append: bool = False) -> bool:
        """Alt+1…: put the selected words on cell ``index`` of the current results row."""
        sel = self.document.selection()
        targets = self.panel.current_targets()
        if sel is None or not 0 <= index < len(targets):
            self.s.status(
                "Select words, and a row in the Results tab, first" if sel is None
                else f"The current results row has {len(targets)} cells", 4000)  # fmt: skip
            return False
        self.tabs.setCurrentWidget(self.panel)
        self._selection(targets[index], sel[0], sel[1], append)
        return True

    def _rob_value(self, field: str, value: Any) -> None:
        if self.s.current_id is None:
            return
        try:
            self.s.run(op.set_value(self.s.stack, self.s.current_id, field, value, self.s.reviewer),
                       self)  # fmt: skip
        except ValueError as exc:
            self.s.status(str(exc), 6000)
        self.refresh()

    def add_rob2(self) -> None:
        template = self.s.store.template()
        if rob2.has_rob2(template):
            return
        new = rob2.with_rob2(template)
        who = self.s.reviewer
        self.s.run(op.set_template(new, who), self)
        self.fields.template_changed(new)
        self.tabs.setCurrentWidget(self.rob)
        self.refresh()

    # -- showing words --------------------------------------------------------------------------

    def _show_cell(self, item: str, field: str) -> None:
        it = self.results.get(item)
        cell = it.cells.get(field) if it else None
        spans = [(s.start, s.end, PROVENANCE_COLOUR) for s in (cell.provenance if cell else [])
                 if s.end > s.start]  # fmt: skip
        self.document.highlight(spans)

    def focus_cell(self, key: str) -> None:
        """A click on a result's words: show its cell in the Results tab."""
        if key.startswith(CELL_PREFIX):
            item, field = key[len(CELL_PREFIX):].rsplit(":", 1)
            self.tabs.setCurrentWidget(self.panel)
            self.panel.focus_cell(item, field)
        elif key.startswith("rob2_"):
            self.tabs.setCurrentWidget(self.rob)
            combo = self.rob.combos.get(key)
            if combo is not None:
                combo.setFocus()
        elif key in self.form.editors:
            self.tabs.setCurrentWidget(self.form)

    def _suggest(self, results: StudyResults, outcome_id: str | None) -> list[GridSuggestion]:
        if self.s.current_id is None:
            return []
        text = self.s.store.record(self.s.current_id).text
        return suggest_results(text, results, outcome_id)

    # -- menu, context menu, shortcuts -----------------------------------------------------------

    def _extend_menu(self, menu: QMenu, sel: tuple[int, int] | None) -> None:
        sub = menu.addMenu("Set results cell")
        sub.setObjectName("menu_set_result")
        targets = self.panel.current_targets()
        sub.setEnabled(sel is not None and bool(targets))
        for i, t in enumerate(targets):
            it = self.results.get(t.item)
            row = (display_text(it.value("name")) if it and it.kind in ("arm", "outcome")
                   else kind_of(t.item))  # fmt: skip
            key = f"\tAlt+{i + 1}" if i < ALT_KEYS else ""
            act = sub.addAction(f"{row}: {t.label}{key}")
            act.setObjectName(f"set_result_{i + 1}")
            act.triggered.connect(lambda _c=False, i=i: self.fill_from_selection(i))

    def _add_shortcuts(self) -> None:
        for i in range(ALT_KEYS):
            act = QAction(f"results cell {i + 1}", self.document)
            act.setObjectName(f"result_shortcut_{i + 1}")
            act.setShortcut(QKeySequence(f"Alt+{i + 1}"))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _c=False, i=i: self.fill_from_selection(i))
            self.document.addAction(act)

    def fill_menu(self, menu: QMenu, add: AddAction) -> None:
        """The Analysis menu's entries, each made by ``add`` (the window's, which knows
        which entries change the review)."""
        menu.setObjectName("menu_analysis")
        add(menu, "&Meta-analysis and forest plot…", self.show_analysis, "Ctrl+Shift+M")
        add(menu, "Risk of bias &plot (RoB 2)…", self.show_rob2_plot)
        add(menu, "Add RoB 2 to the template", self.add_rob2)
        menu.addSeparator()
        add(menu, "&Import results (CSV)…", self.choose_import)
        add(menu, "&Export results (CSV)…", lambda: self.choose_export("results-csv"))
        add(menu, "Export for &RevMan (study data CSVs)…", lambda: self.choose_export("revman"))

    def show_analysis(self) -> AnalysisDialog:
        if self.analysis_dialog is None:
            self.analysis_dialog = AnalysisDialog(self.s)
        else:
            self.analysis_dialog.reload_outcomes()
        self.analysis_dialog.show()
        self.analysis_dialog.raise_()
        return self.analysis_dialog

    def show_rob2_plot(self) -> Rob2PlotDialog:
        if self.rob2_dialog is None:
            self.rob2_dialog = Rob2PlotDialog(self.s)
        else:
            self.rob2_dialog.refresh()
        self.rob2_dialog.show()
        return self.rob2_dialog

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.s.widget, "Import results", str(self.s.store.path.parent),
                                              "CSV (*.csv);;All files (*)")  # fmt: skip
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        who, job = self.s.reviewer, self.s.ops.job

        def work(progress, cancelled) -> Any:
            from reviewer.ingest.results_csv import import_results

            return job(lambda store: import_results(store, path, who))

        def done(report: Any) -> None:
            self.refresh()
            self.fields.refresh_highlights()
            plain.inform(self.s.widget, "Results imported",
                                    f"{report.rows} rows: {report.cells} cells set in "
                                    f"{report.records} records ({report.unchanged} unchanged).")  # fmt: skip

        self.s.jobs.start(work, on_success=done,
                          on_failure=lambda m: plain.warn(self.s.widget, "Nothing imported", m))  # fmt: skip

    def choose_export(self, fmt: str) -> None:
        base = self.s.store.path.with_suffix("")
        if fmt == "revman":
            path = QFileDialog.getExistingDirectory(self.s.widget, "Folder for RevMan's CSVs",
                                                    str(base.parent))  # fmt: skip
        else:
            path, _ = QFileDialog.getSaveFileName(self.s.widget, "Export results",
                                                  f"{base}-results.csv", "CSV (*.csv)")  # fmt: skip
        if not path:
            return
        review, read_only = self.s.store.path, self.s.store.read_only

        def work(progress, cancelled) -> str:
            from reviewer.export.formats import export

            with Store(review, read_only=read_only) as store:  # it only reads
                return str(export(store, fmt, path).path)

        self.s.jobs.start(
            work,
            on_success=lambda p: self.s.status(f"Exported {p}", 6000),
            on_failure=lambda m: plain.warn(self.s.widget, "Cannot export", m),
        )
