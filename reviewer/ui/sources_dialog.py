"""Name each source of the review by the database or register it was searched in.

The names go into the PRISMA diagram ("Records identified from: Embase (n = 568)")
and the exports' source column instead of the file names; each change is an event.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.review import operations as op
from reviewer.review.operations import Changes
from reviewer.review.sources import guess_database
from reviewer.review.stats import record_counts
from reviewer.store import Store
from reviewer.ui.operations import Operations

COLUMNS = ("File", "Format", "Records", "Duplicates", "Database or register")


class SourcesDialog(QDialog):
    changed = Signal()

    def __init__(
        self,
        store: Store,
        reviewer: str,
        parent: QWidget | None = None,
        ops: Operations | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("sources_dialog")
        self.setWindowTitle("Sources")
        self.resize(760, 360)
        self.store, self.reviewer = store, reviewer  # labels are written through ``ops``
        self.ops = ops or Operations.inline(store, self)
        intro = QLabel(
            "Name the database or register each file was exported from. PRISMA and the "
            "exports use these names; files with the same name are counted together."
        )
        intro.setWordWrap(True)
        counts = {s["source_id"]: s for s in record_counts(store)["per_source"]}
        sources = store.sources()
        self.table = QTableWidget(len(sources), len(COLUMNS))
        self.table.setObjectName("sources_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.editors: dict[int, QLineEdit] = {}
        for row, source in enumerate(sources):
            n = counts.get(source.id, {})
            cells = (source.name, source.format, f"{n.get('records', 0):,}",
                     f"{n.get('duplicates', 0):,}")  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(source.path or source.name)
                self.table.setItem(row, col, item)
            edit = QLineEdit(source.label)
            edit.setObjectName(f"source_label_{source.id}")
            edit.setPlaceholderText(guess_database(source) or "e.g. Embase via Ovid")
            edit.editingFinished.connect(lambda sid=source.id, e=edit: self._save(sid, e))
            self.table.setCellWidget(row, 4, edit)
            self.editors[source.id] = edit  # type: ignore[index]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _save(self, source_id: int, edit: QLineEdit) -> None:
        text = edit.text().strip() or ""
        who = self.reviewer
        self.ops.run(op.write(lambda s: s.set_source_label(source_id, text, who),
                              Changes(record_set=True, label="source named")), self)  # fmt: skip
        self.changed.emit()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        for sid, edit in self.editors.items():  # a name typed but not yet confirmed
            if edit.text().strip() != next(
                (s.label for s in self.store.sources() if s.id == sid), ""
            ):
                self._save(sid, edit)
        super().closeEvent(event)
