"""Exporting from the window: the export dialog and the PRISMA diagram view.

Exports run as background jobs with their own connection to the review file and
the same ``reviewer.export.formats.export`` the command line calls; a cancelled
export leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QProgressDialog,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from reviewer.export.formats import export
from reviewer.export.prisma import prisma_counts, prisma_svg
from reviewer.review.screening import STAGE_LABELS
from reviewer.store import Store
from reviewer.ui import file_dialogs as dialogs
from reviewer.ui import plain

if TYPE_CHECKING:
    from reviewer.ui.jobs import JobRunner

FORMAT_LABELS = {
    "xlsx": ("Excel workbook (.xlsx)", ".xlsx"),
    "csv": ("CSV table (.csv)", ".csv"),
    "json": ("Whole review as JSON (.json)", ".json"),
    "ris": ("RIS references (.ris)", ".ris"),
    "prisma-svg": ("PRISMA diagram (.svg)", ".svg"),
    "prisma-png": ("PRISMA diagram (.png)", ".png"),
    "recall-svg": ("Recall curve of the stage (.svg)", ".svg"),
    "recall-png": ("Recall curve of the stage (.png)", ".png"),
}
TABLES = {"extraction": "Extraction table", "screening": "Screening table", "log": "Event log"}
DECISIONS = {
    None: "included (default)",
    "any": "all records",
    "include": "include",
    "exclude": "exclude",
    "maybe": "maybe",
    "undecided": "undecided",
    "conflict": "in conflict",
}


class ExportDialog(QDialog):
    """Choose what to export; ``options()`` gives the arguments of ``export``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export")
        form = QFormLayout()
        self.fmt = QComboBox()
        for key, (label, _ext) in FORMAT_LABELS.items():
            self.fmt.addItem(label, key)
        self.table = QComboBox()
        for key, label in TABLES.items():
            self.table.addItem(label, key)
        self.stage = QComboBox()
        self.stage.addItem("(last stage reached)", None)
        for key, label in STAGE_LABELS.items():
            self.stage.addItem(label, key)
        self.decision = QComboBox()
        for key, label in DECISIONS.items():
            self.decision.addItem(label, key)
        self.duplicates = QCheckBox("Add merged duplicates, marked in a duplicate_of column")
        self.duplicates.setObjectName("export_duplicates")
        self.duplicates.setToolTip(
            "Left out by default: each repeats a record already in the table. "
            "Only “all records” lists them."
        )
        self.bom = QCheckBox("Start with a byte-order mark (for Excel)")
        self.provenance = QCheckBox("Include provenance (quote, location, who, when)")
        self.provenance.setChecked(True)
        form.addRow("Format", self.fmt)
        form.addRow("Table", self.table)
        form.addRow("Stage", self.stage)
        form.addRow("Records", self.decision)
        form.addRow("", self.duplicates)
        form.addRow("", self.bom)
        form.addRow("", self.provenance)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._restore()
        for combo in (self.fmt, self.stage, self.decision):
            combo.currentIndexChanged.connect(self._enable)
        self._enable()
        self.accepted.connect(self._remember)

    # the last choices are offered again next time

    def _restore(self) -> None:
        s = QSettings()
        for key, combo in self._combos().items():
            index = combo.findData(s.value(f"export/{key}", combo.currentData()))
            if index >= 0:
                combo.setCurrentIndex(index)
        for key, box in self._boxes().items():
            box.setChecked(str(s.value(f"export/{key}", box.isChecked())).lower() == "true")

    def _remember(self) -> None:
        s = QSettings()
        for key, combo in self._combos().items():
            s.setValue(f"export/{key}", combo.currentData())
        for key, box in self._boxes().items():
            s.setValue(f"export/{key}", box.isChecked())

    def _combos(self) -> dict[str, QComboBox]:
        return {"fmt": self.fmt, "table": self.table, "stage": self.stage,
                "decision": self.decision}  # fmt: skip

    def _boxes(self) -> dict[str, QCheckBox]:
        return {"bom": self.bom, "provenance": self.provenance, "duplicates": self.duplicates}

    def _enable(self) -> None:
        fmt = self.fmt.currentData()
        tabular = fmt in ("csv", "xlsx")
        self.table.setEnabled(tabular)
        self.stage.setEnabled(tabular or fmt == "ris")
        self.decision.setEnabled(tabular or fmt == "ris")
        self.bom.setEnabled(fmt == "csv")
        self.provenance.setEnabled(tabular)
        everything = self.decision.currentData() == "any" and self.stage.currentData() is None
        self.duplicates.setEnabled((tabular or fmt == "ris") and everything)

    def options(self) -> dict:
        return {
            "fmt": self.fmt.currentData(),
            "table": self.table.currentData(),
            "stage": self.stage.currentData(),
            "decision": self.decision.currentData(),
            "bom": self.bom.isChecked(),
            "provenance": self.provenance.isChecked(),
            "duplicates": self.duplicates.isEnabled() and self.duplicates.isChecked(),
        }


