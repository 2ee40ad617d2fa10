"""Accepting and rejecting suggestions: values with provenance, events, never re-offered."""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord, Source, Suggestion
from reviewer.review import extraction
from reviewer.store import Store

TEXT = (
    "A total of 182 patients were randomised. The overall response rate was 45% with "
    "lenalidomide and 30% with observation."
)


def sug(field, value, quote, conf=0.9):
    start = TEXT.index(quote)
    return Suggestion(
        field=field,
        value=value,
        start=start,
        end=start + len(quote),
        quote=quote,
        confidence=conf,
        suggester="test",
        version="1",
    )


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "r", template)
    with s.atomic():
        sid = s.add_source(Source(name="a", sha256="0" * 64, size=1, format="text"))
        (rid,) = s.add_records(sid, [ParsedRecord(title="t", text=TEXT)])
    s.replace_suggestions(
        rid,
        [
            sug("sample_size", 182, "182 patients"),
            sug("sample_size", 45, "45%", conf=0.2),
            sug("response_rate_pct", [45.0], "45%"),
            sug("response_rate_pct", [30.0], "30%", conf=0.8),
            sug("interventions", ["lenalidomide"], "lenalidomide"),
        ],
    )
    s.rid = rid
    yield s
    s.close()


def test_accept_stores_value_with_provenance_and_event(store):
    best = extraction.pending_by_field(store, store.rid)["sample_size"][0]
    assert best.value == 182
    extraction.accept(store, best.id, "alice")
    fv = store.values(store.rid)["sample_size"]
    assert fv.value == 182 and fv.reviewer == "alice"
    (span,) = fv.provenance
    assert TEXT[span.start : span.end] == span.quote == "182 patients"
    assert span.prefix == TEXT[max(0, span.start - 32) : span.start]
    kinds = [e.kind for e in store.events(store.rid)]
    assert kinds == ["value.accept", "suggestion.accepted"]
    assert "sample_size" in extraction.pending_by_field(store, store.rid)  # the other candidate


def test_list_field_accumulates_one_suggestion_per_arm(store):
    for s in extraction.pending_by_field(store, store.rid)["response_rate_pct"]:
        extraction.accept(store, s.id, "alice")
    fv = store.values(store.rid)["response_rate_pct"]
    assert fv.value == [45.0, 30.0]
    assert [p.quote for p in fv.provenance] == ["45%", "30%"]


def test_rejected_suggestion_is_not_offered_again(store):
    bad = extraction.pending_by_field(store, store.rid)["sample_size"][1]
    extraction.reject(store, bad.id, "alice")
    assert [s.value for s in extraction.pending_by_field(store, store.rid)["sample_size"]] == [182]
    # recomputing suggestions (e.g. a new suggester version) does not bring it back
    store.replace_suggestions(
        store.rid,
        [sug("sample_size", 182, "182 patients"), sug("sample_size", 45, "45%", conf=0.2)],
    )
    assert [s.value for s in extraction.pending_by_field(store, store.rid)["sample_size"]] == [182]


def test_accept_all_fills_empty_fields_only(store):
    store.set_value(store.rid, "interventions", ["pomalidomide"], "bob")
    n = extraction.accept_all(store, store.rid, "alice")
    values = store.values(store.rid)
    assert values["sample_size"].value == 182  # best candidate only
    assert values["response_rate_pct"].value == [45.0, 30.0]  # every arm of a list
    assert values["interventions"].value == ["pomalidomide"]  # a reviewer's value stays
    assert n == 3
