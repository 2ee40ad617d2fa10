"""The form of one template field: its key, label, type, choices, unit, help, keywords, group.

Split from the template editor dialog (which owns the list of fields and the changes made
through ``reviewer.annotate.template_ops``): this holds only the widgets of the field being
edited, fills them from a ``FieldSpec`` and reads them back as the data of one.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from reviewer.domain import FieldSpec, FieldType
from reviewer.ui.legend import GROUPS, group_colour

TYPE_LABELS = {
    FieldType.TEXT: "text",
    FieldType.NUMBER: "number",
    FieldType.INTEGER: "integer",
    FieldType.CHOICE: "choice",
    FieldType.LIST: "list",
    FieldType.BOOL: "yes/no",
}


def key_from_label(label: str) -> str:
    """A key for a new field, from its label: 'Median OS (months)' -> 'median_os_months'."""
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    if key and not key[0].isalpha():
        key = "f_" + key
    return key


def form_button(text: str, name: str, slot: Any) -> QPushButton:
    """A push button that is never the dialog's default by accident."""
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAutoDefault(False)
    b.clicked.connect(lambda _c=False: slot())
    return b


class FieldForm(QGroupBox):
    """The editor of one field; ``edited`` says the reviewer changed something in it."""

    edited = Signal()

    def __init__(self, apply: Any, revert: Any):
        super().__init__("Field")
        self._loading = False
        self._key_edited = False
        self.adding = False  # the form holds a field not yet in the template
        self.key = QLineEdit()
        self.key.setObjectName("template_key")
        self.key.setPlaceholderText("lower_case_key")
        self.key.textEdited.connect(self._key_typed)
        self.label = QLineEdit()
        self.label.setObjectName("template_label")
        self.label.textEdited.connect(self._label_typed)
        self.type = QComboBox()
        self.type.setObjectName("template_type")
        for ftype, text in TYPE_LABELS.items():
            self.type.addItem(text, ftype.value)
        self.type.currentIndexChanged.connect(lambda _i: self._changed())
        self.item_type = QComboBox()
        self.item_type.setObjectName("template_item_type")
        self.item_type.addItem("text items", "text")
        self.item_type.addItem("number items", "number")
        self.item_type.currentIndexChanged.connect(lambda _i: self._changed())
        self.choices = QPlainTextEdit()
        self.choices.setObjectName("template_choices")
        self.choices.setPlaceholderText("one choice per line")
        self.choices.setTabChangesFocus(True)
        self.choices.setFixedHeight(90)
        self.choices.textChanged.connect(self._changed)
        self.unit = QLineEdit()
        self.unit.setObjectName("template_unit")
        self.unit.setPlaceholderText("e.g. months, %")
        self.unit.textEdited.connect(lambda _t: self._changed())
        self.help = QPlainTextEdit()
        self.help.setObjectName("template_help")
        self.help.setTabChangesFocus(True)
        self.help.setFixedHeight(60)
        self.help.textChanged.connect(self._changed)
        self.keywords = QLineEdit()
        self.keywords.setObjectName("template_keywords")
        self.keywords.setPlaceholderText("words that find its evidence, e.g. masked, sham")
        self.keywords.setToolTip(
            "Suggestions for a field the app does not know rank the record's sentences by "
            "the field's label, help and these words (separate them with commas)"
        )
        self.keywords.textEdited.connect(lambda _t: self._changed())
        self.group = QComboBox()
        self.group.setObjectName("template_group")
        for g in GROUPS:
            self.group.addItem(swatch(g), g, g)
        self.group.currentIndexChanged.connect(lambda _i: self._changed())
        self.apply_button = form_button("Apply", "template_apply", apply)
        self.apply_button.setDefault(True)
        self.revert_button = form_button("Revert", "template_revert", revert)

        form = QFormLayout()
        form.addRow("Label", self.label)
        form.addRow("Key", self.key)
        form.addRow("Type", self.type)
        form.addRow("List of", self.item_type)
        form.addRow("Choices", self.choices)
        form.addRow("Unit", self.unit)
        form.addRow("Help", self.help)
        form.addRow("Keywords", self.keywords)
        form.addRow("Group", self.group)
        apply_row = QHBoxLayout()
        apply_row.addStretch(1)
        apply_row.addWidget(self.revert_button)
        apply_row.addWidget(self.apply_button)
        editor = QVBoxLayout(self)
        editor.addLayout(form)
        editor.addLayout(apply_row)

    def fill(self, spec: FieldSpec | None, adding: bool) -> None:
        """Show ``spec`` (or blank defaults for a new field) without announcing an edit."""
        self.adding = adding
        self._loading = True
        self._key_edited = spec is not None
        self.key.setText(spec.key if spec else "")
        self.label.setText(spec.label if spec else "")
        self.type.setCurrentIndex(self.type.findData(spec.type.value if spec else "text"))
        self.item_type.setCurrentIndex(self.item_type.findData(spec.item_type if spec else "text"))
        self.choices.setPlainText("\n".join(spec.choices) if spec else "")
        self.unit.setText(spec.unit if spec else "")
        self.help.setPlainText(spec.help if spec else "")
        self.keywords.setText(", ".join(spec.keywords) if spec else "")
        group = spec.group if spec else "other"
        if self.group.findData(group) < 0:  # a group of a built-in template (risk_of_bias)
            self.group.addItem(swatch(group), group, group)
        self.group.setCurrentIndex(self.group.findData(group))
        self._loading = False
        self.setEnabled(spec is not None or adding)
        self.setTitle("New field" if adding else (f"Field: {spec.label}" if spec else "Field"))
        self.apply_button.setText("Add" if adding else "Apply")

    def data(self) -> dict[str, Any]:
        """The field as the form holds it."""
        ftype = self.type.currentData()
        return {
            "key": self.key.text().strip(),
            "label": self.label.text().strip(),
            "type": ftype,
            "item_type": self.item_type.currentData(),
            "choices": [c.strip() for c in self.choices.toPlainText().splitlines() if c.strip()]
            if ftype == FieldType.CHOICE.value
            else [],
            "unit": self.unit.text().strip(),
            "help": self.help.toPlainText().strip(),
            "keywords": [k.strip() for k in self.keywords.text().split(",") if k.strip()],
            "group": self.group.currentData(),
        }

    def show_state(self, dirty: bool) -> None:
        """Enable what the chosen type uses, and Apply/Revert when there is a change."""
        ftype = self.type.currentData()
        self.item_type.setEnabled(ftype == FieldType.LIST.value)
        self.choices.setEnabled(ftype == FieldType.CHOICE.value)
        self.apply_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty and not self.adding)

    def _key_typed(self, _text: str) -> None:
        self._key_edited = True
        self._changed()

    def _label_typed(self, text: str) -> None:
        if self.adding and not self._key_edited:
            self.key.setText(key_from_label(text))
        self._changed()

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()


def field_changes(spec: FieldSpec, data: dict[str, Any]) -> dict[str, Any]:
    """What differs between a stored field and the form's data."""
    current = spec.model_dump(mode="json")
    return {k: v for k, v in data.items() if current.get(k) != v}


def validation_message(exc: ValidationError) -> str:
    """A pydantic error as one line the reviewer can read."""
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"])
        parts.append(f"{where}: {str(e['msg']).removeprefix('Value error, ')}")
    return "; ".join(parts)


def swatch(group: str) -> QIcon:
    """A small square of the colour of ``group``."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(group_colour(group)))
    return QIcon(pixmap)
