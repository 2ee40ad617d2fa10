"""Screening rules: decisions and reasons, stages, conflicts and resolutions, blinding,
keyboard navigation, undo, progress and tags, on real review files."""

from __future__ import annotations

import pytest
import sqlite_utils

from reviewer.domain import ParsedRecord, Source
from reviewer.review import screening as sc
from reviewer.review import settings, tags
from reviewer.review.screening import ScreeningError
from reviewer.store import Store, migrations


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Screening test", template)
    with s.atomic():
        sid = s.add_source(Source(name="t.ris", sha256="a" * 64, size=1, format="ris"))
        s.add_records(
            sid,
            [ParsedRecord(title=f"Study {i}", text=f"Abstract {i}") for i in range(1, 7)],
            duplicate_of=[None, None, None, None, None, 1],  # record 6 repeats record 1
        )
    yield s
    s.close()


def test_title_abstract_holds_every_record_but_duplicates(store):
    assert sc.records_at_stage(store, "title_abstract") == [1, 2, 3, 4, 5]
    assert sc.records_at_stage(store, "full_text") == []
    with pytest.raises(ScreeningError, match="duplicate of record 1"):
        sc.decide(store, 6, "include", "ann")


def test_one_reviewer_include_moves_a_record_on(store):
    sc.decide(store, 1, "include", "ann")
    sc.decide(store, 2, "maybe", "ann")  # maybe counts as include
    sc.decide(store, 3, "exclude", "ann", reason="wrong population")
    assert sc.final_decision(store, 1, "title_abstract") == "include"
    assert sc.final_decision(store, 3, "title_abstract") == "exclude"
    assert sc.final_decision(store, 4, "title_abstract") is None
    assert sc.records_at_stage(store, "full_text") == [1, 2]
    sc.decide(store, 1, "include", "ann", stage="full_text")
    assert sc.records_at_stage(store, "extraction") == [1]


def test_two_reviewers_must_agree_or_be_resolved(store):
    sc.decide(store, 1, "include", "ann")
    sc.decide(store, 1, "maybe", "bob")  # include and maybe agree
    sc.decide(store, 2, "include", "ann")
    sc.decide(store, 2, "exclude", "bob")
    sc.decide(store, 3, "exclude", "ann")
    sc.decide(store, 3, "exclude", "bob")
    assert sc.records_at_stage(store, "full_text") == [1]
    [conflict] = sc.conflicts(store, "title_abstract")
    assert conflict.record_id == 2 and conflict.title == "Study 2"
    assert [(d.reviewer, d.decision) for d in conflict.decisions] == [
        ("ann", "include"),
        ("bob", "exclude"),
    ]
    assert sc.final_decision(store, 2, "title_abstract") is None

    sc.resolve(store, 2, "title_abstract", "include", "", "carol", note="population fits")
    assert sc.conflicts(store, "title_abstract") == []
    [resolved] = sc.conflicts(store, "title_abstract", include_resolved=True)
    assert resolved.resolution.resolver == "carol"
    assert sc.final_decision(store, 2, "title_abstract") == "include"
    assert sc.records_at_stage(store, "full_text") == [1, 2]
    # a later change of mind by a reviewer does not undo the resolution
    sc.decide(store, 2, "exclude", "ann")
    assert sc.final_decision(store, 2, "title_abstract") == "include"
    sc.clear_resolution(store, 2, "title_abstract", "carol")
    assert sc.final_decision(store, 2, "title_abstract") == "exclude"


def test_a_record_leaves_later_stages_when_its_earlier_decision_changes(store):
    sc.decide(store, 1, "include", "ann")
    sc.decide(store, 1, "include", "ann", stage="full_text")
    assert sc.records_at_stage(store, "extraction") == [1]
    sc.decide(store, 1, "include", "bob")
    sc.decide(store, 1, "exclude", "bob")  # bob changes his mind: now a conflict
    assert sc.records_at_stage(store, "full_text") == []
    assert sc.records_at_stage(store, "extraction") == []


