"""The extraction form: one editor per template field, saved as the reviewer types.

The form knows the template but not the store: it hands each edit to a
``save`` callback (which validates through the template's pydantic model and
writes value and event together) and shows the callback's error beside the
field. Edits are saved after a short pause in typing, when a field loses focus,
before another record is shown and when the window closes, so nothing typed
is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import FieldSpec, FieldType, Suggestion, Template
from reviewer.ui.mime import SPAN_MIME

SaveFn = Callable[[str, Any], str | None]  # (field, raw value) -> error message or None
_DEBOUNCE_MS = 600
_BOOL_CHOICES = ("", "yes", "no")


def display_text(value: Any) -> str:
    """How a stored value reads in an editor."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "; ".join(display_text(v) for v in value)
    return str(value)


class FieldEditor(QObject):
    """One row of the form: the editor widget, its error label, and its dirty state."""

    def __init__(self, spec: FieldSpec, form: ExtractionForm):
        super().__init__(form)
        self.spec = spec
        self.form = form
        self.loaded = ""
        self.error = QLabel()
        self.error.setObjectName(f"error_{spec.key}")
        self.error.setStyleSheet("color: #c62828; font-size: 11px;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(_DEBOUNCE_MS)
        self.timer.timeout.connect(self.save)
        self.widget: QLineEdit | QComboBox
        if spec.type in (FieldType.CHOICE, FieldType.BOOL):
            combo = QComboBox()
            combo.addItems(
                list(_BOOL_CHOICES) if spec.type is FieldType.BOOL else ["", *spec.choices]
            )
            combo.activated.connect(lambda _i: self.save())
            self.widget = combo
        else:
            line = QLineEdit()
            line.setPlaceholderText(_placeholder(spec))
            line.textEdited.connect(lambda _t: self.timer.start())
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
        self.candidates.setStyleSheet("color: #666; font-style: italic;")
        self.candidates.currentIndexChanged.connect(
            lambda _i: self.form.field_focused.emit(self.spec.key)
        )
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
        self.suggestion_row.hide()

    def _emit(self, signal: Any) -> None:
        s = self.current_suggestion()
        if s is not None:
            signal.emit(s.id)

    def current_suggestion(self) -> Suggestion | None:
        i = self.candidates.currentIndex()
        return self.suggestions[i] if 0 <= i < len(self.suggestions) else None

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        self.suggestions = suggestions
        self.candidates.blockSignals(True)
        self.candidates.clear()
        for s in suggestions:
            quote = " ".join(s.quote.split())
            quote = quote if len(quote) <= 60 else quote[:57] + "…"
            self.candidates.addItem(
                f"{display_text(s.value)}{_detail_text(s.detail)}   ({s.confidence:.0%})  “{quote}”"
            )
            self.candidates.setItemData(
                self.candidates.count() - 1, s.quote, Qt.ItemDataRole.ToolTipRole
            )
        self.candidates.blockSignals(False)
        self.suggestion_row.setVisible(bool(suggestions))

    def text(self) -> str:
        if isinstance(self.widget, QComboBox):
            return self.widget.currentText()
        return self.widget.text()

    def set_text(self, text: str) -> None:
        self.timer.stop()
        if isinstance(self.widget, QComboBox):
            i = self.widget.findText(text)
            if i < 0:  # a stored value the template no longer offers: show it anyway
                self.widget.addItem(text)
                i = self.widget.count() - 1
            self.widget.setCurrentIndex(i)
        else:
            self.widget.setText(text)
            self.widget.setCursorPosition(0)
        self.loaded = text
        self.show_error(None)

    @property
    def dirty(self) -> bool:
        return self.text() != self.loaded

    def save(self) -> None:
        self.timer.stop()
        if not self.dirty or self.form.record_id is None:
            return
        raw: Any = self.text().strip()
        if self.spec.type is FieldType.BOOL:
            raw = {"yes": True, "no": False}.get(raw)
        err = self.form.save_fn(self.spec.key, raw) if self.form.save_fn else None
        self.show_error(err)
        if err is None:
            self.loaded = self.text()
            self.form.saved.emit(self.spec.key)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.widget.setProperty("invalid", bool(message))
        self.widget.setStyleSheet("border: 1px solid #c62828;" if message else "")

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
        self.record_id: int | None = None
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
            layout.addRow(QLabel(label), cell)
        self.scroll.setWidget(body)
        self._body = body

    def load(self, record_id: int | None, values: dict[str, Any]) -> None:
        """Show a record's values (saving whatever was being typed for the previous one)."""
        self.flush()
        self.record_id = record_id
        for key, editor in self.editors.items():
            editor.set_text(display_text(values.get(key)))
            editor.widget.setEnabled(record_id is not None)

    def set_suggestions(self, by_field: dict[str, list[Suggestion]]) -> None:
        for key, editor in self.editors.items():
            editor.set_suggestions(by_field.get(key, []))

    def flush(self) -> None:
        for editor in self.editors.values():
            if editor.dirty:
                editor.save()

    def focus_field(self, key: str) -> None:
        if key in self.editors:
            self.editors[key].widget.setFocus()
