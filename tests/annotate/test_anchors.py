"""Anchors that survive a change of text: found again by quote, or orphaned, never moved."""

from __future__ import annotations

import random

import pytest

from reviewer.annotate import (
    add_note,
    dismiss_orphan,
    orphans,
    reanchor,
    reattach_orphan,
    replace_record_text,
    set_from_selection,
)
from reviewer.annotate.anchors import locate
from reviewer.annotate.notes import notes
from reviewer.annotate.spans import page_at
from reviewer.domain import Span, Suggestion
from reviewer.review import extraction
from reviewer.store.check import check_review
from tests.annotate.sample import TEXT, at
from tests.consistency import assert_consistent

PFS = "the median progression-free survival was 18.6 months"


def span_of(quote: str, nth: int = 0, text: str = TEXT) -> Span:
    return Span.from_text(text, *at(quote, nth, text))


def check(span: Span | None, text: str, quote: str) -> None:
    assert span is not None
    assert text[span.start : span.end] == span.quote == quote
    assert span.prefix == text[max(0, span.start - 32) : span.start]
    assert span.suffix == text[span.end : span.end + 32]


def test_unchanged_text_keeps_the_span():
    found = locate(span_of(PFS), TEXT)
    assert found.method == "kept" and found.span == span_of(PFS)


def test_insertion_before_the_span_moves_it():
    new = "Correction: the dosing table was updated in May 2021. " + TEXT
    found = locate(span_of(PFS), new)
    assert found.method == "moved"
    check(found.span, new, PFS)


def test_edit_inside_the_quote_is_found_fuzzily():
    new = TEXT.replace("progression-free survival", "progression free-survival")
    found = locate(span_of(PFS), "Erratum. " + new)
    assert found.method == "fuzzy"
    check(found.span, "Erratum. " + new, "the median progression free-survival was 18.6 months")


def test_insertion_right_at_the_edge_stays_outside_the_quote():
    new = TEXT.replace(PFS, "in the intention-to-treat population " + PFS + " (95% CI 15-22)")
    check(reanchor(span_of(PFS), new), new, PFS)


def test_duplicated_quote_is_told_apart_by_its_context():
    # '45%' occurs twice: the response rate and the neutropenia rate
    second = span_of("45%", nth=1)
    shift = at("45%", nth=1)[0] - at("45%")[0]
    # an insertion that puts the *other* '45%' exactly at the old offsets
    new = "y" * shift + TEXT
    assert new[second.start : second.end] == "45%"
    found = reanchor(second, new)
    check(found, new, "45%")
    assert new[found.end :].startswith(" of patients")


def test_duplicated_quote_after_an_insertion_picks_the_same_occurrence():
    first = span_of("45%")
    new = "A preface of some length. " + TEXT
    found = reanchor(first, new)
    check(found, new, "45%")
    assert new[found.end :].startswith(" with lenalidomide and")


def test_deleted_quote_is_an_orphan_not_moved_to_its_twin():
    # the neutropenia sentence goes; the response rate's '45%' must not take its place
    gone = span_of("45%", nth=1)
    new = TEXT.replace(" Grade 3 neutropenia occurred in 45% of patients on lenalidomide.", "")
    assert "45%" in new
    assert reanchor(gone, new) is None


def test_deleted_long_quote_is_an_orphan():
    new = TEXT.replace(PFS + " with lenalidomide and 12.1 months with placebo. ", "")
    assert reanchor(span_of(PFS), new) is None


def test_a_quote_rewritten_too_much_is_an_orphan():
    new = TEXT.replace("182 patients", "two hundred people")
    assert reanchor(span_of("182 patients"), new) is None


def test_pages_follow_the_new_page_offsets():
    new = "Page one.\n" * 3 + TEXT
    found = reanchor(span_of(PFS), new, page_offsets=[0, 10, 20, 30])
    assert found.page == 4
    assert page_at([], 5) is None and page_at([0, 100], 100) == 2 and page_at([0, 100], 99) == 1


# -- replacing a record's text ----------------------------------------------------------------


