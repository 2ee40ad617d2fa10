"""The event core: the kinds, ``apply`` for each, undo as events, and ``reviewer check``."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest

from reviewer.annotate.undo import UndoStack
from reviewer.cli import main
from reviewer.domain import Decision, Event, Highlight, ParsedRecord, Source, Span
from reviewer.domain.events import PAYLOADS, EventKind, make, payload_of
from reviewer.review import merge as mg
from reviewer.review import screening as sc
from reviewer.review import settings, tags
from reviewer.review.screening_undo import DecisionChange
from reviewer.store import Store
from reviewer.store.apply import apply
from reviewer.store.check import check_review
from tests.consistency import assert_consistent

K = EventKind

# The strings other copies and the shared server already hold: they never change.
STORED = [
    "decision.set",
    "decision.clear",
    "decision.undo",
    "decision.redo",
    "resolution.set",
    "resolution.clear",
    "value.set",
    "value.clear",
    "value.accept",
    "value.import",
    "value.undo",
    "value.redo",
    "value.span_add",
    "value.span_remove",
    "suggestion.accepted",
    "suggestion.rejected",
    "result.set",
    "result.clear",
    "result.import",
    "result.undo",
    "result.redo",
    "result.span_add",
    "highlight.add",
    "highlight.note",
    "highlight.delete",
    "highlight.orphan",
    "highlight.restore",
    "record.text_replace",
    "orphan.reattach",
    "orphan.dismiss",
    "tag.add",
    "tag.remove",
    "setting.set",
    "template.set",
    "field.rename",
    "source.label",
    "fulltext.attach",
    "records.add",
    "review.import",
    "duplicate.confirm",
    "duplicate.reject",
    "duplicate.unmerge",
    "merge.conflict",
    "merge.settle",
    "merge.done",
]


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Event core", template)
    with s.atomic():
        sid = s.add_source(Source(name="t.ris", sha256="a" * 64, size=1, format="ris"))
        s.add_records(
            sid, [ParsedRecord(title=f"Study {i}", text=f"Abstract {i}") for i in range(1, 5)]
        )
    yield s
    if not s.closed:
        s.close()


def row(store, sql, *params):
    return store.db.execute(sql, params).fetchone()


def put(store, kind, record_id=None, reviewer="ann", **payload):
    """Apply one event to the store's tables (without logging it) and return it."""
    event = Event(reviewer=reviewer, kind=kind, record_id=record_id, payload=payload)
    with store.atomic():
        apply(store.db, event)
    return event


# -- the kinds ---------------------------------------------------------------------------


def test_the_kinds_are_the_strings_already_stored():
    assert sorted(k.value for k in EventKind) == sorted(STORED)
    assert EventKind("decision.set") is K.DECISION_SET and K.DECISION_SET == "decision.set"


def test_payloads_are_typed_and_checked():
    assert all(k in PAYLOADS for k in (K.DECISION_UNDO, K.VALUE_IMPORT, K.RESULT_SET))
    with pytest.raises(ValueError):
        make(K.DECISION_SET, "ann", 1, after="include")  # no stage
    e = make(K.DECISION_SET, "ann", 1, stage="title_abstract", after="include", extra=1)
    assert payload_of(e).after == "include" and payload_of(e).model_extra == {"extra": 1}


# -- apply, kind by kind -------------------------------------------------------------------


def test_apply_decisions_and_their_undo_and_redo(store):
    ta = "title_abstract"
    put(store, K.DECISION_SET, 1, stage=ta, after="exclude", reason="r", note="n")
    assert row(store, "select decision, reason, note from decisions") == ("exclude", "r", "n")
    put(store, K.DECISION_UNDO, 1, stage=ta, before="exclude", after="include", undoes="x")
    assert row(store, "select decision, reason from decisions") == ("include", "")
    put(store, K.DECISION_UNDO, 1, stage=ta, before="include", after=None)
    assert row(store, "select count(*) from decisions") == (0,)
    put(store, K.DECISION_REDO, 1, stage=ta, after="maybe")
    put(store, K.DECISION_SET, 1, reviewer="bob", stage=ta, after="include")
    put(store, K.DECISION_CLEAR, 1, stage=ta, before="maybe", after=None)
    assert store.db.execute("select reviewer, decision from decisions").fetchall() == [
        ("bob", "include")
    ]