def test_reasons_come_from_the_review_list_and_are_required_at_full_text(store):
    sc.decide(store, 1, "include", "ann")
    with pytest.raises(ScreeningError, match="reason is required"):
        sc.decide(store, 1, "exclude", "ann", stage="full_text")
    with pytest.raises(ScreeningError, match="not one of"):
        sc.decide(store, 1, "exclude", "ann", stage="full_text", reason="too long")
    with pytest.raises(ScreeningError, match="only to exclude"):
        sc.decide(store, 2, "include", "ann", reason="wrong population")
    d = sc.decide(store, 1, "exclude", "ann", stage="full_text", reason="Wrong  Outcomes")
    assert d.reason == "wrong outcomes"  # spelled as the list spells it
    sc.decide(store, 2, "exclude", "ann")  # no reason needed at title/abstract

    settings.set_exclusion_reasons(store, ["adult population", "not an RCT", "not an RCT"], "ann")
    assert settings.exclusion_reasons(store) == ["adult population", "not an RCT"]
    sc.decide(store, 3, "exclude", "ann", reason="not an rct")
    assert store.decision(3, "title_abstract", "ann").reason == "not an RCT"
    kinds = [e.kind for e in store.events()]
    assert "setting.set" in kinds


def test_the_default_reason_list(store):
    assert settings.exclusion_reasons(store) == [
        "wrong population",
        "wrong intervention",
        "wrong comparator",
        "wrong outcomes",
        "wrong study design",
        "duplicate",
        "full text not retrievable",
    ]


def test_unknown_values_are_refused(store):
    with pytest.raises(ScreeningError, match="unknown decision"):
        sc.decide(store, 1, "yes", "ann")
    with pytest.raises(ScreeningError, match="unknown stage"):
        sc.decide(store, 1, "include", "ann", stage="abstract")
    with pytest.raises(ScreeningError, match="no record 99"):
        sc.decide(store, 99, "include", "ann")
    with pytest.raises(ScreeningError, match="not at the full text stage"):
        sc.decide(store, 1, "include", "ann", stage="full_text")
    with pytest.raises(ScreeningError, match="include or exclude"):
        sc.resolve(store, 1, "title_abstract", "maybe", "", "carol")


def test_an_unchanged_decision_writes_nothing(store):
    sc.decide(store, 1, "include", "ann", note="n")
    before = len(store.events())
    sc.decide(store, 1, "include", "ann", note="n")
    assert len(store.events()) == before


def test_blinded_reviewers_see_only_their_own_decisions(store):
    sc.decide(store, 1, "include", "ann")
    sc.decide(store, 1, "exclude", "bob")
    assert settings.is_blinded(store)  # a review starts blinded
    assert [d.reviewer for d in sc.visible_decisions(store, 1, "title_abstract", "ann")] == ["ann"]
    settings.set_blinded(store, False, "carol")
    assert [d.reviewer for d in sc.visible_decisions(store, 1, "title_abstract", "ann")] == [
        "ann",
        "bob",
    ]
    [event] = [e for e in store.events() if e.kind == "setting.set"]
    assert event.payload == {"name": "blinded", "before": True, "after": False}


def test_next_undecided_skips_decided_records_and_wraps(store):
    assert sc.next_undecided(store, "title_abstract", "ann") == 1
    sc.decide(store, 2, "include", "ann")
    sc.decide(store, 3, "include", "bob")  # bob's decision does not count for ann
    assert sc.next_undecided(store, "title_abstract", "ann", 1) == 3
    sc.decide(store, 3, "exclude", "ann")
    sc.decide(store, 4, "exclude", "ann")
    sc.decide(store, 5, "exclude", "ann")
    assert sc.next_undecided(store, "title_abstract", "ann", 3) == 1  # wrapped round
    sc.decide(store, 1, "exclude", "ann")
    assert sc.next_undecided(store, "title_abstract", "ann", 1) is None
    assert sc.next_undecided(store, "full_text", "ann") == 2  # the only one included


