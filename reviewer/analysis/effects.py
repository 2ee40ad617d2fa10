"""One study's effect estimate and its variance, from whatever the paper reported.

Arm-level counts and means go through statsmodels' ``meta_analysis`` functions
(``effectsize_2proportions`` for RR, OR and RD; ``effectsize_smd`` for the SMD).
What statsmodels does not do is done here by the book:

* **an estimate with its confidence interval** (Cochrane Handbook 6.3.1; Altman &
  Bland 2011): SE = (upper - lower) / (2 z), on the log scale for ratio measures, with
  z for the interval's level (1.96 for 95%);
* **an estimate with its p value** (Handbook 6.3.2; Altman & Bland 2011): z from the
  two-sided p, SE = |estimate| / z (log scale for ratios);
* **a mean difference**: the difference of means, variance sd1²/n1 + sd2²/n2;
* **medians to means, only when asked** (``medians="wan"``): Wan, Wang, Liu & Tong
  (2014) estimate a mean and SD from the median with the quartiles, the range, or
  both; the method is named in the study's notes and in every output.

Zero cells get 0.5 added to each cell of that study (Handbook 10.4.4.2, as metafor's
``escalc`` and RevMan do); studies with no events in either arm tell nothing about a
ratio and are left out of RR and OR (they stay in RD, whose estimate needs no
correction; only a variance of 0 is computed with it), with a note saying so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from reviewer.domain.results import MEASURES, RATIO_MEASURES
from reviewer.lazy import lazy

# SciPy and statsmodels are imported when first used (see reviewer.lazy)
stats = lazy("scipy.stats")
_meta = lazy("statsmodels.stats.meta_analysis")

ZERO_CELL_CORRECTION = 0.5
MEDIAN_METHODS = {"wan": "Wan et al. 2014"}
_STATISTIC = {"RR": "risk-ratio", "OR": "odds-ratio", "RD": "diff"}


class EffectError(ValueError):
    """The study's numbers cannot give this effect (the message says why)."""


@dataclass
class Arm:
    """What one arm reported, as used for the effect (and shown in a forest plot)."""

    name: str = ""
    events: int | None = None
    n: int | None = None
    mean: float | None = None
    sd: float | None = None


@dataclass
class Effect:
    """A study's effect on the analysis scale (log for RR, OR and HR) and its variance."""

    measure: str
    yi: float
    vi: float
    source: str  # how it was obtained, in words
    notes: list[str] = field(default_factory=list)
    experimental: Arm | None = None
    control: Arm | None = None

    @property
    def se(self) -> float:
        return math.sqrt(self.vi)

    def interval(self, level: float = 0.95) -> tuple[float, float, float]:
        """Estimate and CI on the measure's own scale (ratios back-transformed)."""
        z = z_for(level)
        lo, hi = self.yi - z * self.se, self.yi + z * self.se
        return natural(self.measure, self.yi), natural(self.measure, lo), natural(self.measure, hi)


def is_ratio(measure: str) -> bool:
    return measure in RATIO_MEASURES


def natural(measure: str, y: float) -> float:
    """From the analysis scale to the measure's own (exp for ratios)."""
    return math.exp(y) if is_ratio(measure) else y


def z_for(level: float) -> float:
    """The normal quantile of a two-sided interval of this level (0.95 or 95)."""
    level = level / 100 if level > 1 else level
    return float(stats.norm.ppf(0.5 + level / 2))


# -- arm-level data ------------------------------------------------------------------------


def from_counts(measure: str, exp: Arm, ctrl: Arm) -> Effect:
    """RR, OR or RD from events and totals of two arms."""
    if measure not in _STATISTIC:
        raise EffectError(f"{measure} cannot be computed from events and totals")
    for arm in (exp, ctrl):
        if arm.events is None or not arm.n:
            raise EffectError(f"{arm.name or 'an arm'} lacks events or a total")
        if arm.events > arm.n:
            raise EffectError(f"{arm.name}: {arm.events} events among {arm.n} participants")
    notes = []
    both_zero = (exp.events == 0 and ctrl.events == 0) or (
        exp.events == exp.n and ctrl.events == ctrl.n
    )
    if both_zero and measure in ("RR", "OR"):
        raise EffectError("no events (or only events) in both arms: not estimable as a ratio")
    counts = [np.array([float(v)]) for v in (exp.events, exp.n, ctrl.events, ctrl.n)]
    zero = any(v in (0, n) for v, n in ((exp.events, exp.n), (ctrl.events, ctrl.n)))
    statistic = _STATISTIC[measure]
    if measure == "RD":  # a difference needs no correction, its variance may
        yi, vi = _meta.effectsize_2proportions(*counts, statistic=statistic)
        if not vi[0] > 0:
            _y, vi = _meta.effectsize_2proportions(*counts, statistic=statistic,
                                             zero_correction=ZERO_CELL_CORRECTION)  # fmt: skip
            notes.append(f"variance with {ZERO_CELL_CORRECTION} added to each cell")
    else:
        yi, vi = _meta.effectsize_2proportions(*counts, statistic=statistic,
                                         zero_correction=ZERO_CELL_CORRECTION if zero else None)  # fmt: skip
        if zero:
            notes.append(f"{ZERO_CELL_CORRECTION} added to each cell (a zero cell)")
    return Effect(measure, float(yi[0]), float(vi[0]), "events and totals", notes, exp, ctrl)


