"""One row of the extraction form: a field's editor, its error and its suggestion.

``FieldEditor`` edits one template field and hands what is typed to its form
(``reviewer.ui.form.ExtractionForm``), which saves it and keeps it as a draft; beside
it are how stored values and suggestions read as text (``display_text``,
``suggestion_tip``) and how typed text is handed back (``raw_value``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from reviewer.domain import FieldSpec, FieldType, Suggestion
from reviewer.domain.template import choice_label
from reviewer.ui import plain, theme
from reviewer.ui.mime import span_event

if TYPE_CHECKING:
    from reviewer.ui.form import ExtractionForm

_DEBOUNCE_MS = 600
_BOOL_CHOICES = ("", "yes", "no")


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
        else:
            consumed, span = span_event(event, self.form.record_id)
            if span is not None:
                self.form.span_dropped.emit(self.spec.key, span["start"], span["end"], False)
            if consumed:
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
