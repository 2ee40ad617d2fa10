"""Extraction in the window: values from the form and from selected text,
suggestions, highlights, notes, the template, orphaned highlights and what is typed
but not saved yet.

A component (``ExtractionActions``), not a part of the window's class: it is given
the session (``reviewer.ui.session``), the form and the document it works on, and a
way to show a record in the list; it connects their signals itself. Every change is
an operation run through the session's operations (``reviewer.ui.operations``),
undoable where a user would expect it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog

from reviewer.domain import Template
from reviewer.review import extraction
from reviewer.review import operations as op
from reviewer.review.keywords import find_spans
from reviewer.review.operations import Changes
from reviewer.store import StoreError, drafts
from reviewer.store.errors import DiskFullError
from reviewer.ui import plain
from reviewer.ui.document_view import DocumentView
from reviewer.ui.field_editor import raw_value
from reviewer.ui.form import ExtractionForm
from reviewer.ui.highlight_items import items_for_record
from reviewer.ui.orphans_dialog import OrphansDialog
from reviewer.ui.session import Session
from reviewer.ui.template_editor import TemplateEditorDialog

PROVENANCE_COLOUR = "#ffe082"  # accepted value: amber (deepened in a dark palette)
SUGGESTION_COLOUR = "#bbdefb"  # proposed value: light blue


class Results(Protocol):
    """The Results and Risk of bias tabs (``reviewer.ui.results_actions``)."""

    def refresh(self, record_id: int | None = None) -> None: ...

    def highlight_items(self) -> list: ...


class NoResults:
    """No results tabs (a form used without them)."""

    def refresh(self, record_id: int | None = None) -> None:
        pass

    def highlight_items(self) -> list:
        return []


class ExtractionActions(QObject):
    """Values, suggestions, highlights, notes, template and drafts (see the module
    docstring)."""

    def __init__(
        self,
        session: Session,
        form: ExtractionForm,
        document: DocumentView,
        go_to_record: Callable[[int], None] = lambda _rid: None,
    ):
        super().__init__(session)
        self.s = session
        self.form, self.document = form, document
        self.go_to_record = go_to_record  # show a record in the list (a note elsewhere)
        self.results: Results = NoResults()
        self.orphans_dialog: OrphansDialog | None = None
        self.template_dialog: TemplateEditorDialog | None = None
        form.save_fn = self.save_value
        form.draft_fn = self.keep_draft
        form.saved.connect(lambda _key: self.show_suggestions())
        form.field_focused.connect(self.highlight_field)
        form.accept_requested.connect(self.accept_suggestion)
        form.reject_requested.connect(self.reject_suggestion)
        form.span_dropped.connect(self.set_field_from_text)
        document.highlight_clicked.connect(form.focus_field)
        document.set_field_requested.connect(self.set_field_from_text)
        document.note_requested.connect(self.add_note)
        document.span_remove_requested.connect(self.remove_span)
        document.note_delete_requested.connect(self.delete_note)
        session.ops.operation_did_execute.connect(self._changed)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """A change notice: the shown record's form and highlights, keyword colours."""
        rid = self.s.current_id
        if rid is not None and (changes.undo or rid in changes.records):
            self.current_record_changed()
        elif "keyword_terms" in changes.settings:
            self.refresh_highlights()

    @property
    def template(self) -> Template:
        return self.s.template

    def show_record(self, record_id: int | None) -> None:
        """The form shows ``record_id``'s values, drafts and suggestions (computed in the
        background when missing)."""
        if record_id is None:
            self.form.load(None, {})
            return
        values = {k: v.value for k, v in self.s.store.values(record_id).items()}
        self.form.load(record_id, values, self.drafts(record_id))
        self.show_suggestions()
        self.ensure_suggestions([record_id])

    # -- annotation ------------------------------------------------------------------------

    def refresh_highlights(self) -> None:
        """Draw every value's spans, pending suggestions and notes of the shown record."""
        if self.s.current_id is None:
            self.document.set_highlights([])
            return
        rid = self.s.current_id
        items = items_for_record(
            self.template,
            self.s.store.values(rid),
            self.s.store.suggestions(rid),
            self.s.store.highlights(rid),
            self.keyword_spans(rid),
        )
        self.document.set_highlights([*items, *self.results.highlight_items()])

    def keyword_spans(self, record_id: int) -> list:
        """Where the review's inclusion and exclusion terms occur in the record's text."""
        if not self.s.compiled_terms:
            return []
        return find_spans(self.s.store.record(record_id).text, self.s.compiled_terms)

    def set_field_from_text(self, key: str, start: int, end: int, append: bool = False) -> None:
        """A selection (context menu, Ctrl+digit or a drop on the field) sets a field."""
        if self.s.current_id is None:
            return
        self.form.flush()
        try:
            self.s.run(op.value_from_text(self.s.stack, self.s.current_id, key, start, end,
                                          self.s.reviewer, append))  # fmt: skip
        except ValueError as exc:
            editor = self.form.editors.get(key)
            if editor is not None:
                editor.show_error(str(exc))
            self.s.status(str(exc), 6000)
            return
        self.form.focus_field(key)

    def add_note(self, start: int, end: int) -> None:
        if self.s.current_id is None:
            return
        comment, ok = QInputDialog.getMultiLineText(self.s.widget, "Note", "Comment on the selected words:")
        if ok:
            self.s.run(op.add_note(self.s.stack, self.s.current_id, start, end, comment.strip(),
                                   self.s.reviewer))  # fmt: skip

    def remove_span(self, key: str, span_index: int) -> None:
        if self.s.current_id is not None:
            self.s.run(op.remove_span(self.s.stack, self.s.current_id, key, span_index,
                                      self.s.reviewer))  # fmt: skip

    def delete_note(self, note_id: int) -> None:
        self.s.run(op.delete_note(self.s.stack, note_id, self.s.reviewer))

    def edit_note(self, note_id: int, comment: str) -> None:
        self.s.run(op.edit_note(self.s.stack, note_id, comment, self.s.reviewer))

    def go_to_span(self, record_id: int, start: int, end: int) -> None:
        if record_id != self.s.current_id:
            self.go_to_record(record_id)
        self.document.focus_span(start, end)

    def edit_template(self) -> None:
        dialog = TemplateEditorDialog(self.s.store, self.s.reviewer, self.s.widget, operations=self.s.ops)
        dialog.template_changed.connect(self.template_changed)
        dialog.values_deleted.connect(lambda _k, _n: self.reload_form())
        self.template_dialog = dialog
        dialog.show()

    def template_changed(self, template: Template) -> None:
        self.form.flush()
        self.s.template = template
        self.form.set_template(template)
        self.document.set_fields([(f.key, f.label, f.group) for f in template.fields])
        self.reload_form()

    def show_orphans(self) -> None:
        dialog = OrphansDialog(self.s.widget)
        dialog.reattach_requested.connect(self._reattach_orphan)
        dialog.dismiss_requested.connect(lambda oid: (self._dismiss_orphan(oid), dialog.refresh()))
        dialog.record_requested.connect(lambda rid: self.go_to_span(rid, 0, 0))
        dialog.reload(self.s.store, None)
        self.orphans_dialog = dialog
        dialog.show()

    def _reattach_orphan(self, orphan_id: int) -> None:
        sel = self.document.selection()
        if sel is None:
            self.s.status("Select the words to attach it to first", 5000)
            return
        (start, end), who = sel[:2], self.s.reviewer
        self.s.run(op.reattach_orphan(orphan_id, start, end, who))
        self.orphans_dialog.refresh()
        self.reload_form()

    def _dismiss_orphan(self, orphan_id: int) -> None:
        who = self.s.reviewer
        self.s.run(op.dismiss_orphan(orphan_id, who), initiator=self)

    # -- suggestions ---------------------------------------------------------------------

    def show_suggestions(self) -> None:
        if self.s.current_id is None:
            self.form.set_suggestions({})
            return
        pending = extraction.pending_by_field(self.s.store, self.s.current_id)
        values = self.s.store.values(self.s.current_id)
        # an accepted value hides suggestions that say the same thing
        for key, fv in values.items():
            if key in pending:
                pending[key] = [s for s in pending[key] if s.value != fv.value]
        self.form.set_suggestions(pending)
        self.refresh_highlights()

    def ensure_suggestions(self, record_ids: list[int] | None) -> None:
        """Compute missing or outdated suggestions in the background; the UI never waits."""
        if self.s.store.read_only:  # they are stored: nothing to do in a review read only
            return
        review_path, job, writer = self.s.store.path, self.s.ops.job, self.s.ops.writer

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
            if self.s.store.closed or self.s.store.path != review_path:
                return  # the window closed, or another review is open
            if ids is None or self.s.current_id in ids:
                self.show_suggestions()

        self.s.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: self.s.status(f"Suggestions failed: {m}", 8000),
        )

    def compute_all_suggestions(self) -> None:
        self.ensure_suggestions(None)

    def accept_suggestion(self, suggestion_id: int) -> None:
        self.form.flush()
        s = self.s
        if s.current_id is not None:
            s.run(op.accept_suggestions(s.stack, s.current_id, [suggestion_id], s.reviewer))
        self.reload_form()

    def reject_suggestion(self, suggestion_id: int) -> None:
        rid, who = self.s.current_id, self.s.reviewer
        self.s.run(op.reject_suggestion(rid, suggestion_id, who))
        self.show_suggestions()

    def accept_all(self) -> None:
        if self.s.current_id is None:
            return
        self.form.flush()
        plan = extraction.accept_all_plan(self.s.store, self.s.current_id)
        if plan:
            ids = [s.id for s in plan if s.id]
            self.s.run(op.accept_suggestions(self.s.stack, self.s.current_id, ids, self.s.reviewer))
        self.reload_form()
        self.s.status(f"Accepted {len(plan)} suggestions", 4000)

    # -- after a change --------------------------------------------------------------------

    def current_record_changed(self) -> None:
        """An operation touched the record shown: its form and highlights."""
        self.results.refresh()  # before the highlights are drawn again
        if not any(e.dirty for e in self.form.editors.values()):
            self.reload_form()
        else:
            self.refresh_highlights()

    def reload_form(self) -> None:
        if self.s.current_id is None:
            return
        values = {k: v.value for k, v in self.s.store.values(self.s.current_id).items()}
        self.form.load(self.s.current_id, values, self.drafts(self.s.current_id))
        self.show_suggestions()

    def highlight_field(self, key: str) -> None:
        """Show where a field's value (or its proposed value) stands in the text."""
        if self.s.current_id is None:
            return
        spans: list[tuple[int, int, str]] = []
        fv = self.s.store.values(self.s.current_id).get(key)
        if fv is not None:
            spans += [(s.start, s.end, PROVENANCE_COLOUR) for s in fv.provenance]
        editor = self.form.editors.get(key)
        suggestion = editor.current_suggestion() if editor else None
        if suggestion is not None:
            spans.append((suggestion.start, suggestion.end, SUGGESTION_COLOUR))
        self.document.highlight(spans)

    def save_value(self, field: str, raw: Any) -> str | None:
        if self.s.current_id is None:
            return "no record is selected"
        try:
            self.s.run(op.set_value(self.s.stack, self.s.current_id, field, raw, self.s.reviewer))
        except ValueError as exc:
            return str(exc)
        except DiskFullError as exc:  # the text stays typed, and is saved once there is room
            self.s.status(str(exc), 15000)  # the whole story, file and all
            return "Disk full: not saved yet, kept here"
        except StoreError as exc:  # a read-only file, a lock held too long ...
            return "Not saved: " + str(exc).removeprefix(f"{self.s.store.path}: ")
        return None

    # -- what is typed and not saved yet (see ``reviewer.ui.form``) -------------------------

    def keep_draft(self, field: str, text: str | None) -> bool:
        """Keep what is typed as a draft in the review; whether it is on disk."""
        if self.s.current_id is None or self.s.store.read_only:
            return False
        rid, who = self.s.current_id, self.s.reviewer
        try:  # a draft is no change to announce: only written, through the writer
            if text is None:
                self.s.ops.write(lambda s: drafts.drop(s, rid, field, who))
            else:
                self.s.ops.write(lambda s: drafts.keep(s, rid, field, who, text))
        except StoreError:
            return False  # held in memory; the field says why when saving fails too
        return True

    def drafts(self, record_id: int) -> dict[str, str] | None:
        if self.s.store.read_only:
            return None
        return drafts.of_record(self.s.store, record_id, self.s.reviewer)

    def restore_drafts(self) -> None:
        """Save what was typed before the app last closed without saving it (a crash, a
        kill): each draft that is a valid value and newer than the field's value is saved;
        the others stay drafts, shown in their fields."""
        if self.s.store.read_only:
            return
        left = drafts.all_of(self.s.store, self.s.reviewer)
        if not left:
            return
        fields = {f.key: f for f in self.template.fields}
        saved = kept = 0
        for d in left:
            spec = fields.get(d.field)
            value = self.s.store.values(d.record_id).get(d.field)
            if spec is None or (value is not None and value.time > d.time):
                kept += 1
                continue
            try:
                value = raw_value(spec, d.text)
                self.s.run(op.set_value(self.s.stack, d.record_id, d.field, value, self.s.reviewer))
                saved += 1
            except (ValueError, StoreError):
                kept += 1
        if self.s.current_id is not None:
            self.reload_form()
        words = []
        if saved:
            words.append(f"{saved} value{'s' if saved != 1 else ''} saved")
        if kept:
            words.append(f"{kept} kept in {'their fields' if kept != 1 else 'its field'}")
        self.s.status(
            "Restored what was typed before Reviewer last closed: " + ", ".join(words), 10000
        )

    def may_lose_unsaved(self) -> bool:
        """Whether to go on although typed text could be neither saved nor kept on disk
        (a full disk): the reviewer is asked; it stays in the form when they say no."""
        lost = self.form.only_in_memory()
        if not lost:
            return True
        shown = "\n".join(f"record {rid}, {key}: {text[:60]}" for rid, key, text in lost[:8])
        return plain.ask(
            self.s.widget,
            "Typed values not saved",
            f"{len(lost)} value{'s' if len(lost) != 1 else ''} you typed could not be saved "
            "(the fields say why) and would be lost:\n\n"
            f"{shown}\n\nGo on and lose them? (Cancel keeps them, to save once there is "
            "room.)",
        )