class ExportController:
    """Runs an export in the background with a progress dialog and cancel.

    Its dependencies are declared: the widget its dialogs belong to, the status bar it
    reports in, the job runner, and the open review (a function: it changes)."""

    def __init__(
        self, parent: QWidget, status: QStatusBar, jobs: JobRunner, review: Callable[[], Store]
    ):
        self.parent, self.status, self.jobs, self.review = parent, status, jobs, review
        self.last_report = None
        self.last_message = ""

    def choose(self) -> None:
        dialog = ExportDialog(self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        opts = dialog.options()
        label, ext = FORMAT_LABELS[opts["fmt"]]
        store = self.review()
        name = f"{store.path.stem}-{opts['table']}{ext}"
        path = dialogs.save_file(
            self.parent, "Export to", "exports", name, f"{label.split(' (')[0]} (*{ext})",
            store.path.parent,
        )  # fmt: skip
        if path:
            self.start(path, **opts)

    def start(self, path: str, fmt: str, **opts) -> None:
        opener = self.review().opener()  # read-only when the review is open so
        progress_dialog = QProgressDialog("Exporting…", "Cancel", 0, 100, self.parent)
        progress_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        progress_dialog.setMinimumDuration(300)
        self.progress_dialog = progress_dialog

        def work(progress, cancelled):
            with opener() as store:
                return export(
                    store,
                    fmt,
                    path,
                    progress=lambda d, t: progress((d, t)),
                    cancel=cancelled,
                    **opts,
                )

        def on_progress(p) -> None:
            done, total = p
            progress_dialog.setMaximum(max(total, 1))
            progress_dialog.setValue(min(done, max(total, 1)))

        def done(report) -> None:
            progress_dialog.reset()
            self.last_report = report
            if report.cancelled:
                self.last_message = "Export cancelled; no file written"
            elif fmt in ("prisma-svg", "prisma-png"):
                self.last_message = f"Export written to {path}"
            else:
                self.last_message = f"Export written to {path} ({report.summary()})"
            self.status.showMessage(self.last_message, 8000)
            if report.empty_because:  # an empty table is a surprise: say so, and why
                plain.warn(self.parent, "Nothing exported", self.last_message)

        def failed(message: str) -> None:
            progress_dialog.reset()
            plain.warn(self.parent, "Export failed", message)

        job = self.jobs.start(
            work, on_success=done, on_failure=failed, on_progress=on_progress
        )
        progress_dialog.canceled.connect(job.cancel)


class PrismaDialog(QDialog):
    """The PRISMA 2020 flow diagram of the review, drawn from the same counts as
    ``reviewer stats --json``, with buttons to save it as SVG or PNG."""

    def __init__(self, store: Store, parent: QWidget | None, exporter: ExportController):
        super().__init__(parent)
        self.setObjectName("prisma_dialog")
        self.setWindowTitle("PRISMA 2020 flow diagram")
        self.store, self.exporter = store, exporter
        self.counts = prisma_counts(store)
        self.svg = prisma_svg(self.counts)
        self.view = QSvgWidget()
        self.view.load(QByteArray(self.svg.encode("utf-8")))
        size = self.view.renderer().defaultSize()
        self.view.setMinimumSize(size.scaled(860, 700, Qt.AspectRatioMode.KeepAspectRatio))
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        for fmt, text in (("prisma-svg", "Save as SVG…"), ("prisma-png", "Save as PNG…")):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, f=fmt: self._save(f))
            row.addWidget(b)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)

    def _save(self, fmt: str) -> None:
        ext = FORMAT_LABELS[fmt][1]
        store = self.store
        path = dialogs.save_file(
            self, "Save diagram", "exports", f"{store.path.stem}-prisma{ext}", f"*{ext}",
            store.path.parent,
        )  # fmt: skip
        if path:
            self.exporter.start(str(Path(path)), fmt)
