"""Results filled from selected words (with their neighbours), suggested, and undone."""

from __future__ import annotations

import pytest

from reviewer.annotate.results_edit import ResultsChange, set_from_selection, values_from_words
from reviewer.annotate.undo import UndoStack
from reviewer.domain import ParsedRecord
from reviewer.domain.results import new_item_id
from reviewer.review.project import create_review
from reviewer.store import results as rs
from reviewer.store.results import CellChange
from reviewer.suggest.results import suggest_results

TEXT = ("Of 238 patients, 120 were randomly assigned to lenalidomide and 118 to placebo. "
        "Death occurred in 12/120 (10%) and 20/118 (17%). Pain was 3.1 ± 1.2 vs 4.0 ± 1.5. "
        "The hazard ratio for death was 0.62 (95% CI 0.48-0.80).")  # fmt: skip


@pytest.fixture
def store(tmp_path):
    s = create_review(tmp_path / "r.review")
    s.add_records(None, [ParsedRecord(title="Trial", text=TEXT)])
    yield s
    s.close()


def at(store, words: str) -> tuple[int, int]:
    text = store.record(1).text
    i = text.index(words)
    return i, i + len(words)


def test_words_state_a_cell_and_its_neighbours():
    assert values_from_words("result", "events", "12/120 (10%)") == {"events": 12, "n": 120}
    assert values_from_words("result", "mean", "3.1 ± 1.2") == {"mean": 3.1, "sd": 1.2}
    assert values_from_words("comparison", "estimate", "HR 0.62 (95% CI 0.48-0.80)") == {
        "estimate": 0.62, "ci_low": 0.48, "ci_high": 0.8, "measure": "HR", "ci_level": 95.0}  # fmt: skip
    assert values_from_words("arm", "n_randomised", "120 patients") == {"n_randomised": 120}
    assert values_from_words("arm", "name", " lenalidomide ") == {"name": "lenalidomide"}
    with pytest.raises(ValueError, match="choose the arm in the grid"):
        values_from_words("result", "arm", "placebo")
    with pytest.raises(ValueError):
        values_from_words("result", "events", "no figures here")


def test_a_selection_sets_cells_with_the_words_as_provenance_and_undo_restores(store):
    arm, outcome, result = new_item_id("arm"), new_item_id("outcome"), new_item_id("result")
    stack = UndoStack(store)
    stack.push(ResultsChange.set_many(1, [
        CellChange(arm, "name", "Lenalidomide"), CellChange(outcome, "name", "Death"),
        CellChange(result, "outcome", outcome), CellChange(result, "arm", arm)], "ann", "add"))  # fmt: skip
    start, end = at(store, "12/120 (10%)")
    stack.push(ResultsChange.from_selection(1, result, "events", start, end, "ann"))
    r = rs.study_results(store, 1).get(result)
    assert (r.value("events"), r.value("n")) == (12, 120)
    assert r.cells["n"].provenance[0].quote == "12/120 (10%)"
    stack.undo()
    r = rs.study_results(store, 1).get(result)
    assert r.value("events") is None and r.value("arm") == arm
    stack.redo()
    assert rs.study_results(store, 1).get(result).value("n") == 120
    kinds = [e.kind for e in store.events(1)]
    assert "result.undo" in kinds and "result.redo" in kinds
    # more words as support, the value untouched
    start, end = at(store, "Death occurred")
    set_from_selection(store, 1, result, "events", start, end, "ann", append=True)
    cell = rs.study_results(store, 1).get(result).cells["events"]
    assert cell.value == 12 and [s.quote for s in cell.provenance] == ["12/120 (10%)",
                                                                      "Death occurred"]  # fmt: skip


def test_suggestions_fill_arms_then_the_selected_outcome(store):
    results = rs.study_results(store, 1)
    text = store.record(1).text
    arms = suggest_results(text, results)
    assert [g.text for g in arms] == ["new arm “lenalidomide” (experimental), 120 randomised",
                                      "new arm “placebo” (control), 118 randomised"]  # fmt: skip
    for g in arms:
        rs.set_cells(store, 1, g.changes, "ann")
    outcome = new_item_id("outcome")
    rs.set_cell(store, 1, outcome, "name", "Death", "ann")
    results = rs.study_results(store, 1)
    got = suggest_results(text, results, outcome)
    texts = [g.text for g in got]
    assert "lenalidomide: events 12, n 120" in texts and "placebo: events 20, n 118" in texts
    assert "HR 0.62 (0.48 to 0.8)" in texts
    hr = next(g for g in got if g.text.startswith("HR"))
    rs.set_cells(store, 1, hr.changes, "ann")
    (c,) = rs.study_results(store, 1).comparisons
    assert c.value("experimental") == rs.study_results(store, 1).arm_named("lenalidomide").id
    assert c.cells["estimate"].provenance[0].quote.startswith("hazard ratio for death")
