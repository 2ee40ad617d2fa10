"""Many decisions in one step: one transaction, an event each, the same rules as one
decision, undone as one (reviewer.review.bulk over reviewer.store.bulk_decisions)."""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.review import screening as sc
from reviewer.review.bulk import BulkDecision, decide_many, read_id_file
from reviewer.review.screening import ScreeningError
from reviewer.store import Store
from reviewer.store.bulk_decisions import Cancelled


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Bulk test", template)
    with s.atomic():
        sid = s.add_source(Source(name="t.ris", sha256="a" * 64, size=1, format="ris"))
        s.add_records(
            sid,
            [ParsedRecord(title=f"Study {i}", text=f"Abstract {i}") for i in range(1, 9)],
            duplicate_of=[None] * 7 + [1],  # record 8 repeats record 1
        )
    yield s
    s.close()


def _decisions(store, reviewer="ann", stage="title_abstract"):
    return {
        d.record_id: (d.decision, d.reason, d.note)
        for d in store.decisions()
        if d.reviewer == reviewer and d.stage == stage
    }


def test_many_records_decided_with_an_event_each(store):
    sc.decide(store, 2, "exclude", "ann", reason="wrong population")
    before = len(store.events())
    change = decide_many(store, [1, 2, 3, 4], "exclude", "ann", reason="wrong outcomes")
    assert change.changed == [1, 2, 3, 4]
    assert set(change.before) == {2}
    assert _decisions(store) == {r: ("exclude", "wrong outcomes", "") for r in (1, 2, 3, 4)}
    events = store.events()[before:]
    assert sorted(e.record_id for e in events) == [1, 2, 3, 4]
    assert {e.kind for e in events} == {"decision.set"}
    by_record = {e.record_id: e.payload for e in events}
    assert by_record[2]["before"] == "exclude" and by_record[1]["before"] is None
    assert by_record[3]["reason"] == "wrong outcomes"
    # the screening table follows, as for one decision
    assert sc.final_decision(store, 3, "title_abstract") == "exclude"
    assert sc.progress(store, "title_abstract", "ann").screened == 4


def test_an_unchanged_decision_writes_nothing(store):
    decide_many(store, [1, 2], "include", "ann")
    before = len(store.events())
    change = decide_many(store, [1, 2, 3], "include", "ann")
    assert change.changed == [3]
    assert len(store.events()) == before + 1


def test_the_rules_of_one_decision_apply_to_all(store):
    with pytest.raises(ScreeningError, match="not at the title/abstract stage.*: 8$"):
        decide_many(store, [1, 8], "include", "ann")  # 8 is a duplicate
    with pytest.raises(ScreeningError, match="1 record not at.*: 99"):
        decide_many(store, [1, 99], "include", "ann")
    with pytest.raises(ScreeningError, match="not one of the review's exclusion reasons"):
        decide_many(store, [1], "exclude", "ann", reason="because")
    sc.decide(store, 1, "include", "ann")  # record 1 reaches full text
    with pytest.raises(ScreeningError, match="a reason is required"):
        decide_many(store, [1], "exclude", "ann", stage="full_text")
    with pytest.raises(ScreeningError, match="unknown decision"):
        decide_many(store, [1], "perhaps", "ann")
    assert _decisions(store, stage="full_text") == {}  # nothing of a refused set was kept
    assert _decisions(store) == {1: ("include", "", "")}


def test_cancelled_keeps_nothing(store, monkeypatch):
    import reviewer.store.bulk_decisions as bd

    monkeypatch.setattr(bd, "CHUNK", 2)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2  # after two chunks were written

    events = len(store.events())
    with pytest.raises(Cancelled):
        decide_many(store, [1, 2, 3, 4, 5, 6], "include", "ann", cancelled=cancelled)
    assert _decisions(store) == {}
    assert len(store.events()) == events


