"""Computing and storing suggestions for a review, and the predictions lines."""

from __future__ import annotations

from pathlib import Path

from reviewer.domain import ParsedRecord, Source
from reviewer.review.project import create_review, default_template
from reviewer.store import Store
from reviewer.suggest import SUGGESTER_VERSION, prediction, record_key, suggest
from reviewer.suggest.runner import compute_suggestions, predictions, stale_record_ids

ABSTRACT = (
    "A total of 120 patients were randomly assigned to receive lenalidomide or placebo. "
    "The median follow-up was 24 months (Funded by Celgene.)"
)


def _review(path: Path) -> Store:
    store = create_review(path, "test", default_template())
    source_id = store.add_source(Source(name="page.txt", sha256="0" * 64, size=1, format="text"))
    with store.atomic():
        store.add_records(
            source_id,
            [
                ParsedRecord(
                    title="Lenalidomide versus placebo",
                    text=f"Lenalidomide versus placebo\n\n{ABSTRACT}",
                ),
                ParsedRecord(title="Nothing to see", text="Nothing to see here at all."),
            ],
        )
    return store


def test_compute_stores_suggestions_with_the_version(tmp_path):
    store = _review(tmp_path / "r.review")
    ticks = []
    done = compute_suggestions(store, progress=lambda n, total: ticks.append((n, total)))
    assert done == 2
    assert ticks[-1] == (2, 2)
    first = store.record_ids()[0]
    stored = store.suggestions(first)
    assert {s.field for s in stored} >= {"sample_size", "follow_up_months", "funding"}
    assert all(s.version == SUGGESTER_VERSION for s in stored)
    assert all(s.quote == store.record(first).text[s.start : s.end] for s in stored)


def test_only_stale_records_are_redone(tmp_path):
    store = _review(tmp_path / "r.review")
    compute_suggestions(store)
    first = store.record_ids()[0]
    # the record with suggestions is current; the one the rules find nothing in stays to do
    assert first not in stale_record_ids(store)
    store.db.execute("update suggestions set version = 'old' where record_id = ?", [first])
    assert first in stale_record_ids(store)
    second = store.record_ids()[1]
    # the window asks about the record on screen only, not every record of the review
    assert stale_record_ids(store, among=[second, first]) == [first]
    assert stale_record_ids(store, among=[second]) == []
    assert compute_suggestions(store, record_ids=[first]) == 1
    assert first not in stale_record_ids(store)


def test_cancel_stops_before_the_next_record(tmp_path):
    store = _review(tmp_path / "r.review")
    assert compute_suggestions(store, cancel=lambda: True) == 0
    assert store.suggestions(store.record_ids()[0]) == []


def test_rejected_suggestions_stay_rejected(tmp_path):
    store = _review(tmp_path / "r.review")
    compute_suggestions(store)
    first = store.record_ids()[0]
    size = next(s for s in store.suggestions(first) if s.field == "sample_size")
    store.set_suggestion_status(size.id, "rejected", "ann")
    store.db.execute("update suggestions set version = 'old' where record_id = ?", [first])
    compute_suggestions(store)
    sizes = [s for s in store.suggestions(first) if s.field == "sample_size"]
    assert [s.status for s in sizes] == ["rejected"]


def test_record_keys_and_prediction_lines(tmp_path):
    store = _review(tmp_path / "r.review")
    records = list(store.records())
    assert record_key(store, records[0]) == "page.txt#Lenalidomide versus placebo"
    lines = list(predictions(store))
    assert lines[0]["record"] == "page.txt#Lenalidomide versus placebo"
    assert lines[0]["title"] == "Lenalidomide versus placebo"
    keys = {"field", "value", "quote", "start", "end", "confidence"}
    # the scorer's shape, plus the concept id where a term has one
    assert all(keys <= set(s) <= keys | {"concept"} for s in lines[0]["suggestions"])
    assert [s["field"] for s in prediction(records[1], "x")["suggestions"]] == ["title"]


def test_suggestions_carry_template_types():
    template = default_template()
    record = ParsedRecord(
        title="Lenalidomide versus placebo", text=f"Lenalidomide versus placebo\n\n{ABSTRACT}"
    )
    for s in suggest(record):
        assert template.validate_value(s.field, s.value) == s.value, s.field
        assert 0 < s.confidence <= 1
        assert s.suggester.startswith("rules.")
