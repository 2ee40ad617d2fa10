"""The main window's columns: the list on the left, the record in the middle.

The left column holds the stage, the search, the filters, the list and its count; the
middle one the record's document (or, with no record to show, what to do next), its
tags and the decision bar. Only the widgets and how they look and sit; what they do
is ``RecordList`` (which records are shown, moving through them), ``ScreeningStatus``
(the count), the ranking (its order choice goes under the search box) and the
screening and extraction components.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLayout,
    QLineEdit,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer.review.screening import STAGE_LABELS
from reviewer.ui.empty_state import EmptyState
from reviewer.ui.filter_panel import FilterPanel


class ListPane(QWidget):
    """The record list's column (see the module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search titles, authors and text  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)

        self.table = QTableView()
        self.table.setObjectName("records")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift/Ctrl-click and Shift+arrows select several records: a key decides them all
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; J/K and arrows move in it
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("padding: 2px;")
        self.count_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(4, 4, 0, 4)
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stage")
        for key, label in STAGE_LABELS.items():
            self.stage_combo.addItem(f"Stage: {label}", key)
        self.stage_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.column.addWidget(self.stage_combo)
        self.column.addWidget(self.search)
        self.filter_panel = FilterPanel()
        self.filter_panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # one count under the list says how many are shown (the panel's own total is
        # worked out a moment later in the background and could disagree meanwhile)
        self.filter_panel.total.hide()
        self.column.addWidget(self.filter_panel)
        self.column.addWidget(self.table, 1)
        self.column.addWidget(self.count_label)

    def add_under_search(self, widget: QWidget) -> None:
        """A widget right under the search box (the ranking's order choice)."""
        self.column.insertWidget(self.column.indexOf(self.search) + 1, widget)


class RecordPane(QWidget):
    """The middle column: ``document`` or what to do next, ``tags`` and ``bar``."""

    def __init__(self, document: QWidget, tags: QWidget, bar: QLayout) -> None:
        super().__init__()
        self.document, self.tags = document, tags
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 4)
        # the document, or (no record to show) what to do next
        self.empty_state = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(document)
        self.stack.addWidget(self.empty_state)
        column.addWidget(self.stack, 1)
        tags.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        column.addWidget(tags)
        column.addLayout(bar)

    def show_document(self) -> None:
        self.tags.setVisible(True)
        self.stack.setCurrentWidget(self.document)

    def show_empty(
        self, title: str, body: str, actions: Sequence[tuple[str, Callable[[], None]]] = ()
    ) -> None:
        """No record to show: say so, and what to do (``(label, slot)`` buttons)."""
        self.tags.setVisible(False)
        self.empty_state.show_message(title, body, actions)
        self.stack.setCurrentWidget(self.empty_state)
