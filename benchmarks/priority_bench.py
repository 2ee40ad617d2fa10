"""Priority screening measured beside ASReview LAB on the same labelled reviews.

usage: python benchmarks/priority_bench.py [--seeds 5] [--no-asreview] [--no-scale]
                                           [--scale 10000,100000] [--json OUT]

For every labelled set under ``../shared/corpus/screening/`` (the SYNERGY CSVs with a
``label_included`` column, and Nagtegaal 2019) and each seed it replays screening
three ways from the same prior knowledge (one include and one exclude, drawn as
``asreview simulate --prior-seed SEED`` draws them):

* **ours**: ``reviewer.rank.simulate`` (the window's model, retrained after each record);
* **ASReview**: ``asreview simulate`` 3.0.8 with its default model (ELAS u4), given the
  same priors with ``--prior-idx``; installed on first use into a scratch virtualenv
  (``benchmarks/.asreview-venv``, ignored by git), never into the project;
* **random**: the remaining records in a random order.

Each order is scored by the same functions (``reviewer.rank.metrics``, which match
asreview-insights' WSS and recall and ``asreview.metrics.loss``; the priors are left
out, as ASReview does). Time per retrain is ours: train + score every record; ASReview:
the time between two labelled records in its results (train, rank, label). Our
stopping rule is run on our orders and on the random ones: how often it stopped
with recall at or above the target, and how early.

Then retrain time at scale: records made of sentences of the labelled sets (so the
vocabulary is real), the features built once (timed apart: that happens once per open
review, in the background), and training + scoring timed against the targets (1 s at
10,000 records, 5 s at 100,000).

Figures are printed (and written as JSON with ``--json``); nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.rank import metrics  # noqa: E402
from reviewer.rank.model import DEFAULT_CONFIG, RankConfig, build_features, train  # noqa: E402
from reviewer.rank.simulate import (  # noqa: E402
    Labelled,
    prior_rows,
    read_labelled,
    simulate,
)
from reviewer.rank.stopping import DEFAULT_CONFIDENCE, DEFAULT_RECALL, p_value  # noqa: E402

SCREENING = ROOT.parent / "shared" / "corpus" / "screening"
VENV = ROOT / "benchmarks" / ".asreview-venv"
ASREVIEW = "asreview==3.0.8"
CACHE = ROOT / "benchmarks" / "out" / "asreview-runs"


# -- the labelled sets ---------------------------------------------------------------------


def labelled_sets() -> dict[str, Path]:
    """Every CSV under the screening folder with titles, abstracts and label_included
    (SYNERGY's bare labels.csv, identifiers only, is left out)."""
    found: dict[str, Path] = {}
    for path in sorted(SCREENING.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
        if {"title", "abstract", "label_included"} <= set(header):
            found[path.stem.replace("_title_abstract_labels", "")] = path
    return found


# -- ASReview in its own virtualenv ----------------------------------------------------------


def asreview_bin() -> Path:
    exe = VENV / ("Scripts" if os.name == "nt" else "bin") / "asreview"
    if exe.exists():
        return exe
    print(f"installing {ASREVIEW} into {VENV} (once) …", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = VENV / ("Scripts" if os.name == "nt" else "bin") / "pip"
    done = subprocess.run(
        [str(pip), "install", "--quiet", ASREVIEW], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"could not install {ASREVIEW}:\n{done.stderr[-2000:]}")
    return exe


def run_asreview(
    exe: Path, data: Path, priors: list[int], seed: int, cache: Path | None = None
) -> tuple[list[int], float]:
    """ASReview's default model from the given priors: its screening order (row indices)
    and the median seconds between two labelled records. With ``cache``, a run kept
    from an earlier benchmark of the same file, priors and seed is reused."""
    key = None
    if cache is not None:
        digest = hashlib.sha256(data.read_bytes()).hexdigest()[:16]
        key = cache / f"{digest}-{'-'.join(map(str, priors))}-{seed}.json"
        if key.exists():
            kept = json.loads(key.read_text())
            return kept["order"], kept["step"]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "sim.asreview"
        done = subprocess.run(
            [str(exe), "simulate", str(data), "--prior-idx", *map(str, priors),
             "--seed", str(seed), "-o", str(project)],
            capture_output=True, text=True, cwd=tmp,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(f"asreview simulate failed on {data}:\n{done.stderr[-3000:]}")
        with zipfile.ZipFile(project) as z:
            z.extract("results.db", tmp)
        con = sqlite3.connect(Path(tmp) / "results.db")
        rows = con.execute("select record_id, time from results order by rowid").fetchall()
        con.close()
    order = [int(r[0]) for r in rows]
    times = [float(r[1]) for r in rows[len(priors) :]]
    step = float(statistics.median(np.diff(times))) if len(times) > 2 else 0.0
    if key is not None:
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_text(json.dumps({"order": order, "step": step}))
    return order, step


# -- scoring -----------------------------------------------------------------------------------


def complete(order: list[int], n: int) -> list[int]:
    seen = set(order)
    return order + [i for i in range(n) if i not in seen]


def scores(labels: np.ndarray, order: list[int], priors: int) -> dict[str, float]:
    rest = labels[order][priors:]
    return {
        "wss95": metrics.wss(rest, 0.95),
        "loss": metrics.loss(rest),
        "recall_at_10pct": metrics.recall_at(rest, 0.10),
    }


def stop_point(labels: np.ndarray, order: list[int]) -> tuple[int | None, float]:
    """Where our stopping rule first says stop on this order, and the recall there."""
    seq = labels[order]
    n, total = len(seq), int(labels.sum())
    alpha = 1 - DEFAULT_CONFIDENCE
    found = np.cumsum(seq)
    for k in range(1, n + 1):
        if p_value(seq[:k], n, DEFAULT_RECALL) < alpha:
            return k, float(found[k - 1] / total)
    return None, 1.0


# -- one set -------------------------------------------------------------------------------------


def parse_config(text: str) -> RankConfig:
    """``key=value,...`` over the default model settings."""
    values = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, raw = part.partition("=")
        kind = type(getattr(DEFAULT_CONFIG, key))
        values[key] = kind(float(raw)) if kind is int else kind(raw)
    return dataclasses.replace(DEFAULT_CONFIG, **values)


def bench_set(
    name: str,
    path: Path,
    seeds: int,
    exe: Path | None,
    cache: Path | None = None,
    config: RankConfig = DEFAULT_CONFIG,
) -> dict:
    data: Labelled = read_labelled(path)
    y = np.asarray(data.labels)
    n = len(y)
    if data.rows != list(range(n)):
        raise SystemExit(f"{path}: some rows could not be read; row indices would not match")
    feats = build_features(enumerate(data.texts), n, config)
    runs = []
    for seed in range(seeds):
        priors = prior_rows(y, seed)
        t0 = time.perf_counter()
        ours = simulate(data, seed=seed, config=config, features=feats)
        wall = time.perf_counter() - t0
        run = {
            "seed": seed,
            "priors": priors,
            "ours": {
                **scores(y, ours.order, len(priors)),
                "retrain_s": ours.seconds_per_retrain,
                "stopped_at": ours.stopped_at,
                "found_all_at": ours.found_all_at,
                "wall_s": wall,
            },
        }
        assert abs(run["ours"]["wss95"] - ours.wss95) < 1e-12  # same metric, same order
        rng = np.random.default_rng(seed)
        rest = [i for i in rng.permutation(n).tolist() if i not in set(priors)]
        random_order = priors + rest
        at, recall = stop_point(y, random_order)
        run["random"] = {**scores(y, random_order, len(priors)),
                         "stopped_at": None if at is None else {"screened": at, "recall": recall}}  # fmt: skip
        if exe is not None:
            order, step = run_asreview(exe, path, priors, seed, cache)
            order = complete(order, n)
            run["asreview"] = {**scores(y, order, len(priors)), "retrain_s": step}
        runs.append(run)
        line = f"  {name} seed {seed}: ours WSS@95 {run['ours']['wss95']:.3f}"
        if "asreview" in run:
            line += f", ASReview {run['asreview']['wss95']:.3f}"
        print(line + f", random {run['random']['wss95']:.3f}", flush=True)
    return {"records": n, "included": int(y.sum()), "runs": runs}


def median(runs: list[dict], who: str, key: str) -> float | None:
    values = [r[who][key] for r in runs if who in r]
    return float(statistics.median(values)) if values else None


def report(results: dict) -> None:
    print()
    print(f"{'set':<16}{'records':>8}{'incl':>6} | {'WSS@95':^23} | {'loss':^23} | "
          f"{'recall@10%':^23} | {'ms/retrain':^13}")  # fmt: skip
    print(f"{'':<30} | {'ours':>7}{'ASR':>8}{'rand':>8} | {'ours':>7}{'ASR':>8}{'rand':>8} | "
          f"{'ours':>7}{'ASR':>8}{'rand':>8} | {'ours':>6}{'ASR':>7}")  # fmt: skip
    for name, res in results.items():
        runs = res["runs"]
        cells = []
        for key in ("wss95", "loss", "recall_at_10pct"):
            vals = [median(runs, who, key) for who in ("ours", "asreview", "random")]
            cells.append("".join(f"{v:>8.3f}" if v is not None else f"{'–':>8}" for v in vals)[1:])
        ms = [median(runs, who, "retrain_s") for who in ("ours", "asreview")]
        ms_txt = "".join(f"{v * 1000:>7.1f}" if v is not None else f"{'–':>7}" for v in ms)[1:]
        print(f"{name:<16}{res['records']:>8,}{res['included']:>6} | " + " | ".join(cells)
              + f" | {ms_txt}")  # fmt: skip
    print("(medians over seeds; ASR = ASReview 3.0.8 default, ELAS u4; rand = random order)")
    print()
    wins = []
    for name, res in results.items():
        ours_w, asr_w = (
            median(res["runs"], "ours", "wss95"),
            median(res["runs"], "asreview", "wss95"),
        )
        ours_l, asr_l = median(res["runs"], "ours", "loss"), median(res["runs"], "asreview", "loss")
        if asr_w is not None:
            wins.append(ours_w >= asr_w and ours_l <= asr_l)
            print(f"{name}: WSS@95 ours/ASReview = {ours_w / asr_w:.3f}, "
                  f"loss ours/ASReview = {ours_l / asr_l:.3f}")  # fmt: skip
    if wins:
        print(f"WSS@95 at least ASReview's and loss no worse on {sum(wins)} of {len(wins)} sets")
    for who in ("ours", "random"):
        stops = [r[who]["stopped_at"] for res in results.values() for r in res["runs"]]
        fired = [s for s in stops if s is not None]
        ok = [s for s in fired if s["recall"] >= DEFAULT_RECALL]
        early = [s["screened"] / res["records"] for res in results.values()
                 for r in res["runs"] if (s := r[who]["stopped_at"])]  # fmt: skip
        print(
            f"stopping rule on {who} orders: stopped in {len(fired)} of {len(stops)} runs, "
            f"recall ≥ {DEFAULT_RECALL:.0%} in {len(ok)} of {len(fired)} "
            f"({len(ok) / max(len(fired), 1):.0%}); median share screened at the stop "
            f"{statistics.median(early) if early else float('nan'):.0%}"
        )
    per_set = []
    for name, res in results.items():
        for r in res["runs"]:
            s = r["ours"]["stopped_at"]
            if s:
                per_set.append(f"{name} seed {r['seed']}: stop at {s['screened']:,}/"
                               f"{res['records']:,} (all includes at {r['ours']['found_all_at']:,}),"
                               f" recall {s['recall']:.3f}")  # fmt: skip
    print("\n".join(per_set))


# -- retraining at scale ----------------------------------------------------------------------------


def synthetic(n: int, sets: dict[str, Path], seed: int = 1) -> tuple[list[str], np.ndarray]:
    """n records of real sentences: a title and 5-11 abstract sentences each, labelled
    like the record their title came from."""
    titles: list[tuple[str, int]] = []
    sentences: list[str] = []
    for path in sets.values():
        data = read_labelled(path)
        for text, label in zip(data.texts, data.labels, strict=True):
            parts = re.split(r"(?<=[.!?])\s+", text)
            titles.append((parts[0][:250], label))
            sentences += [s for s in parts[1:] if len(s) > 20]
    r = random.Random(seed)
    texts, labels = [], []
    for _ in range(n):
        title, label = r.choice(titles)
        body = " ".join(r.choice(sentences) for _ in range(r.randint(5, 11)))
        texts.append(f"{title} {body}")
        labels.append(label)
    return texts, np.asarray(labels)


def _reset_peak() -> None:
    """Start measuring the peak memory afresh (Linux; elsewhere the figure is the
    whole run's)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_mb() -> float:
    """The process's peak resident memory since ``_reset_peak``, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_scale(sizes: list[int], sets: dict[str, Path]) -> dict:
    out = {}
    targets = {10_000: 1.0, 100_000: 5.0}
    print()
    for n in sizes:
        texts, y = synthetic(n, sets)
        _reset_peak()
        base = _peak_mb()
        t0 = time.perf_counter()
        feats = build_features(enumerate(texts), n, DEFAULT_CONFIG)
        build = time.perf_counter() - t0
        del texts
        mb = (feats.matrix.data.nbytes + feats.matrix.indices.nbytes) / 1e6
        rng = np.random.default_rng(0)
        timings = {}
        for labelled in (200, 2000, n // 4):
            rows = rng.choice(n, labelled, replace=False)
            if y[rows].sum() == 0:
                rows[0] = int(np.flatnonzero(y)[0])
            best = []
            for _ in range(3):
                t0 = time.perf_counter()
                m = train(feats, rows, y[rows])
                m.scores(feats.matrix)
                best.append(time.perf_counter() - t0)
            timings[labelled] = min(best)
        limit = targets.get(n)
        worst = max(timings.values())
        peak = _peak_mb() - base
        print(f"{n:>7,} records: features {build:.1f} s once ({mb:.0f} MB kept, "
              f"{peak:.0f} MB at the peak of making them); retrain "
              + ", ".join(f"{t:.2f} s with {k:,} decisions" for k, t in timings.items())
              + (f"; worst/target {worst / limit:.2f} (target {limit:.0f} s)" if limit else ""),
              flush=True)  # fmt: skip
        out[n] = {"features_s": build, "features_mb": mb, "peak_mb": peak, "retrain_s": timings,
                  "target_s": limit}  # fmt: skip
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--no-asreview", action="store_true", help="skip ASReview (ours and random)")
    ap.add_argument("--no-scale", action="store_true", help="skip the retrain-at-scale part")
    ap.add_argument("--scale", default="10000,100000")
    ap.add_argument("--only", default="", help="comma-separated set names")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument(
        "--config",
        default="",
        help="model settings to try instead of the defaults, e.g. nb_weight=0.5,nb_after=10 "
        "(fields of reviewer.rank.model.RankConfig)",
    )
    ap.add_argument(
        "--reuse-asreview",
        action="store_true",
        help=f"reuse ASReview runs kept in {CACHE.relative_to(ROOT)} (while tuning; the "
        "figures for the README come from a run without it)",
    )
    args = ap.parse_args()
    sets = labelled_sets()
    if not sets:
        print(f"no labelled sets under {SCREENING}", file=sys.stderr)
        return 1
    if args.only:
        sets = {k: v for k, v in sets.items() if k in args.only.split(",")}
    exe = None if args.no_asreview else asreview_bin()
    config = parse_config(args.config)
    if config != DEFAULT_CONFIG:
        print(f"model settings: {config}")
    results = {}
    for name, path in sets.items():
        print(f"{name}: {path.relative_to(SCREENING)}", flush=True)
        cache = CACHE if args.reuse_asreview else None
        results[name] = bench_set(name, path, args.seeds, exe, cache, config)
    report(results)
    scale = {} if args.no_scale else bench_scale([int(s) for s in args.scale.split(",")],
                                                 labelled_sets())  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"sets": results, "scale": scale}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
