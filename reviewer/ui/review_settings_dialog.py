"""Review settings: the exclusion reasons, the highlighted keyword terms and blinding.

These are the review's own settings, shared by everyone who screens it (a
reviewer's name is a setting of the machine, not of the review). Saving goes
through ``reviewer.review.settings`` and ``keywords``, so each change is an event
in the audit trail and travels with a merge; unchanged settings write nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reviewer.review.keywords import clean_terms, keyword_terms
from reviewer.review.operations import save_settings
from reviewer.review.settings import (
    BLINDED,
    DEFAULT_EXCLUSION_REASONS,
    EXCLUSION_REASONS,
    KEYWORD_TERMS,
    exclusion_reasons,
    is_blinded,
)
from reviewer.store import Store
from reviewer.ui import plain, theme
from reviewer.ui.conflicts_view import confirm_unblind
from reviewer.ui.legend import KEYWORD_COLOURS
from reviewer.ui.operations import Operations

_EDITABLE = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsEditable
    | Qt.ItemFlag.ItemIsDragEnabled
)


class ReviewSettingsDialog(QDialog):
    """Edit the review's screening settings; Save writes what changed."""

    settings_changed = Signal(list)  # names of the settings saved (settings.py's names)

    def __init__(
        self,
        store: Store,
        reviewer: str,
        parent: QWidget | None = None,
        ops: Operations | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Review settings")
        self.setObjectName("review_settings_dialog")
        self.resize(560, 460)
        self.store = store  # read from; saved through ``ops``
        self.ops = ops or Operations.inline(store, self)
        self.reviewer = reviewer

        tabs = QTabWidget()
        tabs.addTab(self._reasons_tab(), "Exclusion reasons")
        tabs.addTab(self._keywords_tab(), "Keywords")
        tabs.addTab(self._blinding_tab(), "Blinding")
        self.tabs = tabs

        self.error = plain.label()  # quotes the terms typed
        self.error.setObjectName("settings_error")
        self.error.setStyleSheet(theme.error_style())
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._load()

    # -- the tabs --------------------------------------------------------------------------------

    def _reasons_tab(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            "Reviewers choose from this list to exclude a record (full-text exclusions need "
            "one). Double-click a reason to rename it, or drag to reorder. Renaming or "
            "removing a reason leaves the decisions already made with it as they are."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(theme.muted_style())
        self.reasons = QListWidget()
        self.reasons.setObjectName("settings_reasons")
        self.reasons.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.reasons.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.reasons.currentRowChanged.connect(lambda _r: self._update_reason_buttons())
        self.reasons.itemChanged.connect(lambda _i: self._validate())

        self.add_reason_button = _button("Add", "settings_reason_add", self.add_reason)
        self.remove_reason_button = _button("Remove", "settings_reason_remove", self.remove_reason)
        self.up_button = _button("Move up", "settings_reason_up", lambda: self.move_reason(-1))
        self.down_button = _button("Move down", "settings_reason_down", lambda: self.move_reason(1))
        self.defaults_button = _button(
            "Restore defaults", "settings_reason_defaults", self.restore_default_reasons
        )
        side = QVBoxLayout()
        for b in (self.add_reason_button, self.remove_reason_button, self.up_button,
                  self.down_button):  # fmt: skip
            side.addWidget(b)
        side.addStretch(1)
        side.addWidget(self.defaults_button)
        row = QHBoxLayout()
        row.addWidget(self.reasons, 1)
        row.addLayout(side)
        v = QVBoxLayout(page)
        v.addWidget(hint)
        v.addLayout(row, 1)
        return page

    def _keywords_tab(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            "Terms are highlighted in the document and colour the record list: inclusion "
            "terms green, exclusion terms red (red wins in the list). One term per line; "
            "whole words, any case; <b>*</b> stands for any letters or digits, so "
            "<i>random*</i> matches “randomised” and <i>*mab</i> “rituximab”."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(theme.muted_style())
        self.include_terms = _terms_edit("settings_include_terms", "random*\nplacebo")
        self.exclude_terms = _terms_edit("settings_exclude_terms", "rat\nmice\nin vitro")
        for edit in (self.include_terms, self.exclude_terms):
            edit.textChanged.connect(self._validate)
        grid = QGridLayout()
        grid.addWidget(_coloured("Inclusion terms", KEYWORD_COLOURS["keyword_include"]), 0, 0)
        grid.addWidget(_coloured("Exclusion terms", KEYWORD_COLOURS["keyword_exclude"]), 0, 1)
        grid.addWidget(self.include_terms, 1, 0)
        grid.addWidget(self.exclude_terms, 1, 1)
        v = QVBoxLayout(page)
        v.addWidget(hint)
        v.addLayout(grid, 1)
        return page

    def _blinding_tab(self) -> QWidget:
        page = QWidget()
        self.blinded = QCheckBox("Blind the review")
        self.blinded.setObjectName("settings_blinded")
        self.blinded.toggled.connect(lambda _on: self._update_blinding_hint())
        self.blinding_hint = QLabel()
        self.blinding_hint.setWordWrap(True)
        self.blinding_hint.setStyleSheet(theme.muted_style())
        v = QVBoxLayout(page)
        v.addWidget(self.blinded)
        v.addWidget(self.blinding_hint)
        v.addStretch(1)
        return page

    # -- loading and checking ----------------------------------------------------------------

    def _load(self) -> None:
        self._set_reasons(exclusion_reasons(self.store))
        terms = keyword_terms(self.store)
        self.include_terms.setPlainText("\n".join(terms["include"]))
        self.exclude_terms.setPlainText("\n".join(terms["exclude"]))
        self.blinded.setChecked(is_blinded(self.store))
        self._update_blinding_hint()
        self._validate()

    def _set_reasons(self, reasons: list[str]) -> None:
        self.reasons.clear()
        for reason in reasons:
            self._add_reason_item(reason)
        self._update_reason_buttons()

    def _add_reason_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(_EDITABLE)
        self.reasons.addItem(item)
        return item

    def reason_list(self) -> list[str]:
        """The reasons as edited (not yet cleaned: ``set_exclusion_reasons`` does that)."""
        return [self.reasons.item(i).text() for i in range(self.reasons.count())]

    def terms(self) -> tuple[list[str], list[str]]:
        return (
            self.include_terms.toPlainText().splitlines(),
            self.exclude_terms.toPlainText().splitlines(),
        )

    def _validate(self) -> bool:
        """Say what cannot be saved, and keep Save off until it is put right."""
        problem = ""
        if not any(r.strip() for r in self.reason_list()):
            problem = "Keep at least one exclusion reason."
        else:
            try:
                for lines in self.terms():
                    clean_terms(lines)
            except ValueError as exc:
                problem = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        self.error.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problem)
        return not problem

    def _update_reason_buttons(self) -> None:
        row = self.reasons.currentRow()
        self.remove_reason_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.reasons.count() - 1)

    def _update_blinding_hint(self) -> None:
        if self.blinded.isChecked():
            text = (
                "Each reviewer sees only their own decisions, and conflicts are not "
                "listed, so that screening stays independent."
            )
        else:
            text = (
                "Every reviewer sees every decision, and conflicts can be resolved. "
                "Unblind once independent screening at a stage is done."
            )
        self.blinding_hint.setText(text)

    # -- editing the reasons ---------------------------------------------------------------------

    def add_reason(self, text: str = "") -> None:
        """Add a reason (``text``, or a new one to type in at once)."""
        item = self._add_reason_item(text or "new reason")
        self.reasons.setCurrentItem(item)
        if not text:
            self.reasons.editItem(item)
        self._validate()

    def remove_reason(self) -> None:
        row = self.reasons.currentRow()
        if row >= 0:
            self.reasons.takeItem(row)
            self._update_reason_buttons()
            self._validate()

    def move_reason(self, step: int) -> None:
        row = self.reasons.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.reasons.count():
            return
        item = self.reasons.takeItem(row)
        self.reasons.insertItem(target, item)
        self.reasons.setCurrentRow(target)

    def restore_default_reasons(self) -> None:
        self._set_reasons(list(DEFAULT_EXCLUSION_REASONS))
        self._validate()

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> list[str]:
        """Write every changed setting; the names of those that changed."""
        include, exclude = self.terms()
        changes = self.ops.run(
            save_settings(
                self.reason_list(), include, exclude, self.blinded.isChecked(), self.reviewer
            ),
            self,
        )
        changed = [name for name in (EXCLUSION_REASONS, KEYWORD_TERMS, BLINDED)
                   if name in changes.settings]  # fmt: skip
        if changed:
            self.settings_changed.emit(changed)
        return changed

    def accept(self) -> None:
        if not self._validate():
            return
        unblinding = is_blinded(self.store) and not self.blinded.isChecked()
        if unblinding and not self.confirm_unblind():
            return
        try:
            self.save()
        except ValueError as exc:  # the checks above should have caught it; say so anyway
            self.error.setText(str(exc))
            return
        super().accept()

    def confirm_unblind(self) -> bool:
        return confirm_unblind(self)


def _button(text: str, name: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.clicked.connect(lambda _checked=False: slot())
    return b


def _terms_edit(name: str, example: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(f"One term per line, e.g.\n{example}")
    edit.setTabChangesFocus(True)
    return edit


def _coloured(text: str, colour: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(f"color: {colour}; font-weight: 600;")
    return label
