"""The window's parts on their own: each component built from a ``Session`` on a real
review (operations run inline on its store, jobs synchronously) and the few widgets
it works on, with no main window, and its actions pressed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from reviewer.domain import Suggestion
from reviewer.review import extraction
from reviewer.review import operations as op
from reviewer.store import Store
from reviewer.suggest import SUGGESTER_VERSION
from reviewer.ui.document_view import DocumentView
from reviewer.ui.extraction_actions import ExtractionActions
from reviewer.ui.filter_panel import FilterPanel
from reviewer.ui.form import ExtractionForm
from reviewer.ui.jobs import JobRunner
from reviewer.ui.operations import Operations
from reviewer.ui.rank_model import RankedRecordModel
from reviewer.ui.record_list import RecordList
from reviewer.ui.screening_actions import ScreeningActions
from reviewer.ui.session import Session

TA = "title_abstract"


@pytest.fixture
def session(qtbot, store, sync_jobs):
    ops = Operations.inline(store)
    s = Session(store, ops, JobRunner(), "ann")
    changes = []
    ops.operation_did_execute.connect(lambda c, who: changes.append((c, who)))
    s.changes = changes  # type: ignore[attr-defined]
    return s


def _record_list(session: Session) -> RecordList:
    records = RecordList(session, QTableView(), QLineEdit(), FilterPanel(), QLabel())
    records.current_changed.connect(lambda rid: setattr(session, "current_id", rid))
    records.attach(RankedRecordModel(session.store, session.reviewer, session.stage))
    return records


def _extraction(session: Session, qtbot) -> ExtractionActions:
    form, document = ExtractionForm(), DocumentView()
    qtbot.addWidget(form)
    qtbot.addWidget(document)
    form.set_template(session.template)
    document.set_fields([(f.key, f.label, f.group) for f in session.template.fields])
    return ExtractionActions(session, form, document)


class ToTheLast:
    """A stand-in for the ranking: the next record is always the list's last one."""

    def __init__(self, records: RecordList):
        self.records = records
        self.asked: list[int | None] = []

    def next_undecided(self, done: int) -> int | None:
        self.asked.append(done)
        return int(self.records.model.ids[-1])

    def next_undecided_after(self, current: int | None) -> int | None:
        self.asked.append(current)
        return None


# -- screening ----------------------------------------------------------------------------


def test_screening_decides_by_its_buttons_and_moves_on(qtbot, session, store):
    records = _record_list(session)
    screening = ScreeningActions(session, records)
    records.current_changed.connect(lambda _rid: screening.show_decision())
    screening.reload_reasons()
    records.select_row(0)
    first = session.current_id
    assert first == records.model.ids[0]
    assert screening.decision_label.text() == "Not screened yet"
    assert screening.buttons["include"].isEnabled()

    screening.buttons["include"].click()
    assert store.decision(first, TA, "ann").decision == "include"
    assert session.current_id == records.model.ids[1]  # the next undecided, in import order
    assert session.said == f"Record {first}: include"
    (changes, initiator), = session.changes
    assert changes.decisions and changes.records == {first} and initiator is session

    session.stack.undo()  # the decision was one undoable step
    assert store.decision(first, TA, "ann") is None


def test_screening_asks_its_ranking_for_the_next_record(qtbot, session, store):
    records = _record_list(session)
    ranking = ToTheLast(records)
    screening = ScreeningActions(session, records, ranking)
    reason = "wrong population"
    screening.reason_combo.addItem(reason, reason)
    records.select_row(2)
    done = session.current_id
    screening.reason_combo.setCurrentIndex(screening.reason_combo.findData(reason))
    screening.decide("exclude")
    d = store.decision(done, TA, "ann")
    assert (d.decision, d.reason) == ("exclude", reason)
    assert ranking.asked == [done]
    assert session.current_id == records.model.ids[-1]
    screening.go_to_next_undecided()  # the ranking finds none: said, not moved
    assert session.said == "No undecided record left in the list"
    assert session.current_id == records.model.ids[-1]


def test_screening_decides_every_selected_row_as_one_step(qtbot, session, store):
    records = _record_list(session)
    screening = ScreeningActions(session, records)
    records.select_row(0)
    model = records.model
    chosen = QItemSelection(model.index(0, 0), model.index(3, 0))
    records.table.selectionModel().select(
        chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows,
    )  # fmt: skip
    screening.decide("maybe")
    ids = [int(i) for i in model.ids[:4]]
    assert [store.decision(i, TA, "ann").decision for i in ids] == ["maybe"] * 4
    assert "Recorded maybe on 4 records" in screening.bulk.last_message
    screening.bulk.undo()  # one Ctrl+Z puts all four back
    assert all(store.decision(i, TA, "ann") is None for i in ids)


def test_screening_in_a_read_only_review_records_nothing(qtbot, demo_review, sync_jobs):
    store = Store(demo_review, read_only=True)
    try:
        session = Session(store, Operations.inline(store), JobRunner(), "ann")
        records = _record_list(session)
        screening = ScreeningActions(session, records)
        records.select_row(0)
        screening.show_decision()
        assert not screening.buttons["include"].isEnabled()
        screening.decide("include")
        assert session.said == "The review is open read-only: no decision recorded"
        assert store.decision(records.model.ids[0], TA, "ann") is None
    finally:
        store.close()