def from_means(measure: str, exp: Arm, ctrl: Arm, note: str = "") -> Effect:
    """MD or SMD (Hedges' g, as RevMan computes it) from means, SDs and numbers."""
    for arm in (exp, ctrl):
        if arm.mean is None or arm.sd is None or not arm.n:
            raise EffectError(f"{arm.name or 'an arm'} lacks a mean, an SD or a number")
    notes = [note] if note else []
    if measure == "MD":
        yi = exp.mean - ctrl.mean  # type: ignore[operator]
        vi = exp.sd**2 / exp.n + ctrl.sd**2 / ctrl.n  # type: ignore[operator]
        if vi <= 0:
            raise EffectError("both SDs are 0")
        return Effect(measure, yi, vi, "means and SDs", notes, exp, ctrl)
    if measure == "SMD":
        if exp.n + ctrl.n <= 3:  # type: ignore[operator]
            raise EffectError("too few participants for a standardised mean difference")
        if exp.sd == 0 and ctrl.sd == 0:
            raise EffectError("both SDs are 0")
        yi, vi = _meta.effectsize_smd(exp.mean, exp.sd, exp.n, ctrl.mean, ctrl.sd, ctrl.n)
        return Effect(measure, float(yi), float(vi), "means and SDs (Hedges' g)", notes, exp, ctrl)
    raise EffectError(f"{measure} cannot be computed from means")


def medians_to_mean(
    n: int,
    median: float,
    q1: float | None = None,
    q3: float | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    method: str = "wan",
) -> tuple[float, float, str]:
    """Mean and SD estimated from a median with its quartiles and/or range; return them
    and the words saying how ("Wan et al. 2014, from the median and IQR")."""
    if method not in MEDIAN_METHODS:
        raise EffectError(f"unknown method {method!r}; methods: {', '.join(MEDIAN_METHODS)}")
    if not n or n < 2:
        raise EffectError("a number of participants is needed to estimate a mean from a median")
    has_iqr = q1 is not None and q3 is not None
    has_range = minimum is not None and maximum is not None
    xi_range = 2 * stats.norm.ppf((n - 0.375) / (n + 0.25))
    xi_iqr = 2 * stats.norm.ppf((0.75 * n - 0.125) / (n + 0.25))
    if has_iqr and has_range:  # Wan scenario 2
        mean = (minimum + 2 * q1 + 2 * median + 2 * q3 + maximum) / 8  # type: ignore[operator]
        sd = (maximum - minimum) / (2 * xi_range) + (q3 - q1) / (2 * xi_iqr)  # type: ignore[operator]
        how = "median, IQR and range"
    elif has_iqr:  # scenario 3
        mean = (q1 + median + q3) / 3  # type: ignore[operator]
        sd = (q3 - q1) / xi_iqr  # type: ignore[operator]
        how = "median and IQR"
    elif has_range:  # scenario 1
        mean = (minimum + 2 * median + maximum) / 4  # type: ignore[operator]
        sd = (maximum - minimum) / xi_range  # type: ignore[operator]
        how = "median and range"
    else:
        raise EffectError("a median needs its quartiles or its range to estimate a mean")
    return (
        float(mean),
        float(sd),
        f"mean and SD estimated from the {how} ({MEDIAN_METHODS[method]})",
    )


# -- a reported estimate ---------------------------------------------------------------------


def from_estimate(
    measure: str,
    estimate: float,
    ci_low: float | None = None,
    ci_high: float | None = None,
    ci_level: float | None = None,
    se: float | None = None,
    p_value: float | None = None,
) -> Effect:
    """A study's reported effect with its CI, SE or p value (in that order of preference).

    For ratio measures the SE is taken as that of the estimate's logarithm, as papers
    and RevMan report it.
    """
    if measure not in MEASURES:
        raise EffectError(f"unknown measure {measure!r}")
    ratio = is_ratio(measure)
    if ratio and estimate <= 0:
        raise EffectError(f"a {measure} must be above 0, not {estimate:g}")
    yi = math.log(estimate) if ratio else estimate
    level = ci_level or 95.0
    if ci_low is not None and ci_high is not None:
        if not ci_low <= estimate <= ci_high:
            raise EffectError(f"{estimate:g} lies outside its CI {ci_low:g} to {ci_high:g}")
        if ratio and ci_low <= 0:
            raise EffectError(f"the CI of a {measure} must be above 0")
        lo, hi = (math.log(ci_low), math.log(ci_high)) if ratio else (ci_low, ci_high)
        sei = (hi - lo) / (2 * z_for(level))
        how = f"estimate with its {level:g}% CI"
    elif se is not None:
        sei = se
        how = "estimate with its SE" + (" (of the log)" if ratio else "")
    elif p_value is not None:
        if not 0 < p_value < 1:
            raise EffectError(f"a p value of {p_value:g} gives no standard error")
        if yi == 0:
            raise EffectError("a null estimate with a p value gives no standard error")
        sei = abs(yi) / float(stats.norm.isf(p_value / 2))
        how = "estimate with its p value"
    else:
        raise EffectError("an estimate needs its CI, its SE or its p value")
    if not sei > 0:
        raise EffectError("the standard error comes out as 0")
    return Effect(measure, yi, sei**2, how)
