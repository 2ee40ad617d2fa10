"""Each original of a merged record, as it was imported.

A record kept for a duplicate group shows the most complete value of each field of
the group (``reviewer.ingest.merged``); this dialog shows what each source said, one
tab per record, so a reader can check where an abstract or a DOI came from. The
records' words are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QTabWidget, QVBoxLayout

from reviewer.domain import Record


def card(record: Record) -> str:
    """A record's bibliographic fields and abstract, as plain text."""
    lines = [record.title or "(untitled)"]
    if record.authors:
        lines.append("; ".join(record.authors))
    where = " ".join(str(x) for x in (record.journal, record.year) if x)
    volume = record.volume + (f"({record.issue})" if record.issue else "")
    where += "".join(f", {x}" for x in (volume, record.pages) if x)
    if where:
        lines.append(where)
    for label, value in (("DOI", record.doi), ("PMID", record.pmid), ("PMCID", record.pmcid)):
        if value:
            lines.append(f"{label}: {value}")
    lines += ["", record.abstract or "(no abstract in this source)"]
    return "\n".join(lines)


class OriginalsDialog(QDialog):
    def __init__(self, originals: Sequence[tuple[str, Record]], parent=None):
        super().__init__(parent)
        self.setObjectName("originals_dialog")
        self.setWindowTitle("Each original of the merged record")
        self.resize(760, 560)
        self.tabs = QTabWidget()
        for label, record in originals:
            page = QPlainTextEdit()
            page.setReadOnly(True)
            page.setPlainText(card(record))
            self.tabs.addTab(page, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def texts(self) -> list[str]:
        return [self.tabs.widget(i).toPlainText() for i in range(self.tabs.count())]  # type: ignore[union-attr]
