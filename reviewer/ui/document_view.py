"""The document view: a record's text, read-only, always as plain text.

Text from imported files is data: it is put in with ``setPlainText`` so that no
markup in a document is ever interpreted, and nothing it names is loaded.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from reviewer.domain import Record


class DocumentView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(self.header.textFormat().PlainText)
        self.header.setStyleSheet("font-weight: 600; font-size: 14px; padding: 4px;")
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(self.meta.textFormat().PlainText)
        self.meta.setStyleSheet("color: #555; padding: 0 4px 4px 4px;")
        self.text = QPlainTextEdit()
        self.text.setObjectName("document_text")
        self.text.setReadOnly(True)
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = QFont(self.text.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.text.setFont(font)
        layout.addWidget(self.header)
        layout.addWidget(self.meta)
        layout.addWidget(self.text)
        self.record: Record | None = None

    def show_record(self, record: Record | None, source_name: str = "") -> None:
        self.record = record
        if record is None:
            self.header.setText("")
            self.meta.setText("")
            self.text.setPlainText("")
            return
        self.header.setText(record.title or "(untitled)")
        bits = []
        if record.authors:
            names = record.authors[:6]
            bits.append(", ".join(names) + (" et al." if len(record.authors) > 6 else ""))
        cite = " ".join(str(b) for b in (record.journal, record.year) if b)
        if cite:
            bits.append(cite)
        if record.doi:
            bits.append(f"doi:{record.doi}")
        if source_name:
            bits.append(f"from {source_name}")
        if record.duplicate_of:
            bits.append(f"duplicate of record {record.duplicate_of}")
        self.meta.setText(" · ".join(bits))
        self.text.setPlainText(record.text)

    def highlight(self, spans: list[tuple[int, int, str]], scroll: bool = True) -> None:
        """Mark ``(start, end, colour)`` spans of the text and scroll to the first."""
        selections = []
        length = len(self.record.text) if self.record else 0
        for start, end, colour in spans:
            if not 0 <= start < end <= length:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(colour))
            sel.cursor = cursor  # type: ignore[misc]
            sel.format = fmt  # type: ignore[misc]
            selections.append(sel)
        self.text.setExtraSelections(selections)
        if scroll and selections:
            cursor = QTextCursor(selections[0].cursor)
            cursor.clearSelection()
            self.text.setTextCursor(cursor)
            self.text.centerCursor()

    def highlighted(self) -> list[tuple[int, int]]:
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.text.extraSelections()
        ]