def test_replace_record_text_reanchors_values_and_highlights(store):
    set_from_selection(store, store.rid, "sample_size", *at("182 patients"), "alice")
    set_from_selection(store, store.rid, "median_pfs_months", *at("18.6 months"), "alice")
    set_from_selection(store, store.rid, "grade3_ae_pct", *at("45%", 1), "alice")
    note_id = add_note(store, store.rid, *at("placebo"), "which placebo?", "bob")
    gone_note = add_note(store, store.rid, *at("Grade 3 neutropenia"), "check table 3", "bob")
    before = store.values(store.rid)

    new = "Erratum. " + TEXT.replace(
        " Grade 3 neutropenia occurred in 45% of patients on lenalidomide.", ""
    )
    report = replace_record_text(store, store.rid, new, "carol")

    assert store.record(store.rid).text == new
    values = store.values(store.rid)
    assert values["sample_size"].provenance[0].quote == "182 patients"
    for fv in values.values():
        for s in fv.provenance:
            check(s, new, s.quote)
    # who set a value and when is not changed by re-anchoring
    assert values["sample_size"].reviewer == "alice"
    assert values["sample_size"].time == before["sample_size"].time
    # the deleted sentence's value keeps its value but loses the span, and the span is listed
    assert values["grade3_ae_pct"].value == [45.0] and values["grade3_ae_pct"].provenance == []
    (kept_note,) = notes(store, store.rid)
    assert kept_note.id == note_id
    check(kept_note.span, new, "placebo")

    listed = orphans(store, store.rid)
    assert {(o.kind, o.field, o.span.quote) for o in listed} == {
        ("provenance", "grade3_ae_pct", "45%"),
        ("highlight", None, "Grade 3 neutropenia"),
    }
    note_orphan = next(o for o in listed if o.kind == "highlight")
    assert note_orphan.note == "check table 3" and note_orphan.highlight_id == gone_note
    assert sorted(report.orphans) == sorted(o.id for o in listed)
    assert report.moved == 3 and report.fuzzy == []

    event = store.events(store.rid)[-1]
    assert event.kind == "record.text_replace" and event.payload["old_text"] == TEXT
    assert store.record_ids("erratum") == [store.rid]  # full-text search sees the new text
    # the moves are the event's: a rebuild from the log gives the same spans and orphans
    assert event.payload["reanchored"]["highlights"].keys() == {str(note_id)}
    report = assert_consistent(store)
    assert report.not_compared == []


def test_check_names_a_span_moved_behind_the_log(store):
    set_from_selection(store, store.rid, "sample_size", *at("182 patients"), "alice")
    note_id = add_note(store, store.rid, *at("placebo"), "which placebo?", "bob")
    add_note(store, store.rid, *at("Grade 3 neutropenia"), "check table 3", "bob")
    replace_record_text(store, store.rid, "Erratum. " + TEXT.replace("Grade 3 neutropenia", "Severe low neutrophil counts"),
                         "carol")
    assert_consistent(store)
    with store.atomic():
        store.db.execute("update highlights set start = start + 1 where id = ?", [note_id])
        store.db.execute("update field_values set provenance = '[]'")
        store.db.execute("update anchor_orphans set status = 'dismissed'")
    lines = sorted(check_review(store).lines())
    assert [line.split(":")[0].split(" [")[0] for line in lines] == [
        "anchor_orphans", "field_values", "highlights"
    ], lines  # fmt: skip


def test_fuzzy_reanchors_are_reported(store):
    set_from_selection(store, store.rid, "median_pfs_months", *at(PFS), "alice")
    new = TEXT.replace("progression-free survival", "progression free survival")
    report = replace_record_text(store, store.rid, new, "carol")
    assert report.fuzzy == [
        {
            "what": "median_pfs_months",
            "old": PFS,
            "new": "the median progression free survival was 18.6 months",
        }
    ]


