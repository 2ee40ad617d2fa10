"""Merging two copies of a review: a union of events by id, dual screening without
conflicts, same-key edits on both sides kept as merge conflicts, idempotence, and
records imported after the copy reported."""

from __future__ import annotations

import shutil

import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.review import merge as mg
from reviewer.review import screening, settings, tags
from reviewer.store import Store
from tests.consistency import assert_consistent


@pytest.fixture
def copies(demo_review, tmp_path):
    """Two copies of the demo review, as two reviewers' machines would have them."""
    b_path = tmp_path / "bob.review"
    shutil.copy(demo_review, b_path)
    a, b = Store(demo_review), Store(b_path)
    yield a, b
    # whatever the test merged, each copy's state is still the projection of its log
    for store in (a, b):
        assert_consistent(store if not store.closed else store.path)
    a.close()
    b.close()


def event_ids(store):
    return {e.id for e in store.events()}


def work_ids(store):
    """The events of the work itself (each copy also records its own merges)."""
    return {e.id for e in store.events() if e.kind != "merge.done"}


def state(store):
    decisions = {
        (d.record_id, d.stage, d.reviewer): (d.decision, d.reason) for d in store.decisions()
    }
    values = {(rid, f): v.value for rid in range(1, 6) for f, v in store.values(rid).items()}
    return decisions, values


def test_two_reviewers_screen_apart_and_merge_both_ways(copies):
    a, b = copies
    screening.decide(a, 1, "include", "ann")
    screening.decide(a, 2, "exclude", "ann", reason="wrong population")
    screening.decide(b, 1, "exclude", "bob", reason="wrong outcomes")
    screening.decide(b, 3, "include", "bob")

    report = mg.merge(a, b.path, "ann")
    assert report.copied == 2 and report.conflicts == []
    assert report.records_only_there == [] and report.records_mismatched == []
    mg.merge(b, a.path, "bob")

    assert (
        state(a)[0]
        == state(b)[0]
        == {
            (1, "title_abstract", "ann"): ("include", ""),
            (2, "title_abstract", "ann"): ("exclude", "wrong population"),
            (1, "title_abstract", "bob"): ("exclude", "wrong outcomes"),
            (3, "title_abstract", "bob"): ("include", ""),
        }
    )
    # the reviewers disagree on record 1: a screening conflict, not a merge conflict
    assert [c.record_id for c in screening.conflicts(a, "title_abstract")] == [1]
    assert [c.record_id for c in screening.conflicts(b, "title_abstract")] == [1]
    assert mg.merge_conflicts(a) == mg.merge_conflicts(b) == []
    assert work_ids(a) == work_ids(b)


def test_merging_twice_changes_nothing(copies):
    a, b = copies
    screening.decide(b, 1, "include", "bob")
    mg.merge(a, b.path, "ann")
    before = (a.events(), state(a))
    again = mg.merge(a, b.path, "ann")
    assert again.copied == 0 and not again.changed
    assert (a.events(), state(a)) == before


def test_merging_back_and_forth_settles(copies):
    """Merge records (merge.done) travel too, but do not set off a merge of their own."""
    a, b = copies
    screening.decide(a, 1, "include", "ann")
    screening.decide(b, 2, "include", "bob")
    mg.merge(a, b.path, "ann")
    mg.merge(b, a.path, "bob")
    mg.merge(a, b.path, "ann")
    assert mg.merge(b, a.path, "bob").copied == 0
    assert mg.merge(a, b.path, "ann").copied == 0
    assert event_ids(a) == event_ids(b)


