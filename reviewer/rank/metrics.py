"""How good a screening order is: WSS@95, ASReview's loss and recall after 10%.

A simulation replays a labelled review and yields the labels in the order they were
screened. These functions score that order the way ASReview and its insights
extension do, so our figures and theirs can be compared digit for digit:

* the prior knowledge (the records labelled before the first model) is left out,
  as ``asreview-insights`` does by default and as ``asreview.metrics.loss`` does in
  a simulation;
* **WSS@r** is the share of records not screened when recall first reaches ``r``,
  less the share random screening would have left (``1 - r``), read off the
  insights extension's curve (a found include is compared with when random order
  would have found it, and the last point at or below ``r`` is taken);
* **loss** is ``asreview.metrics.loss``: the area between the recall curve and the
  best possible curve, divided by the area between the best and the worst, so 0 is
  a perfect order and 1 the worst;
* **recall@10%** is the share of includes found after screening 10% of the records.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _check(labels: Sequence[int]) -> np.ndarray:
    arr = np.asarray(labels, dtype=np.int64)
    if arr.ndim != 1 or not len(arr):
        raise ValueError("no labels to score")
    if not 0 < arr.sum() < len(arr):
        raise ValueError("the labels must contain both includes and excludes")
    return arr


def loss(labels: Sequence[int]) -> float:
    """ASReview's normalised loss of a screening order (0 best, 1 worst)."""
    arr = _check(labels)
    ny, nx = int(arr.sum()), len(arr)
    return float((ny * (nx - (ny - 1) / 2) - np.cumsum(arr).sum()) / (ny * (nx - ny)))


def wss(labels: Sequence[int], recall: float = 0.95) -> float:
    """Work saved over sampling at ``recall``, as asreview-insights computes it."""
    arr = _check(labels)
    n, ny = len(arr), int(arr.sum())
    found = np.cumsum(arr)
    found_random = np.round(np.linspace(0, ny, n))
    targets = np.arange(1, ny + 1)
    earlier = np.searchsorted(found_random, targets) - np.searchsorted(found, targets)
    x = targets / ny
    i = int(np.searchsorted(x, recall, side="right"))
    # below the first point (a single include) the first point is the answer
    return float(earlier[max(i - 1, 0)] / n)


def recall_at(labels: Sequence[int], share: float = 0.10) -> float:
    """Share of the includes found after screening ``share`` of the records."""
    arr = _check(labels)
    n = len(arr)
    x = np.arange(1, n + 1) / n
    i = int(np.searchsorted(x, share, side="right"))
    return 0.0 if i == 0 else float(np.cumsum(arr)[i - 1] / arr.sum())


def records_to_recall(labels: Sequence[int], recall: float) -> int:
    """How many records were screened when the share ``recall`` of includes was found."""
    arr = _check(labels)
    need = int(np.ceil(recall * arr.sum() - 1e-9))
    return int(np.searchsorted(np.cumsum(arr), need) + 1)