def test_orphans_can_be_reattached_or_dismissed(store):
    set_from_selection(store, store.rid, "sample_size", *at("182 patients"), "alice")
    add_note(store, store.rid, *at("Grade 3 neutropenia"), "check table 3", "bob")
    new = TEXT.replace("182 patients", "one hundred and eighty-two people").replace(
        "Grade 3 neutropenia", "Severe low neutrophil counts"
    )
    replace_record_text(store, store.rid, new, "carol")
    value_orphan, note_orphan = sorted(orphans(store, store.rid), key=lambda o: o.kind)[::-1]
    assert value_orphan.kind == "provenance"

    reattach_orphan(store, value_orphan.id, *at("one hundred and eighty-two people", text=new), "d")
    (span,) = store.values(store.rid)["sample_size"].provenance
    check(span, new, "one hundred and eighty-two people")
    dismiss_orphan(store, note_orphan.id, "d")
    assert orphans(store) == []
    assert {o.status for o in orphans(store, include_closed=True)} == {"reattached", "dismissed"}
    with pytest.raises(ValueError, match="dismissed already"):
        dismiss_orphan(store, note_orphan.id, "d")
    kinds = [e.kind for e in store.events(store.rid)]
    assert kinds[-3:] == ["value.span_add", "orphan.reattach", "orphan.dismiss"]
    assert_consistent(store)


def test_a_reattached_highlight_gets_its_note_back(store):
    note_id = add_note(store, store.rid, *at("Grade 3 neutropenia"), "check table 3", "bob")
    new = TEXT.replace("Grade 3 neutropenia", "Severe neutrophil loss")
    replace_record_text(store, store.rid, new, "carol")
    assert notes(store, store.rid) == []
    (orphan,) = orphans(store)
    reattach_orphan(store, orphan.id, *at("Severe neutrophil loss", text=new), "bob")
    (note,) = notes(store, store.rid)
    assert note.id == note_id and note.note == "check table 3"
    check(note.span, new, "Severe neutrophil loss")
    assert_consistent(store)


def test_pending_suggestions_move_with_their_quote(store):
    start, end = at("182 patients")
    store.replace_suggestions(
        store.rid,
        [
            Suggestion(field="sample_size", value=182, start=start, end=end,
                       quote="182 patients", confidence=0.9, suggester="t", version="1"),
            Suggestion(field="grade3_ae_pct", value=[45.0], start=at("45%", 1)[0],
                       end=at("45%", 1)[1], quote="45%", confidence=0.9, suggester="t",
                       version="1"),
        ],
    )  # fmt: skip
    # an insertion longer than the distance between the two '45%'
    new = "Erratum. " * 20 + TEXT.replace("182 patients", "183 patients")
    report = replace_record_text(store, store.rid, new, "carol")
    assert report.suggestions_dropped == 1
    (moved,) = store.suggestions(store.rid)
    assert new[moved.start : moved.end] == "45%"
    assert new[moved.end :].startswith(" of patients")
    extraction.accept(store, moved.id, "alice")
    (span,) = store.values(store.rid)["grade3_ae_pct"].provenance
    check(span, new, "45%")


def test_random_insertions_never_misplace_a_span():
    """Passages inserted anywhere: a span untouched by them lands exactly where its words went."""
    rng = random.Random(3)
    words = [
        "the",
        "median",
        "response",
        "rate",
        "was",
        "in",
        "patients",
        "with",
        "placebo",
        "and",
        "lenalidomide",
        "arm",
    ]
    text = " ".join(rng.choice(words) + str(rng.randint(0, 99)) for _ in range(4000))
    spans = []
    for _ in range(200):
        start = text.index(" ", rng.randrange(len(text) - 100)) + 1
        spans.append(Span.from_text(text, start, text.index(" ", start + rng.randint(3, 40))))
    inserts = sorted({rng.randrange(len(text)) for _ in range(60)})
    pieces, last = [], 0
    for pos in inserts:
        pieces.append(text[last:pos] + f" [added {pos}] ")
        last = pos
    new = "".join(pieces) + text[last:]
    for span in spans:
        if any(span.start < p < span.end for p in inserts):
            continue  # cut by an insertion: fuzzy or orphan, checked elsewhere
        shift = sum(len(f" [added {p}] ") for p in inserts if p <= span.start)
        found = reanchor(span, new)
        assert found is not None and found.start == span.start + shift
        check(found, new, span.quote)
