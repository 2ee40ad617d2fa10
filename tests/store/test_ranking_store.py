"""What the ranking reads and keeps in the review file (migration m010)."""

from __future__ import annotations

import sqlite_utils

from reviewer.domain import ParsedRecord
from reviewer.review import screening, settings
from reviewer.review.merge import merge
from reviewer.review.project import create_review
from reviewer.store import migrations
from reviewer.store import ranking as repo


def test_m010_creates_the_rankings_table():
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    assert {
        "stage", "reviewer", "trained_at", "includes", "excludes", "model", "record_ids", "scores"
    } <= set(db["rankings"].columns_dict)  # fmt: skip
    assert db["rankings"].pks == ["stage", "reviewer"]


def review(tmp_path, n=6):
    store = create_review(tmp_path / "r.review")
    store.add_records(
        None,
        [
            ParsedRecord(title=f"Title {i}", abstract=f"Abstract {i}", keywords=[f"kw{i}"])
            for i in range(n)
        ],
    )
    return store


def test_texts_in_id_order(tmp_path):
    store = review(tmp_path)
    texts = list(repo.texts(store))
    assert [t.record_id for t in texts] == store.record_ids()
    assert texts[2].title == "Title 2" and texts[2].keywords == ["kw2"]
    assert [t.record_id for t in repo.texts(store, [3, 1])] == [1, 3]


def test_screened_in_the_order_first_decided(tmp_path):
    store = review(tmp_path)
    ids = store.record_ids()
    screening.decide(store, ids[3], "include", "ann")
    screening.decide(store, ids[0], "exclude", "ann")
    screening.decide(store, ids[5], "maybe", "ann")
    screening.decide(store, ids[3], "exclude", "ann")  # changed later: keeps its place
    got = repo.screened_by(store, "title_abstract", "ann")
    assert [(s.record_id, s.label) for s in got] == [(ids[3], 0), (ids[0], 0), (ids[5], 1)]
    assert repo.decided_ids(store, "title_abstract", "ann") == {ids[3], ids[0], ids[5]}


def test_screened_by_anyone_uses_final_decisions(tmp_path):
    store = review(tmp_path)
    ids = store.record_ids()
    screening.decide(store, ids[1], "include", "ann")
    screening.decide(store, ids[1], "exclude", "bob")  # a conflict
    screening.decide(store, ids[2], "exclude", "bob")
    got = repo.screened_by_anyone(store, "title_abstract")
    assert [(s.record_id, s.label) for s in got] == [(ids[1], None), (ids[2], 0)]
    screening.resolve(store, ids[1], "title_abstract", "include", "", "ann")
    got = repo.screened_by_anyone(store, "title_abstract")
    assert got[0].label == 1


def test_a_ranking_is_kept_and_replaced(tmp_path):
    store = review(tmp_path)
    assert repo.load_ranking(store, "title_abstract", "ann") is None
    repo.save_ranking(store, "title_abstract", "ann", [3, 1, 2], [2.5, 0.5, -1.0], 1, 1, {"C": 1})
    repo.save_ranking(store, "title_abstract", "ann", [2, 3, 1], [1.0, 0.0, -1.0], 2, 1, {"C": 1})
    kept = repo.load_ranking(store, "title_abstract", "ann")
    assert kept.record_ids == [2, 3, 1]
    assert kept.scores == [1.0, 0.0, -1.0]
    assert (kept.includes, kept.excludes, kept.model) == (2, 1, {"C": 1})
    assert repo.load_ranking(store, "full_text", "ann") is None
    repo.clear_rankings(store)
    assert repo.load_ranking(store, "title_abstract", "ann") is None


def test_rankings_are_not_events_and_do_not_travel_in_a_merge(tmp_path):
    store = review(tmp_path)
    before = len(store.events())
    repo.save_ranking(store, "title_abstract", "", [1], [0.0], 1, 1, {})
    assert len(store.events()) == before
    other = create_review(tmp_path / "other.review")
    merge(other, store.path, reviewer="bob")
    assert repo.load_ranking(other, "title_abstract", "") is None


def test_change_marker_moves_with_events_and_records(tmp_path):
    store = review(tmp_path, n=2)
    first = repo.change_marker(store)
    settings.set_blinded(store, False, "ann")
    second = repo.change_marker(store)
    assert second.last_event > first.last_event
    assert repo.events_since(store, first.last_event) == second.last_event - first.last_event
