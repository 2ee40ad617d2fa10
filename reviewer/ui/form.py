"""The extraction form: one editor per template field, saved as the reviewer types.

The form knows the template but not the store: it hands each edit to a
``save`` callback (which validates through the template's pydantic model and
writes value and event together) and shows the callback's error beside the
field. Edits are saved after a short pause in typing, when a field loses focus,
before another record is shown and when the window closes.

Nothing typed is lost on the way. Every change is handed at once to a ``draft``
callback, which keeps it in the review file (``reviewer.store.drafts``), so a crash
or a kill before the value is saved leaves the draft to restore. A value that cannot
be saved (not valid yet, or the disk is full) keeps its text in the field with the
reason beside it, and in ``unsaved`` when another record is shown, until it is
saved; coming back to the record shows it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Suggestion, Template
from reviewer.ui import plain
from reviewer.ui.field_editor import FieldEditor, display_text

SaveFn = Callable[[str, Any], str | None]  # (field, raw value) -> error message or None
DraftFn = Callable[[str, str | None], bool]  # (field, text or None to drop) -> kept on disk
# A draft the review file refused (another program held its write lock) is written again
# after this long, then twice as long, ... up to the last: not only at the next key in
# its field, which may never come (the reviewer moved on to the next field).
DRAFT_RETRY_MS = (250, 500, 1000, 2000, 4000)
WRAP_BELOW = 340  # a form panel narrower than this puts every label above its field


class Unsaved(NamedTuple):
    """Text typed in a field and not saved as its value yet."""

    text: str
    on_disk: bool  # kept as a draft in the review file
    origin: str = ""  # "Restored (...)": said beside the field with why it is not saved


class ExtractionForm(QWidget):
    """The form for one record at a time."""

    saved = Signal(str)  # field key
    field_focused = Signal(str)
    span_dropped = Signal(str, int, int, bool)  # field key, start, end, append
    accept_requested = Signal(int)  # suggestion id
    reject_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.save_fn: SaveFn | None = None
        self.draft_fn: DraftFn | None = None
        self.record_id: int | None = None
        self.read_only = False
        # (record, field) -> text typed and not saved yet, and whether its draft is on disk
        self.unsaved: dict[tuple[int, str], Unsaved] = {}
        self._draft_retry = QTimer(self)
        self._draft_retry.setSingleShot(True)
        self._draft_retry.timeout.connect(self._retry_drafts)
        self._draft_tries = 0
        self.editors: dict[str, FieldEditor] = {}
        self.template: Template | None = None
        self.hidden_groups: set[str] = set()  # shown elsewhere (risk of bias has its own tab)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("Extraction")
        self.heading.setStyleSheet("font-weight: 600; padding: 4px;")
        outer.addWidget(self.heading)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        # the form is as wide as its panel: long values and quotes elide or wrap
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._suggested_for: int | None = None
        outer.addWidget(self.scroll)
        self._body = QWidget()
        self.scroll.setWidget(self._body)

    def set_template(self, template: Template) -> None:
        self.flush()
        self.template = template
        self.editors.clear()
        body = QWidget()
        layout = QFormLayout(body)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._layout = layout
        self._wrap_to_width()
        for spec in template.fields:
            if spec.group in self.hidden_groups:
                continue
            editor = FieldEditor(spec, self)
            self.editors[spec.key] = editor
            label = spec.label + (f" ({spec.unit})" if spec.unit else "")
            cell = QWidget()
            col = QVBoxLayout(cell)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(1)
            col.addWidget(editor.widget)
            col.addWidget(editor.suggestion_row)
            col.addWidget(editor.error)
            name = plain.label(label)  # the template may come from a file
            name.setToolTip(spec.help or spec.label)
            layout.addRow(name, cell)
        self.scroll.setWidget(body)
        self._body = body

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._wrap_to_width()

    def _wrap_to_width(self) -> None:
        """Labels beside their fields when the panel is wide enough, above them all
        when it is narrow (one rule for every row, so the form reads as one column)."""
        layout = getattr(self, "_layout", None)
        if layout is None:
            return
        narrow = self.scroll.viewport().width() < WRAP_BELOW
        policy = (
            QFormLayout.RowWrapPolicy.WrapAllRows
            if narrow
            else QFormLayout.RowWrapPolicy.DontWrapRows
        )
        if layout.rowWrapPolicy() != policy:
            layout.setRowWrapPolicy(policy)

    def load(
        self,
        record_id: int | None,
        values: dict[str, Any],
        drafts: dict[str, str] | None = None,
    ) -> None:
        """Show a record's values (saving whatever was being typed for the previous one).

        Text typed for this record and not saved yet (here, or as ``drafts`` left in the
        review by a session that ended before saving it) is shown in its field, with
        the reason, and saved.
        """
        self.flush()
        if record_id != self.record_id or record_id is None:
            for editor in self.editors.values():  # never the last record's suggestions
                editor.set_suggestions([])
            self._suggested_for = None
        self.record_id = record_id
        for key, editor in self.editors.items():
            editor.set_text(display_text(values.get(key)))
            editor.widget.setEnabled(record_id is not None)
            editor.set_read_only(self.read_only)
            if record_id is None:
                continue
            held = self.unsaved.get((record_id, key))
            if held is not None and held.text != editor.loaded:
                editor.restore(held.text, held.origin or "Typed earlier")
            elif drafts and key in drafts:
                if drafts[key] == editor.loaded:  # saved after all: nothing to restore
                    if self.draft_fn and not self.read_only:
                        self.draft_fn(key, None)
                    continue
                origin = "Restored (typed before Reviewer last closed)"
                self.unsaved[(record_id, key)] = Unsaved(drafts[key], True, origin)
                editor.restore(drafts[key], origin)

    def set_read_only(self, read_only: bool) -> None:
        """A review open read-only: values can be read and copied, not typed."""
        self.read_only = read_only
        for editor in self.editors.values():
            editor.set_read_only(read_only)

    # -- what is typed and not saved -------------------------------------------------

    def keep_draft(self, key: str, text: str | None) -> None:
        """Keep what is typed in a field of the shown record (``None``: it is back to the
        saved value)."""
        if self.record_id is None:
            return
        on_disk = bool(self.draft_fn(key, text)) if self.draft_fn else False
        if text is None:
            self.unsaved.pop((self.record_id, key), None)
        else:
            self.unsaved[(self.record_id, key)] = Unsaved(text, on_disk)
            if not on_disk:
                self._retry_soon()

    def keep_unsaved(self, record_id: int, key: str, text: str, origin: str = "") -> None:
        held = self.unsaved.get((record_id, key))
        on_disk = held is not None and held.text == text and held.on_disk
        if not on_disk and self.draft_fn and record_id == self.record_id:
            on_disk = bool(self.draft_fn(key, text))
        self.unsaved[(record_id, key)] = Unsaved(text, on_disk, origin)
        if not on_disk:
            self._retry_soon()

    def _retry_soon(self) -> None:
        if self.draft_fn is not None and not self.read_only and not self._draft_retry.isActive():
            self._draft_tries = 0
            self._draft_retry.start(DRAFT_RETRY_MS[0])

    def _retry_drafts(self) -> None:
        """Write again the shown record's drafts that are only in memory."""
        if self.draft_fn is None or self.record_id is None:
            return
        left = False
        for (rid, key), held in list(self.unsaved.items()):
            if rid == self.record_id and not held.on_disk:
                on_disk = bool(self.draft_fn(key, held.text))
                self.unsaved[(rid, key)] = held._replace(on_disk=on_disk)
                left |= not on_disk
        if left:
            self._draft_tries += 1
            self._draft_retry.start(DRAFT_RETRY_MS[min(self._draft_tries, len(DRAFT_RETRY_MS) - 1)])

    def forget_unsaved(self, record_id: int, key: str) -> None:
        """It was saved (which deleted its draft), or typed back to the saved value."""
        self.unsaved.pop((record_id, key), None)

    def only_in_memory(self) -> list[tuple[int, str, str]]:
        """Typed text that is neither saved nor kept as a draft on disk: what closing
        the window would lose."""
        return [(rid, key, u.text) for (rid, key), u in self.unsaved.items() if not u.on_disk]

    def set_suggestions(self, by_field: dict[str, list[Suggestion]]) -> None:
        same = self.record_id is not None and self._suggested_for == self.record_id
        for key, editor in self.editors.items():
            editor.set_suggestions(by_field.get(key, []), keep_space=same)
        self._suggested_for = self.record_id

    def flush(self) -> None:
        for editor in self.editors.values():
            if editor.dirty:
                editor.save()

    def focus_field(self, key: str) -> None:
        if key in self.editors:
            self.editors[key].widget.setFocus()
