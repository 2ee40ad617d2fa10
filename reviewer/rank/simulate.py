"""Replay the screening of a labelled review with the app's own model.

``reviewer simulate`` and the benchmark use this to measure how early the ranking
finds the includes and where the stopping rule would have stopped, on reviews whose
every decision is known. It proceeds as ASReview's ``simulate`` does, so the two
can be compared on the same records: prior knowledge (by default one random include
and one random exclude, drawn as ``asreview simulate --prior-seed`` draws them), then
always the top-ranked unscreened record, retraining after each decision (the same
``model.train`` the window calls after each few).

Once every include is found and the stopping rule has spoken, the rest of the
records are appended in the last ranking's order: no later retraining could change
a figure, and it saves most of the time on a large review.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reviewer.rank import metrics
from reviewer.rank.model import (
    DEFAULT_CONFIG,
    Features,
    RankConfig,
    build_features,
    record_text,
    train,
)
from reviewer.rank.stopping import DEFAULT_CONFIDENCE, DEFAULT_RECALL, p_value

# Columns (or extras) that carry a record's label in exports of screening tools.
LABEL_COLUMNS = ("label_included", "included", "label", "final_included", "relevant")
_TRUE = {"1", "1.0", "true", "yes", "y", "include", "included", "relevant"}
_FALSE = {"0", "0.0", "false", "no", "n", "exclude", "excluded", "irrelevant"}


class LabelError(ValueError):
    """The file has no usable labels; the message names the file and record."""


@dataclass(frozen=True)
class Labelled:
    """Records of a labelled file: row index in the file, ranking text, label."""

    rows: list[int]
    texts: list[str]
    labels: list[int]
    warnings: list[str] = field(default_factory=list)  # what the reader noticed, per record


def read_labelled(path: str | Path, label_column: str | None = None) -> Labelled:
    """Read a labelled file in any format the app imports; each record's label comes
    from a column such as ``label_included`` (CSV) or ASReview's RIS notes."""
    from reviewer.ingest.base import ImportFailure
    from reviewer.ingest.reading import read_records

    path = Path(path)
    rows: list[int] = []
    texts: list[str] = []
    labels: list[int] = []
    warnings: list[str] = []
    for item in read_records(path):
        if not hasattr(item, "extra"):  # a record that could not be read, or a warning
            warnings.append(str(ImportFailure(path, item.message, item.line, item.record)))
            continue
        label = _label(item.extra, label_column)
        if label is None:
            wanted = label_column or " or ".join(LABEL_COLUMNS)
            raise LabelError(
                f"{path}: record {item.source_index + 1}"
                + (f" (line {item.source_line})" if item.source_line else "")
                + f" has no 0/1 label in {wanted}"
            )
        rows.append(item.source_index)
        texts.append(record_text(item.title, item.abstract, item.keywords))
        labels.append(label)
    if not rows:
        raise LabelError(f"{path}: no records")
    if not 0 < sum(labels) < len(labels):
        raise LabelError(f"{path}: the labels must include at least one 1 and one 0")
    return Labelled(rows, texts, labels, warnings)


def _label(extra: dict[str, Any], column: str | None) -> int | None:
    folded = {str(k).strip().casefold(): v for k, v in extra.items()}
    names = [column.casefold()] if column else list(LABEL_COLUMNS)
    for name in names:
        if name in folded:
            value = str(folded[name]).strip().casefold()
            if value in _TRUE:
                return 1
            if value in _FALSE:
                return 0
            return None
    if column is None:  # ASReview's RIS export marks labels in the notes
        notes = folded.get("notes", [])
        notes = " ".join(notes) if isinstance(notes, list) else str(notes)
        if "ASReview_relevant" in notes:
            return 1
        if "ASReview_irrelevant" in notes:
            return 0
    return None


def prior_rows(labels: Sequence[int], seed: int, included: int = 1, excluded: int = 1) -> list[int]:
    """Prior knowledge as ``asreview simulate --prior-seed SEED`` draws it: ``included``
    random includes, then ``excluded`` random excludes (positions in ``labels``)."""
    y = np.asarray(labels)
    inc, exc = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    if included > len(inc) or excluded > len(exc):
        raise ValueError(
            f"asked for {included} prior includes and {excluded} prior excludes; "
            f"the file has {len(inc)} and {len(exc)}"
        )
    chosen: list[int] = []
    if included:
        chosen += np.random.RandomState(seed).choice(inc, included, replace=False).tolist()
    if excluded:
        chosen += np.random.RandomState(seed).choice(exc, excluded, replace=False).tolist()
    return [int(i) for i in chosen]


