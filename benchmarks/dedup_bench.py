"""How well automatic duplicate merging does on make_corpus.py's corpus, and how fast.

The target (issue 3, item 3): on 2,000 records at the default duplicate rate,
automatic merges reach precision and recall of at least 0.98. Each file is imported
through ``import_paths`` into a fresh review; the truth file names each duplicate
and the record it repeats (1-based, which is the record id in a fresh review). A
merge counts as right when both records belong to one true group. Candidates (similar
titles, for a person to confirm) are not merges; the figures say how many of them
are real duplicates.

    .venv/bin/python benchmarks/dedup_bench.py [N ...] [--formats ris nbib] [--seed 1]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_bench import MAKE_CORPUS, score, truth_pairs  # benchmarks/ is on the path

from reviewer.ingest import import_paths
from reviewer.review.project import create_review
from reviewer.store import duplicates

TARGET = 0.98


def corpus(folder: Path, n: int, suffix: str, seed: int) -> Path:
    path = folder / f"corpus{n}-seed{seed}.{suffix}"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), str(n), str(path), "--seed", str(seed)],
        check=True,
        capture_output=True,
    )
    return path


def measure(path: Path, review: Path) -> dict:
    truth = truth_pairs(path)
    with create_review(review) as store:
        started = time.perf_counter()
        report = import_paths(store, [path])
        seconds = time.perf_counter() - started
        merged = duplicates.duplicate_map(store)
        cands = duplicates.candidates(store)
    precision, recall = score(merged, truth)
    groups = _groups(truth)
    real = sum(1 for c in cands if groups(c.record_id) == groups(c.candidate_of))
    return {
        "records": report.added + report.duplicates,
        "true": len(truth),
        "merged": report.duplicates,
        "precision": precision,
        "recall": recall,
        "candidates": len(cands),
        "real_candidates": real,
        "missed_not_candidates": sum(
            1 for d in truth if not merged.get(d) and all(c.record_id != d for c in cands)
        ),
        "seconds": seconds,
    }


def _groups(truth: dict[int, int]):
    def root(k: int) -> int:
        while k in truth:
            k = truth[k]
        return k

    return root


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="*", type=int, default=[2000])
    ap.add_argument("--formats", nargs="+", default=["ris", "nbib"])
    ap.add_argument("--seed", type=int, nargs="+", default=[1], help="make_corpus seeds")
    a = ap.parse_args(argv)
    if not MAKE_CORPUS.exists():
        sys.exit(f"{MAKE_CORPUS} not found (set REVIEWER_MAKE_CORPUS)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in a.n:
            for seed in a.seed:
                for suffix in a.formats:
                    path = corpus(folder, n, suffix, seed)
                    f = measure(path, folder / f"{path.stem}.{suffix}.review")
                    good = f["precision"] >= TARGET and f["recall"] >= TARGET
                    ok &= good
                    print(
                        f"{n:,} records, seed {seed}, {suffix}: "
                        f"precision {f['precision']:.4f}, recall {f['recall']:.4f} "
                        f"({f['merged']} merged of {f['true']} true duplicates); "
                        f"{f['candidates']} candidates, {f['real_candidates']} real; "
                        f"{f['missed_not_candidates']} missed outright; "
                        f"import {f['seconds']:.2f} s"
                        f"{'' if good else '  [below target]'}"
                    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
