"""Priority screening in the window: relevance order, the ranking's background
retraining, "next undecided" by rank, the stopping verdict and the recall curve.

The controller is the window's only link to ``reviewer.rank``. It works on a thread
of its own (so a retrain never waits behind counting or an import, nor they behind
it), with its own read connection to the review:

* features of every record are made once per open review (again when records are
  added), with progress in the status bar;
* a retrain starts after ``RETRAIN_EVERY`` changes to the review, or once the
  reviewer pauses after fewer (it notices changes by polling the event log's last
  number, which also catches undo, resolutions and merges);
* a finished ranking is applied on the main thread, between keystrokes, as a layout
  change that keeps the record under the cursor where it is;
* the list sorts by relevance once a model exists, unless the reviewer chose import
  order; the choice stays for the session.

The recall curve's dock (``rank_curve_dock.RecallCurveDock``) is given the
ranking to draw; re-sorting the list in place is ``rank_model``'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QTableView,
)

from reviewer.rank import curve
from reviewer.rank.model import Features, RankCancelled
from reviewer.rank.session import (
    RankResult,
    rank_stage,
    ranking_key,
    review_features,
)
from reviewer.rank.stopping import HELP
from reviewer.review.screening import next_undecided
from reviewer.store import Store
from reviewer.store import ranking as repo
from reviewer.ui.jobs import Job, JobRunner
from reviewer.ui.rank_curve_dock import RecallCurveDock, render, status_text
from reviewer.ui.rank_model import (
    RELEVANCE,
    RankedRecordModel,
    first_page,
    rank_array,
    ranked_order,
    reorder_keeping_place,
)
from reviewer.ui.record_model import fit_columns
from reviewer.ui.session import Session

IMPORT_ORDER, RELEVANCE_ORDER = "import", "relevance"
RETRAIN_EVERY = 3  # changes (decisions, undos, resolutions) that start a retrain at once
IDLE_SECONDS = 1.5  # fewer changes start one after this pause
# Above this many records the ranking is not built by itself: its word index takes
# about 4 MB per 1,000 records (4 GB at 1,000,000), more than a laptop's window should.
AUTO_RANK_LIMIT = 250_000
POLL_MS = 500
# Records still coming in (an import, a sync) wait for features until none came for
# this long: reading every record again after each of an import's batches took the
# other core from the import for its whole length (three times as long in the window).
SETTLE_SECONDS = 2.0


@dataclass
class _Ranked:
    """What a ranking job hands back to the main thread."""

    generation: int
    result: RankResult
    rank_of: np.ndarray
    best: np.ndarray
    decided: set[int]
    stopped_at: int | None
    png: bytes | None


class ListView(Protocol):
    """The record list the ranking orders (``reviewer.ui.record_list.RecordList``)."""

    table: QTableView
    model: RankedRecordModel | None


class RankController(QObject):
    """Owns the ranking of the open review (see the module docstring): given the session
    and the record list it orders; the window places its order choice, its status and
    its dock."""

    def __init__(self, session: Session, records: ListView):
        super().__init__(session)
        self.s = session
        self.records = records
        self.jobs = JobRunner()
        self.mode = IMPORT_ORDER
        self.chosen = False  # the reviewer picked the order themselves
        self.generation = 0
        self.features: Features | None = None
        self._features_for = -1  # the last record id the features cover
        self._records_seen = -1  # the last record id when records last changed, and when
        self._records_seen_at = 0.0
        self._features_job: Job | None = None
        self._rank_job: Job | None = None
        self._trained_event = -1
        self._last_event = -1
        self._changed_at = 0.0
        self.stage = ""
        self.key: str | None = None
        self.rank_of = np.empty(0, dtype=np.int64)  # by record id: place in the ranking
        self.best = np.empty(0, dtype=np.int64)  # the ranked record ids, best first
        self.decided: set[int] = set()
        self._decided_since_start: set[int] = set()
        self.result: RankResult | None = None
        self.status_text = ""
        self.closed = False

        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("sort_order")
        self.sort_combo.addItem("Import order", IMPORT_ORDER)
        self.sort_combo.addItem("Most relevant first", RELEVANCE_ORDER)
        self.sort_combo.setToolTip(
            "Most relevant first: the ranking learns from your decisions and puts the "
            "likely includes at the top; “next” goes to the best-ranked record you have "
            "not screened"
        )
        self.sort_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.sort_combo.activated.connect(self._order_chosen)

        self.status = QLabel()
        self.status.setObjectName("ranking_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setToolTip(HELP)

        self.recall_curve = RecallCurveDock(
            session, self, self.jobs, lambda: self.result, lambda: self.generation, self._retarget
        )

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    # -- the open review -------------------------------------------------------------

    def attach(self, store: Store) -> None:
        """A review was opened: forget the old one's ranking and start on this one."""
        self.cancel()
        self.closed = False
        self.generation += 1
        self.features = None
        self._features_for = -1
        self._records_seen = -1
        self._trained_event = -1
        self.key = None
        self.result = None
        self.recall_curve.reset(store)
        QTimer.singleShot(0, self._size_column)  # once the table shows the new model
        self.sync()
        self.timer.start()
        self.poll()

    def _size_column(self) -> None:
        table, model = self.records.table, self.records.model
        if model is not None and table.model() is model and model.columnCount() > RELEVANCE:
            fit_columns(table)  # a fixed width: never read from every row
        self._show_column()

    def sync(self) -> None:
        """Follow the window's stage, reviewer and blinding: another ranking applies."""
        store = self.s.store
        key = ranking_key(store, self.s.reviewer)
        if (self.s.stage, key) == (self.stage, self.key):
            return
        self.generation += 1
        self.stage, self.key = self.s.stage, key
        self._trained_event = -1
        self.result = None
        self.recall_curve.stopped_at = None
        stored = repo.ranked_ids(store, self.stage, key)
        self.best = stored if stored is not None else np.empty(0, dtype=np.int64)
        self.rank_of = rank_array(self.best)
        self.decided = repo.decided_ids(store, self.stage, self.s.reviewer)
        if not self.chosen:  # relevance order is the default wherever a model exists
            self.mode = RELEVANCE_ORDER if stored is not None else IMPORT_ORDER
        self._show_mode()
        self._push_ranking()
        kept = stored is not None
        self._set_status(
            "Ranking from the last session; retraining…" if kept else self._waiting_text()
        )

    def shutdown(self) -> None:
        """The window closes: stop polling and let running work end."""
        self.closed = True
        self.timer.stop()
        self.cancel()
        self.jobs.wait(10000)

    def cancel(self) -> None:
        for job in (self._features_job, self._rank_job):
            if job is not None:
                job.cancel()

    # -- the list's order ------------------------------------------------------------

    def order(self, ids: list[int]) -> list[int]:
        """The list's ids (filtered, in import order) in the order chosen."""
        self.sync()
        if self.mode != RELEVANCE_ORDER or not self.has_ranking:
            return ids
        return ranked_order(ids, self.rank_of)

    def orders_by_relevance(self) -> bool:
        """Whether the list is sorted by the ranking (else it is in import order)."""
        self.sync()
        return self.mode == RELEVANCE_ORDER and self.has_ranking

    def first_page(self, select: Callable[[list[int]], list[int]], size: int) -> list[int]:
        """The list's first ``size`` records in relevance order (see ``rank_model.first_page``)."""
        return first_page(self.best, self.rank_of, select, size)

    @property
    def has_ranking(self) -> bool:
        return bool(len(self.rank_of)) and bool((self.rank_of >= 0).any())

    def _order_chosen(self, index: int) -> None:
        self.chosen = True
        self.set_mode(self.sort_combo.itemData(index))

    def set_mode(self, mode: str) -> None:
        if mode == self.mode:
            return
        self.mode = mode
        self._show_mode()
        self._reorder()

    def _show_mode(self) -> None:
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(self.mode))

    def reorder_list(self) -> None:
        """Sort the list shown in the order chosen, keeping the current record where
        it is on screen (e.g. when its rest arrives worked out by an older ranking)."""
        self._reorder()

    def _reorder(self) -> None:
        model = self.records.model
        if model is None:
            return
        ids = sorted(model.ids) if self.mode == IMPORT_ORDER else self.order(list(model.ids))
        reorder_keeping_place(self.records.table, model, ids, self.s.current_id)

    def _push_ranking(self) -> None:
        model = self.records.model
        if isinstance(model, RankedRecordModel):
            model.set_ranking(self.rank_of, int((self.rank_of >= 0).sum()))
        self._show_column()

    def _show_column(self) -> None:
        """The Relevance column only once there is a ranking: until then it would be an
        empty column taking the titles' room in a narrow list."""
        self.records.table.setColumnHidden(RELEVANCE, not self.has_ranking)

    # -- keyboard screening ------------------------------------------------------------

    def next_undecided(self, done: int) -> int | None:
        """After deciding ``done``: the best-ranked record the reviewer has not decided
        (in relevance order), else the next undecided in import order."""
        self.decided.add(done)
        self._decided_since_start.add(done)
        self._poll_soon()
        if self.mode == RELEVANCE_ORDER and self.has_ranking:
            for rid in self._ids():
                if rid != done and rid not in self.decided:
                    return rid
            return None
        return next_undecided(self.s.store, self.s.stage, self.s.reviewer, after_record_id=done)

    def _ids(self) -> Sequence[int]:
        model = self.records.model
        return model.ids if model is not None else []

    def next_undecided_after(self, current: int | None) -> int | None:
        """The next record the reviewer has not decided after ``current``, wrapping
        round: in the list's order when sorted by relevance, else in import order."""
        if self.mode == RELEVANCE_ORDER and self.has_ranking:
            ids, model = self._ids(), self.records.model
            start = model.row_of(current) + 1 if current is not None and model is not None else 0
            for rid in (*ids[start:], *ids[:start]):
                if rid != current and rid not in self.decided:
                    return int(rid)
            return None
        return next_undecided(self.s.store, self.s.stage, self.s.reviewer, after_record_id=current)

    # -- retraining -----------------------------------------------------------------------

    def _poll_soon(self) -> None:
        QTimer.singleShot(0, self.poll)

    def poll(self) -> None:
        """Start what is due: features for new records, or a retrain after changes."""
        store = self.s.store
        if store is None or self.closed or store.closed:
            return  # the review was closed under a window that stayed open
        self.sync()
        marker = repo.change_marker(store)
        if marker.last_record != self._features_for:
            if self._records_coming_in(marker.last_record):
                if self._features_job is not None and not self._features_job.done:
                    self._features_job.cancel()  # out of date already: read them once
                return  # features once they have all come
            if (marker.last_record or 0) > AUTO_RANK_LIMIT:
                self._set_status(
                    f"Ranking is off for reviews of more than {AUTO_RANK_LIMIT:,} records "
                    "(it would need several GB of memory); records are in import order"
                )
                return
            self._build_features(marker.last_record)
            return
        if self.features is None or self._busy():
            return
        if marker.last_event != self._last_event:
            self._last_event = marker.last_event
            self._changed_at = time.monotonic()
        if marker.last_event == self._trained_event:
            return
        due = (
            self._trained_event < 0
            or marker.last_event - self._trained_event >= RETRAIN_EVERY
            or time.monotonic() - self._changed_at >= IDLE_SECONDS
        )
        if due:
            self.retrain(marker.last_event)

    def _records_coming_in(self, last_record: int) -> bool:
        """Whether records were added in the last ``SETTLE_SECONDS`` (not counting the
        review's records when it was opened)."""
        now = time.monotonic()
        if last_record != self._records_seen:
            opened = self._records_seen < 0
            self._records_seen, self._records_seen_at = last_record, now
            return not opened
        return now - self._records_seen_at < SETTLE_SECONDS

    def _busy(self) -> bool:
        return any(j is not None and not j.done for j in (self._features_job, self._rank_job))

    def _build_features(self, last_record: int) -> None:
        if self._features_job is not None and not self._features_job.done:
            return
        review_path = self.s.store.path

        def work(progress, cancelled) -> Features:
            with Store(review_path) as store:
                return review_features(
                    store, progress=lambda d, t: progress((d, t)), cancelled=cancelled
                )

        def done(features: Features) -> None:
            if self.s.store.path != review_path:
                return
            self.features = features
            self._features_for = last_record
            self._trained_event = -1  # new records: rank again whatever changed
            self._poll_soon()

        def failed(message: str) -> None:
            if RankCancelled.__name__ in message:
                return  # another review was opened, or the window closed
            self._features_for = last_record  # try again only once records change
            self._set_status(f"Ranking unavailable: {message}")

        self._set_status("Ranking: reading the records…")
        self._features_job = self.jobs.start(
            work,
            on_success=done,
            on_failure=failed,
            on_progress=lambda p: self._set_status(
                f"Ranking: reading the records… {round(100 * p[0] / max(p[1], 1))}%"
            ),
        )

    def retrain(self, last_event: int | None = None) -> None:
        """Train on the current decisions and rank the stage (in the background)."""
        if self.features is None:
            return
        self._trained_event = last_event if last_event is not None else self._trained_event
        features = self.features
        review_path = self.s.store.path
        stage, reviewer, generation = self.stage, self.s.reviewer, self.generation
        want_curve = self.recall_curve.wanted()
        size, colours = self.recall_curve.request()
        self._decided_since_start = set()
        job = self.s.ops.job  # the ranking is kept through the review's one writer
        save = not self.s.store.read_only  # (a review open read-only ranks, keeps nothing)

        def keep(write: Callable[[Store], None]) -> None:
            job(lambda store: write(store) if store.path == review_path else None)

        def work(progress, cancelled) -> _Ranked:
            with Store(review_path) as store:
                result = rank_stage(
                    store, features, stage, reviewer, save=save, cancelled=cancelled, write_on=keep
                )
                decided = repo.decided_ids(store, stage, reviewer)
            stopped_at = curve.first_stop(result.labels, result.total) if want_curve else None
            png = render(result, stopped_at, size, colours) if want_curve else None
            best = np.asarray(result.record_ids, dtype=np.int64)
            return _Ranked(generation, result, rank_array(best), best, decided, stopped_at, png)

        self._rank_job = self.jobs.start(work, on_success=self._apply, on_failure=self._failed)

    def _failed(self, message: str) -> None:
        self._set_status(f"Ranking failed: {message}")
        self._poll_soon()

    def _apply(self, ranked: _Ranked) -> None:
        """A ranking finished: show it, unless the reviewer moved on to another ranking."""
        self._poll_soon()
        if ranked.generation != self.generation:
            return
        result = ranked.result
        self.result = result
        # decisions made while the job ran are not in its snapshot
        self.decided = ranked.decided | self._decided_since_start
        self.recall_curve.show(result, ranked.png, ranked.stopped_at)
        if not result.trained:  # e.g. the only include was undone: no ranking now
            self.best = np.empty(0, dtype=np.int64)
            self.rank_of = rank_array(self.best)
            self._push_ranking()
            self._set_status(result.reason or self._waiting_text())
            return
        self.rank_of, self.best = ranked.rank_of, ranked.best
        self._push_ranking()
        if not self.chosen and self.mode != RELEVANCE_ORDER:
            self.mode = RELEVANCE_ORDER
            self._show_mode()
        if self.mode == RELEVANCE_ORDER:
            self._reorder()
        self._set_status(status_text(result.verdict))

    def _retarget(self) -> None:
        """The stopping rule's targets changed: run it again."""
        self._trained_event = -1
        self._poll_soon()

    # -- status --------------------------------------------------------------------------------

    def _waiting_text(self) -> str:
        return "Ranking starts after one include and one exclude at this stage"

    def _set_status(self, text: str) -> None:
        self.status_text = text
        self.status.setText(text)
