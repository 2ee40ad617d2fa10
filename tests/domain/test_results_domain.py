"""The results vocabulary: cells' values checked as a reviewer types them, item ids, and
the review's outcomes carried by the template."""

from __future__ import annotations

import pytest

from reviewer.annotate import template_ops
from reviewer.domain import OutcomeSpec, Template
from reviewer.domain.results import kind_of, new_item_id, validate_cell
from reviewer.review.project import create_review, default_template


def test_cells_are_checked_and_coerced():
    assert validate_cell("result", "events", "12") == 12
    assert validate_cell("result", "mean", "−1.5") == -1.5
    assert validate_cell("arm", "role", "Control") == "control"
    assert validate_cell("outcome", "kind", "time to event") == "time_to_event"
    assert validate_cell("comparison", "measure", "hr") == "HR"
    assert validate_cell("result", "events", "") is None
    for kind, field, value, message in (
        ("result", "events", "-1", "negative"),
        ("result", "n", "2.5", "whole number"),
        ("result", "sd", -2, "cannot be negative"),
        ("comparison", "p_value", 1.5, "between 0 and 1"),
        ("comparison", "ci_level", 0.95 * 200, "between 0 and 100"),
        ("arm", "role", "placebo", "choose one of"),
        ("result", "arm", "outcome:1", "must name an arm"),
    ):
        with pytest.raises(ValueError, match=message):
            validate_cell(kind, field, value)


def test_item_ids_sort_in_the_order_they_were_made():
    ids = [new_item_id("arm") for _ in range(50)]
    assert ids == sorted(ids) and len(set(ids)) == 50
    assert kind_of(ids[0]) == "arm"
    with pytest.raises(ValueError):
        kind_of("nonsense")


def test_the_template_carries_the_reviews_outcomes(tmp_path):
    t = default_template()
    assert [o.kind for o in t.outcomes][:2] == ["time_to_event", "time_to_event"]
    again = Template.model_validate_json(t.model_dump_json())
    assert again.outcomes == t.outcomes
    store = create_review(tmp_path / "r.review")
    template_ops.add_field(store, {"key": "extra", "label": "Extra", "type": "text"}, "ann")
    assert store.template().outcomes == t.outcomes  # editing fields keeps them
    assert OutcomeSpec(name="Pain").kind == "dichotomous"
    store.close()