def test_apply_resolutions(store):
    put(store, K.RESOLUTION_SET, 2, reviewer="cat", stage="title_abstract", after="include")
    assert row(store, "select decision, resolver from resolutions") == ("include", "cat")
    put(store, K.RESOLUTION_CLEAR, 2, reviewer="cat", stage="title_abstract", after=None)
    assert row(store, "select count(*) from resolutions") == (0,)


def test_apply_values_keeps_a_carried_time(store):
    span = Span(start=0, end=8, quote="Abstract").model_dump()
    put(store, K.VALUE_SET, 1, field="n", after=12, provenance=[span])
    value, prov = row(store, "select value, provenance from field_values")
    assert (json.loads(value), json.loads(prov)[0]["quote"]) == (12, "Abstract")
    put(store, K.VALUE_IMPORT, 2, field="n", after=3, time="2001-01-01T00:00:00+00:00")
    assert row(store, "select time from field_values where record_id = 2") == (
        "2001-01-01T00:00:00+00:00",
    )
    for kind in (K.VALUE_UNDO, K.VALUE_CLEAR):
        put(store, kind, 1, field="n", after=None)
    assert row(store, "select count(*) from field_values where record_id = 1") == (0,)
    put(store, K.FIELD_RENAME, old="n", new="sample")
    assert row(store, "select field from field_values") == ("sample",)


def test_apply_result_cells(store):
    put(store, K.RESULT_SET, 1, item="arm:1", field="n", after=40)
    assert row(store, "select item, value from result_cells") == ("arm:1", "40")
    put(store, K.RESULT_UNDO, 1, item="arm:1", field="n", after=None)
    assert row(store, "select count(*) from result_cells") == (0,)


def test_apply_tags_settings_template_and_source_label(store, template):
    put(store, K.TAG_ADD, 1, tag="RCT")
    assert row(store, "select tag, reviewer from record_tags") == ("RCT", "ann")
    put(store, K.TAG_REMOVE, 1, tag="rct")  # tags compare without case
    assert row(store, "select count(*) from record_tags") == (0,)
    put(store, K.SETTING_SET, name="blinded", before=False, after=True)
    assert settings.is_blinded(store)
    renamed = template.model_copy(update={"name": "Renamed"})
    put(store, K.TEMPLATE_SET, template=renamed.model_dump(mode="json"))
    assert store.template().name == "Renamed"
    put(store, K.SOURCE_LABEL, source_id=1, before=None, after="MEDLINE")
    assert store.sources()[0].label == "MEDLINE"


def test_apply_highlights_by_id(store):
    span = Span(start=0, end=5, quote="Abstr").model_dump()
    put(store, K.HIGHLIGHT_ADD, 1, id=7, field=None, span=span, note="look")
    assert row(store, "select id, note from highlights") == (7, "look")
    put(store, K.HIGHLIGHT_NOTE, 1, id=7, before="look", after="checked")
    kept = store.highlight(7)
    assert kept.note == "checked"
    put(store, K.HIGHLIGHT_DELETE, 1, highlight=kept.model_dump(mode="json"))
    assert row(store, "select count(*) from highlights") == (0,)
    put(store, K.HIGHLIGHT_RESTORE, 1, id=7, highlight=kept.model_dump(mode="json"))
    assert store.highlight(7).note == "checked"


def test_apply_suggestion_verdicts(store):
    from reviewer.domain import Suggestion

    store.replace_suggestions(
        1,
        [
            Suggestion(
                record_id=1,
                field="n",
                value=12,
                start=0,
                end=1,
                quote="A",
                confidence=0.9,
                suggester="t",
                version="1",
            )
        ],  # fmt: skip
    )
    put(store, K.SUGGESTION_REJECTED, 1, field="n", value=12, suggestion_id=999)
    assert row(store, "select status from suggestions") == ("rejected",)


def test_apply_duplicates_and_merge_bookkeeping(store):
    put(store, K.DUPLICATE_CONFIRM, 2, candidate_of=1, duplicate_of=1, before={"2": None})
    assert row(store, "select duplicate_of from records where id = 2") == (1,)
    put(store, K.DUPLICATE_UNMERGE, 2, before=1)
    assert row(store, "select duplicate_of from records where id = 2") == (None,)
    key = ["decision", 1, "title_abstract", "ann"]
    kept = {"decision": "include", "reason": "", "note": "", "time": "t1"}
    conflict = put(store, K.MERGE_CONFLICT, 1, key=key, kept=kept, other=None, source="b")
    assert row(store, "select decision from decisions") == ("include",)  # kept is kept
    assert row(store, "select id, settled_at from merge_conflicts") == (conflict.id, None)
    put(store, K.MERGE_SETTLE, 1, key=key, conflicts=[conflict.id], choice="other", state=None)
    assert row(store, "select count(*) from decisions") == (0,)
    assert row(store, "select choice from merge_conflicts") == ("other",)


