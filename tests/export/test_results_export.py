"""Results handed over: the long CSV (and back), RevMan's CSVs, metafor's CSV and script."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reviewer.analysis.dataset import analyse
from reviewer.export.formats import export
from reviewer.ingest.importer import import_paths
from reviewer.ingest.results_csv import import_results
from reviewer.review.project import create_review
from reviewer.store import results as rs

DATA = Path(__file__).resolve().parent.parent / "data" / "results"


@pytest.fixture
def bcg(tmp_path):
    store = create_review(tmp_path / "bcg.review")
    import_paths(store, [DATA / "bcg_records.ris"])
    import_results(store, DATA / "bcg_results.csv", "tester")
    yield store
    store.close()


def read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_long_csv_goes_out_and_comes_back_the_same(bcg, tmp_path):
    out = tmp_path / "results.csv"
    report = export(bcg, "results-csv", out)
    rows = read(out)
    assert report.rows == len(rows) == 26
    assert list(rows[0])[:17] == ["study_id", "record_id", "doi", "outcome", "timepoint", "arm",
                                  "role", "n", "events", "mean", "sd", "measure", "estimate",
                                  "ci_low", "ci_high", "quote", "page"]  # fmt: skip
    assert rows[0]["study_id"] == "Aronson 1948" and rows[0]["events"] == "4"
    # a second review with the same records takes the file back
    other = create_review(tmp_path / "copy.review")
    import_paths(other, [DATA / "bcg_records.ris"])
    back = import_results(other, out, "tester")
    assert back.records == 13 and back.unmatched == []
    a, b = analyse(bcg, "Tuberculosis", "RR"), analyse(other, "Tuberculosis", "RR")
    assert b.pooled.estimate == pytest.approx(a.pooled.estimate)
    # and into the review it came from, it changes nothing
    assert import_results(bcg, out, "tester").cells == 0
    other.close()


def test_cells_that_could_run_as_formulas_are_neutralised(bcg, tmp_path):
    arm = rs.study_results(bcg, 1).arms[0]
    rs.set_cell(bcg, 1, arm.id, "name", '=HYPERLINK("http://x")', "tester")
    out = tmp_path / "r.csv"
    export(bcg, "results-csv", out)
    names = {r["arm"] for r in read(out)}
    assert '\'=HYPERLINK("http://x")' in names


def test_revman_csvs(bcg, tmp_path):
    report = export(bcg, "revman", tmp_path / "revman")
    info = read(tmp_path / "revman" / "study_information.csv")
    arms = read(tmp_path / "revman" / "study_arms.csv")
    results = read(tmp_path / "revman" / "study_results.csv")
    assert len(info) == 13 and len(arms) == 26 and len(results) == 26
    assert report.sheets == {"study_information.csv": 13, "study_arms.csv": 26,
                             "study_results.csv": 26}  # fmt: skip
    assert info[0]["Study ID"] == "Aronson 1948" and info[0]["Year"] == "1948"
    assert arms[0]["Group"] == "Experimental" and arms[1]["Group"] == "Control"
    first = results[0]
    assert (first["Outcome"], first["Data type"], first["Events"], first["Total"]) == (
        "Tuberculosis", "Dichotomous", "4", "123")  # fmt: skip


def test_metafor_csv_and_script(bcg, tmp_path):
    report = export(bcg, "metafor", tmp_path / "bcg.csv",
                    analysis={"outcome": "Tuberculosis", "measure": "RR", "model": "random",
                              "method": "REML"})  # fmt: skip
    rows = read(tmp_path / "bcg.csv")
    assert report.rows == 13 and list(rows[0])[:6] == ["study", "record_id", "ai", "n1i", "ci",
                                                       "n2i"]  # fmt: skip
    assert (rows[0]["ai"], rows[0]["n1i"], rows[0]["ci"], rows[0]["n2i"]) == ("4", "123", "11",
                                                                              "139")  # fmt: skip
    script = (tmp_path / "bcg.R").read_text(encoding="utf-8")
    assert 'read.csv(file.path(here, "bcg.csv")' in script
    assert 'escalc(measure = "RR", ai = ai, n1i = n1i, ci = ci, n2i = n2i' in script
    assert 'rma(yi, vi, data = dat, method = "REML"' in script
    with pytest.raises(ValueError, match="--outcome and --measure"):
        export(bcg, "metafor", tmp_path / "x.csv", analysis={})


def test_metafor_csv_carries_reported_estimates(bcg, tmp_path):
    study = rs.study_results(bcg, 1)
    outcome = study.outcomes[0]
    # study 1 reports only a risk ratio with its CI
    for r in study.results:
        rs.delete_item(bcg, 1, r.id, "tester")
    from reviewer.domain.results import new_item_id
    from reviewer.store.results import CellChange

    c = new_item_id("comparison")
    rs.set_cells(bcg, 1, [CellChange(c, "outcome", outcome.id),
                          CellChange(c, "experimental", study.arms[0].id),
                          CellChange(c, "control", study.arms[1].id),
                          CellChange(c, "measure", "RR"), CellChange(c, "estimate", 0.41),
                          CellChange(c, "ci_low", 0.13), CellChange(c, "ci_high", 1.26)],
                 "tester")  # fmt: skip
    export(bcg, "metafor", tmp_path / "m.csv", analysis={"outcome": "Tuberculosis",
                                                        "measure": "RR"})  # fmt: skip
    first = read(tmp_path / "m.csv")[0]
    assert first["ai"] == "" and float(first["reported_yi"]) == pytest.approx(-0.8916, abs=1e-3)
    assert first["source"] == "estimate with its 95% CI"


def _metafor_available() -> bool:
    import shutil
    import subprocess

    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(["Rscript", "-e", "library(metafor)"], capture_output=True, timeout=60)
    return probe.returncode == 0


@pytest.mark.skipif(not _metafor_available(), reason="R with metafor is not installed")
def test_the_r_script_runs_on_the_exported_csv_and_agrees(bcg, tmp_path):
    import re
    import subprocess

    export(bcg, "metafor", tmp_path / "bcg.csv",
           analysis={"outcome": "Tuberculosis", "measure": "RR", "method": "REML"})  # fmt: skip
    out = subprocess.run(["Rscript", str(tmp_path / "bcg.R")], capture_output=True, text=True,
                         timeout=120, cwd="/")  # fmt: skip
    assert out.returncode == 0, out.stderr
    tau2 = float(re.search(r"tau\^2 \(estimated amount of total heterogeneity\): ([\d.]+)",
                           out.stdout).group(1))  # fmt: skip
    estimate = float(re.search(r"estimate\s+se.*\n\s*(-?[\d.]+)", out.stdout).group(1))
    ours = analyse(bcg, "Tuberculosis", "RR", "random", "REML").pooled
    assert tau2 == pytest.approx(ours.tau2, abs=1e-4)
    assert estimate == pytest.approx(ours.estimate, abs=1e-4)


def test_the_whole_review_json_carries_results_and_comes_back(bcg, tmp_path):
    from reviewer.export.json_import import import_review_json

    export(bcg, "json", tmp_path / "all.json")
    again = import_review_json(tmp_path / "all.json", tmp_path / "again.review", reviewer="t")
    a, b = rs.study_results(bcg, 1), rs.study_results(again, 1)
    assert {(i, f): c.value for i, it in a.items.items() for f, c in it.cells.items()} == {
        (i, f): c.value for i, it in b.items.items() for f, c in it.cells.items()}  # fmt: skip
    assert analyse(again, "Tuberculosis", "RR").pooled.estimate == pytest.approx(
        analyse(bcg, "Tuberculosis", "RR").pooled.estimate)  # fmt: skip
    again.close()
