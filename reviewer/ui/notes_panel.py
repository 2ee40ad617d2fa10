"""The notes panel: the reviewer's comments on the text, listed and searchable.

Notes belong to no field ("dose reduced after cycle 2 — check the supplement"),
so they would be lost in the form; here they are listed with the words they are
on, for the record shown or for the whole review. The panel only reads (through
``reviewer.annotate.notes.notes``); showing, editing and deleting a note are
signals, which the window turns into core calls on its undo stack.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.annotate.notes import notes
from reviewer.domain import Highlight
from reviewer.store import Store
from reviewer.ui import plain, theme
from reviewer.wording import count

QUOTE_CHARS = 90
_NOTE = Qt.ItemDataRole.UserRole


class NotesPanel(QWidget):
    """Notes of the current record, or of every record, filtered as the reviewer types."""

    note_activated = Signal(int, int, int)  # record id, start, end: show the note's words
    note_edit_requested = Signal(int, str)  # note id, new comment
    note_delete_requested = Signal(int)  # note id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.record_id: int | None = None
        self._titles: dict[int, str] = {}

        self.search = QLineEdit()
        self.search.setObjectName("notes_search")
        self.search.setPlaceholderText("Search notes and the words they are on")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.whole_review = QCheckBox("All records")
        self.whole_review.setObjectName("notes_whole_review")
        self.whole_review.setToolTip("List the notes of every record, not only the one shown")
        self.whole_review.toggled.connect(lambda _on: self.refresh())

        self.list = QListWidget()
        self.list.setObjectName("notes_list")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(False)
        self.list.itemActivated.connect(self._activate)
        self.list.itemClicked.connect(self._activate)
        self.list.currentItemChanged.connect(lambda _c, _p: self._update_buttons())

        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("notes_edit")
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("notes_delete")
        self.delete_button.clicked.connect(self.delete_current)
        self.count = plain.label()  # it quotes what was typed in the search
        self.count.setStyleSheet(theme.muted_style())

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.whole_review)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)  # the dock's title already says "Notes"
        layout.addWidget(self.list, 1)
        layout.addLayout(bottom)

        for keys, slot in ((QKeySequence(Qt.Key.Key_F2), self.edit_current),
                           (QKeySequence.StandardKey.Delete, self.delete_current)):  # fmt: skip
            shortcut = QShortcut(keys, self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    # -- reading -----------------------------------------------------------------------

    def reload(self, store: Store | None, record_id: int | None) -> None:
        """Show the notes of ``record_id`` (or of all records, if so toggled) in ``store``."""
        if store is not self.store:
            self._titles = {}
        self.store = store
        self.record_id = record_id
        self.refresh()

    def refresh(self) -> None:
        """Read the notes again (after a note was added, edited or deleted)."""
        self._search_timer.stop()
        keep = self.current_note_id()
        self.list.clear()
        shown = self._read()
        for note in shown:
            item = QListWidgetItem(plain.shown(self._describe(note)))
            item.setData(_NOTE, note)
            item.setToolTip(note.span.quote[:1000])  # as text: plain.PlainToolTips
            self.list.addItem(item)
            if note.id == keep:
                self.list.setCurrentItem(item)
        where = "in the review" if self.whole_review.isChecked() else "on this record"
        typed = self.search.text().strip()
        self.count.setText(
            f"{count(len(shown), 'note')} {where}"
            + (f" matching “{typed}”" if typed else "")
        )
        self._update_buttons()

    def _read(self) -> list[Highlight]:
        if self.store is None:
            return []
        if self.whole_review.isChecked():
            return notes(self.store, None, self.search.text())
        if self.record_id is None:
            return []
        return notes(self.store, self.record_id, self.search.text())

    def _describe(self, note: Highlight) -> str:
        quote = " ".join(note.span.quote.split())
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1] + "…"
        lines = [
            f"“{quote}”",
            note.note or "(no comment)",
            f"{note.reviewer} · {local_time(note.time)}",
        ]
        if self.whole_review.isChecked():
            lines.insert(0, self._title(note.record_id))
        return "\n".join(lines)

    def _title(self, record_id: int) -> str:
        if record_id not in self._titles and self.store is not None:
            try:
                title = self.store.record(record_id).title or "(untitled)"
            except KeyError:
                title = "(record gone)"
            self._titles[record_id] = f"#{record_id} {title[:70]}"
        return self._titles.get(record_id, f"#{record_id}")

    # -- acting on the current note ------------------------------------------------------

    def notes_shown(self) -> list[Highlight]:
        return [self.list.item(i).data(_NOTE) for i in range(self.list.count())]

    def current_note(self) -> Highlight | None:
        item = self.list.currentItem()
        return item.data(_NOTE) if item is not None else None

    def current_note_id(self) -> int | None:
        note = self.current_note()
        return note.id if note is not None else None

    def select_note(self, note_id: int) -> bool:
        """Make the note with ``note_id`` current (when the reviewer clicks it in the text)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(_NOTE).id == note_id:
                self.list.setCurrentRow(i)
                self.list.scrollToItem(self.list.item(i))
                return True
        return False

    def _activate(self, item: QListWidgetItem) -> None:
        note: Highlight = item.data(_NOTE)
        self.note_activated.emit(note.record_id, note.span.start, note.span.end)

    def edit_current(self) -> None:
        note = self.current_note()
        if note is None or note.id is None:
            return
        comment = self.ask_comment(note.note)
        if comment is not None and comment != note.note:
            self.note_edit_requested.emit(note.id, comment)

    def ask_comment(self, current: str) -> str | None:
        """The new comment, or None if the reviewer cancelled."""
        text, ok = QInputDialog.getMultiLineText(self, "Edit note", "Comment:", current)
        return text.strip() if ok else None

    def delete_current(self) -> None:
        note = self.current_note()
        if note is not None and note.id is not None:
            self.note_delete_requested.emit(note.id)

    def _update_buttons(self) -> None:
        has = self.list.currentItem() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)


def local_time(iso: str) -> str:
    """'2024-05-02 14:03' in local time, from a stored ISO time."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