def test_copies_edited_in_turn(copies):
    a, b = copies
    screening.decide(a, 1, "include", "ann")
    mg.merge(b, a.path, "bob")
    screening.decide(b, 1, "exclude", "bob", reason="wrong population")
    screening.resolve(b, 1, "title_abstract", "include", "", "bob")
    mg.merge(a, b.path, "ann")
    screening.decide(a, 1, "include", "ann", stage="full_text")
    tags.add_tag(a, 1, "RCT", "ann")
    settings.set_exclusion_reasons(a, ["adults only", "not an RCT"], "ann")
    mg.merge(b, a.path, "bob")
    for s in (a, b):
        assert screening.final_decision(s, 1, "title_abstract") == "include"
        assert screening.records_at_stage(s, "extraction") == [1]
        assert tags.tags(s, 1) == ["RCT"]
        assert settings.exclusion_reasons(s) == ["adults only", "not an RCT"]
    assert state(a) == state(b)
    assert mg.merge_conflicts(a) == mg.merge_conflicts(b) == []


def test_undo_on_one_side_reaches_the_other(copies):
    a, b = copies
    screening.decide(a, 4, "include", "ann")
    mg.merge(b, a.path, "bob")
    screening.undo_last_decision(a, "ann", "title_abstract")
    mg.merge(b, a.path, "bob")
    assert b.decision(4, "title_abstract", "ann") is None


def test_the_same_value_edited_on_both_sides_is_a_conflict(copies):
    a, b = copies
    a.set_value(1, "sample_size", 40, "ann")
    b.set_value(1, "sample_size", 42, "ann")

    report = mg.merge(a, b.path, "ann")
    [conflict] = report.conflicts
    assert conflict.key == ["value", 1, "sample_size"]
    assert conflict.kept["value"] == 40 and conflict.other["value"] == 42
    assert a.values(1)["sample_size"].value == 40  # not silently overwritten
    assert mg.merge_conflicts(a) == [conflict]
    assert mg.merge(a, b.path, "ann").conflicts == []  # merging again adds none

    # the other copy learns of the conflict when it merges back, and shows the same state
    mg.merge(b, a.path, "bob")
    [seen] = mg.merge_conflicts(b)
    assert seen.id == conflict.id
    assert b.values(1)["sample_size"].value == 40

    # settled on one side, the other follows
    mg.settle_conflict(b, conflict.id, "other", "ann")
    assert b.values(1)["sample_size"].value == 42
    assert mg.merge_conflicts(b) == []
    mg.merge(a, b.path, "ann")
    assert a.values(1)["sample_size"].value == 42
    assert mg.merge_conflicts(a) == []
    [settled] = mg.merge_conflicts(a, open_only=False)
    assert (settled.choice, settled.settled_by) == ("other", "ann")
    assert state(a) == state(b)


def test_the_same_reviewer_deciding_differently_on_both_sides_is_a_conflict(copies):
    a, b = copies
    screening.decide(a, 2, "include", "ann")
    screening.decide(b, 2, "exclude", "ann", reason="wrong outcomes")
    [conflict] = mg.merge(a, b.path, "ann").conflicts
    assert conflict.key == ["decision", 2, "title_abstract", "ann"]
    assert a.decision(2, "title_abstract", "ann").decision == "include"
    mg.settle_conflict(a, conflict.id, "kept", "ann")
    assert a.decision(2, "title_abstract", "ann").decision == "include"
    mg.merge(b, a.path, "ann")
    assert b.decision(2, "title_abstract", "ann").decision == "include"
    assert mg.merge_conflicts(b) == []


def test_the_same_edit_on_both_sides_is_no_conflict(copies):
    a, b = copies
    screening.decide(a, 2, "exclude", "ann", reason="wrong outcomes")
    screening.decide(b, 2, "exclude", "ann", reason="wrong outcomes")
    assert mg.merge(a, b.path, "ann").conflicts == []