def test_undo_walks_back_through_decisions_as_events(store):
    sc.decide(store, 1, "include", "ann", note="first")
    sc.decide(store, 1, "exclude", "ann", reason="wrong population")
    sc.decide(store, 2, "maybe", "ann")
    sc.decide(store, 2, "include", "bob")  # bob's are not ann's to undo

    assert sc.undo_last_decision(store, "ann", "title_abstract") == 2
    assert store.decision(2, "title_abstract", "ann") is None
    assert store.decision(2, "title_abstract", "bob").decision == "include"
    assert sc.undo_last_decision(store, "ann", "title_abstract") == 1
    back = store.decision(1, "title_abstract", "ann")
    assert (back.decision, back.reason, back.note) == ("include", "", "first")
    assert sc.undo_last_decision(store, "ann", "title_abstract") == 1
    assert store.decision(1, "title_abstract", "ann") is None
    assert sc.undo_last_decision(store, "ann", "title_abstract") is None

    undos = [e for e in store.events() if e.kind == "decision.undo"]
    assert [(e.record_id, e.payload["before"], e.payload["after"]) for e in undos] == [
        (2, "maybe", None),
        (1, "exclude", "include"),
        (1, "include", None),
    ]


def test_undo_after_a_new_decision_restores_the_state_before_it(store):
    sc.decide(store, 1, "include", "ann")
    sc.undo_last_decision(store, "ann", "title_abstract")
    sc.decide(store, 1, "exclude", "ann")
    assert sc.undo_last_decision(store, "ann", "title_abstract") == 1
    assert store.decision(1, "title_abstract", "ann") is None  # the undo had cleared it


def test_undo_is_per_stage(store):
    sc.decide(store, 1, "include", "ann")
    sc.decide(store, 1, "include", "ann", stage="full_text")
    assert sc.undo_last_decision(store, "ann", "title_abstract") == 1
    assert store.decision(1, "full_text", "ann").decision == "include"


def test_progress_counts_screened_of_total(store):
    sc.decide(store, 1, "include", "ann")
    sc.decide(store, 2, "exclude", "ann")
    sc.decide(store, 3, "maybe", "ann")
    sc.decide(store, 4, "exclude", "bob")
    p = sc.progress(store, "title_abstract", "ann")
    assert (p.screened, p.total, p.remaining) == (3, 5, 2)
    assert (p.include, p.exclude, p.maybe) == (1, 1, 1)
    assert sc.progress(store, "full_text", "ann").total == 2


def test_tags_are_case_insensitive_and_logged(store):
    assert tags.add_tag(store, 1, " RCT ", "ann")
    assert not tags.add_tag(store, 1, "rct", "bob")
    tags.add_tag(store, 2, "pediatric", "ann")
    tags.add_tag(store, 3, "RCT", "ann")
    assert tags.tags(store, 1) == ["RCT"]
    assert tags.all_tags(store) == {"pediatric": 1, "RCT": 2}
    assert tags.remove_tag(store, 1, "Rct", "ann")
    assert not tags.remove_tag(store, 1, "RCT", "ann")
    assert [e.kind for e in store.events(1)] == ["tag.add", "tag.remove"]
    with pytest.raises(ValueError):
        tags.add_tag(store, 1, "  ", "ann")


def test_the_migration_computes_final_decisions_of_an_older_file(tmp_path):
    """A review with decisions made before m004 gets its screening table filled."""
    db = sqlite_utils.Database(tmp_path / "old.review")
    migrations.apply(db, upto="m001_initial")
    db.execute("insert into records (title) values ('a'), ('b'), ('c')")
    db.execute(
        "insert into decisions values (1, 'title_abstract', 'ann', 'include', '', '', 't'), "
        "(1, 'title_abstract', 'bob', 'exclude', '', '', 't'), "
        "(2, 'title_abstract', 'ann', 'maybe', '', '', 't')"
    )
    migrations.apply(db)
    rows = db.execute(
        "select record_id, final, conflict, maybes from screening order by record_id"
    ).fetchall()
    assert rows == [(1, None, 1, 0), (2, "include", 0, 1)]


def test_the_first_page_of_a_list_follows_duplicates_as_they_change(store):
    from reviewer.ingest.merged import unmerge_duplicate
    from reviewer.review.filters import filter_record_ids

    sc.decide(store, 2, "include", "ann")
    first = filter_record_ids(store, decision="undecided", viewer="ann", limit=10)
    assert first == [1, 3, 4, 5]  # 6 is a duplicate
    unmerge_duplicate(store, 6, "ann")  # no longer one: it is listed at once
    assert filter_record_ids(store, decision="undecided", viewer="ann", limit=10) == [1, 3, 4, 5, 6]
    assert filter_record_ids(store, limit=3) == [1, 2, 3]
