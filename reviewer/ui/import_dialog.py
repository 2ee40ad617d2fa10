"""Importing from the UI: a background job with a progress bar, cancel, and a report.

The job calls the same ``import_paths`` as the command line, on the window's one
writing thread (``reviewer.ui.writer``), in short batches of ``WINDOW_BATCH`` records:
a decision made meanwhile goes between two batches, so it waits for one short batch
at most, never for the import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from reviewer.domain import ImportReport
from reviewer.ingest import Progress, import_paths
from reviewer.review.operations import Changes
from reviewer.ui import plain
from reviewer.ui.column_map import ColumnMapDialog
from reviewer.wording import count

if TYPE_CHECKING:
    from reviewer.ui.jobs import Job
    from reviewer.ui.main_window import MainWindow


# Records per transaction when importing from the window: about 0.1 s of writing on a
# busy two-core laptop, which is how long a decision made meanwhile may wait
# (benchmarks/writer_bench.py); the command line writes 5,000 at a time.
WINDOW_BATCH = 200


class ImportController:
    def __init__(self, window: MainWindow):
        self.window = window
        self.job: Job | None = None
        self.dialog: QProgressDialog | None = None
        self.last_report: ImportReport | None = None
        self.report_dialog: ImportReportDialog | None = None

    def start(self, paths: list[str], column_map: dict[str, str] | None = None) -> None:
        if self.job is not None and not self.job.done:
            self.window.statusBar().showMessage("An import is already running", 4000)
            return
        job = self.window.ops.job

        def work(progress, cancelled) -> ImportReport:
            return job(
                lambda store: import_paths(
                    store, paths, progress=progress, cancel=cancelled, column_map=column_map,
                    batch_size=WINDOW_BATCH,
                )
            )  # fmt: skip

        self.dialog = QProgressDialog("Importing…", "Cancel", 0, 0, self.window)
        self.dialog.setObjectName("import_progress")
        self.dialog.setWindowTitle("Import")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setMinimumWidth(480)
        self.job = self.window.jobs.start(
            work, on_success=self._done, on_failure=self._failed, on_progress=self._progress
        )
        if self.dialog is not None:
            self.dialog.canceled.connect(self.cancel)

    def cancel(self) -> None:
        if self.job is not None and not self.job.done:
            self.job.cancel()

    def _progress(self, p: Progress) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(p.file_count)
        self.dialog.setValue(p.file_index)
        self.dialog.setLabelText(
            f"{Path(p.path).name}  (file {p.file_index + 1} of {p.file_count})\n"
            f"{p.records_done:,} records · {p.records_per_second:,.0f} records/s"
        )

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, report: ImportReport) -> None:
        self._close_dialog()
        self.last_report = report
        self.window.ops.announce(Changes(record_set=True, label="import"), self)
        if report.added:
            self.window.compute_all_suggestions()
        msg = f"Imported {count(report.added, 'record')}, {count(report.duplicates, 'duplicate')}"
        if report.cancelled:
            msg += " (cancelled)"
        self.window.statusBar().showMessage(msg, 8000)
        self.report_dialog = ImportReportDialog(report, self.window)
        self.report_dialog.map_requested.connect(self.map_columns)
        self.report_dialog.show()

    def map_columns(self, path: str, columns: list[str]) -> None:
        """Ask which column holds which field, then import the file with that mapping."""
        dialog = ColumnMapDialog(Path(path).name, columns, self.window)
        self.map_dialog = dialog
        dialog.accepted.connect(lambda: self.start([path], column_map=dialog.mapping()))
        dialog.open()

    def _failed(self, message: str) -> None:
        self._close_dialog()
        self.window.statusBar().showMessage(f"Import failed: {message}", 10000)
        plain.warn(self.window, "Import failed", message)


class ImportReportDialog(QDialog):
    """Per file: the format, records added, duplicates and every error with its place."""

    map_requested = Signal(str, list)  # path, the CSV's columns

    def __init__(self, report: ImportReport, parent: Any = None):
        super().__init__(parent)
        self.setObjectName("import_report")
        self.setWindowTitle("Import report")
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(report.files), 4)
        self.table.setHorizontalHeaderLabels(["File", "Format", "Added", "Duplicates"])
        self.table.verticalHeader().hide()
        for row, f in enumerate(report.files):
            cells = [
                Path(f.path).name,
                f.format or "?",
                "already imported" if f.skipped else str(f.added),
                str(f.duplicates),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f.path)
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        lines = [e for f in report.files for e in f.errors]
        notes = [n for f in report.files for n in f.notes]
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setPlainText(
            "\n".join([*(f"Error: {e}" for e in lines), *notes])
            or f"{count(report.added, 'record')} added, "
            f"{count(report.duplicates, 'duplicate')}, no errors."
        )
        layout.addWidget(self.messages)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.map_buttons: list[QPushButton] = []
        for f in report.files:
            if f.unmapped_columns:
                b = buttons.addButton(
                    f"Map columns of {Path(f.path).name}…", QDialogButtonBox.ButtonRole.ActionRole
                )
                b.clicked.connect(
                    lambda _c=False, f=f: (
                        self.map_requested.emit(f.path, f.unmapped_columns),
                        self.close(),
                    )
                )
                self.map_buttons.append(b)
        layout.addWidget(buttons)
