"""Pooling study effects: fixed effect and random effects, with heterogeneity.

Fixed-effect (inverse variance) and DerSimonian–Laird random effects come from
statsmodels' ``combine_effects`` (its ``method_re="chi2"`` is DerSimonian–Laird,
``"iterated"`` Paule–Mandel). statsmodels has no REML estimate of τ², so REML is
done here the way metafor does it: the REML equations solved by iterating their
fixed point (Viechtbauer 2005), τ² truncated at 0; the pooled estimate then uses
weights 1 / (v_i + τ²). ``tests/analysis`` checks it against metafor's published
values for the BCG trials.

I² is reported as metafor reports it, 100 τ² / (τ² + s²) with s² the "typical"
within-study variance (for DerSimonian–Laird this equals (Q − df) / Q), so the
numbers agree with metafor whichever τ² estimator is chosen. The prediction
interval of a random-effects model is Higgins, Thompson & Spiegelhalter's (2009):
estimate ± t(k−2) · √(τ² + SE²), for three studies or more. Confidence intervals
of the pooled estimate use the normal distribution, as metafor and RevMan do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from reviewer.lazy import lazy

# SciPy and statsmodels are imported when first used (see reviewer.lazy)
stats = lazy("scipy.stats")
_meta = lazy("statsmodels.stats.meta_analysis")

MODELS = ("fixed", "random")
METHODS = ("DL", "REML", "PM")
_STATSMODELS_METHOD = {"DL": "chi2", "PM": "iterated"}
METHOD_NAMES = {"DL": "DerSimonian-Laird", "REML": "restricted maximum likelihood",
                "PM": "Paule-Mandel"}  # fmt: skip
PREDICTION_METHOD = "Higgins et al. 2009: t with k-2 degrees of freedom"


class PoolingError(ValueError):
    """The effects cannot be pooled (the message says why)."""


@dataclass
class Pooled:
    """A pooled estimate on the analysis scale (log for ratio measures)."""

    k: int
    model: str
    method: str | None  # the τ² estimator of a random-effects model
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p: float
    q: float
    q_df: int
    q_p: float
    i2: float  # percent
    tau2: float | None
    pi_low: float | None = None
    pi_high: float | None = None
    weights: list[float] = field(default_factory=list)  # percent, per study


def pool(
    yi: list[float] | np.ndarray,
    vi: list[float] | np.ndarray,
    model: str = "random",
    method: str = "DL",
    level: float = 0.95,
) -> Pooled:
    """Pool effects ``yi`` with variances ``vi`` (``model`` fixed or random; ``method``
    DL, REML or PM for the random-effects τ²)."""
    if model not in MODELS:
        raise PoolingError(f"unknown model {model!r}; models: {', '.join(MODELS)}")
    method = method.upper()
    if model == "random" and method not in METHODS:
        raise PoolingError(f"unknown method {method!r}; methods: {', '.join(METHODS)}")
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    k = len(y)
    if k == 0:
        raise PoolingError("no study has the data for this analysis")
    if np.any(~np.isfinite(y)) or np.any(~(v > 0)):
        raise PoolingError("every study needs a finite effect and a positive variance")
    alpha = 1 - level
    z_crit = float(stats.norm.isf(alpha / 2))
    if k == 1:
        est, se = float(y[0]), float(math.sqrt(v[0]))
        return _result(k, model, method, est, se, z_crit, 0.0, 0, None, [100.0], level)
    res = _meta.combine_effects(
        y, v, method_re=_STATSMODELS_METHOD.get(method, "chi2"), alpha=alpha
    )
    q, df = float(res.q), k - 1
    w_fe = 1 / v
    if model == "fixed":
        est = float(res.mean_effect_fe)
        se = float(res.sd_eff_w_fe)
        weights = 100 * w_fe / w_fe.sum()
        return _result(k, model, None, est, se, z_crit, q, df, None, list(weights), level)
    tau2 = reml_tau2(y, v) if method == "REML" else float(res.tau2)
    if method == "REML":
        w = 1 / (v + tau2)
        est = float((w * y).sum() / w.sum())
        se = float(math.sqrt(1 / w.sum()))
    else:
        w = 1 / (v + tau2)
        est = float(res.mean_effect_re)
        se = float(res.sd_eff_w_re)
    weights = 100 * w / w.sum()
    out = _result(k, model, method, est, se, z_crit, q, df, tau2, list(weights), level)
    out.i2 = i_squared(tau2, w_fe, k)
    if k >= 3:
        t = float(stats.t.isf(alpha / 2, k - 2))
        half = t * math.sqrt(tau2 + se**2)
        out.pi_low, out.pi_high = est - half, est + half
    return out


def _result(
    k: int,
    model: str,
    method: str | None,
    est: float,
    se: float,
    z_crit: float,
    q: float,
    df: int,
    tau2: float | None,
    weights: list[float],
    level: float,
) -> Pooled:
    z = est / se
    return Pooled(
        k=k,
        model=model,
        method=method if model == "random" else None,
        estimate=est,
        se=se,
        ci_low=est - z_crit * se,
        ci_high=est + z_crit * se,
        z=z,
        p=float(2 * stats.norm.sf(abs(z))),
        q=q,
        q_df=df,
        q_p=float(stats.chi2.sf(q, df)) if df > 0 else 1.0,
        i2=max(0.0, 100 * (q - df) / q) if q > 0 and df > 0 else 0.0,
        tau2=tau2,
        weights=[float(w) for w in weights],
    )


def i_squared(tau2: float, w_fe: np.ndarray, k: int) -> float:
    """I² in percent, from τ² and the typical within-study variance (Higgins & Thompson
    2002, as metafor computes it)."""
    s2 = (k - 1) * w_fe.sum() / (w_fe.sum() ** 2 - (w_fe**2).sum())
    return float(100 * tau2 / (tau2 + s2)) if tau2 + s2 > 0 else 0.0


def reml_tau2(y: np.ndarray, v: np.ndarray, tol: float = 1e-10, max_iter: int = 1000) -> float:
    """The REML estimate of τ², by iterating the REML estimating equation
    τ² = Σ w²((y − μ)² − v) / Σ w² + 1 / Σ w, with w = 1/(v + τ²), from the DL value."""
    w = 1 / v
    mu = (w * y).sum() / w.sum()
    q = (w * (y - mu) ** 2).sum()
    c = w.sum() - (w**2).sum() / w.sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / c)
    for _ in range(max_iter):
        w = 1 / (v + tau2)
        mu = (w * y).sum() / w.sum()
        new = float(((w**2) * ((y - mu) ** 2 - v)).sum() / (w**2).sum() + 1 / w.sum())
        new = max(0.0, new)
        if abs(new - tau2) < tol:
            return new
        tau2 = new
    raise PoolingError("the REML estimate of τ² did not converge")
