"""Duplicate groups in the store: candidates confirmed, rejected, records unmerged.

Each of these is a person's decision, so the change and its event are written in one
transaction; the group always keeps its first-imported record; and nothing is ever
deleted, so PRISMA can count records per source and duplicates removed.
"""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.store import Store, duplicates
from reviewer.store.check import check_review
from reviewer.store.duplicates import DuplicateError
from tests.consistency import assert_consistent


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Duplicates", template)
    yield s
    s.close()


def add(store: Store, *titles: str, duplicate_of: list[int | None] | None = None) -> list[int]:
    with store.atomic():
        sid = store.add_source(Source(name="s.ris", sha256="0" * 64, size=1, format="ris"))
        records = [ParsedRecord(title=t, text=t, authors=["Kumar S"]) for t in titles]
        return store.add_records(sid, records, duplicate_of)


def kinds(store: Store) -> list[str]:
    return [e.kind for e in store.events()]


def test_the_migration_adds_the_candidates_table_and_indexes(store):
    cols = {c.name for c in store.db["duplicate_candidates"].columns}
    assert cols == {
        "id", "record_id", "candidate_of", "score", "status", "created_at", "reviewer",
        "decided_at",
    }  # fmt: skip
    indexes = {i.name for i in store.db["records"].indexes}
    assert "records_duplicate_of" in indexes
    # the store indexes records for search itself now, in the same transaction
    assert "records_ai" not in {t.name for t in store.db.triggers}


def test_add_records_indexes_for_search_and_takes_duplicate_of(store):
    ids = add(store, "Alpha trial", "Alpha trial again", "Beta", duplicate_of=[None, 1, None])
    assert ids == [1, 2, 3]
    assert duplicates.duplicate_map(store) == {1: None, 2: 1, 3: None}
    assert store.record_ids("alpha") == [1, 2]
    assert (
        store.db.execute(
            "insert into records_fts(records_fts) values ('integrity-check')"
        ).fetchall()
        == []
    )
    rec = store.record(2)
    assert (rec.title, rec.authors, rec.duplicate_of, rec.source_id) == (
        "Alpha trial again", ["Kumar S"], 1, 1,
    )  # fmt: skip


def test_add_records_with_given_ids_and_with_none(store):
    with store.atomic():
        first = duplicates.next_record_id(store)
        assert store.add_records(None, [ParsedRecord(title="a")], first_id=first) == [1]
    assert add(store) == []
    assert duplicates.next_record_id(store) == 2


def test_add_candidates_ignores_a_pair_stored_before(store):
    add(store, "One", "Two", "Three")
    assert duplicates.add_candidates(store, [(2, 1, 95.0), (3, 1, 91.5)]) == 2
    assert duplicates.add_candidates(store, [(2, 1, 97.0)]) == 0
    got = duplicates.candidates(store)
    assert [(c.record_id, c.candidate_of, c.score, c.status) for c in got] == [
        (2, 1, 95.0, "pending"), (3, 1, 91.5, "pending")
    ]  # fmt: skip
    assert kinds(store) == []  # found on import: no one decided anything yet


def test_confirm_merges_and_logs_in_one_go(store):
    add(store, "A", "A'", "B")
    duplicates.add_candidates(store, [(2, 1, 96.0)])
    (cand,) = duplicates.candidates(store)
    assert duplicates.confirm(store, cand.id, "ann") == 1
    assert duplicates.duplicate_map(store) == {1: None, 2: 1, 3: None}
    assert duplicates.candidates(store) == []
    (done,) = duplicates.candidates(store, "confirmed")
    assert (done.reviewer, done.decided_at is not None) == ("ann", True)
    (event,) = store.events(2)
    assert event.kind == "duplicate.confirm" and event.reviewer == "ann"
    assert event.payload["duplicate_of"] == 1 and event.payload["before"] == {"2": None}


