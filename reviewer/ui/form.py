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

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import FieldSpec, FieldType, Suggestion, Template
from reviewer.domain.template import choice_label
from reviewer.ui import plain, theme
from reviewer.ui.mime import SPAN_MIME

SaveFn = Callable[[str, Any], str | None]  # (field, raw value) -> error message or None
DraftFn = Callable[[str, str | None], bool]  # (field, text or None to drop) -> kept on disk
# A draft the review file refused (another program held its write lock) is written again
# after this long, then twice as long, ... up to the last: not only at the next key in
# its field, which may never come (the reviewer moved on to the next field).
DRAFT_RETRY_MS = (250, 500, 1000, 2000, 4000)
_DEBOUNCE_MS = 600
_BOOL_CHOICES = ("", "yes", "no")
WRAP_BELOW = 340  # a form panel narrower than this puts every label above its field


def display_text(value: Any, spec: FieldSpec | None = None) -> str:
    """How a stored value reads in an editor (a choice by its label, with ``spec``)."""
    if spec is not None:
        value = spec.display(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "; ".join(display_text(v) for v in value)
    return str(value)


class Unsaved(NamedTuple):
    """Text typed in a field and not saved as its value yet."""

    text: str
    on_disk: bool  # kept as a draft in the review file
    origin: str = ""  # "Restored (...)": said beside the field with why it is not saved


class FieldEditor(QObject):
    """One row of the form: the editor widget, its error label, and its dirty state."""

    def __init__(self, spec: FieldSpec, form: ExtractionForm):
        super().__init__(form)
        self.spec = spec
        self.form = form
        self.loaded = ""
        self.origin = ""  # where restored text came from, said with why it is not saved
        self.error = plain.label(wrap=True)  # messages quote what was typed
        self.error.setObjectName(f"error_{spec.key}")
        self.error.setStyleSheet(f"{theme.error_style()} font-size: 11px;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(_DEBOUNCE_MS)
        self.timer.timeout.connect(self.save)
        self.widget: QLineEdit | QComboBox
        if spec.type in (FieldType.CHOICE, FieldType.BOOL):
            combo = QComboBox()
            _narrow(combo)
            # choices show their labels; the stored code is the item's data
            for choice in _BOOL_CHOICES if spec.type is FieldType.BOOL else ("", *spec.choices):
                combo.addItem(choice_label(choice), choice)
            combo.activated.connect(lambda _i: self.save())
            self.widget = combo
        else:
            line = QLineEdit()
            line.setPlaceholderText(_placeholder(spec))
            line.textEdited.connect(self._typed)
            line.editingFinished.connect(self.save)
            self.widget = line
        self.widget.setObjectName(f"field_{spec.key}")
        self.widget.setToolTip(spec.help or spec.label)
        self.widget.installEventFilter(self)
        self.widget.setAcceptDrops(True)
        self.suggestions: list[Suggestion] = []
        self._build_suggestion_row()

    def _build_suggestion_row(self) -> None:
        """Greyed proposal under the editor: candidates, confidence, accept and reject."""
        self.suggestion_row = QWidget()
        self.suggestion_row.setObjectName(f"suggestion_{self.spec.key}")
        row = QHBoxLayout(self.suggestion_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.candidates = QComboBox()
        self.candidates.setObjectName(f"candidates_{self.spec.key}")
        _narrow(self.candidates)  # a long quote is elided, whole in the tooltip
        font = self.candidates.font()
        font.setItalic(True)
        self.candidates.setFont(font)
        self.candidates.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.candidates.currentIndexChanged.connect(self._candidate_changed)
        self.accept_button = QToolButton()
        self.accept_button.setText("✓")
        self.accept_button.setToolTip("Accept this suggestion")
        self.accept_button.setObjectName(f"accept_{self.spec.key}")
        self.accept_button.clicked.connect(lambda: self._emit(self.form.accept_requested))
        self.reject_button = QToolButton()
        self.reject_button.setText("✗")
        self.reject_button.setToolTip("Reject this suggestion (it is not offered again)")
        self.reject_button.setObjectName(f"reject_{self.spec.key}")
        self.reject_button.clicked.connect(lambda: self._emit(self.form.reject_requested))
        row.addWidget(self.candidates, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        # once a suggestion is accepted or rejected its row keeps its height until the
        # next record, so the rows below never move under the pointer
        for w in (self.candidates, self.accept_button, self.reject_button):
            policy = w.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            w.setSizePolicy(policy)
        self.suggestion_row.hide()

    def _candidate_changed(self, _index: int) -> None:
        s = self.current_suggestion()
        self.candidates.setToolTip(suggestion_tip(s, self.spec) if s is not None else "")
        self.form.field_focused.emit(self.spec.key)

    def _emit(self, signal: Any) -> None:
        s = self.current_suggestion()
        if s is not None:
            signal.emit(s.id)

    def current_suggestion(self) -> Suggestion | None:
        i = self.candidates.currentIndex()
        return self.suggestions[i] if 0 <= i < len(self.suggestions) else None

    def set_suggestions(self, suggestions: list[Suggestion], keep_space: bool = False) -> None:
        """Show the pending suggestions; with ``keep_space`` (the same record as before)
        a row that had some keeps its height when none are left."""
        self.suggestions = suggestions
        self.candidates.blockSignals(True)
        self.candidates.clear()
        for s in suggestions:
            quote = " ".join(s.quote.split())
            quote = quote if len(quote) <= 60 else quote[:57] + "…"
            self.candidates.addItem(
                plain.shown(
                    f"{display_text(s.value, self.spec)}{_detail_text(s.detail)}"
                    f"   ({s.confidence:.0%})  “{quote}”"
                )
            )
            self.candidates.setItemData(
                self.candidates.count() - 1,
                suggestion_tip(s, self.spec),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.candidates.blockSignals(False)
        first = suggestion_tip(suggestions[0], self.spec) if suggestions else ""
        self.candidates.setToolTip(first)
        for w in (self.candidates, self.accept_button, self.reject_button):
            w.setVisible(bool(suggestions))
        keep = keep_space and self.suggestion_row.isVisibleTo(self.form)
        self.suggestion_row.setVisible(bool(suggestions) or keep)

    def text(self) -> str:
        """The value as typed or chosen (a choice's stored code, not its label)."""
        if isinstance(self.widget, QComboBox):
            data = self.widget.currentData()
            return data if isinstance(data, str) else self.widget.currentText()
        return self.widget.text()

    def set_text(self, text: str) -> None:
        self.timer.stop()
        if isinstance(self.widget, QComboBox):
            i = self.widget.findData(text)
            if i < 0:  # a stored value the template no longer offers: show it anyway
                self.widget.addItem(choice_label(text), text)
                i = self.widget.count() - 1
            self.widget.setCurrentIndex(i)
        else:
            self.widget.setText(text)
            self.widget.setCursorPosition(0)
        self.loaded = text
        self.origin = ""
        self.show_error(None)

    @property
    def dirty(self) -> bool:
        return self.text() != self.loaded

    def _typed(self, text: str) -> None:
        """Each change: kept as a draft at once, saved as the value after a pause."""
        self.form.keep_draft(self.spec.key, text if text != self.loaded else None)
        self.timer.start()

    def restore(self, text: str, origin: str) -> None:
        """Show text typed earlier and not saved yet, and save it as soon as the record is
        shown; if it still cannot be saved, ``origin`` and the reason stay beside it."""
        if isinstance(self.widget, QComboBox):
            i = self.widget.findData(text)  # a choice's stored code, as ``text()`` gives
            if i < 0:
                self.widget.addItem(choice_label(text), text)
                i = self.widget.count() - 1
            self.widget.setCurrentIndex(i)
        else:
            self.widget.setText(text)
        self.origin = origin
        self.show_error(f"{origin}; not saved yet")
        rid = self.form.record_id
        QTimer.singleShot(0, lambda: self.save() if self.form.record_id == rid else None)

    def save(self) -> None:
        self.timer.stop()
        rid = self.form.record_id
        if rid is None:
            return
        if not self.dirty:
            self.form.forget_unsaved(rid, self.spec.key)
            return
        raw = raw_value(self.spec, self.text())
        err = self.form.save_fn(self.spec.key, raw) if self.form.save_fn else None
        self.show_error(f"{self.origin}, not saved: {err}" if err and self.origin else err)
        if err is None:
            self.origin = ""
            self.loaded = self.text()
            self.form.forget_unsaved(rid, self.spec.key)
            self.form.saved.emit(self.spec.key)
        else:  # kept, with the reason beside it, until it can be saved
            self.form.keep_unsaved(rid, self.spec.key, self.text(), self.origin)

    def set_read_only(self, read_only: bool) -> None:
        if isinstance(self.widget, QLineEdit):
            self.widget.setReadOnly(read_only)
        else:
            self.widget.setEnabled(not read_only and self.form.record_id is not None)
        self.accept_button.setEnabled(not read_only)
        self.reject_button.setEnabled(not read_only)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.widget.setProperty("invalid", bool(message))
        style = f"border: 1px solid {theme.css(theme.error_colour())};" if message else ""
        if self.widget.styleSheet() != style:  # re-styling a widget costs; most have none
            self.widget.setStyleSheet(style)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            self.form.field_focused.emit(self.spec.key)
        elif kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasFormat(SPAN_MIME):  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif kind == QEvent.Type.Drop and event.mimeData().hasFormat(SPAN_MIME):  # type: ignore[attr-defined]
            span = json.loads(bytes(event.mimeData().data(SPAN_MIME)).decode())  # type: ignore[attr-defined]
            if span.get("record_id") == self.form.record_id:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                self.form.span_dropped.emit(self.spec.key, span["start"], span["end"], False)
            return True
        return False


def raw_value(spec: FieldSpec, text: str) -> Any:
    """What typed text is handed to the template to validate: yes/no for a boolean."""
    raw: Any = text.strip()
    if spec.type is FieldType.BOOL:
        raw = {"yes": True, "no": False}.get(raw)
    return raw
def suggestion_tip(s: Suggestion, spec: FieldSpec | None = None) -> str:
    """The whole of a suggestion, for its tooltip: the row shows it elided."""
    quote = " ".join(s.quote.split())
    return (
        f"Suggested: {display_text(s.value, spec)}{_detail_text(s.detail)}\n"
        f"Confidence {s.confidence:.0%}\n“{quote}”"
    )


def _narrow(combo: QComboBox) -> None:
    """A combo as narrow as its panel allows, its text elided, instead of as wide as its
    longest item (which pushed the form wider than its panel)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def _detail_text(detail: dict | None) -> str:
    """A hazard ratio's interval and p-value, shown beside the point estimate."""
    if not detail:
        return ""
    bits = []
    if detail.get("ci_low") is not None and detail.get("ci_high") is not None:
        level = detail.get("ci_level") or 95
        bits.append(f"{level:g}% CI {detail['ci_low']:g}–{detail['ci_high']:g}")
    if detail.get("p_value") not in (None, ""):
        p = str(detail["p_value"])
        bits.append(p if p[:1] in "pP" else f"p{p}" if p[:1] in "<>=≤" else f"p={p}")
    return f" ({'; '.join(bits)})" if bits else ""


def _placeholder(spec: FieldSpec) -> str:
    if spec.type is FieldType.LIST:
        return "numbers separated by ;" if spec.item_type == "number" else "items separated by ;"
    if spec.type is FieldType.INTEGER:
        return "whole number"
    if spec.type is FieldType.NUMBER:
        return f"number{' (' + spec.unit + ')' if spec.unit else ''}"
    return ""


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
