"""JSON export: the whole review, streamed, with provenance that checks against the text."""

from __future__ import annotations

import json

import pytest

from reviewer.annotate import add_note, replace_record_text, set_from_selection
from reviewer.annotate.template_ops import remove_field
from reviewer.domain import Decision, ParsedRecord, Source, Suggestion
from reviewer.export.json_export import export_json
from reviewer.review import extraction
from reviewer.store import Store
from tests.annotate.sample import TEXT

ABSTRACTS = [
    TEXT,
    "In this cohort study of 412 adults with relapsed myeloma treated with pomalidomide "
    "and dexamethasone, median overall survival was 31.2 months after a median "
    "follow-up of 26 months; funding came from a public grant.",
    "We report a case of a 64-year-old woman with smouldering myeloma who responded to "
    "lenalidomide, bortezomib and dexamethasone within four cycles of treatment.",
    "A record nobody has annotated yet, which the export still writes out in full.",
]


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "export", template)
    with s.atomic():
        sid = s.add_source(Source(name="abstracts.txt", sha256="0" * 64, size=1, format="text"))
        s.add_records(
            sid, [ParsedRecord(title=f"Study {i}", text=t) for i, t in enumerate(ABSTRACTS)]
        )
    yield s
    s.close()


def _first(text: str, *candidates: str) -> tuple[int, int]:
    for quote in candidates:
        pos = text.find(quote)
        if pos != -1:
            return pos, pos + len(quote)
    raise AssertionError(f"none of {candidates} in the text")


def _annotate(store: Store, rid: int) -> None:
    text = store.record(rid).text
    words = text.split()
    start = text.index(words[5])
    quote = words[5]
    store.replace_suggestions(
        rid,
        [
            Suggestion(field="condition", value=quote, start=start, end=start + len(quote),
                       quote=quote, confidence=0.9, suggester="test", version="1"),
        ],
    )  # fmt: skip
    extraction.accept_all(store, rid, "alice")
    set_from_selection(store, rid, "funding", *_first(text, words[8]), "alice")
    set_from_selection(store, rid, "interventions", *_first(text, words[10]), "alice")
    set_from_selection(store, rid, "interventions", *_first(text, words[12]), "alice")
    add_note(store, rid, *_first(text, words[3]), "a note", "bob")
    store.set_decision(Decision(record_id=rid, reviewer="alice", decision="include"))


def _all_spans(data: dict):
    for rec in data["records"]:
        for value in rec["values"]:
            for span in value["provenance"]:
                yield rec["text"], span
        for note in rec["notes"]:
            yield rec["text"], note


def test_every_span_quotes_its_text_after_edits_and_replaced_text(store, tmp_path):
    ids = store.record_ids()[:3]
    for rid in ids:
        _annotate(store, rid)
    # the first record's text is replaced: a preface inserted, a word changed
    old = store.record(ids[0]).text
    new = "Corrected version of the article.\n\n" + old.replace(old.split()[20], "CHANGED", 1)
    replaced = replace_record_text(store, ids[0], new, "carol")
    assert replaced.moved >= 4  # the spans followed the text, they were not orphaned
    remove_field(store, "funding", "carol")  # values of a removed field are still exported

    out = tmp_path / "review.json"
    seen = []
    report = export_json(store, out, progress=lambda done, total: seen.append((done, total)))
    data = json.loads(out.read_text(encoding="utf-8"))

    assert set(data) == {"review", "template", "records"}
    assert data["review"]["name"] == store.name
    assert "funding" not in [f["key"] for f in data["template"]["fields"]]
    assert len(data["records"]) == store.record_count() == report.records
    assert seen[-1] == (report.records, report.records)
    spans = list(_all_spans(data))
    assert len(spans) == report.spans >= 3 * 5
    for text, span in spans:
        assert text[span["start"] : span["end"]] == span["quote"]
        assert span["prefix"] == text[max(0, span["start"] - 32) : span["start"]]
        assert span["suffix"] == text[span["end"] : span["end"] + 32]

    first = next(r for r in data["records"] if r["id"] == ids[0])
    assert first["text"] == new
    assert set(first) >= {"id", "title", "authors", "journal", "year", "doi", "source", "text",
                          "values", "notes", "decisions"}  # fmt: skip
    fields = [v["field"] for v in first["values"]]
    assert fields[-1] == "funding" and "condition" in fields
    value = first["values"][0]
    assert set(value) == {"field", "value", "reviewer", "time", "provenance"}
    assert value["reviewer"] == "alice" and value["time"]
    assert first["notes"][0]["note"] == "a note"
    assert first["decisions"][0]["decision"] == "include"
    assert first["source"] == "abstracts.txt"


def test_cancel_leaves_no_file(store, tmp_path):
    out = tmp_path / "review.json"
    report = export_json(store, out, cancel=lambda: True)
    assert report.cancelled and not out.exists()
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())