def test_confirming_joins_whole_groups_under_the_first_record(store):
    # 1 <- 3 and 2 <- 4 are groups; a candidate says 2 repeats 1
    add(store, "A", "B", "A again", "B again", duplicate_of=[None, None, 1, 2])
    duplicates.add_candidates(store, [(2, 1, 93.0)])
    (cand,) = duplicates.candidates(store)
    assert duplicates.confirm(store, cand.id, "ann") == 1
    assert duplicates.duplicate_map(store) == {1: None, 2: 1, 3: 1, 4: 1}
    assert duplicates.group(store, 4) == [1, 2, 3, 4]


def test_reject_keeps_records_apart_and_is_logged(store):
    add(store, "A", "A'")
    duplicates.add_candidates(store, [(2, 1, 92.0)])
    (cand,) = duplicates.candidates(store)
    duplicates.reject(store, cand.id, "bob")
    assert duplicates.duplicate_map(store) == {1: None, 2: None}
    assert duplicates.candidate(store, cand.id).status == "rejected"
    assert kinds(store) == ["duplicate.reject"]
    with pytest.raises(DuplicateError, match="rejected already"):
        duplicates.confirm(store, cand.id, "bob")
    # found again by a later import, a rejected pair stays rejected
    assert duplicates.add_candidates(store, [(2, 1, 92.0)]) == 0


def test_unmerge_makes_a_record_kept_again(store):
    add(store, "A", "A", "A", duplicate_of=[None, 1, 1])
    duplicates.unmerge(store, 2, "ann")
    assert duplicates.duplicate_map(store) == {1: None, 2: None, 3: 1}
    (event,) = store.events(2)
    assert (event.kind, event.payload) == ("duplicate.unmerge", {"before": 1, "after": None})
    with pytest.raises(DuplicateError, match="keeps"):
        duplicates.unmerge(store, 1, "ann")


def test_a_failed_decision_changes_nothing(store, monkeypatch):
    add(store, "A", "A'")
    duplicates.add_candidates(store, [(2, 1, 92.0)])
    (cand,) = duplicates.candidates(store)

    def broken_log(event):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_log", broken_log)
    with pytest.raises(RuntimeError):
        duplicates.confirm(store, cand.id, "ann")
    assert duplicates.duplicate_map(store) == {1: None, 2: None}
    assert duplicates.candidate(store, cand.id).status == "pending"


def test_unknown_ids_say_so(store):
    with pytest.raises(KeyError):
        duplicates.candidate(store, 99)
    with pytest.raises(KeyError):
        duplicates.unmerge(store, 99, "ann")


def test_check_replays_confirm_reject_and_unmerge_and_names_what_the_log_did_not_do(store):
    """The decisions go through ``Store.commit``: a rebuild from the log gives the same
    groups and verdicts, and a change made behind the log is named."""
    add(store, "A", "B", "A again", "B again", "C", "C'", "D",
        duplicate_of=[None, None, 1, 2, None, None, None])
    duplicates.add_candidates(store, [(2, 1, 93.0), (6, 5, 91.0), (7, 5, 90.0)])
    first, second, third = duplicates.candidates(store)
    duplicates.confirm(store, first.id, "ann")  # 2 and 4 join 1's group
    duplicates.reject(store, second.id, "bob")
    duplicates.unmerge(store, 4, "ann")
    assert duplicates.duplicate_map(store) == {1: None, 2: 1, 3: 1, 4: None, 5: None,
                                               6: None, 7: None}  # fmt: skip
    assert_consistent(store)

    with store.atomic():
        store.db.execute("update records set duplicate_of = 2 where id = 4")  # unmerged
        store.db.execute("update duplicate_candidates set status = 'confirmed' "
                         "where record_id = 7")  # never decided  # fmt: skip
        store.db.execute("update records set duplicate_of = 5 where id = 6")  # no event
    lines = list(check_review(store).lines())
    assert lines == [
        "records [id=4] duplicate_of: stored 2, the log gives None",
        "duplicate_candidates [record_id=7, candidate_of=5] status: stored 'confirmed', "
        "the log gives 'pending'",
    ], lines  # 6 was never named by an event: what import gave it is its starting point
