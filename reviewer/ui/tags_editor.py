"""The tags editor: a record's tags as chips that remove themselves when clicked, and
an entry that completes from the tags already used in the review.

Completion matters more than it looks: "RCT", "rct" and "R.C.T." would be three
facets in the filter panel. Adding and removing go through
``reviewer.review.tags`` (an event each), which also compares tags without case.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.review.operations import Changes, TagChange
from reviewer.review.tags import all_tags, tags
from reviewer.store import Store
from reviewer.ui import theme
from reviewer.ui.operations import Operations


def chip_style() -> str:
    """A tag chip: a pale blue pill (deep blue in a dark palette) that turns red under
    the pointer, since a click removes the tag."""
    fill, hover = theme.tint("#e3f2fd"), theme.tint("#ffebee")
    text, danger = theme.readable("#0d47a1", on=fill), theme.readable("#b71c1c", on=hover)
    border = theme.readable("#90caf9", on=fill, ratio=1.6)
    return (
        f"QPushButton {{ background: {theme.css(fill)}; border: 1px solid {theme.css(border)}; "
        f"border-radius: 10px; padding: 2px 8px; color: {theme.css(text)}; }} "
        f"QPushButton:hover {{ background: {theme.css(hover)}; color: {theme.css(danger)}; }}"
    )


class TagsEditor(QWidget):
    """The tags of one record (``set_record``); nothing to edit while no record is shown."""

    tags_changed = Signal(int)  # record id

    def __init__(
        self,
        store: Store,
        reviewer: str,
        ops: Operations | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("tags_editor")
        self.store = store  # read from; tags are written through ``ops`` (undoable)
        self.ops = ops or Operations.inline(store, self)
        self.ops.operation_did_execute.connect(self._changed)
        self.reviewer = reviewer
        self.record_id: int | None = None
        self.chips: dict[str, QPushButton] = {}

        self.chip_area = QWidget()
        self.flow = FlowLayout(self.chip_area, spacing=4)
        self.empty = QLabel("No tags")
        self.empty.setStyleSheet(theme.muted_style())

        self.entry = _Entry()
        self.entry.setObjectName("tags_entry")
        self.entry.setPlaceholderText("Add a tag…")
        self.entry.setClearButtonEnabled(True)
        self.entry.returnPressed.connect(self.add_typed)
        self.entry.backspace_on_empty.connect(self._remove_last)
        self.completions = QStringListModel(self)
        completer = QCompleter(self.completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entry.setCompleter(completer)
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName("tags_add")
        self.add_button.clicked.connect(self.add_typed)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.chip_area)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        layout.addStretch(1)
        self.reload()

    # -- reading ----------------------------------------------------------------------------

    def set_record(self, record_id: int | None) -> None:
        if record_id != self.record_id:
            self.entry.clear()
        self.record_id = record_id
        self.reload()

    def set_store(self, store: Store) -> None:
        self.store = store
        self.record_id = None
        self.reload()

    def reload(self) -> None:
        """Read the record's tags, and the review's for completion, again."""
        while self.flow.count():
            item = self.flow.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.chips = {}
        current = tags(self.store, self.record_id) if self.record_id is not None else []
        for tag in current:
            self.chips[tag] = self._chip(tag)
            self.flow.addWidget(self.chips[tag])
        self.chip_area.setVisible(bool(current))
        self.empty.setVisible(not current)
        self.empty.setText("No tags" if self.record_id is not None else "No record shown")
        self.completions.setStringList(list(all_tags(self.store)))
        has_record = self.record_id is not None
        self.entry.setEnabled(has_record)
        self.add_button.setEnabled(has_record)
        self.chip_area.updateGeometry()

    def tags_shown(self) -> list[str]:
        return list(self.chips)

    def _chip(self, tag: str) -> QPushButton:
        chip = QPushButton(f"{tag}  ✕")
        chip.setObjectName(f"tag_chip_{tag}")
        chip.setToolTip(f"Remove the tag “{tag}”")
        chip.setStyleSheet(chip_style())
        chip.setCursor(Qt.CursorShape.PointingHandCursor)
        chip.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        chip.clicked.connect(lambda _c=False, t=tag: self.remove(t))
        return chip

    # -- writing ----------------------------------------------------------------------------

    def add(self, tag: str) -> bool:
        """Tag the record; ``False`` when there is no record, no tag or it already had it."""
        tag = " ".join(tag.split())
        if self.record_id is None or not tag:
            return False
        # the spelling already in use wins, so "rct" typed joins the existing "RCT"
        known = {t.casefold(): t for t in all_tags(self.store)}
        tag = known.get(tag.casefold(), tag)
        if tag.casefold() in {t.casefold() for t in self.chips}:
            return False
        return self._change(TagChange(self.record_id, tag, self.reviewer, add=True))

    def add_typed(self) -> None:
        if self.add(self.entry.text()):
            self.entry.clear()
        self.entry.setFocus()

    def remove(self, tag: str) -> bool:
        if self.record_id is None:
            return False
        return self._change(TagChange(self.record_id, tag, self.reviewer, add=False))

    def _change(self, command: TagChange) -> bool:
        """Tag or untag through the operations (Ctrl+Z undoes it); whether it changed."""
        self.ops.push(command, self)
        if command.changed:
            self.tags_changed.emit(command.record_id)
        return command.changed

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """The change notice: tags of the record shown changed (here, or by an undo)."""
        if changes.tags and self.record_id in changes.records:
            self.reload()

    def _remove_last(self) -> None:
        if self.chips:
            self.remove(list(self.chips)[-1])


class _Entry(QLineEdit):
    """A line edit that says when Backspace is pressed with nothing typed (to drop the
    last chip, as tag fields usually do)."""

    backspace_on_empty = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.backspace_on_empty.emit()
            return
        super().keyPressEvent(event)


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping onto new lines (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        gap = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_height > 0:
                x, y = area.x(), y + line_height + gap
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()
