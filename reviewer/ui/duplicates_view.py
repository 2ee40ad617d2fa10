"""The duplicates view: possible duplicates (similar titles) that a person confirms or rejects.

Exact identifiers and the title-year-author rule merge automatically at import;
what is only similar is listed here, side by side, because a wrong merge hides a
study. Y confirms (the later record joins the kept one's group, every original
is kept for PRISMA), N rejects; each is an event.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Record
from reviewer.store import Store
from reviewer.store import duplicates as dup


def summary(record: Record, source: str) -> str:
    """A plain-text card of a record for side-by-side comparison."""
    lines = [record.title or "(untitled)"]
    if record.authors:
        lines.append("; ".join(record.authors[:8]) + (" …" if len(record.authors) > 8 else ""))
    cite = ", ".join(str(x) for x in (record.journal, record.year, record.volume) if x)
    if cite:
        lines.append(cite)
    for label, value in (("DOI", record.doi), ("PMID", record.pmid)):
        if value:
            lines.append(f"{label}: {value}")
    lines.append(f"Record {record.id} from {source}")
    if record.abstract:
        lines += ["", record.abstract[:1500]]
    return "\n".join(lines)


class DuplicatesDialog(QDialog):
    changed = Signal()  # a candidate was confirmed or rejected

    def __init__(self, store: Store, reviewer: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("duplicates")
        self.setWindowTitle("Possible duplicates")
        self.resize(1000, 640)
        self.store = store
        self.reviewer = reviewer
        self.items: list[dup.Candidate] = []
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Similarity", "Later record", "Kept record", "Year"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_: self._show_pair())
        split.addWidget(self.table)
        pair = QWidget()
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        self.left = QPlainTextEdit()
        self.right = QPlainTextEdit()
        for pane in (self.left, self.right):
            pane.setReadOnly(True)
            row.addWidget(pane)
        split.addWidget(pair)
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.same = QPushButton("Same record — merge  (Y)")
        self.same.setObjectName("confirm_duplicate")
        self.same.clicked.connect(self.confirm)
        self.different = QPushButton("Different records  (N)")
        self.different.setObjectName("reject_duplicate")
        self.different.clicked.connect(self.reject_pair)
        buttons.addStretch(1)
        buttons.addWidget(self.same)
        buttons.addWidget(self.different)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Y"), self, activated=self.confirm)
        QShortcut(QKeySequence("N"), self, activated=self.reject_pair)
        self.reload()

    def reload(self) -> None:
        self.items = dup.candidates(self.store, "pending")
        sources = {s.id: s.name for s in self.store.sources()}
        self._sources = sources
        self.table.setRowCount(len(self.items))
        for i, c in enumerate(self.items):
            later, kept = self.store.record(c.record_id), self.store.record(c.candidate_of)
            cells = [
                f"{c.score:.0f}%",
                later.title,
                kept.title,
                f"{later.year or '?'} / {kept.year or '?'}",
            ]
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.intro.setText(
            f"{len(self.items)} pairs of records have very similar titles but no shared "
            "identifier. Compare them and say whether they are the same study report."
            if self.items
            else "No possible duplicates are waiting for a decision."
        )
        for b in (self.same, self.different):
            b.setEnabled(bool(self.items))
        if self.items:
            self.table.setCurrentCell(0, 0)
        else:
            self.left.clear()
            self.right.clear()

    def current(self) -> dup.Candidate | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_pair(self) -> None:
        c = self.current()
        if c is None:
            return
        later, kept = self.store.record(c.record_id), self.store.record(c.candidate_of)
        self.left.setPlainText("LATER RECORD\n" + summary(later, self._source(later)))
        self.right.setPlainText("KEPT RECORD\n" + summary(kept, self._source(kept)))

    def _source(self, record: Record) -> str:
        return self._sources.get(record.source_id, "?")

    def confirm(self) -> None:
        c = self.current()
        if c is not None:
            dup.confirm(self.store, c.id, self.reviewer)
            self._after()

    def reject_pair(self) -> None:
        c = self.current()
        if c is not None:
            dup.reject(self.store, c.id, self.reviewer)
            self._after()

    def _after(self) -> None:
        row = self.table.currentRow()
        self.reload()
        if self.items:
            self.table.setCurrentCell(min(row, len(self.items) - 1), 0)
        self.changed.emit()
