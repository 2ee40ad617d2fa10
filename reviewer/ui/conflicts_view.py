"""The conflicts view: records the reviewers disagree on at a stage, and the resolver's
final decision on each.

Dual screening is only independent while reviewers cannot see each other's
decisions, so while the review is blinded this view shows nothing at all, not even
how many conflicts there are: only why, and a button to unblind (after a
confirmation, as every reviewer then sees every decision). Unblinded, it lists each
conflict with every reviewer's decision and reason; Include or Exclude records the
resolution through ``screening.resolve`` (an event, like every change), with a
reason from the review's list, which full-text screening requires.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Decision
from reviewer.review import operations as op
from reviewer.review.operations import Changes, ResolutionChange
from reviewer.review.screening import (
    STAGE_LABELS,
    Conflict,
    ScreeningError,
    conflicts,
)
from reviewer.review.settings import BLINDED, exclusion_reasons, is_blinded, set_blinded
from reviewer.store import Store
from reviewer.ui import plain, theme
from reviewer.ui.operations import Operations

TITLE_SHARE = 0.4  # of the table's width, kept for the title before decisions take more
MIN_DECISION_WIDTH = 80  # px
REASON_REQUIRED_AT = ("full_text",)  # as screening._checked_reason has it
_RECORD = Qt.ItemDataRole.UserRole


class ConflictsView(QWidget):
    """Unresolved conflicts at one stage (optionally the resolved ones too)."""

    record_activated = Signal(int)  # record id: the resolver picked it; show the record
    resolved = Signal(int)  # record id: its resolution was set or withdrawn
    blinding_changed = Signal(bool)  # the review was unblinded here (False)

    def __init__(
        self,
        store: Store,
        reviewer: str,
        stage: str = "title_abstract",
        parent: QWidget | None = None,
        ops: Operations | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("conflicts_view")
        self.store = store  # read from; resolutions are written through ``ops`` (undoable)
        self.ops = ops or Operations.inline(store, self)
        self.ops.operation_did_execute.connect(self._changed)
        # decisions made elsewhere show here a moment later, so screening never waits
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(300)
        self._reload_timer.timeout.connect(self.reload)
        self.reviewer = reviewer
        self.stage = stage
        self._conflicts: list[Conflict] = []
        self._filling = False

        self.heading = plain.label()
        self.heading.setObjectName("conflicts_heading")
        self.heading.setStyleSheet("font-weight: 600;")
        self.show_resolved = QCheckBox("Show resolved")
        self.show_resolved.setObjectName("conflicts_show_resolved")
        self.show_resolved.setToolTip("Also list disagreements that already have a resolution")
        self.show_resolved.toggled.connect(lambda _on: self.reload())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.show_resolved)

        self.pages = QStackedWidget()
        self.blinded_page = self._build_blinded_page()
        self.table_page = self._build_table_page()
        self.pages.addWidget(self.blinded_page)
        self.pages.addWidget(self.table_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.reload()

    def _build_blinded_page(self) -> QWidget:
        page = QWidget()
        self.blinded_message = QLabel(
            "<b>The review is blinded.</b><br>Each reviewer sees only their own decisions, "
            "so that screening stays independent; conflicts can only be listed once "
            "everyone's decisions are visible.<br><br>Unblind the review when "
            "screening at this stage is done."
        )
        self.blinded_message.setObjectName("conflicts_blinded_message")
        self.blinded_message.setWordWrap(True)
        self.blinded_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unblind_button = QPushButton("Unblind review…")
        self.unblind_button.setObjectName("conflicts_unblind")
        self.unblind_button.setToolTip("Let every reviewer see every decision")
        self.unblind_button.clicked.connect(self.unblind)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unblind_button)
        row.addStretch(1)
        v = QVBoxLayout(page)
        v.addStretch(1)
        v.addWidget(self.blinded_message)
        v.addSpacing(8)
        v.addLayout(row)
        v.addStretch(2)
        return page

    def _build_table_page(self) -> QWidget:
        page = QWidget()
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("conflicts_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda _item: self._activate_current())

        self.include_button = QPushButton("Include")
        self.include_button.setObjectName("conflicts_include")
        self.include_button.setStyleSheet(_button_style("include"))
        self.include_button.clicked.connect(lambda: self.resolve_current("include"))
        self.exclude_button = QPushButton("Exclude")
        self.exclude_button.setObjectName("conflicts_exclude")
        self.exclude_button.setStyleSheet(_button_style("exclude"))
        self.exclude_button.clicked.connect(lambda: self.resolve_current("exclude"))
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("conflicts_reason")
        self.reason_combo.setToolTip("The reason recorded with an exclusion")
        self.reason_combo.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("conflicts_note")
        self.note_edit.setPlaceholderText("Note (optional)")
        self.withdraw_button = QPushButton("Withdraw resolution")
        self.withdraw_button.setObjectName("conflicts_withdraw")
        self.withdraw_button.clicked.connect(self.withdraw_current)
        self.message = plain.label()  # it names reasons, which come from the review's settings
        self.message.setObjectName("conflicts_message")
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Final decision:"))
        bar.addWidget(self.include_button)
        bar.addWidget(self.exclude_button)
        bar.addWidget(self.reason_combo, 1)
        bar.addWidget(self.note_edit, 1)
        bar.addWidget(self.withdraw_button)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.table, 1)
        v.addLayout(bar)
        v.addWidget(self.message)
        return page

    # -- reading ------------------------------------------------------------------------

    def set_store(self, store: Store) -> None:
        self.store = store
        self.reload()

    def set_stage(self, stage: str) -> None:
        self.stage = stage
        self.reload()

    def reload(self) -> None:
        """Read blinding, the conflicts and the reasons list again."""
        stage = STAGE_LABELS.get(self.stage, self.stage)
        if is_blinded(self.store):
            self._conflicts = []
            self.table.setRowCount(0)
            self.pages.setCurrentWidget(self.blinded_page)
            self.heading.setText(f"Conflicts at {stage}")
            self.show_resolved.setEnabled(False)
            return
        self.show_resolved.setEnabled(True)
        self.pages.setCurrentWidget(self.table_page)
        keep, row_before = self.current_record_id(), self.table.currentRow()
        self._conflicts = conflicts(self.store, self.stage, self.show_resolved.isChecked())
        open_ = sum(c.resolution is None for c in self._conflicts)
        if not self._conflicts:
            self.heading.setText(f"No conflicts at {stage}")
        else:
            self.heading.setText(
                f"{open_} unresolved conflict{'' if open_ == 1 else 's'} at {stage}"
            )
        self._fill_reasons()
        self._fill_table(keep, row_before)
        self._update_buttons()

    def _fill_reasons(self) -> None:
        keep = self.reason_combo.currentData()
        self.reason_combo.blockSignals(True)
        self.reason_combo.clear()
        required = self.stage in REASON_REQUIRED_AT
        self.reason_combo.addItem("Choose a reason…" if required else "No reason given", "")
        for reason in exclusion_reasons(self.store):
            self.reason_combo.addItem(reason, reason)
        index = self.reason_combo.findData(keep) if keep else 0
        self.reason_combo.setCurrentIndex(max(index, 0))
        self.reason_combo.blockSignals(False)

    def _fill_table(self, keep: int | None, row_before: int) -> None:
        """Fill the table, keeping the selected record (``keep``) selected; when it left
        the list (resolved), the row that took its place is selected."""
        reviewers = sorted({d.reviewer for c in self._conflicts for d in c.decisions})
        columns = ["Record", "Title", *(plain.shown(r) for r in reviewers)]
        if self.show_resolved.isChecked():
            columns.append("Resolution")
        self._filling = True
        try:
            self.table.clearContents()
            self.table.setColumnCount(len(columns))
            self.table.setHorizontalHeaderLabels(columns)
            self.table.setRowCount(len(self._conflicts))
            for row, conflict in enumerate(self._conflicts):
                self._fill_row(row, conflict, reviewers)
            self._size_columns(len(columns))
            row = self.row_of(keep) if keep is not None else -1
            if row < 0 and keep is not None and self._conflicts:
                # the resolved row left the list: go on to the one that took its place
                row = min(max(row_before, 0), len(self._conflicts) - 1)
            if row >= 0:
                self.table.selectRow(row)
        finally:
            self._filling = False
        moved_on = self.current_conflict()
        if moved_on is not None and moved_on.record_id != keep:
            self._suggest_reason(moved_on)
            self.record_activated.emit(moved_on.record_id)

    def _size_columns(self, count: int) -> None:
        """The title takes the room left; decisions fit their text up to a share of the
        width, so that three reviewers' long reasons do not squeeze the title out."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        if count <= 2:
            return
        room = self.table.viewport().width() - self.table.columnWidth(0)
        cap = max(MIN_DECISION_WIDTH, int(room * (1 - TITLE_SHARE) / (count - 2)))
        for col in range(2, count):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.resizeColumnToContents(col)
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), cap))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._size_columns(self.table.columnCount())

    def _fill_row(self, row: int, conflict: Conflict, reviewers: list[str]) -> None:
        rid = QTableWidgetItem(str(conflict.record_id))
        rid.setData(_RECORD, conflict.record_id)
        rid.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, 0, rid)
        title = QTableWidgetItem(plain.shown(conflict.title) or "(untitled)")
        title.setToolTip(conflict.title)  # as text: plain.PlainToolTips
        self.table.setItem(row, 1, title)
        by_reviewer = {d.reviewer: d for d in conflict.decisions}
        for col, reviewer in enumerate(reviewers, start=2):
            self.table.setItem(row, col, _decision_item(by_reviewer.get(reviewer)))
        res = conflict.resolution
        item = QTableWidgetItem("")
        if res is not None:
            item.setText(plain.shown(_decision_text(res.decision, res.reason) + f"  ({res.resolver})"))
            item.setForeground(QBrush(theme.decision_colour(res.decision)))
            item.setToolTip(res.note)
        if self.show_resolved.isChecked():
            self.table.setItem(row, len(reviewers) + 2, item)

    # -- selection ----------------------------------------------------------------------

    def conflicts_shown(self) -> list[Conflict]:
        return list(self._conflicts)

    def current_conflict(self) -> Conflict | None:
        row = self.table.currentRow()
        if 0 <= row < len(self._conflicts) and self.table.selectedItems():
            return self._conflicts[row]
        return None

    def current_record_id(self) -> int | None:
        conflict = self.current_conflict()
        return conflict.record_id if conflict else None

    def row_of(self, record_id: int) -> int:
        for row, conflict in enumerate(self._conflicts):
            if conflict.record_id == record_id:
                return row
        return -1

    def select_record(self, record_id: int) -> bool:
        row = self.row_of(record_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selection_changed(self) -> None:
        conflict = self.current_conflict()
        if conflict is not None and not self._filling:
            self._suggest_reason(conflict)
            self.message.clear()
            self.record_activated.emit(conflict.record_id)
        self._update_buttons()

    def _activate_current(self) -> None:
        rid = self.current_record_id()
        if rid is not None:
            self.record_activated.emit(rid)

    def _suggest_reason(self, conflict: Conflict) -> None:
        """Start from the reason an excluding reviewer gave (the resolver may change it)."""
        given = [d.reason for d in conflict.decisions if d.decision == "exclude" and d.reason]
        if conflict.resolution is not None and conflict.resolution.reason:
            given.insert(0, conflict.resolution.reason)
        for reason in given:
            index = self.reason_combo.findData(reason)
            if index >= 0:
                self.reason_combo.setCurrentIndex(index)
                return

    def _update_buttons(self) -> None:
        conflict = self.current_conflict()
        has = conflict is not None
        reason_missing = self.stage in REASON_REQUIRED_AT and not self.reason_combo.currentData()
        self.include_button.setEnabled(has)
        self.exclude_button.setEnabled(has and not reason_missing)
        self.exclude_button.setToolTip(
            "Choose a reason first: excluding at full text needs one" if reason_missing else ""
        )
        self.reason_combo.setEnabled(has)
        self.note_edit.setEnabled(has)
        self.withdraw_button.setVisible(self.show_resolved.isChecked())
        self.withdraw_button.setEnabled(has and conflict.resolution is not None)

    # -- writing ------------------------------------------------------------------------

    def resolve_current(self, decision: str) -> bool:
        """Record ``decision`` as the final one for the selected conflict."""
        conflict = self.current_conflict()
        if conflict is None:
            return False
        reason = (self.reason_combo.currentData() or "") if decision == "exclude" else ""
        command = ResolutionChange(
            conflict.record_id, self.stage, self.reviewer, decision, reason,
            note=self.note_edit.text().strip(),
        )  # fmt: skip
        try:
            self.ops.push(command, self)
        except ScreeningError as exc:
            self._show_error(str(exc))
            return False
        self.note_edit.clear()
        self.message.setText(f"Record {conflict.record_id}: {_decision_text(decision, reason)}.")
        self.message.setStyleSheet("")  # the list was read again on the change notice
        self.resolved.emit(conflict.record_id)
        return True

    def withdraw_current(self) -> None:
        conflict = self.current_conflict()
        if conflict is None or conflict.resolution is None:
            return
        self.ops.push(ResolutionChange(conflict.record_id, self.stage, self.reviewer), self)
        self.message.setText(f"Record {conflict.record_id}: resolution withdrawn.")
        self.message.setStyleSheet("")
        self.resolved.emit(conflict.record_id)

    def _show_error(self, text: str) -> None:
        self.message.setText(text[:1].upper() + text[1:] + ".")
        self.message.setStyleSheet(theme.error_style())

    def unblind(self) -> bool:
        """Unblind the review, once the reviewer confirms; ``True`` when it was done."""
        if not is_blinded(self.store) or not self.confirm_unblind():
            return False
        who = self.reviewer
        self.ops.run(op.write(lambda s: set_blinded(s, False, who),
                              Changes(settings=frozenset([BLINDED]), decisions=True)), self)  # fmt: skip
        self.blinding_changed.emit(False)
        return True

    def _changed(self, changes: Changes, initiator: object) -> None:
        """The change notice: decisions, resolutions or blinding changed."""
        if not (changes.decisions or BLINDED in changes.settings or changes.record_set):
            return
        if initiator is self or BLINDED in changes.settings:
            self._reload_timer.stop()
            self.reload()
        elif self.isVisible():
            self._reload_timer.start()

    def confirm_unblind(self) -> bool:
        return confirm_unblind(self)


def confirm_unblind(parent: QWidget | None) -> bool:
    """Ask before unblinding: it cannot be taken back for what reviewers have seen."""
    answer = QMessageBox.question(
        parent,
        "Unblind review",
        "Every reviewer will see every other reviewer's decisions, in this copy "
        "and in copies merged with it. Screening is no longer independent after "
        "this.\n\nUnblind the review?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _button_style(decision: str) -> str:
    """Coloured like the decision, and grey when disabled (a plain colour would hide that)."""
    return (
        f"QPushButton {{ color: {theme.css(theme.decision_colour(decision))}; "
        "font-weight: 600; } "
        f"QPushButton:disabled {{ color: {theme.css(theme.disabled_colour())}; }}"
    )


def _decision_text(decision: str, reason: str = "") -> str:
    return f"{decision} — {reason}" if reason else decision


def _decision_item(d: Decision | None) -> QTableWidgetItem:
    if d is None:
        item = QTableWidgetItem("—")
        item.setToolTip("Not screened by this reviewer")
        item.setForeground(QBrush(theme.muted_colour()))
        return item
    text = _decision_text(d.decision, d.reason)
    item = QTableWidgetItem(plain.shown(text))
    item.setForeground(QBrush(theme.decision_colour(d.decision)))
    item.setToolTip(f"{text}\nNote: {d.note}" if d.note else text)
    return item
