"""From selected text to a typed value, with the selection kept as provenance."""

from __future__ import annotations

import pytest

from reviewer.annotate import parse_selection, remove_span, set_from_selection
from reviewer.domain import FieldSpec
from tests.annotate.sample import TEXT, at


def spec(type_, **kw):
    return FieldSpec(key="f", label="F", type=type_, **kw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("182 patients", 182),
        ("1,234 participants", 1234),
        ("1\u202f234 participants", 1234),
        ("n = 182 (45%)", 182),
        ("45% of 182 patients", 182),  # a count is not the percentage
        ("Twenty-four patients", 24),
    ],
)
def test_integers(text, expected):
    assert parse_selection(spec("integer"), text) == expected


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("18.6 months", "months", 18.6),
        ("2 years", "months", 24.0),
        ("a 3-year follow-up", "months", 36.0),
        ("52 weeks", "months", 11.96),
        ("12–24 months", "months", 12.0),  # a range gives its first number
        ("18 months", "years", 1.5),
        ("45% (95% CI 38–52)", "%", 45.0),
        ("HR 0.62 (95% CI 0.48-0.80)", "", 0.62),
        ("a change of -0.5", "", -0.5),
        ("6 weeks", "", 6.0),  # no unit on the field: nothing to convert to
    ],
)
def test_numbers(text, unit, expected):
    assert parse_selection(spec("number", unit=unit), text) == expected


CHOICES = ["randomized_controlled_trial", "non_randomized_trial", "cohort", "other"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Randomized controlled trial", "randomized_controlled_trial"),
        ("a randomised controlled trial", "randomized_controlled_trial"),
        ("RCT", "randomized_controlled_trial"),
        ("randomized controled trial", "randomized_controlled_trial"),  # a typo
        ("a non-randomised, single-arm study", "non_randomized_trial"),
        ("non-randomised controlled trial", "non_randomized_trial"),
        ("a prospective cohort study", "cohort"),
        ("COHORT", "cohort"),
    ],
)
def test_choices_case_spelling_and_synonyms(text, expected):
    assert parse_selection(spec("choice", choices=CHOICES), text) == expected


def test_phases_in_roman_or_arabic():
    phase = spec("choice", choices=["I", "I/II", "II", "III", "IV"])
    assert parse_selection(phase, "phase III") == "III"
    assert parse_selection(phase, "Phase 3") == "III"
    assert parse_selection(phase, "a phase 1/2 study") == "I/II"


def test_lists_split_on_commas_semicolons_and_and():
    names = spec("list")
    assert parse_selection(names, "lenalidomide, dexamethasone, and bortezomib") == [
        "lenalidomide",
        "dexamethasone",
        "bortezomib",
    ]
    assert parse_selection(names, "lenalidomide; placebo") == ["lenalidomide", "placebo"]
    numbers = spec("list", item_type="number", unit="%")
    assert parse_selection(numbers, "45% and 30%") == [45.0, 30.0]
    assert parse_selection(numbers, "45% (95% CI, 38-52%) vs 30%") == [45.0, 30.0]
    assert parse_selection(spec("list", item_type="number"), "1,234 and 2,345") == [1234, 2345]


def test_yes_no_and_text():
    assert parse_selection(spec("bool"), "Yes") is True
    assert parse_selection(spec("bool"), "not reported") is False
    assert parse_selection(spec("text"), "  multiple\n myeloma. ") == "multiple myeloma"


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        (spec("integer"), "no numbers here", "no number"),
        (spec("integer"), "18.6 months", "whole number"),
        (spec("choice", choices=CHOICES), "banana", "matches none of: randomized"),
        (spec("bool"), "perhaps", "neither yes nor no"),
        (spec("list", item_type="number"), "none, at all", "no number"),
        (spec("text"), "   ", "empty"),
    ],
)
def test_nothing_fits_says_why(field, text, message):
    with pytest.raises(ValueError, match=message):
        parse_selection(field, text)


# -- storing ----------------------------------------------------------------------------


def test_set_from_selection_stores_value_and_span(store):
    start, end = at("182 patients")
    fv = set_from_selection(store, store.rid, "sample_size", start, end, "alice")
    assert fv.value == 182
    (span,) = store.values(store.rid)["sample_size"].provenance
    assert (span.start, span.end, span.quote) == (start, end, "182 patients")
    assert span.prefix == TEXT[start - 32 : start] and span.suffix == TEXT[end : end + 32]
    assert [e.kind for e in store.events(store.rid)] == ["value.set"]


def test_selection_is_trimmed_of_white_space(store):
    start, end = at(" 182 patients ")
    span = set_from_selection(store, store.rid, "sample_size", start, end, "a").provenance[0]
    assert span.quote == "182 patients"


def test_duration_in_years_is_stored_in_months(store):
    fv = set_from_selection(store, store.rid, "follow_up_months", *at("3 years"), "alice")
    assert fv.value == 36.0


def test_list_fields_append_item_and_span(store):
    field = "response_rate_pct"
    set_from_selection(store, store.rid, field, *at("45%"), "alice")
    fv = set_from_selection(store, store.rid, field, *at("30%"), "alice")
    assert fv.value == [45.0, 30.0]
    assert [s.quote for s in fv.provenance] == ["45%", "30%"]
    # selecting the same words again adds nothing
    assert set_from_selection(store, store.rid, field, *at("30%"), "alice").value == [45.0, 30.0]


def test_text_list_items_are_not_repeated_but_their_spans_are_kept(store):
    set_from_selection(store, store.rid, "interventions", *at("Lenalidomide"), "a")
    fv = set_from_selection(store, store.rid, "interventions", *at("lenalidomide"), "a")
    assert fv.value == ["Lenalidomide"]
    assert len(fv.provenance) == 2


def test_scalar_selection_replaces_unless_appending_support(store):
    set_from_selection(store, store.rid, "sample_size", *at("182 patients"), "a")
    fv = set_from_selection(store, store.rid, "sample_size", *at("182"), "a", append=True)
    assert fv.value == 182 and len(fv.provenance) == 2
    with pytest.raises(ValueError, match="set the field instead"):
        set_from_selection(store, store.rid, "sample_size", *at("1,234"), "a", append=True)
    fv = set_from_selection(store, store.rid, "sample_size", *at("1,234 patients"), "a")
    assert fv.value == 1234 and [s.quote for s in fv.provenance] == ["1,234 patients"]


def test_a_selection_that_fits_nothing_changes_nothing(store):
    with pytest.raises(ValueError):
        set_from_selection(store, store.rid, "sample_size", *at("Background"), "a")
    with pytest.raises(ValueError, match="outside the text"):
        set_from_selection(store, store.rid, "sample_size", 0, len(TEXT) + 5, "a")
    assert store.values(store.rid) == {} and store.events(store.rid) == []


def test_remove_span_keeps_the_value(store):
    set_from_selection(store, store.rid, "sample_size", *at("182 patients"), "a")
    set_from_selection(store, store.rid, "sample_size", *at("182"), "a", append=True)
    fv = remove_span(store, store.rid, "sample_size", 0, "bob")
    assert fv.value == 182 and [s.quote for s in fv.provenance] == ["182"]
    assert store.events(store.rid)[-1].kind == "value.span_remove"
    with pytest.raises(IndexError):
        remove_span(store, store.rid, "sample_size", 3, "bob")
