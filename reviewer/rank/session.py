"""Ranking an open review: whose decisions train it, which records it ranks, and the
stopping rule on the order they were screened in.

The window runs ``rank_stage`` on its ranking thread after each few decisions, with
features made once by ``review_features``; the command line runs the same two. The
rules:

* a stage's ranking ranks the records at that stage, and trains once it has at least
  one include and one exclude there ("maybe" counts as include, as in screening);
* while the review is blinded each reviewer's ranking learns from their own
  decisions only, and their stopping rule reads their own screening; otherwise one
  ranking learns from the stage's final decisions (records in conflict are left out
  of training and count as includes for the stopping rule, which is the cautious
  side);
* the newest ranking is kept in the review file (``store.ranking``), so the list can
  open in relevance order before the model has retrained.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from reviewer.rank.model import (
    DEFAULT_CONFIG,
    Features,
    NotTrainable,
    RankConfig,
    build_features,
    record_text,
    train,
)
from reviewer.rank.stopping import DEFAULT_CONFIDENCE, DEFAULT_RECALL, StopVerdict, verdict
from reviewer.review.screening import records_at_stage
from reviewer.review.settings import get_setting, is_blinded, set_setting
from reviewer.store import Store
from reviewer.store import ranking as repo

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# The stopping rule's targets are the review's (the team agrees on them), kept as
# review settings: a change is an event, and a merge carries it.
STOP_RECALL = "stopping_recall"
STOP_CONFIDENCE = "stopping_confidence"


def stopping_targets(store: Store) -> tuple[float, float]:
    """The review's recall target and confidence for the stopping rule (95% and 95%)."""
    recall = get_setting(store, STOP_RECALL) or DEFAULT_RECALL
    confidence = get_setting(store, STOP_CONFIDENCE) or DEFAULT_CONFIDENCE
    return float(recall), float(confidence)


def set_stopping_targets(store: Store, recall: float, confidence: float, reviewer: str) -> None:
    for name, value in ((STOP_RECALL, recall), (STOP_CONFIDENCE, confidence)):
        if not 0.5 <= value < 1:
            raise ValueError(f"{name.replace('_', ' ')} must be at least 50% and below 100%")
        set_setting(store, name, round(float(value), 4), reviewer)


def review_features(
    store: Store,
    config: RankConfig = DEFAULT_CONFIG,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Features:
    """Features of every record in the review (any stage ranks a subset of them)."""
    items = ((t.record_id, record_text(t.title, t.abstract, t.keywords)) for t in repo.texts(store))
    return build_features(items, store.record_count(), config, progress, cancelled)


def ranking_key(store: Store, reviewer: str) -> str:
    """Whose ranking the reviewer sees: their own while blinded, else the shared one."""
    return reviewer if is_blinded(store) else repo.SHARED


def screening_sequence(store: Store, stage: str, reviewer: str) -> list[repo.Screened]:
    """The records screened at ``stage`` in order, as the ranking and the rule see them."""
    if ranking_key(store, reviewer) == repo.SHARED:
        return repo.screened_by_anyone(store, stage)
    return repo.screened_by(store, stage, reviewer)


@dataclass
class RankResult:
    """A ranking of a stage's records and the stopping rule's verdict with it."""

    stage: str
    key: str  # the reviewer whose decisions trained it, or "" for the shared ranking
    record_ids: list[int]  # best first; empty when no model could be trained
    scores: dict[int, float]
    total: int  # records at the stage
    labels: list[int]  # the screening so far, in order (1 include, 0 exclude)
    verdict: StopVerdict
    includes: int = 0
    excludes: int = 0
    seconds: float = 0.0
    trained: bool = False
    reason: str = ""  # why there is no model yet
    config: RankConfig = field(default=DEFAULT_CONFIG)

    @property
    def screened(self) -> int:
        return len(self.labels)


def rank_stage(
    store: Store,
    features: Features,
    stage: str,
    reviewer: str,
    recall: float | None = None,
    confidence: float | None = None,
    save: bool = True,
    cancelled: Cancelled | None = None,
    write_on: Callable[[Callable[[Store], None]], object] | None = None,
) -> RankResult:
    """Train on the stage's decisions, rank its records, and run the stopping rule
    (with the review's targets unless given). The ranking is kept in the review through
    ``write_on(fn)`` when given (the window's one writer: a connection of the job's own
    would hold the write lock while a reviewer types), else on ``store``."""
    review_recall, review_confidence = stopping_targets(store)
    recall = recall or review_recall
    confidence = confidence or review_confidence
    key = ranking_key(store, reviewer)
    at_stage = [i for i in records_at_stage(store, stage) if i in features.row]
    sequence = screening_sequence(store, stage, reviewer)
    in_stage = set(at_stage)
    sequence = [s for s in sequence if s.record_id in in_stage]
    labels = [1 if s.label is None else s.label for s in sequence]
    stop = verdict(labels, max(len(at_stage), len(labels)), recall, confidence)
    result = RankResult(
        stage=stage,
        key=key,
        record_ids=[],
        scores={},
        total=len(at_stage),
        labels=labels,
        verdict=stop,
        config=features.config,
    )
    known = [s for s in sequence if s.label is not None]
    result.includes = sum(s.label for s in known)  # type: ignore[misc]
    result.excludes = len(known) - result.includes
    if cancelled is not None and cancelled():
        return result
    t0 = time.perf_counter()
    try:
        model = train(
            features,
            features.rows(s.record_id for s in known),
            [s.label for s in known],
        )
    except NotTrainable:
        result.reason = "Ranking starts after one include and one exclude at this stage"
        return result
    rows = features.rows(at_stage)
    scores = model.scores(features.matrix[rows])
    order = np.lexsort((np.asarray(at_stage), -scores))
    result.record_ids = [at_stage[i] for i in order]
    result.scores = dict(zip(at_stage, scores.tolist(), strict=True))
    result.trained = True
    result.seconds = time.perf_counter() - t0
    if save and not (cancelled is not None and cancelled()):
        scores = [result.scores[i] for i in result.record_ids]
        settings = {"model": "tfidf-linear-svm", **features.config.__dict__}

        def keep(target: Store) -> None:
            repo.save_ranking(
                target, stage, key, result.record_ids, scores, result.includes,
                result.excludes, settings,
            )  # fmt: skip

        if write_on is None:
            keep(store)
        else:
            write_on(keep)
    return result


def stage_curve(store: Store, stage: str, reviewer: str | None = None) -> Figure:
    """The recall curve of a stage: one reviewer's screening, or (``None``) the
    review's, every record in the order anyone first decided it."""
    from reviewer.rank import curve

    recall, confidence = stopping_targets(store)
    at_stage = set(records_at_stage(store, stage))
    if reviewer is None:
        sequence = repo.screened_by_anyone(store, stage)
    else:
        sequence = screening_sequence(store, stage, reviewer)
    labels = [1 if s.label is None else s.label for s in sequence if s.record_id in at_stage]
    total = max(len(at_stage), len(labels))
    stop = verdict(labels, total, recall, confidence)
    return curve.figure(labels, total, stop, curve.first_stop(labels, total, recall, confidence))
