"""Importing results from the long CSV: matching, checking whole, provenance, idempotence."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.results_csv import ResultsImportError, import_results
from reviewer.review.project import create_review
from reviewer.store import results as rs

TEXT = ("Methods. 120 patients were assigned to lenalidomide and 118 to placebo. "
        "Results. Death occurred in 12/120 (10%) vs 20/118 (17%). The hazard ratio for "
        "progression was 0.62 (95% CI 0.48-0.80).")  # fmt: skip


@pytest.fixture
def store(tmp_path):
    s = create_review(tmp_path / "r.review")
    s.add_records(None, [
        ParsedRecord(title="Lenalidomide in myeloma", doi="10.1000/len.1", text=TEXT),
        ParsedRecord(title="Another trial", text="Nothing here."),
    ])  # fmt: skip
    yield s
    s.close()


def write(path: Path, rows: list[dict]) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows(rows)
    return path


ROWS = [
    {"doi": "https://doi.org/10.1000/LEN.1", "outcome": "Death", "timepoint": "2 years",
     "arm": "Lenalidomide", "role": "experimental", "n": "120", "events": "12",
     "quote": "12/120 (10%)"},
    {"doi": "10.1000/len.1", "outcome": "Death", "timepoint": "2 years", "arm": "Placebo",
     "role": "control", "n": "118", "events": "20", "quote": "20/118 (17%)"},
    {"title": "LENALIDOMIDE in myeloma!", "outcome": "Progression", "measure": "HR",
     "estimate": "0.62", "ci_low": "0.48", "ci_high": "0.80",
     "quote": "0.62 (95% CI 0.48-0.80)", "page": "3"},
]  # fmt: skip


def test_rows_become_arms_outcomes_results_and_comparisons_with_quotes(store, tmp_path):
    report = import_results(store, write(tmp_path / "r.csv", ROWS), "ann")
    assert (report.rows, report.records, report.unmatched) == (3, 1, [])
    study = rs.study_results(store, 1)
    assert [a.value("name") for a in study.arms] == ["Lenalidomide", "Placebo"]
    assert [a.value("role") for a in study.arms] == ["experimental", "control"]
    death = study.outcome_named("Death", "2 years")
    assert death.value("kind") == "dichotomous"
    res = study.result_for(death.id, study.arm_named("placebo").id)
    assert (res.value("events"), res.value("n")) == (20, 118)
    span = res.cells["events"].provenance[0]
    assert TEXT[span.start : span.end] == "20/118 (17%)"  # anchored in the record's text
    (hr,) = study.comparisons
    assert (hr.value("measure"), hr.value("estimate"), hr.value("ci_high")) == ("HR", 0.62, 0.8)
    assert hr.value("experimental") == study.arm_named("Lenalidomide").id
    assert study.get(hr.value("outcome")).value("kind") == "time_to_event"
    assert hr.cells["estimate"].provenance[0].page == 3
    assert {e.kind for e in store.events(1) if e.kind.startswith("result.")} == {"result.import"}


def test_importing_the_same_file_again_changes_nothing(store, tmp_path):
    path = write(tmp_path / "r.csv", ROWS)
    import_results(store, path, "ann")
    n_events = len(store.events())
    again = import_results(store, path, "ann")
    assert again.cells == 0 and again.unchanged > 0
    assert len(store.events()) == n_events


def test_a_bad_value_names_its_line_and_nothing_is_stored(store, tmp_path):
    rows = [*ROWS, {"record_id": "1", "outcome": "Death", "arm": "Placebo", "events": "x1"}]
    rows.append({"record_id": "1", "outcome": "Death", "arm": "A", "events": "9", "n": "5"})
    rows.append({"record_id": "1", "outcome": "Death", "measure": "XX", "estimate": "1"})
    with pytest.raises(ResultsImportError) as err:
        import_results(store, write(tmp_path / "bad.csv", rows), "ann")
    text = str(err.value)
    assert "bad.csv:5: events" in text and "bad.csv:6: 9 events among 5" in text
    assert "bad.csv:7: measure 'XX'" in text
    assert rs.cells(store, 1) == []


def test_unmatched_rows_stop_the_import_unless_skipped(store, tmp_path):
    rows = [*ROWS, {"title": "No such trial", "outcome": "Death", "arm": "A", "events": "1",
                    "n": "2"}, {"record_id": "99", "outcome": "Death", "arm": "A", "n": "3"}]  # fmt: skip
    path = write(tmp_path / "u.csv", rows)
    with pytest.raises(ResultsImportError, match="u.csv:5: no record has the title"):
        import_results(store, path, "ann")
    assert rs.cells(store, 1) == []
    report = import_results(store, path, "ann", skip_unmatched=True)
    assert report.unmatched == ["line 5: no record has the title 'No such trial'",
                                "line 6: no record 99"]  # fmt: skip
    assert report.records == 1


def test_header_problems_are_reported(store, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("arm,events,colour\nA,1,red\n", encoding="utf-8")
    with pytest.raises(ResultsImportError) as err:
        import_results(store, path, "ann")
    assert "unknown columns: colour" in str(err.value)
    assert "'outcome' column is needed" in str(err.value)
