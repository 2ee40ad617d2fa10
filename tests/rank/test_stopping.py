"""The stopping rule (Callaghan & Müller-Hansen 2020) on constructed screenings."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import hypergeom

from reviewer.rank import stopping


def brute_force_p(labels, total, recall):
    """buscarpy's calculate_h0 written out: every run of recent records is a sample."""
    labels = np.asarray(labels)
    seen = labels.sum()
    best = 1.0
    for size in range(1, len(labels) + 1):
        k = labels[len(labels) - size :].sum()
        population = total - (len(labels) - size)
        k_hat = math.floor(seen / recall + 1 - (seen - k))
        impossible = k_hat - k > total - len(labels)  # more missed than records left
        best = min(best, 0.0 if impossible else hypergeom.cdf(k, population, k_hat, size))
    return best


def test_hand_worked_case():
    # 10 records, 8 screened: two includes then six excludes. For 95% recall the null
    # hypothesis is one more include among the 2 unscreened. A run of s excludes drawn
    # from s + 2 records with 1 include left misses it with probability 2 / (s + 2):
    # smallest at s = 6, 2/8; longer runs that hold includes give larger values.
    labels = [1, 1, 0, 0, 0, 0, 0, 0]
    assert stopping.p_value(labels, 10, 0.95) == pytest.approx(0.25)
    v = stopping.verdict(labels, 10)
    assert not v.stop
    assert v.text.startswith("not yet")


def test_everything_screened_always_stops():
    v = stopping.verdict([0, 1, 0, 1, 0, 0], 6)
    assert v.stop and v.p == 0.0
    assert v.missing_max == 0
    assert v.text == "stop now: recall ≥ 95% with 95% confidence"


def test_includes_still_turning_up_is_not_yet():
    labels = [1, 0, 1, 1, 0, 1, 0, 1]
    assert not stopping.verdict(labels, 1000).stop


def test_long_run_of_excludes_after_the_includes_stops():
    labels = [1] * 20 + [0] * 80 + [0] * 700  # 800 of 1,000 screened
    v = stopping.verdict(labels, 1000)
    assert v.stop
    assert v.p < 0.05
    assert v.found == 20 and v.screened == 800


def test_a_short_run_is_not_enough():
    labels = [1] * 20 + [0] * 30
    assert not stopping.verdict(labels, 1000).stop


def test_higher_recall_target_needs_more_screening():
    labels = [1] * 20 + [0] * 500
    assert stopping.p_value(labels, 1000, 0.90) < stopping.p_value(labels, 1000, 0.99)


@pytest.mark.parametrize("seed", range(40))
def test_same_p_as_testing_every_sample(seed):
    rng = np.random.default_rng(seed)
    total = int(rng.integers(5, 300))
    n = int(rng.integers(1, total + 1))
    rate = rng.random() * 0.4
    labels = (rng.random(n) < rate * np.linspace(2, 0, n)).astype(int)
    recall = [0.8, 0.9, 0.95, 0.99][seed % 4]
    assert stopping.p_value(labels, total, recall) == pytest.approx(
        brute_force_p(labels, total, recall), abs=1e-12
    )


def test_missing_includes_bounds():
    labels = [1] * 10 + [0] * 200
    high = stopping.missing_includes(labels, 1000, 0.95)
    middle = stopping.missing_includes(labels, 1000, 0.5)
    assert 0 <= middle <= high <= 790
    # the bound is the largest count the test cannot reject
    assert stopping._p_missing(np.array(labels), 1000, high)[0] >= 0.05
    assert stopping._p_missing(np.array(labels), 1000, high + 1)[0] < 0.05


def test_nothing_screened():
    v = stopping.verdict([], 50)
    assert not v.stop and v.missing_max == 50


@pytest.mark.parametrize("bad", [[2, 0], [1, -1]])
def test_labels_must_be_zero_or_one(bad):
    with pytest.raises(ValueError):
        stopping.verdict(bad, 10)


def test_more_screened_than_records_is_an_error():
    with pytest.raises(ValueError):
        stopping.verdict([0, 0, 0], 2)
