"""The duplicates view: possible duplicates (similar titles) that a person confirms or rejects.

Exact identifiers and the title-year-author rule merge automatically at import;
what is only similar is listed here, side by side, because a wrong merge hides a
study. Y confirms (the later record joins the kept one's group, every original
is kept for PRISMA), N rejects; each is an event.
"""

from __future__ import annotations

import difflib
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Record
from reviewer.ingest.merged import confirm_duplicate
from reviewer.review import operations as op
from reviewer.review.operations import Changes
from reviewer.store import Store
from reviewer.store import duplicates as dup
from reviewer.ui import theme
from reviewer.ui.operations import Operations


def fields(record: Record, source: str) -> list[tuple[str, str]]:
    """What is compared, field by field, as (label, text)."""
    authors = "; ".join(record.authors[:8]) + (" …" if len(record.authors) > 8 else "")
    out = [
        ("Title", record.title or "(untitled)"),
        ("Authors", authors),
        ("Journal", record.journal),
        ("Year", str(record.year or "")),
        ("Volume", " ".join(x for x in (record.volume, record.issue and f"({record.issue})") if x)),
        ("Pages", record.pages),
        ("DOI", record.doi),
        ("PMID", record.pmid),
        ("Source", f"record {record.id} from {source}"),
        ("Abstract", record.abstract[:3000] or ""),
    ]
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


def _norm(word: str) -> str:
    return re.sub(r"[\W_]+", "", word.casefold())


def different_words(text: str, other: str) -> list[tuple[int, int]]:
    """Character ranges of ``text``'s words that ``other`` lacks (case and punctuation
    aside): what to mark so that a reader sees at once where two records differ."""
    words = list(re.finditer(r"\S+", text))
    mine = [_norm(m.group()) for m in words]
    theirs = [_norm(w) for w in _words(other)]
    matcher = difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False)
    kept = set()
    for block in matcher.get_matching_blocks():
        kept.update(range(block.a, block.a + block.size))
    return [(m.start(), m.end()) for i, m in enumerate(words) if i not in kept and mine[i]]


class DifferenceCard(QTextEdit):
    """One record of a pair, field by field, with what differs from the other marked.

    Built with text cursors and character formats only: the records' words are
    inserted as plain text, never read as markup."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.differing: list[str] = []  # labels of the fields that differ, in order
        self.marked: list[str] = []  # the words marked as not in the other record

    def show_pair(self, heading: str, mine: list[tuple[str, str]], other: dict[str, str]) -> None:
        self.clear()
        self.differing, self.marked = [], []
        cursor = QTextCursor(self.document())
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        plain = QTextCharFormat()
        muted = QTextCharFormat()
        muted.setForeground(theme.muted_colour())
        marked = QTextCharFormat()
        marked.setBackground(theme.tint(theme.MAYBE))
        marked.setForeground(self.palette().color(QPalette.ColorRole.Text))
        cursor.insertText(heading + "\n", bold)
        for label, value in mine:
            theirs = other.get(label, "")
            if not value and not theirs:
                continue
            differs = label != "Source" and _norm(value) != _norm(theirs)
            if differs:
                self.differing.append(label)
            cursor.insertText(("≠ " if differs else "") + label + "\n", bold if differs else muted)
            if not value:
                cursor.insertText("(none)\n", muted)
                continue
            ranges = different_words(value, theirs) if differs else []
            at = 0
            for start, end in ranges:
                cursor.insertText(value[at:start], plain)
                cursor.insertText(value[start:end], marked)
                self.marked.append(value[start:end])
                at = end
            cursor.insertText(value[at:] + "\n", plain)
        self.moveCursor(QTextCursor.MoveOperation.Start)


class DuplicatesDialog(QDialog):
    changed = Signal()  # a candidate was confirmed or rejected

    def __init__(
        self,
        store: Store,
        reviewer: str,
        parent: QWidget | None = None,
        ops: Operations | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("duplicates")
        self.setWindowTitle("Possible duplicates")
        self.resize(1000, 640)
        self.store = store  # read from; decisions on pairs are written through ``ops``
        self.ops = ops or Operations.inline(store, self)
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
        self.left = DifferenceCard()
        self.right = DifferenceCard()
        for pane in (self.left, self.right):
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
        self._show_pair()  # also when the current cell stays where it was

    def current(self) -> dup.Candidate | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_pair(self) -> None:
        c = self.current()
        if c is None:
            self.left.clear()
            self.right.clear()
            self.shown: tuple[int, int] | None = None
            return
        later, kept = self.store.record(c.record_id), self.store.record(c.candidate_of)
        a, b = fields(later, self._source(later)), fields(kept, self._source(kept))
        self.left.show_pair(f"LATER RECORD ({later.id})", a, dict(b))
        self.right.show_pair(f"KEPT RECORD ({kept.id})", b, dict(a))
        self.shown = (later.id, kept.id)  # type: ignore[assignment]

    def _source(self, record: Record) -> str:
        return self._sources.get(record.source_id, "?")

    def confirm(self) -> None:
        c = self.current()
        if c is not None:
            self._write(lambda s, cid=c.id, who=self.reviewer: confirm_duplicate(s, cid, who))

    def reject_pair(self) -> None:
        c = self.current()
        if c is not None:
            self._write(lambda s, cid=c.id, who=self.reviewer: dup.reject(s, cid, who))

    def _write(self, fn) -> None:
        self.ops.run(op.write(fn, Changes(record_set=True, label="duplicates")), self)
        self._after()

    def _after(self) -> None:
        row = self.table.currentRow()
        self.reload()
        if self.items:
            self.table.setCurrentCell(min(row, len(self.items) - 1), 0)
        self._show_pair()
        self.changed.emit()
