"""Orphaned spans: words a value or a note was on that the record's new text lacks.

When a record's text is replaced, a span that cannot be found again is never
moved to a guess (``reviewer.annotate.anchors``); it waits here, with the words
it was on, until the reviewer selects where it belongs now or dismisses it. The
dialog only reads; re-attaching and dismissing are signals the window carries
out (it knows the current selection and keeps the undo stack).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.annotate.anchors import Orphan, orphans
from reviewer.store import Store
from reviewer.ui import theme
from reviewer.ui.notes_panel import local_time
from reviewer.wording import count

QUOTE_CHARS = 120
_ORPHAN = Qt.ItemDataRole.UserRole
COLUMNS = ("Record", "Field", "Words it was on", "Orphaned")


class OrphansDialog(QDialog):
    """Open orphans of the current record or of the whole review; not modal."""

    reattach_requested = Signal(int)  # orphan id: attach it to the document's selection
    dismiss_requested = Signal(int)  # orphan id
    record_requested = Signal(int)  # record id: show that record, to select the words

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Orphaned spans")
        self.setObjectName("orphans_dialog")
        self.setModal(False)
        self.resize(720, 360)
        self.store: Store | None = None
        self.record_id: int | None = None
        self._labels: dict[str, str] = {}

        intro = QLabel(
            "These values and notes were on words the record's new text no longer has. "
            "Select where they belong now in the document and re-attach, or dismiss them."
        )
        intro.setWordWrap(True)
        self.whole_review = QCheckBox("All records")
        self.whole_review.setObjectName("orphans_whole_review")
        self.whole_review.toggled.connect(lambda _on: self.refresh())
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("orphans_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in (0, 1, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _i: self._ask_for_record())

        self.reattach_button = self._button(
            "Re-attach to selection", "orphans_reattach", self.reattach_current
        )
        self.reattach_button.setToolTip("Anchor it at the words selected in the document")
        self.dismiss_button = self._button("Dismiss", "orphans_dismiss", self.dismiss_current)
        self.count = QLabel()
        self.count.setStyleSheet(theme.muted_style())
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.reattach_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self._button("Close", "orphans_close", self.close))

        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.whole_review, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAutoDefault(False)
        b.clicked.connect(lambda _c=False: slot())
        return b

    # -- reading ----------------------------------------------------------------------

    def reload(self, store: Store | None, record_id: int | None) -> None:
        """List the open orphans of ``record_id`` (or of all records, if so toggled)."""
        self.store = store
        self.record_id = record_id
        self._labels = {f.key: f.label for f in store.template().fields} if store else {}
        self.refresh()

    def refresh(self) -> None:
        keep = self.current_orphan_id()
        listed = self._read()
        self.table.setRowCount(len(listed))
        for row, orphan in enumerate(listed):
            cells = (f"#{orphan.record_id}", self._what(orphan), _quote(orphan.span.quote),
                     local_time(orphan.orphaned_at))  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ORPHAN, orphan)
                if col == 2:
                    item.setToolTip(
                        f"…{orphan.span.prefix}[{orphan.span.quote}]{orphan.span.suffix}…"
                    )
                self.table.setItem(row, col, item)
            if orphan.id == keep:
                self.table.selectRow(row)
        self.table.resizeRowsToContents()
        where = "in the review" if self.whole_review.isChecked() else "on this record"
        self.count.setText(f"{count(len(listed), 'orphaned span')} {where}")
        self._update_buttons()

    def _read(self) -> list[Orphan]:
        if self.store is None:
            return []
        if self.whole_review.isChecked():
            return orphans(self.store)
        return orphans(self.store, self.record_id) if self.record_id is not None else []

    def _what(self, orphan: Orphan) -> str:
        if orphan.field:
            return self._labels.get(orphan.field, orphan.field)
        return "note" if orphan.kind == "highlight" else "—"

    # -- acting ----------------------------------------------------------------------

    def orphans_shown(self) -> list[Orphan]:
        return [self.table.item(r, 0).data(_ORPHAN) for r in range(self.table.rowCount())]

    def current_orphan(self) -> Orphan | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).data(_ORPHAN)

    def current_orphan_id(self) -> int | None:
        orphan = self.current_orphan()
        return orphan.id if orphan is not None else None

    def reattach_current(self) -> None:
        orphan = self.current_orphan()
        if orphan is not None:
            self.reattach_requested.emit(orphan.id)

    def dismiss_current(self) -> None:
        orphan = self.current_orphan()
        if orphan is not None:
            self.dismiss_requested.emit(orphan.id)

    def _ask_for_record(self) -> None:
        orphan = self.current_orphan()
        if orphan is not None:
            self.record_requested.emit(orphan.record_id)

    def _update_buttons(self) -> None:
        has = self.current_orphan() is not None
        self.reattach_button.setEnabled(has)
        self.dismiss_button.setEnabled(has)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + '…'}”"
