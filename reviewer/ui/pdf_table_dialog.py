"""The rows of a table taken from a PDF page: check them, copy them, or send them on.

A rectangle drawn over a table on the page view becomes rows of cells
(``reviewer.ingest.pdf_tables``). This dialog shows them as a grid before anything
is done with them, says plainly when the page gave no reliable cells, and offers
"Copy as TSV" (for a spreadsheet) and "Send to results grid", which hands the
table (each cell with its span of the record's text) to whatever the window
connected as the results grid (``PageView.results_target``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.ingest.pdf_tables import PdfTable, tsv

INEXACT_CELL = "#ffe0b2"  # a cell whose span also covers other words


class TableDialog(QDialog):
    def __init__(
        self,
        table: PdfTable,
        send: Callable[[PdfTable], None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("pdf_table_dialog")
        self.table = table
        self.send = send
        self.setWindowTitle(f"Table from page {table.page + 1}")
        layout = QVBoxLayout(self)
        self.warning = QLabel(table.message())
        self.warning.setObjectName("table_warning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b26a00;")
        self.warning.setVisible(bool(table.message()))
        layout.addWidget(self.warning)
        self.grid = QTableWidget(len(table.rows), table.columns)
        self.grid.setObjectName("table_cells")
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                item = QTableWidgetItem(cell.text)
                item.setToolTip("")
                if not cell.exact:
                    item.setBackground(QBrush(QColor(INEXACT_CELL)))
                    item.setForeground(QBrush(QColor("#000000")))
                self.grid.setItem(r, c, item)
        self.grid.resizeColumnsToContents()
        layout.addWidget(self.grid, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy as TSV")
        self.copy_button.setObjectName("copy_tsv")
        self.copy_button.clicked.connect(self.copy)
        self.send_button = QPushButton("Send to results grid")
        self.send_button.setObjectName("send_results")
        self.send_button.setEnabled(send is not None and bool(table.rows))
        if send is None:
            self.send_button.setToolTip("There is no results grid to send rows to yet")
        self.send_button.clicked.connect(self._send)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 380)

    def tsv(self) -> str:
        return tsv(self.table.texts())

    def copy(self) -> None:
        # setText, not a QMimeData made here: the clipboard keeps what it is given until
        # the process ends, and a Python-made object must not outlive Python
        QGuiApplication.clipboard().setText(self.tsv())

    def _send(self) -> None:
        if self.send is not None:
            self.send(self.table)
            self.accept()