def test_apply_leaves_unknown_and_unreplayable_kinds_alone(store):
    before = store.db.execute("select count(*) from decisions").fetchone()
    put(store, "something.new", 1, stage="title_abstract", after="include")
    put(store, K.FULLTEXT_ATTACH, 1, sha256="0" * 64)
    put(store, K.MERGE_DONE, source="x")
    assert store.db.execute("select count(*) from decisions").fetchone() == before


# -- undo is an event -----------------------------------------------------------------------


def test_window_undo_and_redo_of_a_decision_are_their_own_events(store):
    stack = UndoStack(store)
    sc.decide(store, 1, "include", "ann")
    stack.push(DecisionChange(Decision(record_id=1, stage="title_abstract", reviewer="ann",
                                       decision="exclude", reason="")))  # fmt: skip
    assert store.decision(1, "title_abstract", "ann").decision == "exclude"
    stack.undo()
    assert store.decision(1, "title_abstract", "ann").decision == "include"
    stack.redo()
    assert store.decision(1, "title_abstract", "ann").decision == "exclude"
    stack.undo()
    kinds = [e.kind for e in store.events()]
    assert kinds == ["decision.set", "decision.set", "decision.undo", "decision.redo",
                     "decision.undo"]  # fmt: skip
    events = store.events()
    assert events[2].payload["undoes"] == events[1].id
    assert events[4].payload["undoes"] == events[3].id
    assert_consistent(store)
    # the command line's undo knows the window undid the exclude: it takes back the include
    assert sc.undo_last_decision(store, "ann", "title_abstract") == 1
    assert store.decision(1, "title_abstract", "ann") is None
    assert_consistent(store)


def test_undoing_a_first_decision_clears_it_with_an_undo_event(store):
    stack = UndoStack(store)
    stack.push(DecisionChange(Decision(record_id=2, stage="title_abstract", reviewer="ann",
                                       decision="include")))  # fmt: skip
    stack.undo()
    assert store.decision(2, "title_abstract", "ann") is None
    assert [e.kind for e in store.events()] == ["decision.set", "decision.undo"]
    assert_consistent(store)


# -- reviewer check -----------------------------------------------------------------------------


def _workload(store):
    sc.decide(store, 1, "include", "ann")
    sc.decide(store, 1, "exclude", "bob", reason="")
    sc.decide(store, 2, "maybe", "ann")
    sc.undo_last_decision(store, "ann", "title_abstract")
    sc.resolve(store, 1, "title_abstract", "include", "", "cat")
    store.set_value(1, "sample_size", 120, "ann", [Span(start=0, end=8, quote="Abstract")])
    store.set_value(3, "sample_size", 40, "ann")
    store.set_value(3, "sample_size", None, "ann")
    tags.add_tag(store, 4, "Ask author", "ann")
    settings.set_blinded(store, False, "ann")
    hid = store.add_highlight(Highlight(record_id=2, span=Span(start=0, end=3, quote="Abs"),
                                        note="why?", reviewer="ann"))  # fmt: skip
    store.set_highlight_note(hid, "answered", "bob")
    return hid


def test_check_passes_on_a_review_whose_state_follows_its_log(store):
    _workload(store)
    report = check_review(store)
    assert report.ok, list(report.lines())
    assert report.integrity == ["ok"] and report.events == len(store.events())


