"""What the middle pane says when there is no record to show, and what to do about it.

A new review opened on a blank pane leaves a new reviewer guessing; a filter that
leaves nothing looks like lost records. Each case says what it is and offers the
next step as a button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

IMPORT_HELP = (
    "Import your search exports: File → Import files… (Ctrl+I) or Import folder…, or "
    "drop files and folders anywhere on this window. RIS, PubMed/MEDLINE, Embase, "
    "Scopus, Web of Science, EndNote, BibTeX, CSV from Rayyan or Covidence, web pages "
    "and PDFs are recognised by their content; duplicates are found as they come in."
)


class EmptyState(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("empty_state")
        self.title = QLabel()
        self.title.setObjectName("empty_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("empty_body")
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addWidget(self.body)
        layout.addSpacing(16)
        layout.addLayout(self.buttons)
        layout.addStretch(2)
        self.actions: list[QPushButton] = []

    def show_message(
        self, title: str, body: str, actions: Sequence[tuple[str, Callable[[], None]]] = ()
    ) -> None:
        self.title.setText(title)
        self.body.setText(body)
        for b in self.actions:
            self.buttons.removeWidget(b)
            b.deleteLater()
        self.actions = []
        for text, slot in actions:
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, s=slot: s())
            self.buttons.addWidget(b)
            self.actions.append(b)
        self.buttons.addStretch(1)
