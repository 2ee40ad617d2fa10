"""The rows of a table taken from a PDF page: check them, copy them, or send them on.

A rectangle drawn over a table on the page view becomes rows of cells
(``reviewer.ingest.pdf_tables``). This dialog shows them as a grid before anything
is done with them, says plainly when the page gave no reliable cells, and offers
"Copy as TSV" (for a spreadsheet) and "Send to results grid", which hands the
table (each cell with its span of the record's text) to whatever the window
connected as the results grid (``PageView.results_target``): in the main window,
``results_sender``, which asks which columns are arms or comparisons and which rows
are outcomes (``ResultsMappingDialog``) and puts the cells into the Results tab
(``reviewer.annotate.table_results``) as one undoable change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.annotate.results_edit import ResultsChange
from reviewer.annotate.table_results import (
    Applied,
    ColumnUse,
    apply_table,
    arm_name,
    column_titles,
    data_rows,
    guess_uses,
)
from reviewer.domain.results import MEASURES, OUTCOME_KINDS
from reviewer.ingest.pdf_tables import PdfTable, tsv
from reviewer.store import Store
from reviewer.ui.page_chrome import plain_tooltip
from reviewer.ui.session import Session

if TYPE_CHECKING:
    from reviewer.ui.results_actions import ResultsController

INEXACT_CELL = "#ffe0b2"  # a cell whose span also covers other words
MAX_COLUMN_WIDTH = 300


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
                if not cell.exact:
                    item.setBackground(QBrush(QColor(INEXACT_CELL)))
                    item.setForeground(QBrush(QColor("#000000")))
                self.grid.setItem(r, c, item)
        self.grid.resizeColumnsToContents()
        for c in range(self.grid.columnCount()):  # a title over the table must not widen it
            self.grid.setColumnWidth(c, min(self.grid.columnWidth(c), MAX_COLUMN_WIDTH))
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


_USES = [("Nothing", ColumnUse()), ("An arm", ColumnUse("arm"))] + [
    (f"A comparison ({m})", ColumnUse("comparison", measure=m)) for m in MEASURES
]


class ResultsMappingDialog(QDialog):
    """Which columns of a PDF table are arms or comparisons, which rows are outcomes."""

    def __init__(self, table: PdfTable, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("table_results_dialog")
        self.setWindowTitle(f"Results from the table on page {table.page + 1}")
        self.table = table
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Each row you tick becomes an outcome (or adds to the outcome of that name), "
            "each arm column an arm; every value keeps the cell's words as its source."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("table_outcome_kind")
        self.kind.addItems(list(OUTCOME_KINDS))
        form.addRow("The outcomes are", self.kind)
        self.uses: list[QComboBox] = []
        self.names: list[QLineEdit] = []
        for c, (title, guess) in enumerate(
            zip(column_titles(table), guess_uses(table), strict=True)
        ):
            if c == 0:
                continue  # the outcomes' names
            combo = QComboBox()
            combo.setObjectName(f"table_use_{c}")
            for label, use in _USES:
                combo.addItem(label, use)
            combo.setCurrentIndex(next(i for i, (_l, u) in enumerate(_USES)
                                       if (u.use, u.measure) == (guess.use, guess.measure)))  # fmt: skip
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            name = QLineEdit(guess.name or arm_name(title))
            name.setMinimumWidth(200)
            name.setObjectName(f"table_arm_{c}")
            name.setPlaceholderText("arm name")
            combo.currentIndexChanged.connect(
                lambda _i, combo=combo, name=name: name.setEnabled(combo.currentData().use == "arm")
            )
            name.setEnabled(guess.use == "arm")
            row = QHBoxLayout()
            row.addWidget(combo)
            row.addWidget(name, 1)
            shown = QLabel(_clip(title, 40) or f"Column {c + 1}")
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setToolTip(plain_tooltip(title))
            form.addRow(shown, row)
            self.uses.append(combo)
            self.names.append(name)
        layout.addLayout(form)
        layout.addWidget(QLabel("Outcomes (rows):"))
        self.rows = QListWidget()
        self.rows.setObjectName("table_rows")
        for r in data_rows(table):
            cell = table.rows[r][0]
            item = QListWidgetItem(_clip(cell.text if cell else f"Row {r + 1}", 90))
            item.setData(Qt.ItemDataRole.UserRole, r)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.rows.addItem(item)
        layout.addWidget(self.rows, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Put into the results")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(700, 460)

    def choices(self) -> tuple[list[ColumnUse], list[int], str]:
        """``(use of each column, the rows ticked, the outcomes' kind)``."""
        uses = [ColumnUse()]
        for combo, name in zip(self.uses, self.names, strict=True):
            use: ColumnUse = combo.currentData()
            uses.append(replace(use, name=name.text().strip()) if use.use == "arm" else use)
        rows = [
            self.rows.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.rows.count())
            if self.rows.item(i).checkState() == Qt.CheckState.Checked
        ]
        return uses, rows, self.kind.currentText()


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def results_sender(
    session: Session, results: ResultsController
) -> Callable[[PdfTable], ResultsMappingDialog]:
    """What "Send to results grid" does: ask how the table reads, then put its cells into
    the shown record's results (the ``results`` tabs) as one change (Ctrl+Z undoes it)."""

    def send(table: PdfTable) -> ResultsMappingDialog:
        dialog = ResultsMappingDialog(table, session.widget)
        dialog.accepted.connect(lambda: put_table(session, results, table, *dialog.choices()))
        results.table_dialog = dialog
        dialog.show()
        return dialog

    return send


def put_table(
    session: Session, results: ResultsController, table: PdfTable, uses: list[ColumnUse],
    rows: list[int], kind: str,
) -> Applied | None:  # fmt: skip
    rid = session.current_id
    if rid is None:
        return None
    who = session.reviewer
    outcome: list[Applied] = []

    def change(store: Store) -> None:
        outcome.append(apply_table(store, rid, table, uses, rows, kind, who))

    session.ops.push(ResultsChange(rid, who, change, "put a PDF table into the results"))
    results.refresh()
    results.tabs.setCurrentWidget(results.panel)
    done = outcome[0] if outcome else Applied()
    message = (
        f"{done.cells} results cells from the table ({done.arms} arms and "
        f"{done.outcomes} outcomes added)"
    )
    if done.skipped:
        message += f"; {len(done.skipped)} cells left out: " + "; ".join(done.skipped[:3])
    session.status(message, 10000)
    return done
