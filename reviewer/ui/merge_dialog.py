"""What a merge did: the changes it brought in from the other copy, what it applied,
the conflicts it found, and the records it could not match.

The window runs ``reviewer.review.merge.merge`` and shows its report here. A merge
conflict is a piece of state both copies changed differently; this copy kept its
own, and nothing was overwritten. Given the store, the dialog lets the reviewer
settle each conflict on the spot (keep this copy's state or take the other's,
through ``merge.settle_conflict``, an event the other copy follows when it merges).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.review import operations as op
from reviewer.review.merge import MergeConflict, MergeError, MergeReport, settle_conflict
from reviewer.review.operations import Changes
from reviewer.review.screening import STAGE_LABELS
from reviewer.store import Store
from reviewer.ui import plain, theme
from reviewer.ui.operations import Operations

COLUMNS = ("Record", "What", "This copy kept", "The other copy has", "Settled")
STATE_CHARS = 120
RECORD_LINES = 10  # lines of unmatched records shown before the list scrolls


class MergeReportDialog(QDialog):
    """The report of one merge; settle buttons only when given a store and reviewer."""

    conflict_settled = Signal(str, int)  # conflict id, record id (-1: not a record's)
    record_activated = Signal(int)  # record id of a conflict the reviewer double-clicked

    def __init__(
        self,
        report: MergeReport,
        store: Store | None = None,
        reviewer: str = "",
        parent: QWidget | None = None,
        ops: Operations | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Merge report")
        self.setObjectName("merge_report_dialog")
        self.resize(760, 480 if report.conflicts else 300)
        self.report = report
        self.store = store  # read from; settling is written through ``ops``
        self.ops = ops or (Operations.inline(store, self) if store is not None else None)
        self.reviewer = reviewer
        self.settled: dict[str, str] = {}  # conflict id -> "kept" or "other"

        name = Path(report.source).name or report.source
        self.heading = QLabel(f"Merged from <b>{html.escape(name)}</b>")
        self.heading.setToolTip(report.source)
        self.summary = QLabel(self._summary_html())
        self.summary.setObjectName("merge_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        self.table = self._conflicts_table()
        if report.conflicts:
            layout.addWidget(self.table, 2)
            if store is not None:
                layout.addLayout(self._settle_bar())
        self.records = self._records_text()
        if self.records is not None:
            layout.addWidget(self.records)
        if not report.conflicts:
            layout.addStretch(1)
        self.message = plain.label()  # names reviewers, fields and records of either copy
        self.message.setObjectName("merge_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # -- the summary ---------------------------------------------------------------------------

    def _summary_html(self) -> str:
        r = self.report
        if not r.changed and not (r.records_only_there or r.records_mismatched):
            return "Nothing new: this review already had every change in the other copy."
        if r.copied:
            lines = [
                f"<b>{r.copied}</b> change{_s(r.copied)} brought in from the other copy; "
                f"<b>{r.applied}</b> of this review's decisions, values, tags and settings "
                "updated from them."
            ]
        else:
            lines = ["No new changes brought in from the other copy."]
        if r.conflicts:
            n = len(r.conflicts)
            lines.append(
                f"<b style='color:{theme.css(theme.error_colour())}'>{n} merge conflict{_s(n)}</b>: "
                "both copies changed "
                "the same thing differently. This copy kept its own; nothing was overwritten."
                + (" Settle each below." if self.store is not None else "")
            )
        else:
            lines.append("No merge conflicts.")
        if r.records_only_there:
            n = len(r.records_only_there)
            lines.append(
                f"<b>{n}</b> record{_s(n)} only in the other copy: import the same file "
                "here, then merge again to bring in the work on them."
            )
        if r.records_mismatched:
            n = len(r.records_mismatched)
            lines.append(
                f"<b>{n}</b> record{_s(n)} with the same number but a different title in "
                "each copy: the work on them was not brought in."
            )
        if r.skipped_events:
            lines.append(
                f"{r.skipped_events} change{_s(r.skipped_events)} to those records left out."
            )
        if r.not_applied:
            kinds = ", ".join(f"{html.escape(k)} ({n})" for k, n in sorted(r.not_applied.items()))
            lines.append(
                "Kept in the log but not applied (made by a newer version of Reviewer): " + kinds
            )
        return "".join(f"<p style='margin: 0 0 6px 0'>{line}</p>" for line in lines)

    # -- conflicts ------------------------------------------------------------------------------

    def _conflicts_table(self) -> QTableWidget:
        table = QTableWidget(len(self.report.conflicts), len(COLUMNS))
        table.setObjectName("merge_conflicts")
        table.setHorizontalHeaderLabels(COLUMNS)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(22)
        header = table.horizontalHeader()
        for col, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(col, mode)
        for row, c in enumerate(self.report.conflicts):
            kind = c.key[0] if c.key else ""
            cells = (
                "" if c.record_id is None else str(c.record_id),
                describe_key(c.key),
                state_text(kind, c.kept),
                state_text(kind, c.other),
                "",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, col, item)
        table.itemSelectionChanged.connect(self._update_buttons)
        table.itemDoubleClicked.connect(self._activate)
        return table

    def _settle_bar(self) -> QHBoxLayout:
        self.keep_button = QPushButton("Keep this copy's")
        self.keep_button.setObjectName("merge_keep")
        self.keep_button.clicked.connect(lambda: self.settle_current("kept"))
        self.take_button = QPushButton("Take the other copy's")
        self.take_button.setObjectName("merge_take")
        self.take_button.clicked.connect(lambda: self.settle_current("other"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Settle the selected conflict:"))
        bar.addWidget(self.keep_button)
        bar.addWidget(self.take_button)
        bar.addStretch(1)
        self._update_buttons()
        return bar

    def current_conflict(self) -> MergeConflict | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.report.conflicts) and self.table.selectedItems():
            return self.report.conflicts[row]
        return None

    def _update_buttons(self) -> None:
        if self.store is None or not self.report.conflicts:
            return
        c = self.current_conflict()
        can = c is not None and c.id not in self.settled
        self.keep_button.setEnabled(can)
        self.take_button.setEnabled(can)

    def settle_current(self, choice: str) -> bool:
        """Settle the selected conflict: ``"kept"`` (this copy's) or ``"other"``."""
        c = self.current_conflict()
        if c is None or self.ops is None or c.id in self.settled:
            return False
        who = self.reviewer
        try:
            self.ops.run(op.write(lambda s: settle_conflict(s, c.id, choice, who),
                                  Changes.everything("settle a merge conflict")), self)  # fmt: skip
        except MergeError as exc:
            self.message.setText(str(exc))
            self.message.setStyleSheet(theme.error_style())
            return False
        self.settled[c.id] = choice
        words = "this copy's kept" if choice == "kept" else "the other copy's taken"
        self.table.item(self.table.currentRow(), 4).setText(words)
        self.message.setText(f"Settled: {describe_key(c.key)}, {words}.")
        self.message.setStyleSheet(theme.muted_style())
        self._update_buttons()
        self.conflict_settled.emit(c.id, -1 if c.record_id is None else c.record_id)
        return True

    def _activate(self, item: QTableWidgetItem) -> None:
        c = self.report.conflicts[item.row()]
        if c.record_id is not None:
            self.record_activated.emit(c.record_id)

    # -- records not matched ---------------------------------------------------------------------

    def _records_text(self) -> QPlainTextEdit | None:
        r = self.report
        lines: list[str] = []
        if r.records_only_there:
            lines.append("Only in the other copy:")
            lines += [f"  {x['id']}: {x['title']}" for x in r.records_only_there]
        if r.records_mismatched:
            lines.append("Different records under the same number:")
            for x in r.records_mismatched:
                lines.append(f"  {x['id']}: here “{x['title_here']}”")
                lines.append(f"  {' ' * len(str(x['id']))}  there “{x['title_there']}”")
        if not lines:
            return None
        text = QPlainTextEdit("\n".join(lines))
        text.setObjectName("merge_records")
        text.setReadOnly(True)
        text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        shown = min(len(lines), RECORD_LINES) + 1
        text.setMaximumHeight(shown * text.fontMetrics().lineSpacing() + 12)
        return text


# -- words ---------------------------------------------------------------------------------------


def describe_key(key: list[Any]) -> str:
    """What a piece of state is, in words: "ann's title/abstract decision"."""
    if not key:
        return "?"
    kind, *rest = key
    if kind == "decision" and len(rest) == 3:
        return f"{rest[2]}'s {STAGE_LABELS.get(rest[1], rest[1])} decision"
    if kind == "resolution" and len(rest) == 2:
        return f"{STAGE_LABELS.get(rest[1], rest[1])} resolution"
    if kind == "value" and len(rest) == 2:
        return f"value of {rest[1]}"
    if kind == "tag" and len(rest) == 2:
        return f"tag “{rest[1]}”"
    if kind == "setting" and rest:
        return f"setting {str(rest[0]).replace('_', ' ')}"
    if kind == "fulltext":
        return "attached full text"
    if kind == "template":
        return "extraction template"
    return str(kind)


def state_text(kind: str, state: Any) -> str:
    """A piece of state as a reviewer would recognise it."""
    if state is None:
        return "(nothing)" if kind != "tag" else "(not tagged)"
    if kind in ("decision", "resolution") and isinstance(state, dict):
        parts = [state.get("decision") or "(no decision)"]
        parts += [p for p in (state.get("reason"), state.get("note")) if p]
        return _cut(" — ".join(parts))
    if kind == "value" and isinstance(state, dict):
        return _cut(_plain(state.get("value")))
    if kind == "tag":
        return "tagged"
    if kind == "fulltext" and isinstance(state, dict):
        return _cut(f"{Path(str(state.get('path', ''))).name} ({state.get('pages')} pages)")
    if kind == "template" and isinstance(state, dict):
        return _cut(str(state.get("name", "template")))
    return _cut(_plain(state))


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= STATE_CHARS else text[: STATE_CHARS - 1] + "…"


def _s(n: int) -> str:
    return "" if n == 1 else "s"