def test_the_record_list_filters_searches_and_finds_a_record(qtbot, session, store):
    records = _record_list(session)
    everything = list(records.model.ids)
    records.search.setText("azacitidine")
    records.apply_search()  # a search runs as a job (here at once)
    found = list(records.model.ids)
    assert 0 < len(found) < len(everything)
    hidden = next(rid for rid in everything if rid not in found)
    records.go_to_record(hidden)  # not in the list: search and filters are cleared
    assert records.search.text() == "" and session.current_id == hidden
    assert records.filter_counts["total"] == len(everything)
    records.search_timer.stop()  # the cleared search would run again a moment later


# -- extraction ---------------------------------------------------------------------------


def _suggest(store: Store, rid: int, field: str, value, quote: str) -> int:
    text = store.record(rid).text
    start = text.index(quote)
    store.replace_suggestions(rid, [Suggestion(
        field=field, value=value, start=start, end=start + len(quote), quote=quote,
        confidence=0.9, suggester="test", version=SUGGESTER_VERSION,
    )])  # fmt: skip
    (s,) = extraction.pending_by_field(store, rid)[field]
    return s.id


def _with_text(store: Store, word: str) -> int:
    return next(r for r in store.record_ids() if word in store.record(r).text)


def test_extraction_sets_a_field_from_the_text_and_undoes_it(qtbot, session, store):
    x = _extraction(session, qtbot)
    rid = _with_text(store, "62.5")
    session.current_id = rid
    x.show_record(rid)
    start = store.record(rid).text.index("62.5")
    x.set_field_from_text("age", start, start + 4)
    fv = store.values(rid)["age"]
    assert fv.value == 62.5 and fv.provenance[0].quote == "62.5"
    changes, initiator = session.changes[-1]
    assert changes.fields == {"age"} and changes.undo and initiator is session
    assert session.stack.undo_label.startswith("set")
    session.ops.undo()
    assert "age" not in store.values(rid)


def test_extraction_accepts_a_suggestion_and_rejects_another(qtbot, session, store):
    x = _extraction(session, qtbot)
    rid = _with_text(store, "62.5")
    session.current_id = rid
    sid = _suggest(store, rid, "age", 62.5, "62.5")
    x.show_record(rid)
    assert x.form.editors["age"].suggestion_row.isVisibleTo(x.form)
    x.accept_suggestion(sid)
    assert store.values(rid)["age"].value == 62.5
    assert x.form.editors["age"].text() == "62.5"  # the form shows it at once
    session.ops.undo()
    assert "age" not in store.values(rid)

    sid = _suggest(store, rid, "age", 62.5, "62.5")
    x.reject_suggestion(sid)
    assert extraction.pending_by_field(store, rid).get("age", []) == []
    assert "age" not in store.values(rid)


def test_extraction_saves_typed_values_and_keeps_notes(qtbot, session, store):
    x = _extraction(session, qtbot)
    rid = store.record_ids()[0]
    session.current_id = rid
    x.show_record(rid)
    assert x.save_value("sample_size", "not a number")  # an error, said beside the field
    assert x.save_value("sample_size", "182") is None
    assert store.values(rid)["sample_size"].value == 182
    before = len(store.highlights(rid))
    session.run(op.add_note(session.stack, rid, 0, 5, "check this", session.reviewer))
    (note,) = [h for h in store.highlights(rid)][before:]
    x.edit_note(note.id, "checked")
    assert store.highlight(note.id).note == "checked"
    x.delete_note(note.id)
    assert len(store.highlights(rid)) == before
    session.ops.undo()  # the deleted note comes back
    assert store.highlight(note.id).note == "checked"


# -- results ------------------------------------------------------------------------------


class ToldFields:
    """A stand-in for the form's actions: what the results tabs tell them."""

    def __init__(self, session: Session):
        self.session = session
        self.told: list[str] = []

    def set_field_from_text(self, key: str, start: int, end: int, append: bool = False) -> None:
        self.told.append(f"set {key}")

    def highlight_field(self, key: str) -> None:
        self.told.append(f"highlight {key}")

    def template_changed(self, template) -> None:
        self.session.template = template
        self.told.append("template")

    def refresh_highlights(self) -> None:
        self.told.append("highlights")


def test_results_add_rob2_to_the_template_as_one_change(qtbot, session, store):
    from reviewer.analysis import rob2
    from reviewer.ui.results_actions import ResultsController

    form, document = ExtractionForm(), DocumentView()
    qtbot.addWidget(form)
    qtbot.addWidget(document)
    fields = ToldFields(session)
    results = ResultsController(session, form, document, fields)
    qtbot.addWidget(results.tabs)
    session.current_id = store.record_ids()[0]
    results.show_record(session.current_id)
    assert results.rob.missing_scroll.isVisibleTo(results.rob)  # no RoB 2 fields yet
    results.add_rob2()
    assert rob2.has_rob2(store.template())
    assert fields.told == ["template"]
    assert results.tabs.currentWidget() is results.rob
    assert results.rob.scroll.isVisibleTo(results.rob)  # its questions, for this record
    (changes, initiator) = session.changes[-1]
    assert changes.template and initiator is results
    results.add_rob2()  # already there: nothing more
    assert len(session.changes) == 1
