"""The published check: metafor's dat.bcg (13 BCG trials, risk ratio of tuberculosis),
imported through ``reviewer import-results`` and analysed through ``reviewer analyse``.

metafor's documented results: fixed effect log RR -0.4303; DerSimonian-Laird -0.7141
(95% CI -1.0644 to -0.3638), tau² 0.3088, I² 92.1%; REML -0.7145, tau² 0.3132.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.review.project import create_review
from tests.cli_runner import run

DATA = Path(__file__).resolve().parent.parent / "data" / "results"


def cli(*args: str) -> subprocess.CompletedProcess:
    """The command in this process (tests/cli_runner.py)."""
    return run(*args, check=False, env={"REVIEWER_NAME": "tester"})


@pytest.fixture(scope="module")
def _bcg_master(tmp_path_factory) -> Path:
    """The 13 trials imported through the command line, once for the module."""
    review = tmp_path_factory.mktemp("bcg") / "bcg.review"
    create_review(review).close()
    out = cli("--review", str(review), "import", str(DATA / "bcg_records.ris"), "--json")
    assert json.loads(out.stdout)["added"] == 13, out.stderr
    out = cli("--review", str(review), "import-results", str(DATA / "bcg_results.csv"), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["rows"], report["records"], report["unmatched"]) == (26, 13, [])
    return review


@pytest.fixture
def bcg_review(_bcg_master, tmp_path) -> Path:
    review = tmp_path / "bcg.review"
    shutil.copy(_bcg_master, review)
    return review


def analyse_json(review: Path, *extra: str, capsys=None) -> dict:
    args = ["--review", str(review), "analyse", "--outcome", "Tuberculosis", "--measure", "RR",
            "--json", *extra]  # fmt: skip
    if capsys is None:
        out = cli(*args)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_bcg_through_the_command_line_matches_metafor(bcg_review, capsys):
    dl = analyse_json(bcg_review, "--model", "random")  # a real subprocess, as a user runs it
    assert dl["k"] == 13 and dl["measure"] == "RR" and dl["model"] == "random"
    assert dl["method"] == "DL"
    assert round(dl["log_estimate"], 3) == -0.714
    assert round(dl["log_ci_low"], 3) == -1.064 and round(dl["log_ci_high"], 3) == -0.364
    assert round(dl["tau2"], 3) == 0.309
    assert round(dl["i2"], 1) == 92.1
    assert dl["estimate"] == pytest.approx(0.4896, abs=5e-4)
    assert len(dl["studies"]) == 13
    assert {"record_id", "estimate", "ci_low", "ci_high", "weight"} <= set(dl["studies"][0])
    assert sum(s["weight"] for s in dl["studies"]) == pytest.approx(100)
    aronson = dl["studies"][0]
    assert aronson["estimate"] == pytest.approx((4 / 123) / (11 / 139))

    fe = analyse_json(bcg_review, "--model", "fixed", capsys=capsys)
    assert round(fe["log_estimate"], 3) == -0.430
    assert fe["tau2"] is None and fe["method"] is None

    reml = analyse_json(bcg_review, "--model", "random", "--method", "REML", capsys=capsys)
    assert round(reml["log_estimate"], 3) == -0.715  # metafor: -0.7145
    assert round(reml["tau2"], 3) == 0.313  # metafor: 0.3132


def test_forest_plot_files_and_text_output(bcg_review, tmp_path, capsys):
    png, svg = tmp_path / "forest.png", tmp_path / "forest.svg"
    args = ["--review", str(bcg_review), "analyse", "--outcome", "tuberculosis", "--measure", "rr"]
    assert main([*args, "--plot", str(png)]) == 0
    text = capsys.readouterr().out
    assert "13 studies" in text and "tau² 0.3088" in text and "Aronson 1948" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main([*args, "--plot", str(svg), "--json"]) == 0
    capsys.readouterr()
    body = svg.read_text(encoding="utf-8")
    assert body.lstrip().startswith("<?xml") and "<svg" in body


def test_unknown_outcome_lists_the_known_ones(bcg_review, capsys):
    code = main(["--review", str(bcg_review), "analyse", "--outcome", "Mortality", "--measure",
                 "RR"])  # fmt: skip
    assert code == 2
    assert "outcomes: Tuberculosis" in capsys.readouterr().err
