"""The history panel: every change to the record shown, who made it and when, from
what to what; and the whole review's log exported for a methods appendix.

The words come from ``reviewer.review.audit`` (the same sentences the exported log
carries), so the panel only lays them out. Exporting streams the log to a file on
a background job with its own connection, so a long log never freezes the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.review.audit import HistoryRow, export_log, history
from reviewer.store import Store
from reviewer.ui import file_dialogs as dialogs
from reviewer.ui import plain, theme
from reviewer.ui.jobs import JobRunner
from reviewer.ui.notes_panel import local_time

COLUMNS = ("Time", "Reviewer", "What changed", "Before → after")
LOG_FILTER = "CSV (*.csv);;JSON (*.json)"
CHANGE_CHARS = 80  # a before or after longer than this is cut in the cell (whole in the tip)


class HistoryPanel(QWidget):
    """The audit history of one record, newest first."""

    log_exported = Signal(str, int)  # path, events written

    def __init__(self, jobs: JobRunner | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("history_panel")
        self.jobs = jobs or JobRunner()
        self.store: Store | None = None
        self.record_id: int | None = None
        self.rows: list[HistoryRow] = []

        self.heading = QLabel("History")
        self.heading.setStyleSheet("font-weight: 600;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(3, 220)

        self.status = plain.label()  # names the file the log went to, and errors
        self.status.setObjectName("history_status")
        self.status.setStyleSheet(theme.muted_style())
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export whole log…")
        self.export_button.setObjectName("history_export")
        self.export_button.setToolTip("Every change in the review, as CSV or JSON")
        self.export_button.clicked.connect(self.export_log)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.reload(None, None)

    def reload(
        self, store: Store | None, record_id: int | None, viewer: str | None = None
    ) -> None:
        """Show the history of ``record_id`` in ``store`` (nothing when either is None),
        as ``viewer`` may see it while the review is blinded."""
        self.store = store
        self.record_id = record_id
        self.export_button.setEnabled(store is not None)
        self.rows = (
            history(store, record_id, viewer)
            if store is not None and record_id is not None
            else []
        )
        # the dock says "History"; the heading says whose
        self.heading.setText("No record shown" if record_id is None else f"Record {record_id}")
        self.table.setRowCount(len(self.rows))
        for row, h in enumerate(reversed(self.rows)):
            self._fill_row(row, h)
        if record_id is not None and not self.rows:
            self.status.setText("No changes to this record yet.")
        elif record_id is not None:
            n = len(self.rows)
            self.status.setText(f"{n} change{'' if n == 1 else 's'}, newest first")
        else:
            self.status.setText("")
        self.status.setStyleSheet(theme.muted_style())

    def _fill_row(self, row: int, h: HistoryRow) -> None:
        when = QTableWidgetItem(local_time(h.time))
        when.setToolTip(h.time)
        who = QTableWidgetItem(plain.shown(h.reviewer))
        what = QTableWidgetItem(plain.shown(h.summary))
        what.setToolTip(f"{h.summary}\n({h.kind}, event {h.id})")
        change = QTableWidgetItem(plain.shown(_change(h.before, h.after)))
        if h.before or h.after:
            change.setToolTip(f"Before: {h.before or '(nothing)'}\nAfter: {h.after or '(nothing)'}")
        for col, item in enumerate((when, who, what, change)):
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, col, item)

    # -- export --------------------------------------------------------------------------------

    def export_log(self) -> None:
        """Ask where, then write the whole log there in the background."""
        if self.store is None:
            return
        path = self.ask_export_path()
        if path:
            self.export_to(path)

    def ask_export_path(self) -> str | None:
        path = dialogs.save_file(
            self, "Export log", "exports", f"{self.store.path.stem}-log.csv", LOG_FILTER,
            self.store.path.parent,
        )  # fmt: skip
        return path or None

    def export_to(self, path: str) -> None:
        """Write the log to ``path`` (CSV or JSON by its suffix) on a background job."""
        if self.store is None:
            return
        review, target = self.store.opener(), Path(path)
        fmt = "json" if target.suffix.lower() == ".json" else "csv"

        def work(progress, cancelled) -> int:
            with review() as store:
                return export_log(store, target, fmt)

        self.export_button.setEnabled(False)
        self.status.setText(f"Exporting the log to {target.name}…")
        self.status.setStyleSheet(theme.muted_style())
        self.jobs.start(
            work,
            on_success=lambda n: self._exported(str(target), n),
            on_failure=self._export_failed,
        )

    def _exported(self, path: str, n: int) -> None:
        self.export_button.setEnabled(self.store is not None)
        self.status.setText(f"{n} event{'' if n == 1 else 's'} exported to {path}")
        self.status.setStyleSheet(theme.muted_style())
        self.log_exported.emit(path, n)

    def _export_failed(self, detail: str) -> None:
        self.export_button.setEnabled(self.store is not None)
        self.status.setText(f"The log could not be exported: {detail}")
        self.status.setStyleSheet(theme.error_style())


def _change(before: str, after: str) -> str:
    if not before and not after:
        return ""
    return f"{_cut(before) or '(nothing)'} → {_cut(after) or '(nothing)'}"


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CHANGE_CHARS else text[: CHANGE_CHARS - 1] + "…"
