"""Inter-rater agreement per stage and reviewer pair: Cohen's kappa, percent agreement
and PABAK, with the 2x2 table behind them.

Only records both reviewers of a pair decided at the stage count. "Maybe" counts as
include, as it does for moving a record on, so the table is include/exclude by
include/exclude. The table is ``[[a, b], [c, d]]``: rows are the first reviewer
(alphabetically), columns the second, include before exclude; ``a`` both include,
``d`` both exclude.

Degenerate cases, chosen so that no number is invented:

* no record in common (n = 0): every statistic is ``None``;
* chance agreement of 1 (both reviewers used one and the same category for every
  record): kappa is 0/0 and reported as ``None``; percent agreement is 100 and PABAK
  1, which is what PABAK is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.domain.screening import check_stage
from reviewer.store import Store
from reviewer.store.stats import pair_cells


@dataclass(frozen=True)
class PairTable:
    """Counts of a pair's decisions: first reviewer by second, include/exclude."""

    both_include: int = 0  # a
    first_include_second_exclude: int = 0  # b
    first_exclude_second_include: int = 0  # c
    both_exclude: int = 0  # d

    @property
    def n(self) -> int:
        return (
            self.both_include
            + self.first_include_second_exclude
            + self.first_exclude_second_include
            + self.both_exclude
        )

    def matrix(self) -> list[list[int]]:
        return [
            [self.both_include, self.first_include_second_exclude],
            [self.first_exclude_second_include, self.both_exclude],
        ]


def observed_agreement(t: PairTable) -> float | None:
    """The share of records on which the pair agreed (0..1), ``None`` without records."""
    if t.n == 0:
        return None
    return (t.both_include + t.both_exclude) / t.n


def percent_agreement(t: PairTable) -> float | None:
    po = observed_agreement(t)
    return None if po is None else 100.0 * po


def cohens_kappa(t: PairTable) -> float | None:
    """(po - pe) / (1 - pe), with pe from each reviewer's own include/exclude shares.

    Computed as (n(a + d) - E) / (n² - E) with E = (a + b)(a + c) + (c + d)(b + d), the
    same formula multiplied through by n², so that "pe = 1" is an exact integer test.
    """
    a, b = t.both_include, t.first_include_second_exclude
    c, d = t.first_exclude_second_include, t.both_exclude
    n = t.n
    expected = (a + b) * (a + c) + (c + d) * (b + d)
    if n == 0 or expected == n * n:
        return None
    return (n * (a + d) - expected) / (n * n - expected)


def pabak(t: PairTable) -> float | None:
    """Prevalence- and bias-adjusted kappa: 2 po - 1."""
    po = observed_agreement(t)
    return None if po is None else 2 * po - 1


@dataclass(frozen=True)
class PairAgreement:
    stage: str
    reviewers: tuple[str, str]
    table: PairTable

    @property
    def kappa(self) -> float | None:
        return cohens_kappa(self.table)

    @property
    def percent_agreement(self) -> float | None:
        return percent_agreement(self.table)

    @property
    def pabak(self) -> float | None:
        return pabak(self.table)

    def as_json(self, digits: int = 4) -> dict[str, Any]:
        """The object ``stats --json`` shows for a pair."""
        return {
            "reviewers": list(self.reviewers),
            "n": self.table.n,
            "kappa": _round(self.kappa, digits),
            "percent_agreement": _round(self.percent_agreement, digits),
            "pabak": _round(self.pabak, digits),
            "table": self.table.matrix(),
        }


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def pair_tables(store: Store, stage: str) -> dict[tuple[str, str], PairTable]:
    """The 2x2 table of every pair of reviewers who decided a record in common."""
    check_stage(stage)
    cells: dict[tuple[str, str], list[int]] = {}
    for c in pair_cells(store, stage):
        cells.setdefault((c.first, c.second), [0, 0, 0, 0])[
            2 * c.first_excluded + c.second_excluded
        ] += c.count
    return {pair: PairTable(*c) for pair, c in sorted(cells.items())}


def agreement(store: Store, stage: str) -> list[PairAgreement]:
    """Agreement of every reviewer pair at ``stage``, pairs in alphabetical order."""
    return [PairAgreement(stage, pair, t) for pair, t in pair_tables(store, stage).items()]


# Landis and Koch's (1977) words for kappa, the ones reviews usually quote: each is
# used up to its upper bound; below zero agreement is "poor".
KAPPA_WORDS = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


def kappa_words(kappa: float) -> str:
    """'substantial' for 0.61 to 0.80 and so on (Landis and Koch)."""
    if kappa < 0:
        return "poor"
    for upper, words in KAPPA_WORDS:
        if kappa <= upper:
            return words
    return KAPPA_WORDS[-1][1]