def test_undone_as_one_step_putting_back_what_was_there(store):
    sc.decide(store, 2, "maybe", "ann", note="ask bob")
    command = BulkDecision([1, 2, 3], "exclude", "ann", "title_abstract")
    command.do(store)
    assert command.label == "exclude 3 records"
    assert command.touched == [1, 2, 3]
    done = {e.record_id: e.id for e in store.events() if e.kind == "decision.set"
            and e.payload["after"] == "exclude"}  # fmt: skip
    events = len(store.events())
    command.undo(store)
    assert _decisions(store) == {2: ("maybe", "", "ask bob")}
    undo_events = store.events()[events:]
    # what one-at-a-time undo logs: decision.undo, naming the event it undoes
    assert sorted((e.record_id, e.kind, e.payload["after"]) for e in undo_events) == [
        (1, "decision.undo", None), (2, "decision.undo", "maybe"), (3, "decision.undo", None),
    ]  # fmt: skip
    assert {e.record_id: e.payload["undoes"] for e in undo_events} == done
    command.do(store)  # redo
    assert _decisions(store) == {r: ("exclude", "", "") for r in (1, 2, 3)}
    assert {e.kind for e in store.events()[-3:]} == {"decision.redo"}
    command.undo(store)  # the redo's events are the ones undone now
    assert _decisions(store) == {2: ("maybe", "", "ask bob")}


def test_the_state_is_the_projection_of_the_log(store):
    """``reviewer check`` rebuilds the state from the events: bulk decisions, their undo
    and redo leave exactly what those events say."""
    from reviewer.store.check import check_review

    sc.decide(store, 2, "include", "ann", note="sure")
    command = BulkDecision([1, 2, 3, 4], "exclude", "ann", "title_abstract",
                           reason="wrong population")  # fmt: skip
    command.do(store)
    assert check_review(store).ok
    command.undo(store)
    assert check_review(store).ok
    command.do(store)
    report = check_review(store)
    assert report.ok, report


def test_ids_from_a_file(tmp_path):
    f = tmp_path / "ids.txt"
    f.write_text("# chosen by hand\n1, 2 3\n\n4;5  # the last\n", encoding="utf-8")
    assert read_id_file(f) == [1, 2, 3, 4, 5]
    f.write_text("1\n2 three\n", encoding="utf-8")
    with pytest.raises(ScreeningError, match=r"ids.txt, line 2: 'three' is not a record id"):
        read_id_file(f)


def _screening(store):
    return store.db.execute("select * from screening order by stage, record_id").fetchall()


def test_screening_rows_are_what_one_decision_at_a_time_gives(store, tmp_path):
    """A bulk step pauses the per-row triggers (m014) and writes ``screening`` itself:
    the same counts, final decisions, reasons and conflicts as deciding one by one, and
    as they were once undone; the pause never outlives the step."""
    import sqlite3

    sc.decide(store, 1, "exclude", "bob", reason="wrong population")
    sc.decide(store, 2, "include", "bob")
    sc.decide(store, 3, "exclude", "bob", reason="wrong study design")
    sc.decide(store, 3, "exclude", "cy", reason="wrong study design")
    sc.decide(store, 4, "maybe", "bob")
    sc.decide(store, 5, "include", "ann")
    sc.resolve(store, 2, "title_abstract", "exclude", "wrong population", "lead")
    original = _screening(store)
    peer_path = tmp_path / "peer.review"
    copy = sqlite3.connect(peer_path)
    store.db.conn.backup(copy)  # the same review, with what its log has so far
    copy.close()
    command = BulkDecision([1, 2, 3, 4, 5, 6], "exclude", "ann", "title_abstract",
                           reason="wrong study design")  # fmt: skip
    command.do(store)
    with Store(peer_path) as peer:
        for rid in [1, 2, 3, 4, 5, 6]:
            sc.decide(peer, rid, "exclude", "ann", reason="wrong study design")
        assert _screening(store) == _screening(peer)
    assert {r[0]: r[6] for r in _screening(store)}[3] == "exclude"  # sanity: decided
    command.undo(store)
    assert _screening(store) == original
    assert store.db.execute("select count(*) from paused_triggers").fetchone()[0] == 0
    sc.decide(store, 6, "include", "ann")  # one decision: the triggers work again
    assert {r[0]: r[6] for r in _screening(store)}[6] == "include"
