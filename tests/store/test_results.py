"""Results cells in the store: values with provenance, one event each, cascades, undo."""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord, Span
from reviewer.domain.results import new_item_id
from reviewer.review import events as ev
from reviewer.review.project import create_review
from reviewer.store import Store
from reviewer.store import results as rs
from reviewer.store.results import CellChange


@pytest.fixture
def store(tmp_path):
    s = create_review(tmp_path / "r.review")
    s.add_records(None, [ParsedRecord(title="A trial", text="Of 240 patients, 120 got drug.")])
    yield s
    s.close()


def arm_and_result(store: Store) -> tuple[str, str, str]:
    arm, outcome, result = new_item_id("arm"), new_item_id("outcome"), new_item_id("result")
    text = store.record(1).text
    at = text.index("240")
    span = Span.from_text(text, at, at + 3)
    rs.set_cells(store, 1, [
        CellChange(arm, "name", "Drug"),
        CellChange(arm, "role", "experimental"),
        CellChange(arm, "n_randomised", "120", [span]),
        CellChange(outcome, "name", "Death"),
        CellChange(result, "outcome", outcome),
        CellChange(result, "arm", arm),
        CellChange(result, "events", 12),
    ], "ann")  # fmt: skip
    return arm, outcome, result


def test_cells_hold_values_with_provenance_and_each_change_is_an_event(store):
    arm, outcome, result = arm_and_result(store)
    study = rs.study_results(store, 1)
    assert [a.id for a in study.arms] == [arm]
    assert study.arms[0].value("n_randomised") == 120  # the text "120" became a number
    assert study.arms[0].cells["n_randomised"].provenance[0].quote == "240"
    assert study.result_for(outcome, arm).value("events") == 12
    events = [e for e in store.events(1) if e.kind.startswith("result.")]
    assert len(events) == 7
    e = events[2]
    assert (e.reviewer, e.payload["item"], e.payload["field"], e.payload["after"]) == (
        "ann", arm, "n_randomised", 120)  # fmt: skip
    assert ev.state_key(e.kind, e.record_id, e.reviewer, e.payload) == (
        "result", 1, arm, "n_randomised")  # fmt: skip


def test_bad_values_are_refused_before_anything_is_written(store):
    arm = new_item_id("arm")
    with pytest.raises(ValueError, match="Participants randomised: a whole number"):
        rs.set_cells(store, 1, [CellChange(arm, "name", "A"),
                                CellChange(arm, "n_randomised", "12.5")], "ann")  # fmt: skip
    assert rs.cells(store, 1) == []
    with pytest.raises(ValueError, match="choose one of"):
        rs.set_cell(store, 1, arm, "role", "placebo", "ann")
    result = new_item_id("result")
    with pytest.raises(ValueError, match="has no arm"):
        rs.set_cell(store, 1, result, "arm", new_item_id("arm"), "ann")
    with pytest.raises(ValueError, match="no record 9"):
        rs.set_cell(store, 9, arm, "name", "A", "ann")


def test_deleting_an_arm_clears_its_results_and_logs_what_they_held(store):
    arm, _outcome, result = arm_and_result(store)
    n = rs.delete_item(store, 1, arm, "ann")
    assert n == 3 + 3  # the arm's cells and the result's
    study = rs.study_results(store, 1)
    assert study.arms == [] and study.results == [] and len(study.outcomes) == 1
    cleared = [e for e in store.events(1) if e.kind == "result.clear"]
    assert {(e.payload["item"], e.payload["field"]) for e in cleared} >= {(result, "events")}
    assert any(e.payload["before"] == 12 for e in cleared)


def test_set_state_restores_a_snapshot_cell_by_cell(store):
    arm, _o, _r = arm_and_result(store)
    before = {(c.item, c.field): c for c in rs.cells(store, 1)}
    rs.set_cell(store, 1, arm, "name", "Lenalidomide", "ann")
    rs.delete_item(store, 1, arm, "ann")
    changed = rs.set_state(store, 1, before, "ann", "result.undo")
    assert changed == 6
    now = {(c.item, c.field): (c.value, c.provenance) for c in rs.cells(store, 1)}
    assert now == {k: (c.value, c.provenance) for k, c in before.items()}
    assert rs.set_state(store, 1, before, "ann", "result.undo") == 0


def test_records_with_results_and_all_results(store):
    store.add_records(None, [ParsedRecord(title="Another", text="x")])
    arm_and_result(store)
    assert rs.records_with_results(store) == [1]
    assert [r.record_id for r in rs.all_results(store)] == [1]
    assert list(rs.all_results(store, [2])) == []


def test_the_migration_made_the_table(store):
    cols = {r[1] for r in store.db.execute("pragma table_info(result_cells)")}
    assert cols == {"record_id", "item", "field", "value", "reviewer", "time", "provenance"}
