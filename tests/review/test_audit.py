"""The audit trail: every change an event with who, when, before and after; a record's
history in words; the whole log exported as CSV and JSON."""

from __future__ import annotations

import csv
import json

import pytest

from reviewer.review import audit, screening, settings, tags
from reviewer.store import Store


def _screen(store):
    screening.decide(store, 1, "include", "ann", note="looks relevant")
    screening.decide(store, 1, "exclude", "bob", reason="wrong population")
    screening.resolve(store, 1, "title_abstract", "include", "", "carol")
    screening.decide(store, 1, "exclude", "ann", reason="wrong outcomes")
    screening.undo_last_decision(store, "ann", "title_abstract")
    tags.add_tag(store, 1, "RCT", "ann")
    store.set_value(1, "sample_size", 42, "ann")
    settings.set_blinded(store, False, "carol")


def test_a_record_history_reads_as_sentences(store):
    _screen(store)
    rows = audit.history(store, 1)
    assert [(r.reviewer, r.summary) for r in rows] == [
        ("ann", "title/abstract: include — looks relevant"),
        ("bob", "title/abstract: exclude — wrong population"),
        ("carol", "title/abstract: resolved: include"),
        ("ann", "title/abstract: exclude (was include) — wrong outcomes"),
        ("ann", "title/abstract: undo: include (was exclude) — looks relevant"),
        ("ann", "tagged 'RCT'"),
        ("ann", "Sample size: set"),
    ]
    assert (rows[3].before, rows[3].after) == ("include", "exclude")
    assert rows[-1].after == "42"
    assert all(r.time and r.id for r in rows)
    assert [r.seq for r in rows] == sorted(r.seq for r in rows)


def test_the_whole_log_exports_as_csv(store, tmp_path):
    _screen(store)
    total = len(store.events())
    out = tmp_path / "log.csv"
    assert audit.export_log(store, out) == total
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == total
    assert list(rows[0]) == list(audit.CSV_COLUMNS)
    setting = [r for r in rows if r["kind"] == "setting.set"][0]
    assert setting["reviewer"] == "carol" and setting["record_id"] == ""
    assert json.loads(setting["payload"]) == {"name": "blinded", "before": True, "after": False}
    assert setting["summary"] == "setting 'blinded' changed"


def test_the_whole_log_exports_as_json(store, tmp_path):
    _screen(store)
    out = tmp_path / "log.json"
    assert audit.export_log(store, out, "json") == len(store.events())
    items = json.loads(out.read_text(encoding="utf-8"))
    first = [i for i in items if i["kind"] == "decision.set"][0]
    assert first["payload"]["after"] == "include"
    assert first["summary"].startswith("title/abstract: include")
    assert {"seq", "id", "time", "reviewer", "kind", "record_id", "before", "after"} <= set(first)


def test_an_empty_log_is_still_valid_json(review_path, template, tmp_path):
    with Store.create(review_path, "Empty", template) as empty:
        out = tmp_path / "e.json"
        assert audit.export_log(empty, out) == 0
        assert json.loads(out.read_text()) == []


def test_an_unknown_format_is_refused(store, tmp_path):
    with pytest.raises(ValueError, match="unknown log format"):
        audit.export_log(store, tmp_path / "log.xml")


def test_unknown_event_kinds_are_shown_by_their_name():
    assert audit.describe("something.new", {}) == "something.new"
    assert audit.describe("suggestion.accepted", {"field": "n"}) == "suggestion for n accepted"
