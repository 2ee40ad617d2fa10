"""The template editor: the review's own fields, added, changed, reordered and removed.

Reviewers change the extraction template as they learn what the papers report.
Each change here is applied at once through ``reviewer.annotate.template_ops``
(so each is a template event in the review's log) and announced with
``template_changed``, so the window can rebuild the form while the dialog is
still open. Removing a field deletes nothing: its values stay in the review and
its exports, and are listed here until the reviewer deletes them on purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.annotate import template_ops as ops
from reviewer.domain import FieldSpec, Template
from reviewer.review import operations as op
from reviewer.review.operations import Changes
from reviewer.store import Store
from reviewer.ui import file_dialogs as dialogs
from reviewer.ui import plain, theme
from reviewer.ui.operations import Operations
from reviewer.ui.template_field_form import (
    TYPE_LABELS,
    FieldForm,
    field_changes,
    form_button,
    key_from_label,
    swatch,
    validation_message,
)
from reviewer.wording import count

TEMPLATE_FILTER = "Templates (*.json);;All files (*)"
_KEY = Qt.ItemDataRole.UserRole
_NEW = ""  # the key of the row of a field being added


class TemplateEditorDialog(QDialog):
    """Edit the template of the review in ``store``; changes are made as ``reviewer``."""

    template_changed = Signal(object)  # the review's new Template
    values_deleted = Signal(str, int)  # key of a removed field, how many values went

    def __init__(
        self,
        store: Store,
        reviewer: str,
        parent: QWidget | None = None,
        operations: Operations | None = None,
    ):
        super().__init__(parent)
        self.store = store  # read from; changes are written through ``operations``
        self.operations = operations or Operations.inline(store, self)
        self.reviewer = reviewer
        self.setWindowTitle("Extraction template")
        self.setObjectName("template_editor")
        self.resize(820, 600)
        self._loading = False
        self._row = -1  # the row whose field the editor holds
        self._editing: str | None = None  # that field's key (_NEW for one being added)
        self._build()
        self.reload()

    # -- construction ------------------------------------------------------------------

    def _build(self) -> None:
        self.fields = _FieldList()
        self.fields.setObjectName("template_fields")
        self.fields.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.fields.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.fields.currentRowChanged.connect(self._row_changed)
        self.fields.dropped.connect(lambda: QTimer.singleShot(0, self._follow_list_order))
        self.add_button = form_button("Add field", "template_add", self.start_new_field)
        self.remove_button = form_button("Remove", "template_remove", self.remove_current)
        self.up_button = form_button("Up", "template_up", lambda: self.move_current(-1))
        self.down_button = form_button("Down", "template_down", lambda: self.move_current(1))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        left = QVBoxLayout()
        left.addWidget(QLabel("Fields, in the form's order (drag to reorder)"))
        left.addWidget(self.fields, 1)
        left.addLayout(buttons)

        self.form = FieldForm(self.apply, self._load_editor)
        self.form.edited.connect(self._editor_changed)

        self.message = QLabel()
        self.message.setObjectName("template_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        self.orphans = QListWidget()
        self.orphans.setObjectName("template_orphans")
        self.orphans.setMaximumHeight(90)
        self.orphans.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.delete_values_button = form_button(
            "Delete their values", "template_delete_values", self.delete_orphan_values
        )
        self.orphan_box = QGroupBox("Removed fields whose values are kept")
        orphan_layout = QVBoxLayout(self.orphan_box)
        hint = QLabel(
            "These values stay in the review and its exports. Add a field with the same key "
            "to bring them back, or delete them."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(theme.muted_style())
        orphan_layout.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(self.orphans, 1)
        row.addWidget(self.delete_values_button, 0, Qt.AlignmentFlag.AlignTop)
        orphan_layout.addLayout(row)

        right = QVBoxLayout()
        right.addWidget(self.form)
        right.addWidget(self.message)
        right.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addLayout(right, 1)

        bottom = QHBoxLayout()
        bottom.addWidget(form_button("Save template…", "template_save", self.choose_save))
        bottom.addWidget(form_button("Load template…", "template_load", self.choose_load))
        bottom.addStretch(1)
        bottom.addWidget(form_button("Close", "template_close", self.accept))

        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.orphan_box)
        layout.addLayout(bottom)

    # -- showing the template -------------------------------------------------------------

    def template(self) -> Template:
        return self.store.template()

    def reload(self, select: str | None = None) -> None:
        """Read the template and the kept values of removed fields again."""
        keep = select if select is not None else self.current_key()
        template = self.template()
        self._loading = True
        self.fields.clear()
        for spec in template.fields:
            self.fields.addItem(self._item(spec))
        keys = template.keys
        self._row = -1
        self._loading = False
        self.fields.setCurrentRow(keys.index(keep) if keep in keys else (0 if keys else -1))
        if self.fields.currentRow() == -1:
            self._load_editor()
        self._reload_orphans()

    def _item(self, spec: FieldSpec) -> QListWidgetItem:
        extra = f" · {spec.unit}" if spec.unit else ""
        item = QListWidgetItem(swatch(spec.group), f"{spec.label}   ({spec.key} · "
                               f"{TYPE_LABELS[spec.type]}{extra})")  # fmt: skip
        item.setData(_KEY, spec.key)
        item.setToolTip(spec.help or spec.label)
        return item

    def _reload_orphans(self) -> None:
        self.orphans.clear()
        for key, n in ops.orphan_fields(self.store).items():
            item = QListWidgetItem(f"{key} — values in {count(n, 'record')}")
            item.setData(_KEY, key)
            self.orphans.addItem(item)
        self.orphan_box.setVisible(self.orphans.count() > 0)
        if self.orphans.count():
            self.orphans.setCurrentRow(0)
        self._update_buttons()

    def keys_shown(self) -> list[str]:
        return [self.fields.item(i).data(_KEY) for i in range(self.fields.count())]

    def orphans_shown(self) -> list[str]:
        return [self.orphans.item(i).data(_KEY) for i in range(self.orphans.count())]

    def current_key(self) -> str | None:
        item = self.fields.currentItem()
        return item.data(_KEY) if item is not None else None

    def _spec(self, key: str | None) -> FieldSpec | None:
        if not key:
            return None
        try:
            return self.template().field(key)
        except KeyError:
            return None

    def _row_changed(self, row: int) -> None:
        if self._loading:
            return
        previous = self._row
        if previous != -1 and previous != row and self._dirty():
            item = self.fields.item(row)
            target = item.data(_KEY) if item is not None else None
            if self.apply():  # the list is rebuilt: go where the reviewer was going
                self.reload(select=target)
            else:  # keep the reviewer on the field that needs fixing
                self._loading = True
                self.fields.setCurrentRow(previous)
                self._loading = False
            return
        if previous != row:
            self._drop_new_row(keep=row)
        self._row = self.fields.currentRow()
        self._load_editor()

    def _drop_new_row(self, keep: int) -> None:
        for i in range(self.fields.count()):
            if self.fields.item(i).data(_KEY) == _NEW and i != keep:
                self._loading = True
                self.fields.takeItem(i)
                self._loading = False
                return

    def _load_editor(self) -> None:
        """Put the current field (or blank defaults for a new one) into the editor."""
        self._editing = self.current_key()
        spec = self._spec(self._editing)
        self.form.fill(spec, adding=self._editing == _NEW)
        self._editor_changed()

    # -- the editor ---------------------------------------------------------------------

    def _dirty(self) -> bool:
        key = self._editing
        if key == _NEW:
            data = self.form.data()
            return bool(data["key"] or data["label"])
        spec = self._spec(key)
        return spec is not None and field_changes(spec, self.form.data()) != {}

    def _editor_changed(self) -> None:
        if self._loading:
            return
        self.form.show_state(self._dirty())
        self._update_buttons()

    def _update_buttons(self) -> None:
        key = self.current_key()
        real = key is not None and key != _NEW
        row = self.fields.currentRow()
        self.remove_button.setEnabled(real)
        self.up_button.setEnabled(real and row > 0)
        self.down_button.setEnabled(real and row < self.fields.count() - 1)
        self.delete_values_button.setEnabled(self.orphans.currentItem() is not None)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(
            theme.error_style() if error else f"color: {theme.css(theme.success_colour())};"
        )

    # -- changes, each through template_ops ----------------------------------------------------

    def _change(self, describe: str, change: Any, select: str | None = None) -> bool:
        """Run one template change; show its error, or reload and announce the new template."""
        try:
            self.operations.run(op.write(change, Changes(template=True, label=describe)), self)
        except (ValueError, KeyError, OSError) as exc:
            self._say(_reason(exc), error=True)
            return False
        self.reload(select=select)
        self._say(describe)
        self.template_changed.emit(self.template())
        return True

    def apply(self) -> bool:
        """Apply the editor to the field (or add the new field); False if it was refused."""
        key = self._editing
        data = self.form.data()
        try:
            FieldSpec.model_validate(data)
        except ValidationError as exc:
            self._say(validation_message(exc), error=True)
            return False
        if key == _NEW:
            position = self.keys_shown().index(_NEW)
            return self._change(
                f"Added “{data['label']}”.",
                lambda s: ops.add_field(s, data, self.reviewer, position),
                select=data["key"],
            )
        spec = self._spec(key)
        if spec is None:
            return False
        changes = field_changes(spec, data)
        if not changes:
            return True

        def change(store: Store) -> None:
            current = spec.key
            if "key" in changes or "label" in changes:
                ops.rename_field(
                    store,
                    current,
                    self.reviewer,
                    label=changes.pop("label", None),
                    new_key=changes.pop("key", None),
                )
                current = data["key"]
            if changes:
                ops.update_field(store, current, self.reviewer, **changes)

        return self._change(f"Changed “{data['label']}”.", change, select=data["key"])

    def start_new_field(self) -> None:
        """Open a blank field under the current one; 'Add' puts it in the template."""
        if self._dirty() and not self.apply():
            return
        self._drop_new_row(keep=-1)
        row = self.fields.currentRow() + 1 if self.fields.currentRow() >= 0 else self.fields.count()
        item = QListWidgetItem("(new field)")
        item.setData(_KEY, _NEW)
        self._loading = True
        self.fields.insertItem(row, item)
        self.fields.setCurrentRow(row)
        self._loading = False
        self._row = row
        self._load_editor()
        self.form.label.setFocus()

    def remove_current(self) -> None:
        key = self.current_key()
        spec = self._spec(key)
        if spec is None:
            return
        held = self.store.value_field_counts().get(spec.key, 0)
        kept = f" Its values in {count(held, 'record')} are kept." if held else ""
        row = self.fields.currentRow()
        keys = self.template().keys
        after = keys[row + 1] if row + 1 < len(keys) else (keys[row - 1] if row > 0 else None)
        self._change(
            f"Removed “{spec.label}”.{kept}",
            lambda s: ops.remove_field(s, spec.key, self.reviewer),
            select=after,
        )

    def move_current(self, step: int) -> None:
        if self._dirty() and not self.apply():
            return
        key = self.current_key()
        if self._spec(key) is None:
            return
        position = max(0, self.fields.currentRow() + step)
        self._move(key, position)  # type: ignore[arg-type]

    def _move(self, key: str, position: int) -> None:
        self._change(
            f"Moved “{self.template().field(key).label}”.",
            lambda s: ops.move_field(s, key, position, self.reviewer),
            select=key,
        )

    def _follow_list_order(self) -> None:
        """A field was dragged to another place in the list: make it so in the template."""
        if not self.apply_order(self.keys_shown()):
            self.reload()

    def apply_order(self, keys: list[str]) -> bool:
        """Move the one field that ``keys`` (the template's keys) has elsewhere; False if
        ``keys`` is no such order."""
        stored = self.template().keys
        if keys == stored or sorted(keys) != sorted(stored):
            return False
        for key in stored:
            rest = [k for k in stored if k != key]
            if rest == [k for k in keys if k != key]:
                self._move(key, keys.index(key))
                return True
        return False

    def delete_orphan_values(self) -> None:
        item = self.orphans.currentItem()
        if item is None:
            return
        key = item.data(_KEY)
        n = self.store.value_field_counts().get(key, 0)
        if not self.confirm(
            "Delete values",
            f"Delete the values of the removed field “{key}” in {count(n, 'record')}"
            "? They are gone from the review and its exports "
            "(the event log keeps what they were).",
        ):
            return
        try:
            who = self.reviewer
            deleted = self.operations.run(
                op.write(lambda s: ops.delete_values_of_removed_field(s, key, who),
                         Changes(template=True, suggestions=True)), self,
            ).result  # fmt: skip
        except ValueError as exc:
            self._say(_reason(exc), error=True)
            return
        self._reload_orphans()
        self._say(f"Deleted {count(deleted, 'value')} of “{key}”.")
        self.values_deleted.emit(key, deleted)

    # -- files --------------------------------------------------------------------------

    def choose_save(self) -> None:
        path = dialogs.save_file(
            self, "Save template", "templates", f"{key_from_label(self.template().name)}.json",
            TEMPLATE_FILTER,
        )  # fmt: skip
        if path:
            self.save_to(path if path.endswith(".json") else path + ".json")

    def save_to(self, path: str | Path) -> bool:
        try:
            saved = ops.save_template(self.store, path)
        except OSError as exc:
            self._say(f"Cannot save the template: {exc}", error=True)
            return False
        self._say(f"Saved the template to {saved}.")
        return True

    def choose_load(self) -> None:
        path = dialogs.open_file(self, "Load template", "templates", TEMPLATE_FILTER)
        if path:
            self.load_from(path)

    def load_from(self, path: str | Path) -> bool:
        """Make the template in ``path`` the review's (asking first); False if not done."""
        n = len(self.template().fields)
        if not self.confirm(
            "Load template",
            f"Replace this review's {n} fields with the template in {Path(path).name}? "
            "Values of fields the file does not have are kept.",
        ):
            return False
        return self._change(
            f"Loaded the template from {Path(path).name}.",
            lambda s: ops.load_template_into(s, path, self.reviewer),
        )

    def confirm(self, title: str, text: str) -> bool:
        return plain.ask(self, title, text, default_yes=True)  # the text names fields


class _FieldList(QListWidget):
    """The list of fields; says when a drag has put one elsewhere."""

    dropped = Signal()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        super().dropEvent(event)
        self.dropped.emit()


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return str(exc)
