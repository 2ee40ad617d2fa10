"""Importing from the UI: a background job with a progress bar, cancel, and a report.

The job calls the same ``import_paths`` as the command line. It reads, parses and
checks the files on its own thread, through a read-only connection of its own, and
hands each batch's inserts to the window's one writer (``reviewer.ui.writer``), in
transactions sized by time (``BATCH_SECONDS`` while the reviewer screens): a decision
made meanwhile goes between two of them, so it waits for one short transaction at
most, never for the import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import ImportReport
from reviewer.ingest import Progress, import_paths
from reviewer.review.operations import Changes
from reviewer.store import Store
from reviewer.ui import plain
from reviewer.ui.column_map import ColumnMapDialog
from reviewer.wording import count

if TYPE_CHECKING:
    from reviewer.ui.jobs import Job, JobRunner
    from reviewer.ui.operations import Operations


# How long one of the import's transactions holds the window's writer, judged by the
# batches before: while the reviewer is screening (an edit in the last ACTIVE_SECONDS),
# about 30 ms (each a hundred records or more on a two-core laptop), which is the
# longest a decision by key waits for the writer (benchmarks/writer_bench.py);
# otherwise longer, which imports faster (each transaction costs a hand-over between
# threads and an index segment). The command line writes 5,000 records at a time.
BATCH_SECONDS, IDLE_BATCH_SECONDS, ACTIVE_SECONDS = 0.03, 0.25, 60.0


class ImportController(QObject):
    """Imports files in the background, with progress, cancel and a report.

    Its dependencies are declared, not taken from a window: the widget its dialogs
    belong to, the status bar it reports in, the job runner and the operations (whose
    writer does the writing, and whose change notice tells the list to reload).
    ``imported`` says when an import finished, with its report."""

    imported = Signal(object)  # the ImportReport

    def __init__(self, parent: QWidget, status: QStatusBar, jobs: JobRunner, ops: Operations):
        super().__init__(parent)
        self.parent_widget, self.status, self.jobs, self.ops = parent, status, jobs, ops
        self.job: Job | None = None
        self.dialog: QProgressDialog | StatusProgress | None = None
        self.last_report: ImportReport | None = None
        self.report_dialog: ImportReportDialog | None = None

    def start(self, paths: list[str], column_map: dict[str, str] | None = None) -> None:
        if self.job is not None and not self.job.done:
            self.status.showMessage("An import is already running", 4000)
            return
        job, writer = self.ops.job, self.ops.writer
        review = writer.path if writer is not None else None

        def batch_seconds() -> float:  # asked by the import's thread as each batch begins
            screening = writer is not None and writer.edited_within(ACTIVE_SECONDS)
            return BATCH_SECONDS if screening else IDLE_BATCH_SECONDS

        def work(progress, cancelled) -> ImportReport:
            if review is None:  # operations run inline (a widget on its own): as the CLI
                return job(lambda store: import_paths(
                    store, paths, progress=progress, cancel=cancelled, column_map=column_map))
            with Store(review, read_only=True) as reading:  # this thread's own connection
                return import_paths(
                    reading, paths, progress=progress, cancel=cancelled, column_map=column_map,
                    batch_seconds=batch_seconds, write=job,
                )  # fmt: skip

        # in the status bar, not a dialog: it never takes the keyboard, so screening by
        # key goes on while the records come in
        self.dialog = StatusProgress("import_progress", self.parent_widget)
        self.status.addPermanentWidget(self.dialog)
        self.job = self.jobs.start(
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
        # one file: no fraction is known (records, not bytes, are counted), so the bar
        # shows it is busy; several: how many files are done
        self.dialog.setMaximum(p.file_count if p.file_count > 1 else 0)
        self.dialog.setValue(p.file_index)
        self.dialog.setLabelText(
            f"{Path(p.path).name}  (file {p.file_index + 1} of {p.file_count})\n"
            f"{p.records_done:,} records · {p.records_per_second:,.0f} records/s"
        )

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            if isinstance(self.dialog, StatusProgress):
                self.status.removeWidget(self.dialog)
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, report: ImportReport) -> None:
        self._close_dialog()
        self.last_report = report
        self.ops.announce(Changes(record_set=True, label="import"), self)
        self.imported.emit(report)
        msg = f"Imported {count(report.added, 'record')}, {count(report.duplicates, 'duplicate')}"
        if report.cancelled:
            msg += " (cancelled)"
        self.status.showMessage(msg, 8000)
        self.report_dialog = ImportReportDialog(report, self.parent_widget)
        self.report_dialog.map_requested.connect(self.map_columns)
        self.report_dialog.show()

    def map_columns(self, path: str, columns: list[str]) -> None:
        """Ask which column holds which field, then import the file with that mapping."""
        dialog = ColumnMapDialog(Path(path).name, columns, self.parent_widget)
        self.map_dialog = dialog
        dialog.accepted.connect(lambda: self.start([path], column_map=dialog.mapping()))
        dialog.open()

    def _failed(self, message: str) -> None:
        self._close_dialog()
        self.status.showMessage(f"Import failed: {message}", 10000)
        plain.warn(self.parent_widget, "Import failed", message)


class StatusProgress(QWidget):
    """A long job's progress in the status bar: what it is doing, a bar, and Cancel.

    It offers the parts of ``QProgressDialog`` the import uses, and never takes the
    keyboard focus (a dialog would, and keys would stop screening)."""

    canceled = Signal()

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.label = plain.label("Importing…")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName(f"{name}_cancel")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(lambda _c=False: self.canceled.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self._text = ""

    def setMaximum(self, maximum: int) -> None:  # noqa: N802 (QProgressDialog's names)
        self.bar.setMaximum(maximum)

    def setValue(self, value: int) -> None:  # noqa: N802
        self.bar.setValue(value)

    def setLabelText(self, text: str) -> None:  # noqa: N802
        self._text = text
        self.label.setText(" — ".join(line for line in text.splitlines() if line))
        self.label.setToolTip(text)

    def labelText(self) -> str:  # noqa: N802
        return self._text

    def reset(self) -> None:
        self.hide()


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