@dataclass
class SimulationResult:
    """The outcome of a replay; ``order`` holds file row indices, priors first."""

    records: int
    included: int
    order: list[int]
    priors: list[int]
    wss95: float
    loss: float
    recall_at_10pct: float
    stopped_at: dict[str, Any] | None
    recall_target: float
    confidence: float
    retrains: int
    seconds_per_retrain: float
    found_all_at: int  # records screened (priors included) when the last include was found
    labels_in_order: list[int] = field(repr=False, default_factory=list)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("labels_in_order")
        return out


def simulate(
    data: Labelled,
    seed: int = 0,
    prior_included: int = 1,
    prior_excluded: int = 1,
    config: RankConfig = DEFAULT_CONFIG,
    recall_target: float = DEFAULT_RECALL,
    confidence: float = DEFAULT_CONFIDENCE,
    features: Features | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    retrain_every: int = 1,
) -> SimulationResult:
    """Replay screening of ``data`` (see the module docstring). ``retrain_every`` > 1
    retrains only after that many records (quicker on a large review; ASReview and
    the default retrain after each)."""
    if retrain_every < 1:
        raise ValueError("retrain_every must be at least 1")
    n = len(data.labels)
    y = np.asarray(data.labels, dtype=np.int64)
    if features is None:
        features = build_features(enumerate(data.texts), n, config, cancelled=cancelled)
    priors = prior_rows(y, seed, prior_included, prior_excluded)
    order: list[int] = list(priors)
    screened = np.zeros(n, dtype=bool)
    screened[priors] = True
    total_includes = int(y.sum())
    found = int(y[priors].sum())
    stopped: dict[str, Any] | None = _stop_check(y, order, n, recall_target, confidence, found)
    retrain_times: list[float] = []
    last_scores: np.ndarray | None = None
    trained_at = -retrain_every
    while found < total_includes:
        if cancelled is not None and cancelled():
            raise InterruptedError("simulation cancelled")
        labels_so_far = y[order]
        trainable = 0 < labels_so_far.sum() < len(labels_so_far)
        if trainable and len(order) - trained_at >= retrain_every:
            t0 = time.perf_counter()
            model = train(features, order, labels_so_far, config)
            last_scores = model.scores(features.matrix)
            retrain_times.append(time.perf_counter() - t0)
            trained_at = len(order)
        elif not trainable:  # priors of one kind only: the file's order, as ASReview does
            last_scores = -np.arange(n, dtype=np.float64)
        assert last_scores is not None
        nxt = int(np.argmax(np.where(screened, -np.inf, last_scores)))
        order.append(nxt)
        screened[nxt] = True
        found += int(y[nxt])
        if stopped is None:
            stopped = _stop_check(y, order, n, recall_target, confidence, found)
        if progress is not None and len(order) % 25 == 0:
            progress(len(order), n)
    found_all_at = len(order)
    rest = np.flatnonzero(~screened)
    if last_scores is not None:
        rest = rest[np.argsort(-last_scores[rest], kind="stable")]
    order += rest.tolist()
    if stopped is None:
        # every include is found: all that follows is excludes whatever the order, so
        # only where the rule stops is left to find
        stopped = _stop_after_all_found(y, order, found_all_at, n, recall_target, confidence)
    in_order = y[order]
    scored = in_order[len(priors) :]  # metrics leave the prior knowledge out, as ASReview does
    return SimulationResult(
        records=n,
        included=total_includes,
        order=[data.rows[i] for i in order],
        priors=[data.rows[i] for i in priors],
        wss95=metrics.wss(scored, 0.95),
        loss=metrics.loss(scored),
        recall_at_10pct=metrics.recall_at(scored, 0.10),
        stopped_at=stopped,
        recall_target=recall_target,
        confidence=confidence,
        retrains=len(retrain_times),
        seconds_per_retrain=float(np.mean(retrain_times)) if retrain_times else 0.0,
        found_all_at=found_all_at,
        labels_in_order=in_order.tolist(),
    )


def _stop_check(
    y: np.ndarray, order: list[int], n: int, target: float, confidence: float, found: int
) -> dict[str, Any] | None:
    if p_value(y[order], n, target) < 1.0 - confidence:
        return {
            "screened": len(order),
            "recall": found / int(y.sum()),
            "share_screened": len(order) / n,
        }
    return None


def _stop_after_all_found(
    y: np.ndarray, order: list[int], found_all_at: int, n: int, target: float, confidence: float
) -> dict[str, Any] | None:
    """The first point after ``found_all_at`` where the rule says stop (each further
    exclude only lowers the p-value, so a binary search finds it)."""
    alpha = 1.0 - confidence
    seen = y[order]
    if p_value(seen, n, target) >= alpha:
        return None
    lo, hi = found_all_at + 1, n  # p at hi is below alpha
    while lo < hi:
        mid = (lo + hi) // 2
        if p_value(seen[:mid], n, target) < alpha:
            hi = mid
        else:
            lo = mid + 1
    return {"screened": lo, "recall": 1.0, "share_screened": lo / n}
