"""Screening in the window: deciding the current record (by key, button or menu), its
decision shown under the document with the exclusion reason, the next undecided
record, the review's settings, merging another copy and attaching full texts.

A component (``ScreeningActions``), not a part of the window's class: it is given
the session (``reviewer.ui.session``), the record list it moves through, what finds
the next undecided record (the ranking) and the conflicts panel, and it builds the
decision bar it owns. Each decision is an undoable operation run through the
session's operations (``reviewer.ui.operations``); the list's row, the counts and the
panels follow from the change notice, not from here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLabel, QPushButton

from reviewer.domain import Decision
from reviewer.review import extraction
from reviewer.review import operations as op
from reviewer.review.fulltext import attach_fulltext as attach
from reviewer.review.fulltext import import_fulltexts
from reviewer.review.keywords import compiled_terms
from reviewer.review.merge import merge
from reviewer.review.operations import Changes
from reviewer.review.screening import ScreeningError, next_undecided
from reviewer.review.settings import exclusion_reasons, is_blinded
from reviewer.store import Store, StoreError
from reviewer.ui import file_dialogs as dialogs
from reviewer.ui import plain, theme
from reviewer.ui.bulk_actions import BulkDecisions
from reviewer.ui.merge_dialog import MergeReportDialog
from reviewer.ui.record_list import RecordList
from reviewer.ui.review_settings_dialog import ReviewSettingsDialog
from reviewer.ui.session import Session
from reviewer.wording import count

REVIEW_FILTER = "Reviews (*.review);;All files (*)"
DECISION_KEYS = {"include": ("I", "1"), "exclude": ("E", "2"), "maybe": ("M", "3")}


class NextUndecided(Protocol):
    """What finds the next record to screen (``RankController``, by rank)."""

    def next_undecided(self, done: int) -> int | None: ...

    def next_undecided_after(self, current: int | None) -> int | None: ...


class ImportOrderNext:
    """The next undecided record in import order (a list with no ranking)."""

    def __init__(self, session: Session):
        self.s = session

    def next_undecided(self, done: int) -> int | None:
        s = self.s
        return next_undecided(s.store, s.stage, s.reviewer, after_record_id=done)

    def next_undecided_after(self, current: int | None) -> int | None:
        s = self.s
        return next_undecided(s.store, s.stage, s.reviewer, after_record_id=current)


class Conflicts(Protocol):
    """The conflicts panel (``reviewer.ui.conflicts_view.ConflictsView``)."""

    def reload(self) -> None: ...


class ScreeningActions(QObject):
    """Decisions, settings, merge and full texts (see the module docstring)."""

    def __init__(
        self,
        session: Session,
        records: RecordList,
        ranking: NextUndecided | None = None,
        conflicts: Conflicts | None = None,
        reshow: Callable[[], None] = lambda: None,
    ):
        super().__init__(session)
        self.s = session
        self.records = records
        self.ranking: NextUndecided = ranking or ImportOrderNext(session)
        self.conflicts = conflicts
        self.reshow = reshow  # show the current record again (its text or values changed)
        self.menu_actions: dict[str, QAction] = {}  # Screening → Include/Exclude/Maybe
        self.bulk = BulkDecisions(session, records, self.chosen_reason)
        self.merge_dialog: MergeReportDialog | None = None
        self.settings_dialog: ReviewSettingsDialog | None = None
        self.fulltext_report = ""
        self._build_bar()
        session.ops.operation_did_execute.connect(self._changed)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """A change notice: review settings, and the shown record's decision."""
        if changes.settings and self.records.model is not None:
            self.settings_changed(sorted(changes.settings))
        rid = self.s.current_id
        if rid is not None and (changes.undo or rid in changes.records):
            self.show_decision()

    def _build_bar(self) -> None:
        """The decision bar under the document: the decision, the reason, the buttons."""
        self.bar = QHBoxLayout()
        self.bar.setContentsMargins(4, 0, 4, 0)
        self.decision_label = QLabel()
        self.decision_label.setObjectName("decision_label")
        self.decision_label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar.addWidget(self.decision_label)
        self.bar.addStretch(1)
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason")
        self.reason_combo.setToolTip("Exclusion reason (required at full text)")
        self.reason_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.bar.addWidget(self.reason_combo)
        self.buttons: dict[str, QPushButton] = {}
        for kind in ("include", "exclude", "maybe"):
            b = QPushButton(f"{kind.capitalize()}  ({DECISION_KEYS[kind][0]})")
            b.setObjectName(f"decide_{kind}")
            colour = theme.css(theme.decision_colour(kind))  # readable in this palette
            disabled = theme.css(theme.disabled_colour())
            b.setStyleSheet(
                f"QPushButton {{ color: {colour}; font-weight: 600; }} "
                f"QPushButton:disabled {{ color: {disabled}; }}"
            )
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _c=False, k=kind: self.decide(k))
            self.bar.addWidget(b)
            self.buttons[kind] = b

    def chosen_reason(self) -> str:
        return self.reason_combo.currentData() or ""

    def _back_to_list(self) -> None:
        """After a modal dialog the keys go back to the list (no window manager
        re-activates the window after one)."""
        if self.s.widget is not None:
            self.s.widget.activateWindow()
        self.records.table.setFocus()

    # -- decisions ----------------------------------------------------------------------

    def decide(self, kind: str) -> None:
        s = self.s
        if s.current_id is None:
            return
        if s.store.read_only:  # by key: say so where the eye is, without a dialog
            s.status("The review is open read-only: no decision recorded", 5000)
            return
        reason = self.chosen_reason() if kind == "exclude" else ""
        if self.bulk.busy:  # one transaction on the writer: this decision would wait for it
            s.status("Other decisions are still being recorded", 5000)
            return
        if self.bulk.several_selected():  # every selected record, as one undoable step
            self.bulk.decide_selected(kind, reason)
            return
        if kind == "exclude" and not reason and s.stage == "full_text":
            reason, ok = QInputDialog.getItem(
                s.widget,
                "Exclusion reason",
                "Why is this record excluded at full text?",
                exclusion_reasons(s.store),
                0,
                False,
            )
            self._back_to_list()
            if not ok:
                return
        decision = Decision(
            record_id=s.current_id,
            stage=s.stage,
            reviewer=s.reviewer,  # type: ignore[arg-type]
            decision=kind,
            reason=reason or "",  # type: ignore[arg-type]
        )
        try:  # the list's row, the counts and the panels follow from the change notice
            s.run(op.decide(s.stack, decision))
        except (ScreeningError, StoreError) as exc:  # StoreError: read-only, disk full ...
            plain.warn(s.widget, "Decision not recorded", str(exc))
            return
        done = s.current_id
        self.reason_combo.setCurrentIndex(0)
        s.status(f"Record {done}: {kind}", 3000)
        nxt = self.ranking.next_undecided(done)  # by rank when sorted by relevance
        self._select(nxt, otherwise=lambda: self.records.move(1))

    def _select(self, record_id: int | None, otherwise: Callable[[], None]) -> None:
        model = self.records.model
        row = model.row_of(record_id) if record_id is not None and model is not None else -1
        if row >= 0:
            self.records.select_row(row)
        else:
            otherwise()

    def show_decision(self) -> None:
        """The shown record's decision by this reviewer, and what can be decided."""
        s = self.s
        d = (
            s.store.decision(s.current_id, s.stage, s.reviewer)
            if s.current_id is not None
            else None
        )
        if d is None:
            text = "Not screened yet" if s.current_id is not None else ""
        else:
            text = f"Your decision: {d.decision}" + (f" — {d.reason}" if d.reason else "")
        self.decision_label.setText(text)
        self.decision_label.setToolTip(plain.as_html(text) if text else "")
        self._show_reason(d.reason if d is not None and d.decision == "exclude" else "")
        can = s.current_id is not None and not s.store.read_only
        for b in self.buttons.values():
            b.setEnabled(can)
        for act in self.menu_actions.values():  # the menu's Include/Exclude/Maybe too
            act.setEnabled(can)
        self.reason_combo.setEnabled(can)

    def _show_reason(self, reason: str) -> None:
        """The reason combo shows the record's own exclusion reason (kept when the
        reviewer excludes it again), or "(no reason)"."""
        index = self.reason_combo.findData(reason)
        if index < 0:  # a reason no longer in the review's list (or from another copy)
            self.reason_combo.addItem(reason, reason)
            index = self.reason_combo.count() - 1
        self.reason_combo.setCurrentIndex(index)

    def reload_reasons(self) -> None:
        self.reason_combo.clear()
        self.reason_combo.addItem("(no reason)", "")
        for reason in exclusion_reasons(self.s.store):
            self.reason_combo.addItem(reason, reason)

    def go_to_next_undecided(self) -> None:
        """The next record in the list (after the current one, wrapping round) that the
        reviewer has not decided at this stage."""
        nxt = self.ranking.next_undecided_after(self.s.current_id)
        self._select(nxt, lambda: self.s.status("No undecided record left in the list", 4000))

    # -- settings ------------------------------------------------------------------------

    def edit_review_settings(self) -> None:
        s = self.s
        self.settings_dialog = ReviewSettingsDialog(s.store, s.reviewer, s.widget, ops=s.ops)
        self.settings_dialog.show()

    def settings_changed(self, names: list) -> None:
        """Review settings changed (here, or in another copy brought in): what shows them."""
        model = self.records.model
        assert model is not None
        if "keyword_terms" in names:
            self.s.compiled_terms = compiled_terms(self.s.store)
            model.compiled = self.s.compiled_terms
            model.refresh_all()
        if "exclusion_reasons" in names:
            self.reload_reasons()
            self.records.reload_counts()
        if "blinded" in names:
            self.blinding_changed()

    def blinding_changed(self) -> None:
        s, model = self.s, self.records.model
        assert model is not None
        blinded = is_blinded(s.store)
        model.blinded = blinded
        model.refresh_all()  # the Decision column changes meaning
        self.records.filter_panel.set_blinded(s.reviewer if blinded else None)
        if self.conflicts is not None:
            self.conflicts.reload()
        self.records.reload()

    # -- another copy ----------------------------------------------------------------------

    def choose_merge(self) -> None:
        path = dialogs.open_file(
            self.s.widget, "Merge another copy of this review", "copies", REVIEW_FILTER,
            self.s.store.path.parent,
        )  # fmt: skip
        if path:
            self.merge_from(path)

    def merge_from(self, other: str) -> None:
        """Bring another copy's events in (in the background), then show what happened."""
        s = self.s
        reviewer, job = s.reviewer, s.ops.job

        def work(progress, cancelled):
            return job(lambda store: merge(store, other, reviewer=reviewer))

        def done(report) -> None:
            s.ops.announce(Changes.everything("merge"), s)
            self.reshow()
            dialog = MergeReportDialog(report, s.store, s.reviewer, s.widget, ops=s.ops)
            dialog.record_activated.connect(self.records.go_to_record)
            self.merge_dialog = dialog
            dialog.show()

        s.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: plain.warn(s.widget, "Merge failed", m),
        )

    # -- full texts ---------------------------------------------------------------------------

    def attach_fulltext(self, record_id: int, pdf_path: str) -> None:
        """Attach a PDF as the record's full text, in the background; then show it."""
        s = self.s
        reviewer, job = s.reviewer, s.ops.job

        def attach_it(store: Store) -> int:
            attach(store, record_id, pdf_path, reviewer)
            return extraction.adopt_fulltext(store, record_id, reviewer)

        def work(progress, cancelled) -> int:
            return job(attach_it)

        def done(orphaned: int) -> None:
            s.status(
                f"Full text attached to record {record_id}"
                + (f"; {orphaned} highlights could not be found again" if orphaned else ""),
                8000,
            )
            if s.current_id == record_id:
                self.reshow()

        s.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: plain.warn(s.widget, "Full text not attached", m),
        )

    def choose_fulltext_folder(self) -> None:
        folder = dialogs.existing_folder(
            self.s.widget, "Folder of full-text PDFs", "fulltexts", self.s.store.path.parent
        )
        if folder:
            self.import_fulltext_folder(folder)

    def import_fulltext_folder(self, folder: str) -> None:
        """Match a folder of PDFs to records by DOI or title; list what matched nothing."""
        s = self.s
        reviewer, job = s.reviewer, s.ops.job

        def import_them(store: Store):
            result = import_fulltexts(store, folder, reviewer)
            for record_id, _path in result.matched:
                extraction.adopt_fulltext(store, record_id, reviewer)
            return result

        def work(progress, cancelled):
            return job(import_them)

        def done(result) -> None:
            lines = [f"{count(len(result.matched), 'PDF')} attached to their records."]
            if result.unmatched:
                lines.append(f"{count(len(result.unmatched), 'PDF')} matched no record:")
                lines += [
                    f"  {Path(p).name}" + (f" — {result.reason(p)}" if result.reason(p) else "")
                    for p in result.unmatched
                ]
            self.fulltext_report = "\n".join(lines)
            plain.inform(s.widget, "Full texts", self.fulltext_report)
            if s.current_id is not None:
                self.reshow()

        s.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: plain.warn(s.widget, "Full texts not imported", m),
        )