@pytest.mark.parametrize(
    ("corrupt", "named"),
    [
        ("update decisions set decision = 'include' where reviewer = 'bob'",
         "decisions [record_id=1, stage=title_abstract, reviewer=bob] decision"),
        ("delete from field_values where record_id = 1",
         "field_values [record_id=1, field=sample_size]: row in the log only"),
        ("insert into field_values (record_id, field, value, reviewer, time, provenance) "
         "values (2, 'sample_size', '7', 'x', 't', '[]')",
         "field_values [record_id=2, field=sample_size]: row stored but not in the log"),
        ("update highlights set note = 'tampered'", "highlights [record_id=2"),
        ("update review_meta set value = 'true' where key like 'setting.%'",
         "review_meta [key=setting."),
        ("delete from record_tags", "record_tags [record_id=4, tag=Ask author]"),
        ("update resolutions set resolver = 'eve'", "resolutions [record_id=1"),
        ("insert into records_fts(records_fts, rowid, title, authors, text) "
         "values ('delete', 3, 'Study 3', '[]', 'Abstract 3')",
         "records row 3 is not in records_fts"),
    ],
)  # fmt: skip
def test_check_names_a_hand_corrupted_state(store, corrupt, named):
    _workload(store)
    with store.atomic():
        store.db.execute(corrupt)
    report = check_review(store)
    assert not report.ok
    lines = list(report.lines())
    assert any(named in line for line in lines), lines
    assert len(lines) == 1, lines  # only what was corrupted


def test_check_on_the_command_line(demo_review, tmp_path, capsys):
    """import + suggest --apply + decisions + merge + JSON round trip, then `check`.

    The commands run in this process (``reviewer.cli.main``, what ``python -m reviewer``
    calls); the last, failing check runs as its own process, for the exit status."""

    def cli(*args, ok=(0,)):
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        assert code in ok, out.err
        return out

    other = tmp_path / "other.review"
    shutil.copy(demo_review, other)
    review = str(demo_review)
    cli("--review", review, "import", "tests/data/corpus/ris/colrev/ris_data.ris")
    cli("--review", review, "suggest", "--apply", "--reviewer", "bot")
    cli("--review", review, "decide", "1", "include", "--reviewer", "ann")
    cli("--review", str(other), "decide", "1", "exclude", "--reviewer", "ann", "--reason", "")
    cli("--review", str(other), "decide", "2", "include", "--reviewer", "bob")
    cli("--review", review, "merge", str(other))  # a conflict on record 1
    exported = tmp_path / "r.json"
    cli("--review", review, "export", "--format", "json", "--out", str(exported))
    rebuilt = tmp_path / "rebuilt.review"
    cli("--review", str(rebuilt), "new-from-json", str(exported))
    for path in (review, str(other), str(rebuilt)):
        assert "sound" in cli("--review", path, "check").out

    conn = sqlite3.connect(review)
    conn.execute("update decisions set note = 'edited behind the log' where reviewer = 'bob'")
    conn.commit()
    conn.close()
    out = subprocess.run([sys.executable, "-m", "reviewer", "--review", review, "check", "--json"],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["ok"] is False
    assert [(d["table"], d["record_id"], d["field"]) for d in data["differences"]] == [
        ("decisions", 2, "note")
    ]


def test_merge_conflict_settled_is_still_a_projection(demo_review, tmp_path):
    other = tmp_path / "b.review"
    shutil.copy(demo_review, other)
    with Store(demo_review) as a, Store(other) as b:
        a.set_value(1, "journal", "Lancet", "ann")
        b.set_value(1, "journal", "BMJ", "ann")
        report = mg.merge(a, other, "ann")
        assert len(report.conflicts) == 1
        assert_consistent(a)
        mg.settle_conflict(a, report.conflicts[0].id, "other", "ann")
        assert a.values(1)["journal"].value == "BMJ"
        assert_consistent(a)
        mg.merge(b, demo_review, "ann")
        assert b.values(1)["journal"].value == "BMJ"
        assert_consistent(b)


def test_a_text_replaced_in_a_merged_copy_moves_nothing_here(demo_review, tmp_path):
    """Re-anchoring is local: the merged log holds the other copy's ``record.text_replace``,
    which check must not replay here (the text did not change here)."""
    from reviewer.annotate import add_note, replace_record_text

    other = tmp_path / "b.review"
    with Store(demo_review) as a:
        text = a.record(1).text
        word = text.split()[3]
        start = text.index(word)
        add_note(a, 1, start, start + len(word), "why?", "ann")
    shutil.copy(demo_review, other)
    with Store(other) as b:
        replace_record_text(b, 1, "Corrected. " + text, "bob")  # the note moves in b only
        assert b.highlights(1)[0].span.start == start + len("Corrected. ")
        assert_consistent(b)
    with Store(demo_review) as a:
        mg.merge(a, other, "ann")
        assert a.highlights(1)[0].span.start == start
        report = assert_consistent(a)
        assert report.not_compared == []  # replaced elsewhere only: its positions are compared
