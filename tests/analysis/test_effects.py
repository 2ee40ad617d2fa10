"""Effect sizes by the book: counts, means, reported estimates, medians only when asked."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.stats import norm

from reviewer.analysis.effects import (
    Arm,
    EffectError,
    from_counts,
    from_estimate,
    from_means,
    medians_to_mean,
    z_for,
)
from reviewer.analysis.pooling import PoolingError, pool, reml_tau2


def test_risk_ratio_from_counts_is_metafors_escalc():
    e = from_counts("RR", Arm("BCG", 4, 123), Arm("none", 11, 139))
    assert e.yi == pytest.approx(math.log((4 / 123) / (11 / 139)))
    assert e.vi == pytest.approx(1 / 4 - 1 / 123 + 1 / 11 - 1 / 139)
    assert e.notes == []


def test_odds_ratio_and_risk_difference():
    e = from_counts("OR", Arm("a", 4, 123), Arm("b", 11, 139))
    assert e.yi == pytest.approx(math.log((4 * 128) / (119 * 11)))
    assert e.vi == pytest.approx(1 / 4 + 1 / 119 + 1 / 11 + 1 / 128)
    d = from_counts("RD", Arm("a", 4, 123), Arm("b", 11, 139))
    assert d.yi == pytest.approx(4 / 123 - 11 / 139)


def test_a_zero_cell_gets_half_added_and_says_so():
    e = from_counts("RR", Arm("a", 0, 10), Arm("b", 3, 10))
    # escalc(measure="RR", ai=0, n1i=10, ci=3, n2i=10): yi = log(0.5/11 / (3.5/11))
    assert e.yi == pytest.approx(math.log(0.5 / 3.5))
    assert e.vi == pytest.approx(1 / 0.5 - 1 / 11 + 1 / 3.5 - 1 / 11)
    assert "0.5 added" in e.notes[0]


def test_no_events_in_either_arm_is_not_estimable_as_a_ratio_but_is_as_a_difference():
    with pytest.raises(EffectError, match="not estimable"):
        from_counts("RR", Arm("a", 0, 10), Arm("b", 0, 12))
    assert from_counts("RD", Arm("a", 0, 10), Arm("b", 0, 12)).yi == pytest.approx(0)


def test_impossible_counts_are_refused():
    with pytest.raises(EffectError, match="12 events among 10"):
        from_counts("RR", Arm("a", 12, 10), Arm("b", 1, 10))


def test_mean_difference_and_hedges_g():
    e, c = Arm("e", mean=10.0, sd=2.0, n=20), Arm("c", mean=8.0, sd=3.0, n=25)
    md = from_means("MD", e, c)
    assert md.yi == pytest.approx(2.0) and md.vi == pytest.approx(4 / 20 + 9 / 25)
    g = from_means("SMD", e, c)
    pooled_sd = math.sqrt((19 * 4 + 24 * 9) / 43)
    assert g.yi == pytest.approx(2 / pooled_sd * (1 - 3 / (4 * 45 - 9)))


def test_se_from_a_ratio_ci_is_on_the_log_scale():
    e = from_estimate("HR", 0.72, 0.60, 0.86)
    assert e.yi == pytest.approx(math.log(0.72))
    assert e.se == pytest.approx((math.log(0.86) - math.log(0.60)) / (2 * 1.959964), rel=1e-5)
    lo = from_estimate("HR", 0.72, 0.62, 0.84, ci_level=90)
    assert lo.se == pytest.approx((math.log(0.84) - math.log(0.62)) / (2 * z_for(0.90)))


def test_se_from_a_p_value_follows_altman_and_bland():
    # Altman & Bland (BMJ 2011;343:d2090): a difference of 2.5 with P = 0.008: z = 2.652
    e = from_estimate("MD", 2.5, p_value=0.008)
    assert e.se == pytest.approx(2.5 / 2.652, rel=1e-3)
    with pytest.raises(EffectError, match="CI, its SE or its p value"):
        from_estimate("MD", 2.5)
    with pytest.raises(EffectError, match="outside its CI"):
        from_estimate("RR", 2.0, 0.5, 1.5)


def test_medians_to_means_names_wan_and_each_scenario():
    # Wan et al. 2014, scenario 3 (median and IQR), n = 100
    mean, sd, how = medians_to_mean(100, 50.0, q1=40.0, q3=62.0)
    assert mean == pytest.approx((40 + 50 + 62) / 3)
    eta = 2 * norm.ppf((0.75 * 100 - 0.125) / (100 + 0.25))
    assert sd == pytest.approx(22 / eta)
    assert "Wan et al. 2014" in how and "IQR" in how
    _m, _s, how = medians_to_mean(100, 50.0, minimum=10.0, maximum=90.0)
    assert "range" in how
    mean2, _s, how = medians_to_mean(100, 50.0, 40.0, 62.0, 10.0, 90.0)
    assert mean2 == pytest.approx((10 + 80 + 100 + 124 + 90) / 8) and "IQR and range" in how
    with pytest.raises(EffectError, match="quartiles or its range"):
        medians_to_mean(100, 50.0)


def test_pooling_single_study_and_bad_input():
    one = pool([0.3], [0.04], "random")
    assert one.estimate == 0.3 and one.ci_low == pytest.approx(0.3 - 1.959964 * 0.2, rel=1e-5)
    assert one.weights == [100.0]
    with pytest.raises(PoolingError):
        pool([], [], "random")
    with pytest.raises(PoolingError, match="positive variance"):
        pool([0.1, 0.2], [0.1, 0.0])


def test_reml_agrees_with_a_direct_maximisation_of_the_restricted_likelihood():
    rng = np.random.default_rng(7)
    y = rng.normal(0.2, 0.4, 9)
    v = rng.uniform(0.02, 0.2, 9)

    def neg_restricted_loglik(t2: float) -> float:
        w = 1 / (v + t2)
        mu = (w * y).sum() / w.sum()
        return 0.5 * (np.log(v + t2).sum() + math.log(w.sum()) + (w * (y - mu) ** 2).sum())

    best = minimize_scalar(neg_restricted_loglik, bounds=(0, 2), method="bounded",
                           options={"xatol": 1e-9}).x  # fmt: skip
    assert reml_tau2(y, v) == pytest.approx(best, abs=1e-6)
