"""Help → Keyboard shortcuts, read from the window's own menus, so the list is never out
of date (Help → About, with the version and build, is ``reviewer.ui.about``).

Reviewers screen thousands of abstracts by keyboard; the keys are in the menus, but a
list in one place is what a new reviewer looks for first.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Keys that act on the record list and the document only (not menu shortcuts).
PANE_KEYS = (
    ("Screening", "Include the record, the next undecided one opens", "I or 1"),
    ("Screening", "Exclude the record (a reason from the list at full text)", "E or 2"),
    ("Screening", "Maybe", "M or 3"),
    ("Screening", "Next / previous record", "J / K"),
    ("Screening", "Next undecided record", "N"),
    ("Screening", "Select several records (then I / E / M decides all)", "Shift/Ctrl+click"),
    ("Document", "Set the field from the selected words", "Ctrl+1 … Ctrl+0"),
    ("Duplicates", "Same record / different records", "Y / N"),
    ("Window", "Move between the list, the document and the form", "Tab / Shift+Tab"),
)


def menu_shortcuts(menus: list[QMenu]) -> list[tuple[str, str, str]]:
    """(menu, action, keys) of every menu action that has a shortcut."""
    rows = []
    for menu in menus:
        title = menu.title().replace("&", "")
        for act in menu.actions():
            if act.menu() is not None:
                rows += menu_shortcuts([act.menu()])  # type: ignore[list-item]
                continue
            keys = _keys(act)
            if keys:
                text = act.text().split("\t")[0].replace("&", "")
                rows.append((title, text, keys))
    return rows


def _keys(act: QAction) -> str:
    shown = act.text().split("\t")[1] if "\t" in act.text() else ""
    bound = " or ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in act.shortcuts()
    )
    return bound or shown


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(640, 560)
        self.rows = rows
        table = QTableWidget(len(rows), 3)
        table.setObjectName("shortcuts_table")
        table.setHorizontalHeaderLabels(("Where", "What", "Keys"))
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel("Single keys (I, E, M, J, K) work in the record list and the document, "
                      "never while typing in the form.")  # fmt: skip
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.table = table
