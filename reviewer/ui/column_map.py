"""The column-mapping step for a CSV export whose columns Reviewer does not recognise."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

# Our record fields a CSV column can fill, in the order a reviewer thinks of them.
MAPPABLE = (
    "title",
    "abstract",
    "authors",
    "journal",
    "year",
    "doi",
    "pmid",
    "keywords",
    "volume",
    "issue",
    "pages",
    "url",
)
_GUESSES = {
    "title": ("title", "article title", "document title", "ti"),
    "abstract": ("abstract", "summary", "ab"),
    "authors": ("authors", "author", "author names", "au"),
    "journal": ("journal", "source", "source title", "publication", "journal title"),
    "year": ("year", "publication year", "py", "date"),
    "doi": ("doi",),
    "pmid": ("pmid", "pubmed id"),
    "keywords": ("keywords", "author keywords", "kw"),
}


class ColumnMapDialog(QDialog):
    def __init__(self, file_name: str, columns: list[str], parent=None):
        super().__init__(parent)
        self.setObjectName("column_map")
        self.setWindowTitle(f"Map the columns of {file_name}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Reviewer did not recognise this file's columns. Choose which column "
            "holds each field; a title or an abstract is needed."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        lowered = {c.strip().lower(): c for c in columns}
        for field in MAPPABLE:
            combo = QComboBox()
            combo.setObjectName(f"map_{field}")
            combo.addItem("(none)", "")
            for col in columns:
                combo.addItem(col, col)
            guess = next((lowered[g] for g in _GUESSES.get(field, ()) if g in lowered), None)
            if guess is not None:
                combo.setCurrentIndex(combo.findData(guess))
            form.addRow(field.capitalize(), combo)
            self.combos[field] = combo
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._check)
        self._check()

    def mapping(self) -> dict[str, str]:
        return {f: c.currentData() for f, c in self.combos.items() if c.currentData()}

    def _check(self) -> None:
        ok = bool({"title", "abstract"} & set(self.mapping()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
