"""A merged duplicate shows the most complete value of each field (issue 10, bug 3).

Three exports of one real search (excerpts in tests/data/search_exports): PubMed first,
without abstracts, then Embase and Scopus with them. Before, the records PubMed gave
kept only their title and authors though a merged copy held the abstract."""

from __future__ import annotations

import pytest

from reviewer.annotate import set_from_selection
from reviewer.ingest import import_paths
from reviewer.ingest.merged import best_fields, complete_groups, unmerge_duplicate
from reviewer.review.project import create_review
from reviewer.review.stats import stats
from reviewer.store import duplicates as dup
from tests.conftest import DATA

EXPORTS = DATA / "search_exports" / "dimitrov_snhl"
FILES = [EXPORTS / name for name in ("medline.csv", "embase.csv", "scopus.csv")]


@pytest.fixture
def store(tmp_path):
    s = create_review(tmp_path / "snhl.review")
    yield s
    s.close()


def _kept_with_duplicates(store) -> list[int]:
    return sorted({store.record(d).duplicate_of for d in dup.merged_ids(store)})


def test_the_kept_record_shows_the_abstract_a_duplicate_holds(store):
    import_paths(store, FILES)
    kept = _kept_with_duplicates(store)
    assert len(kept) == 12
    for rid in kept:
        record = store.record(rid)
        group = dup.group_members(store, [rid])[rid]
        originals = dup.originals(store, group)
        assert originals[rid].abstract == ""  # PubMed's CSV has none
        longest = max((originals[r.id].abstract for r in group), key=len)
        assert longest and record.abstract == longest
        assert longest.strip() in record.text  # the document view reads it
        assert record.doi and record.pmid
        # where it came from, and each original, are there to see
        assert [name for _rid, name in dup.group_sources(store, rid)] == [
            "medline.csv", "embase.csv", "scopus.csv",
        ]  # fmt: skip


def test_nothing_of_any_original_is_lost(store):
    import_paths(store, FILES)
    numbers = stats(store)["records"]
    assert (numbers["identified"], numbers["duplicates"]) == (43, 24)  # PRISMA counts each
    for rid in dup.merged_ids(store):
        record = store.record(rid)
        assert dup.originals(store, [record])[rid] == record  # duplicates are never changed
    kept = _kept_with_duplicates(store)[0]
    original = dup.originals(store, [store.record(kept)])[kept]
    assert original.abstract == "" and original.text != store.record(kept).text


def test_completing_again_changes_nothing(store):
    import_paths(store, FILES)
    assert complete_groups(store, _kept_with_duplicates(store)) == []


def test_unmerging_takes_back_what_only_that_duplicate_brought(store):
    import_paths(store, FILES[:1] + FILES[2:])  # PubMed and Scopus only
    kept = _kept_with_duplicates(store)[0]
    (scopus,) = [r for r in dup.group(store, kept) if r != kept]
    assert store.record(kept).abstract
    unmerge_duplicate(store, scopus, "ann")
    after = store.record(kept)
    assert after.abstract == ""
    assert after == dup.originals(store, [after])[kept]  # back to what PubMed gave


def test_words_marked_before_the_completion_are_found_again(store):
    import_paths(store, FILES[:1])
    rid = store.record_ids()[0]
    text = store.record(rid).text
    title = store.record(rid).title
    start = text.index(title)
    set_from_selection(store, rid, "title", start, start + len(title), "ann")
    import_paths(store, FILES[1:])
    record = store.record(rid)
    assert record.text != text  # completed
    (span,) = store.values(rid)["title"].provenance
    assert record.text[span.start : span.end] == title


def test_best_fields_prefer_the_fullest_value_and_keep_the_first_on_a_tie():
    from reviewer.domain import Record

    a = Record(id=1, title="T", journal="J Clin Oncol", pages="727", doi="", keywords=["A"])
    b = Record(id=2, title="T", journal="Journal of Clinical Oncology", pages="727-738",
               doi="10.1/x", keywords=["a", "B"], abstract="An abstract.")  # fmt: skip
    best = best_fields([a, b])
    assert best["journal"] == "Journal of Clinical Oncology"
    assert best["pages"] == "727-738" and best["doi"] == "10.1/x"
    assert best["abstract"] == "An abstract." and best["keywords"] == ["A", "B"]