def test_records_imported_after_the_copy_are_reported(copies):
    a, b = copies
    last = a.record_count()
    with b.atomic():
        sid = b.add_source(Source(name="late.ris", sha256="d" * 64, size=1, format="ris"))
        (new_id,) = b.add_records(sid, [ParsedRecord(title="A late record")])
    with a.atomic():
        sid = a.add_source(Source(name="other.ris", sha256="e" * 64, size=1, format="ris"))
        a.add_records(sid, [ParsedRecord(title="Another late record")])
        a.add_records(sid, [ParsedRecord(title="Only here")])
    assert new_id == last + 1
    screening.decide(b, new_id, "include", "bob")
    screening.decide(b, 1, "include", "bob")

    report = mg.merge(a, b.path, "ann")
    assert report.records_mismatched == [
        {"id": new_id, "title_here": "Another late record", "title_there": "A late record"}
    ]
    assert report.skipped_events == 1
    assert report.copied == 1  # the decision on record 1
    assert a.decision(new_id, "title_abstract", "bob") is None

    report = mg.merge(b, a.path, "bob")
    assert report.records_only_there == [{"id": new_id + 1, "title": "Only here"}]
    assert report.records_mismatched[0]["id"] == new_id


def test_the_other_copy_is_only_read(copies):
    a, b = copies
    screening.decide(b, 1, "include", "bob")
    screening.decide(a, 1, "include", "ann")
    b.close()
    before = b.path.read_bytes()
    mg.merge(a, b.path, "ann")
    assert b.path.read_bytes() == before


def test_what_cannot_be_merged(copies, tmp_path):
    a, _ = copies
    with pytest.raises(mg.MergeError, match="itself"):
        mg.merge(a, a.path)
    with pytest.raises(mg.MergeError, match="no such review"):
        mg.merge(a, tmp_path / "missing.review")
    junk = tmp_path / "junk.review"
    junk.write_bytes(b"not a database at all" * 50)
    with pytest.raises(mg.MergeError, match="not a review"):
        mg.merge(a, junk)
    with pytest.raises(mg.MergeError, match="kept' or 'other"):
        mg.settle_conflict(a, "x", "mine", "ann")


def test_the_report_as_json(copies):
    a, b = copies
    a.set_value(1, "sample_size", 1, "ann")
    b.set_value(1, "sample_size", 2, "ann")
    out = mg.merge(a, b.path, "ann").as_json()
    assert out["copied"] == 1 and out["source"] == str(b.path)
    assert out["conflicts"][0]["key"] == ["value", 1, "sample_size"]
    assert set(out) >= {"records_only_there", "records_mismatched", "skipped_events", "not_applied"}


def test_duplicates_confirmed_in_one_copy_reach_the_other(copies):
    from reviewer.store import duplicates

    a, b = copies
    for s in (a, b):  # a candidate both copies found at import
        duplicates.add_candidates(s, [(5, 4, 91.0)])
    [cand] = duplicates.candidates(a)
    duplicates.confirm(a, cand.id, "ann")
    assert 5 not in screening.records_at_stage(a, "title_abstract")

    report = mg.merge(b, a.path, "bob")
    assert report.not_applied == {}
    assert b.record(5).duplicate_of == 4
    assert duplicates.candidates(b) == []  # confirmed there too
    assert 5 not in screening.records_at_stage(b, "title_abstract")

    duplicates.unmerge(b, 5, "bob")
    mg.merge(a, b.path, "ann")
    assert a.record(5).duplicate_of is None


def test_results_cells_merge_like_values(copies):
    from reviewer.domain.results import new_item_id
    from reviewer.store import results as rs
    from reviewer.store.results import CellChange

    a, b = copies
    arm = new_item_id("arm")
    rs.set_cells(a, 1, [CellChange(arm, "name", "Lenalidomide"),
                        CellChange(arm, "n_randomised", 120)], "ann")  # fmt: skip
    report = mg.merge(b, a.path, "bob")
    assert report.conflicts == [] and report.applied == 2
    assert rs.study_results(b, 1).arms[0].value("n_randomised") == 120
    # both edit the same cell differently: a conflict, each side keeps its own
    rs.set_cell(a, 1, arm, "n_randomised", 121, "ann")
    rs.set_cell(b, 1, arm, "n_randomised", 119, "bob")
    report = mg.merge(a, b.path, "ann")
    (conflict,) = report.conflicts
    assert conflict.key == ["result", 1, arm, "n_randomised"]
    assert conflict.kept["value"] == 121 and conflict.other["value"] == 119
    # merging again changes nothing
    assert mg.merge(a, b.path, "ann").conflicts == []
