"""``reviewer simulate``, ``reviewer rank`` and the recall-curve export, as a reviewer runs them."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.ingest import import_paths
from reviewer.review import screening
from reviewer.review.project import create_review
from tests.test_cli import run

LABELLED = Path(__file__).resolve().parent.parent / "data" / "ranking" / "labelled.csv"


def test_simulate_json(tmp_path):
    curve = tmp_path / "curve.svg"
    out = run("simulate", str(LABELLED), "--json", "--seed", "4", "--curve", str(curve))
    got = json.loads(out.stdout)
    assert got["records"] == 40 and got["included"] == 10
    assert sorted(got["order"]) == list(range(40))
    assert got["order"][:2] == got["priors"]
    assert got["loss"] == 0.0
    assert abs(got["wss95"] - 24 / 38) < 1e-12
    assert got["stopped_at"]["recall"] == 1.0
    assert curve.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_simulate_text_and_errors(tmp_path):
    out = run("simulate", str(LABELLED), "--prior-included", "2", "--prior-excluded", "3")
    assert "WSS@95 0.6" in out.stdout and "stopping rule" in out.stdout
    bad = tmp_path / "nolabels.csv"
    bad.write_text("title,abstract\nA,b\n", encoding="utf-8")
    failed = run("simulate", str(bad), check=False)
    assert failed.returncode == 2
    assert "nolabels.csv: record 1" in failed.stderr


def test_rank_and_recall_curve_export(tmp_path):
    review = tmp_path / "r.review"
    store = create_review(review)
    import_paths(store, [LABELLED])
    texts = {r.id: r.title for r in store.records()}
    inc = next(i for i, t in texts.items() if "statin" in t.lower() or "trial" in t.lower())
    exc = next(i for i, t in texts.items() if "Field study" in t)
    screening.decide(store, inc, "include", "ann")
    screening.decide(store, exc, "exclude", "ann")
    store.close()
    out = run("--review", str(review), "rank", "--reviewer", "ann", "--top", "5", "--json")
    got = json.loads(out.stdout)
    assert got["trained"] and got["screened"] == 2 and got["includes"] == 1
    assert got["stop"] is False and got["verdict"].startswith("not yet")
    assert all("trial" in n["title"].lower() for n in got["next"])
    for fmt in ("recall-svg", "recall-png"):
        path = tmp_path / f"curve.{fmt[-3:]}"
        run("--review", str(review), "export", "--format", fmt, "--out", str(path))
        assert path.stat().st_size > 1000
    assert (tmp_path / "curve.png").read_bytes()[:4] == b"\x89PNG"
