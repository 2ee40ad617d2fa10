"""The store on real SQLite files: values and events together, append-only log, search."""

from __future__ import annotations

import sqlite3

import pytest

from reviewer.domain import Decision, ParsedRecord, Source, Span
from reviewer.store import Store, StoreError, fts_query


def _add(store: Store, *records: ParsedRecord) -> list[int]:
    with store.atomic():
        sid = store.add_source(Source(name="t.txt", sha256="x" * 64, size=1, format="text"))
        return store.add_records(sid, records)


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Test review", template)
    yield s
    s.close()


def test_create_then_reopen_keeps_everything(review_path, template):
    s = Store.create(review_path, "My review", template)
    (rid,) = _add(
        s,
        ParsedRecord(
            title="Lenalidomide in myeloma",
            authors=["Chari A"],
            year=2019,
            text="Forty-two patients were treated.",
        ),
    )
    s.set_value(rid, "sample_size", "42", "alice")
    s.close()
    with Store(review_path) as again:
        assert again.name == "My review"
        assert again.template().keys == template.keys
        rec = again.record(rid)
        assert (rec.title, rec.authors, rec.year) == ("Lenalidomide in myeloma", ["Chari A"], 2019)
        assert again.values(rid)["sample_size"].value == 42


def test_file_settings(store):
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert store.integrity_check() == "ok"


def test_opening_a_missing_or_foreign_file_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such review"):
        Store(tmp_path / "nope.review")
    junk = tmp_path / "junk.review"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a review file"):
        Store(junk)


def test_value_and_its_event_are_written_together(store):
    (rid,) = _add(store, ParsedRecord(title="t", text="x"))
    store.set_value(
        rid, "study_design", "cohort", "alice", provenance=[Span.from_text("a cohort study", 2, 8)]
    )
    store.set_value(rid, "study_design", "case_series", "bob")
    events = [e for e in store.events(rid) if e.kind.startswith("value")]
    assert [(e.reviewer, e.payload["before"], e.payload["after"]) for e in events] == [
        ("alice", None, "cohort"),
        ("bob", "cohort", "case_series"),
    ]
    assert events[0].payload["provenance"][0]["quote"] == "cohort"
    assert store.values(rid)["study_design"].reviewer == "bob"


def test_invalid_value_changes_nothing(store):
    (rid,) = _add(store, ParsedRecord(title="t", text="x"))
    with pytest.raises(ValueError, match="whole number"):
        store.set_value(rid, "sample_size", "forty", "alice")
    assert store.values(rid) == {}
    assert store.events(rid) == []


def test_failed_transaction_leaves_neither_state_nor_event(store):
    (rid,) = _add(store, ParsedRecord(title="t", text="x"))
    with pytest.raises(RuntimeError), store.atomic():
        store.set_value(rid, "year", 2020, "alice")
        raise RuntimeError("crash between writes")
    assert store.values(rid) == {}
    assert store.events() == []


def test_clearing_a_value_is_an_event(store):
    (rid,) = _add(store, ParsedRecord(title="t", text="x"))
    store.set_value(rid, "year", 2020, "alice")
    store.set_value(rid, "year", "", "alice")
    assert "year" not in store.values(rid)
    assert [e.kind for e in store.events(rid)] == ["value.set", "value.clear"]


def test_event_log_is_append_only(store):
    (rid,) = _add(store, ParsedRecord(title="t", text="x"))
    store.set_value(rid, "year", 2020, "alice")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("update events set reviewer = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("delete from events")


def test_decisions_per_reviewer_and_stage(store):
    (rid,) = _add(store, ParsedRecord(title="t", text="x"))
    store.set_decision(Decision(record_id=rid, reviewer="alice", decision="include"))
    store.set_decision(
        Decision(record_id=rid, reviewer="bob", decision="exclude", reason="wrong population")
    )
    store.set_decision(Decision(record_id=rid, reviewer="alice", decision="maybe"))
    assert store.decision(rid, "title_abstract", "alice").decision == "maybe"
    assert store.decision(rid, "title_abstract", "bob").reason == "wrong population"
    assert store.decision(rid, "full_text", "alice") is None
    kinds = [(e.reviewer, e.payload["before"], e.payload["after"]) for e in store.events(rid)]
    assert kinds == [
        ("alice", None, "include"),
        ("bob", None, "exclude"),
        ("alice", "include", "maybe"),
    ]
    assert store.list_rows([rid], "title_abstract", "bob")[rid][2] == "exclude"


def test_full_text_search(store):
    a, b, _c = _add(
        store,
        ParsedRecord(title="Lenalidomide maintenance", authors=["Attal M"], text="myeloma"),
        ParsedRecord(title="Azacitidine in MDS", authors=["Khouri J"], text="a lenalidomide arm"),
        ParsedRecord(title="Unrelated", authors=["Smith J"], text="nothing here"),
    )
    assert store.record_ids("lenalidomide") == [a, b]
    assert store.record_ids("lenalid") == [a, b]  # prefix search while typing
    assert store.record_ids("khouri") == [b]
    assert store.record_ids("") == [a, b, _c]
    # what a person types never breaks the query
    for nasty in ['"', "AND OR NOT", "(", "*", "title:x", "NEAR(", "'; drop table records"]:
        store.record_ids(nasty)


def test_fts_query_quotes_words():
    assert fts_query('len "dex') == '"len"* "dex"*'
    assert fts_query("  ") == ""


def test_search_index_follows_edits(store):
    (rid,) = _add(store, ParsedRecord(title="Old title", text="x"))
    store.db.execute("update records set title = 'Pomalidomide study' where id = ?", [rid])
    assert store.record_ids("pomalidomide") == [rid]
    assert store.record_ids("old") == []


def test_suggestion_detail_is_kept(store):
    from reviewer.domain import Suggestion

    (rid,) = _add(store, ParsedRecord(title="t", text="HR 0.62; 95% CI 0.48-0.80; P<.001"))
    detail = {"ci_level": 95, "ci_low": 0.48, "ci_high": 0.8, "p_value": "<.001"}
    store.replace_suggestions(
        rid,
        [
            Suggestion(
                field="hazard_ratio",
                value=[0.62],
                start=3,
                end=7,
                quote="0.62",
                confidence=0.9,
                suggester="outcomes",
                version="1",
                detail=detail,
            )
        ],
    )
    (s,) = store.suggestions(rid)
    assert s.detail == detail


def test_records_are_found_by_any_identifier(store):
    a, b, c = _add(
        store,
        ParsedRecord(title="a", text="x", doi="10.1056/nejmoa1903455", pmid="31433920"),
        ParsedRecord(title="b", text="y", pmcid="PMC4681498", trial_ids=["NCT01234567"]),
        ParsedRecord(title="c", text="z", trial_ids=["NCT01234567", "ISRCTN12345678"]),
    )
    assert store.records_with_identifier("https://doi.org/10.1056/NEJMoa1903455") == [a]
    assert store.records_with_identifier("PMID: 31433920") == [a]
    assert store.records_with_identifier("pmc4681498") == [b]
    assert store.records_with_identifier("NCT01234567") == [b, c]
    assert store.records_with_identifier("ISRCTN12345678") == [c]
    assert store.records_with_identifier("nothing") == []
    plan = store.db.execute(
        "explain query plan select record_id from record_trial_ids where trial_id = ?", ["x"]
    ).fetchall()
    assert "USING PRIMARY KEY" in str(plan) or "USING INDEX" in str(plan)
