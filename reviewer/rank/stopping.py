"""When to stop screening: a hypergeometric test with a stated recall and confidence.

The rule is the one of Callaghan & Müller-Hansen (2020), "Statistical stopping
criteria for automated screening in systematic reviews" (Systematic Reviews 9:273),
as ``buscarpy.calculate_h0`` implements it. Its null hypothesis is "recall is still
below the target": that at least ``K̂`` includes exist in total, where ``K̂`` is the
smallest total for which the includes found so far would be under the target. Each
run of the most recently screened records (the last 1, 2, … n) is treated as a
sample drawn without replacement from itself plus every record not yet screened; if
the few includes in such a sample would be unlikely (probability below
``1 - confidence``) had that many includes still been out there, the null hypothesis
is rejected and screening can stop with the stated recall and confidence.

Assumptions, which the help text repeats for the reviewer:

* the records screened last were at least as likely to be includes as those never
  screened: true when screening follows the ranking (which puts likely includes
  first) or goes in random order, not when, say, the list was sorted by year;
* every record at the stage counts in the total, and decisions are right (a missed
  include that was wrongly excluded is not seen by any rule);
* the test is run after each decision, which makes it slightly optimistic; the
  simulations on labelled reviews (``benchmarks/priority_bench.py``) report how
  often it stopped before reaching the target.

The same test, asked "could ``m`` or more includes still be unscreened?", gives the
estimate of includes left that the status bar shows (``missing_includes``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reviewer.lazy import lazy

_stats = lazy("scipy.stats")  # imported when first needed

DEFAULT_RECALL = 0.95
DEFAULT_CONFIDENCE = 0.95


def _urns(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sizes of the samples worth testing and the includes in each.

    A sample is the last ``s`` records screened. For a fixed count of includes the
    p-value only falls as the sample grows, so the smallest p-value lies at a sample
    that reaches back to just before an older include, or at the whole sequence:
    testing those (at most one per include) gives the same minimum as testing all.
    """
    recent = labels[::-1]
    found = np.cumsum(recent)
    sizes = np.append(np.flatnonzero(recent[1:] == 1) + 1, len(recent))
    return sizes, found[sizes - 1]


def _p_missing(labels: np.ndarray, total: int, missing: np.ndarray | int) -> np.ndarray:
    """For each candidate count of unscreened includes, the smallest p-value over the
    samples of recent records of seeing as few includes as were seen."""
    n = len(labels)
    sizes, k = _urns(labels)
    miss = np.atleast_1d(np.asarray(missing, dtype=np.int64))
    population = total - (n - sizes)  # the sample plus everything unscreened
    # includes in that population if `miss` more were still unscreened
    k_pop = k[None, :] + miss[:, None]
    with np.errstate(all="ignore"):
        p = _stats.hypergeom.cdf(k[None, :], population[None, :], k_pop, sizes[None, :])
    # more includes than records left to hold them: that hypothesis is impossible
    p = np.where(k_pop - k[None, :] > total - n, 0.0, p)
    p = np.where(np.isnan(p), 1.0, p)
    return p.min(axis=1)


def p_value(labels: Sequence[int], total: int, recall: float = DEFAULT_RECALL) -> float:
    """p-value of "recall is below ``recall``" after screening ``labels`` (1 include,
    0 exclude, in the order screened) out of ``total`` records."""
    arr = _labels(labels, total)
    if not len(arr):
        return 1.0
    seen = int(arr.sum())
    # the fewest missed includes that would leave recall under the target
    missing = math.floor(seen / recall + 1) - seen
    return float(_p_missing(arr, total, missing)[0])


def missing_includes(
    labels: Sequence[int], total: int, confidence: float = DEFAULT_CONFIDENCE
) -> int:
    """The most includes that may still be unscreened at ``confidence``: the largest
    count the test cannot rule out (0 when everything is screened)."""
    arr = _labels(labels, total)
    left = total - len(arr)
    if left == 0:
        return 0
    if not len(arr):
        return left
    alpha = 1.0 - confidence
    # p is 1 for no missed include and falls as the count grows: find the last
    # count whose p is still at least alpha
    lo, hi = 0, left
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _p_missing(arr, total, mid)[0] >= alpha:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _labels(labels: Sequence[int], total: int) -> np.ndarray:
    arr = np.asarray(labels, dtype=np.int64)
    if len(arr) > total:
        raise ValueError(f"{len(arr)} records screened out of only {total}")
    if len(arr) and not np.isin(arr, (0, 1)).all():
        raise ValueError("labels must be 0 (exclude) or 1 (include)")
    return arr


@dataclass(frozen=True)
class StopVerdict:
    """What the stopping rule says after the decisions so far."""

    stop: bool
    p: float
    recall: float
    confidence: float
    screened: int
    total: int
    found: int
    missing_max: int  # includes that may still be unscreened, at `confidence`
    missing_median: int  # the same at 50%: a central estimate

    @property
    def text(self) -> str:
        r, c = round(self.recall * 100), round(self.confidence * 100)
        if self.stop:
            return f"stop now: recall ≥ {r}% with {c}% confidence"
        return f"not yet: recall ≥ {r}% is not shown with {c}% confidence (p = {self.p:.2f})"

    @property
    def short(self) -> str:
        if self.stop:
            return f"stop now: recall ≥ {round(self.recall * 100)}%"
        return "not yet"


def verdict(
    labels: Sequence[int],
    total: int,
    recall: float = DEFAULT_RECALL,
    confidence: float = DEFAULT_CONFIDENCE,
) -> StopVerdict:
    """Run the stopping rule on the labels so far (see the module's assumptions)."""
    if not 0 < recall < 1 or not 0 < confidence < 1:
        raise ValueError("recall and confidence must lie between 0 and 1")
    arr = _labels(labels, total)
    p = p_value(arr, total, recall)
    return StopVerdict(
        stop=bool(p < 1.0 - confidence),
        p=p,
        recall=recall,
        confidence=confidence,
        screened=len(arr),
        total=total,
        found=int(arr.sum()),
        missing_max=missing_includes(arr, total, confidence),
        missing_median=missing_includes(arr, total, 0.5),
    )


HELP = (
    "The stopping rule is the hypergeometric test of Callaghan & Müller-Hansen (2020). "
    "It asks whether the includes found so far could still be fewer than the target "
    "share (say 95%) of all includes. It treats the records you screened most recently "
    "as a sample of everything not yet screened: if so few includes turned up there that "
    "missing the target would be unlikely (under 5% for 95% confidence), it says "
    "“stop now”. It assumes that the records you screened last were at least as likely "
    "to be includes as those you have not screened — true when you follow the ranking "
    "(“Most relevant first”) or screen in random order, not when the list is sorted by, "
    "say, year or title — and that your decisions are right. “Includes left” is the "
    "most that may remain unscreened with the same confidence."
)
