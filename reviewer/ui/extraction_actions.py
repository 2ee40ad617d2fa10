"""The extraction side of the main window: values from the form and from selected
text, suggestions, highlights, notes, the template and undo.

A mixin of ``MainWindow``, kept apart so each concern of the window reads on its own;
what it uses of the window is declared at the top of the class. Every change goes
through the window's operations (``reviewer.ui.operations``), undoable where a user
would expect it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QInputDialog

from reviewer.annotate.anchors import dismiss_orphan, reattach_orphan
from reviewer.annotate.undo import AddHighlight, DeleteHighlight, EditNote, Group, ValueChange
from reviewer.domain import Template
from reviewer.review import extraction
from reviewer.review import operations as op
from reviewer.review.keywords import find_spans
from reviewer.review.operations import Changes
from reviewer.store import StoreError, drafts
from reviewer.store.errors import DiskFullError
from reviewer.store.suggestions import suggestion as stored_suggestion
from reviewer.ui import plain
from reviewer.ui.document_view import items_for_record
from reviewer.ui.form import raw_value
from reviewer.ui.orphans_dialog import OrphansDialog
from reviewer.ui.template_editor import TemplateEditorDialog

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLineEdit, QStatusBar

    from reviewer.store import Store
    from reviewer.ui.bulk_actions import BulkDecisions
    from reviewer.ui.document_view import DocumentView
    from reviewer.ui.form import ExtractionForm
    from reviewer.ui.jobs import JobRunner
    from reviewer.ui.operations import Operations
    from reviewer.ui.rank_model import RankedRecordModel

class _Results(Protocol):
    def refresh(self, record_id: int | None = None) -> None: ...

    def highlight_items(self) -> list: ...


PROVENANCE_COLOUR = "#ffe082"  # accepted value: amber (deepened in a dark palette)
SUGGESTION_COLOUR = "#bbdefb"  # proposed value: light blue


class ExtractionActions:
    """Values, suggestions, highlights, notes, template and undo (mixed into MainWindow)."""

    # Everything this part of the window uses of the window, declared (MainWindow
    # provides each); it writes only through ``ops``.
    store: Store
    ops: Operations
    bulk: BulkDecisions
    jobs: JobRunner
    reviewer: str
    current_id: int | None
    template: Template
    compiled_terms: Any
    form: ExtractionForm
    document: DocumentView
    results: _Results  # the Results and Risk of bias tabs
    model: RankedRecordModel
    search: QLineEdit
    undo_action: QAction
    redo_action: QAction
    orphans_dialog: OrphansDialog
    template_dialog: TemplateEditorDialog
    select_row: Callable[[int], None]
    _apply_search: Callable[[], None]
    _update_status: Callable[[], None]
    _show_decision: Callable[[], None]
    statusBar: Callable[[], QStatusBar]  # noqa: N815 (Qt's name)

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
        self.document.set_highlights([*items, *self.results.highlight_items()])

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
            self.ops.push(
                ValueChange.from_selection(self.current_id, key, start, end, self.reviewer, append),
                self,
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
            self.ops.push(
                AddHighlight.note(self.current_id, start, end, comment.strip(), self.reviewer),
                self,
            )

    def remove_span(self, key: str, span_index: int) -> None:
        if self.current_id is not None:
            self.ops.push(
                ValueChange.remove_span(self.current_id, key, span_index, self.reviewer), self
            )

    def delete_note(self, note_id: int) -> None:
        self.ops.push(DeleteHighlight(note_id, self.reviewer), self)

    def edit_note(self, note_id: int, comment: str) -> None:
        self.ops.push(EditNote(note_id, comment, self.reviewer), self)

    def go_to_span(self, record_id: int, start: int, end: int) -> None:
        if record_id != self.current_id:
            if self.model.row_of(record_id) < 0:
                self.search.setText("")
                self._apply_search()
            self.select_row(self.model.row_of(record_id))
        self.document.focus_span(start, end)

    def edit_template(self) -> None:
        dialog = TemplateEditorDialog(self.store, self.reviewer, self, operations=self.ops)
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

    def show_orphans(self) -> None:
        dialog = OrphansDialog(self)
        dialog.reattach_requested.connect(self._reattach_orphan)
        dialog.dismiss_requested.connect(lambda oid: (self._dismiss_orphan(oid), dialog.refresh()))
        dialog.record_requested.connect(lambda rid: self.go_to_span(rid, 0, 0))
        dialog.reload(self.store, None)
        self.orphans_dialog = dialog
        dialog.show()

    def _reattach_orphan(self, orphan_id: int) -> None:
        sel = self.document.selection()
        if sel is None:
            self.statusBar().showMessage("Select the words to attach it to first", 5000)
            return
        (start, end), who = sel[:2], self.reviewer
        self.ops.run(op.write(lambda s: reattach_orphan(s, orphan_id, start, end, who),
                              Changes(notes=True, suggestions=True)), self)  # fmt: skip
        self.orphans_dialog.refresh()
        self._reload_form()

    def _dismiss_orphan(self, orphan_id: int) -> None:
        who = self.reviewer
        self.ops.run(op.write(lambda s: dismiss_orphan(s, orphan_id, who), Changes(notes=True)))

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
        if self.store.read_only:  # they are stored: nothing to do in a review read only
            return
        review_path, job, writer = self.store.path, self.ops.job, self.ops.writer

        def work(progress, cancelled) -> list[int] | None:
            from reviewer.suggest.runner import compute_suggestions

            if writer is not None and writer.closed:  # the review was closed meanwhile
                return []

            job(  # on the writer: its batches let the reviewer's edits through
                lambda store: compute_suggestions(
                    store,
                    record_ids,
                    cancel=cancelled,
                    progress=lambda done, total: progress((done, total)),
                )
            )
            return record_ids

        def done(ids: list[int] | None) -> None:
            if self.store.closed or self.store.path != review_path:
                return  # the window closed, or another review is open
            if ids is None or self.current_id in ids:
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
        self.ops.push(self._accept_command(suggestion_id), self)
        self._reload_form()

    def reject_suggestion(self, suggestion_id: int) -> None:
        rid, who = self.current_id, self.reviewer
        self.ops.run(op.write(lambda s: extraction.reject(s, suggestion_id, who),
                              Changes(records=op.records([rid] if rid else []),
                                      suggestions=True)), self)  # fmt: skip
        self._show_suggestions()

    def accept_all(self) -> None:
        if self.current_id is None:
            return
        self.form.flush()
        plan = extraction.accept_all_plan(self.store, self.current_id)
        if plan:
            self.ops.push(
                Group("accept all", [self._accept_command(s.id) for s in plan if s.id]), self
            )
        self._reload_form()
        self.statusBar().showMessage(f"Accepted {len(plan)} suggestions", 4000)

    def _accept_command(self, suggestion_id: int) -> ValueChange:
        field = stored_suggestion(self.store, suggestion_id).field
        return ValueChange(
            self.current_id,  # type: ignore[arg-type]
            field,
            self.reviewer,
            lambda store: extraction.accept(store, suggestion_id, self.reviewer),
            "accept {field}",
        )

    # -- undo ------------------------------------------------------------------------------

    def undo(self) -> None:
        self.form.flush()
        if self.bulk.undo():  # a bulk decision: undone in the background, with progress
            return
        changes = self.ops.undo(self)
        self.statusBar().showMessage(changes.label, 3000)
        if changes.decisions and not changes.fields and len(changes.records) == 1:
            (rid,) = changes.records  # a decision undone: back to its record
            if rid != self.current_id and self.model.row_of(rid) >= 0:
                self.select_row(self.model.row_of(rid))

    def redo(self) -> None:
        if self.bulk.redo():
            return
        self.statusBar().showMessage(self.ops.redo(self).label, 3000)

    def _undo_changed(self) -> None:
        """The undo history changed: the Edit menu names what Undo and Redo would do."""
        stack = self.ops.stack
        if stack is None:
            return
        self.undo_action.setEnabled(stack.can_undo)
        self.redo_action.setEnabled(stack.can_redo)
        self.undo_action.setText(f"&Undo {stack.undo_label}".rstrip())
        self.redo_action.setText(f"&Redo {stack.redo_label}".rstrip())

    def _current_record_changed(self) -> None:
        """An operation touched the record shown: its form, highlights, notes, decision."""
        self.results.refresh()  # before the highlights are drawn again
        if not any(e.dirty for e in self.form.editors.values()):
            self._reload_form()
        else:
            self.refresh_highlights()
        self._show_decision()

    def _reload_form(self) -> None:
        if self.current_id is None:
            return
        values = {k: v.value for k, v in self.store.values(self.current_id).items()}
        self.form.load(self.current_id, values, self._drafts(self.current_id))
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

    def _save_value(self, field: str, raw: Any) -> str | None:
        if self.current_id is None:
            return "no record is selected"
        try:
            self.ops.push(ValueChange.set(self.current_id, field, raw, self.reviewer), self)
        except ValueError as exc:
            return str(exc)
        except DiskFullError as exc:  # the text stays typed, and is saved once there is room
            self.statusBar().showMessage(str(exc), 15000)  # the whole story, file and all
            return "Disk full: not saved yet, kept here"
        except StoreError as exc:  # a read-only file, a lock held too long ...
            return "Not saved: " + str(exc).removeprefix(f"{self.store.path}: ")
        return None

    # -- what is typed and not saved yet (see ``reviewer.ui.form``) -------------------------

    def _keep_draft(self, field: str, text: str | None) -> bool:
        """Keep what is typed as a draft in the review; whether it is on disk."""
        if self.current_id is None or self.store.read_only:
            return False
        rid, who = self.current_id, self.reviewer
        try:  # a draft is no change to announce: only written, through the writer
            if text is None:
                self.ops.write(lambda s: drafts.drop(s, rid, field, who))
            else:
                self.ops.write(lambda s: drafts.keep(s, rid, field, who, text))
        except StoreError:
            return False  # held in memory; the field says why when saving fails too
        return True

    def _drafts(self, record_id: int) -> dict[str, str] | None:
        if self.store.read_only:
            return None
        return drafts.of_record(self.store, record_id, self.reviewer)

    def restore_drafts(self) -> None:
        """Save what was typed before the app last closed without saving it (a crash, a
        kill): each draft that is a valid value and newer than the field's value is saved;
        the others stay drafts, shown in their fields."""
        if self.store.read_only:
            return
        left = drafts.all_of(self.store, self.reviewer)
        if not left:
            return
        fields = {f.key: f for f in self.template.fields}
        saved = kept = 0
        for d in left:
            spec = fields.get(d.field)
            value = self.store.values(d.record_id).get(d.field)
            if spec is None or (value is not None and value.time > d.time):
                kept += 1
                continue
            try:
                self.ops.push(
                    ValueChange.set(d.record_id, d.field, raw_value(spec, d.text), self.reviewer)
                )
                saved += 1
            except (ValueError, StoreError):
                kept += 1
        if self.current_id is not None:
            self._reload_form()
        words = []
        if saved:
            words.append(f"{saved} value{'s' if saved != 1 else ''} saved")
        if kept:
            words.append(f"{kept} kept in {'their fields' if kept != 1 else 'its field'}")
        self.statusBar().showMessage(
            "Restored what was typed before Reviewer last closed: " + ", ".join(words), 10000
        )

    def _may_lose_unsaved(self) -> bool:
        """Whether to go on although typed text could be neither saved nor kept on disk
        (a full disk): the reviewer is asked; it stays in the form when they say no."""
        lost = self.form.only_in_memory()
        if not lost:
            return True
        shown = "\n".join(f"record {rid}, {key}: {text[:60]}" for rid, key, text in lost[:8])
        return plain.ask(
            self,
            "Typed values not saved",
            f"{len(lost)} value{'s' if len(lost) != 1 else ''} you typed could not be saved "
            "(the fields say why) and would be lost:\n\n"
            f"{shown}\n\nGo on and lose them? (Cancel keeps them, to save once there is "
            "room.)",
        )
