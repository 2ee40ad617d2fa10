"""The screening-order metrics on orders whose figures are worked out by hand."""

from __future__ import annotations

import pytest

from reviewer.rank import metrics


def test_perfect_order_has_no_loss():
    assert metrics.loss([1, 1, 1, 0, 0, 0, 0]) == 0.0


def test_worst_order_has_loss_one():
    assert metrics.loss([0, 0, 0, 0, 1, 1, 1]) == 1.0


def test_loss_of_a_mixed_order():
    # Ny=2, Nx=5: (2 * (5 - 1/2) - (0+1+1+2+2)) / (2 * 3) = (9 - 6) / 6
    assert metrics.loss([0, 1, 0, 1, 0]) == pytest.approx(0.5)


def test_wss_of_a_perfect_order():
    # 9 includes first among 38: the 8th (the last before 95%) is found at index 7;
    # random order would need index 31 (round(31 * 9/37) = 8): (31 - 7) / 38
    labels = [1] * 9 + [0] * 29
    assert metrics.wss(labels, 0.95) == pytest.approx(24 / 38)


def test_wss_of_random_like_order_is_about_zero():
    labels = [1 if i % 10 == 9 else 0 for i in range(100)]
    assert abs(metrics.wss(labels, 0.95)) < 0.06


def test_recall_at_ten_percent():
    labels = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    # 10% of 20 records is 2: one include of three found
    assert metrics.recall_at(labels, 0.10) == pytest.approx(1 / 3)
    assert metrics.recall_at(labels, 0.15) == pytest.approx(2 / 3)


def test_records_to_recall():
    assert metrics.records_to_recall([0, 1, 0, 1, 0, 1], 0.95) == 6
    assert metrics.records_to_recall([0, 1, 0, 1, 0, 1], 0.5) == 4


@pytest.mark.parametrize("labels", [[], [0, 0], [1, 1]])
def test_one_class_or_nothing_is_refused(labels):
    with pytest.raises(ValueError):
        metrics.loss(labels)
