"""How long a 100,000-record import takes, and how much memory it needs.

The target (issue 3, item 7): 100,000 records from make_corpus.py, as RIS and as
MEDLINE, parsed, validated, checked for duplicates, stored and indexed for search
in at most 10 s on a 2-core machine, with peak memory under 400 MB. (ASReview 3
loads the same RIS in about 25 s with a 1.45 GB peak.)

Each import runs in a fresh subprocess into a fresh review, so every peak RSS is
its own. The corpus files are generated once and cached in benchmarks/out/.

    .venv/bin/python benchmarks/import_bench.py [N] [--formats ris nbib] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MAKE_CORPUS = Path(
    os.environ.get("REVIEWER_MAKE_CORPUS", HERE.parent.parent / "shared/bench/make_corpus.py")
)
TARGET_SECONDS, TARGET_MB = 10.0, 400


def corpus(n: int, suffix: str) -> Path:
    """The n-record corpus as ``suffix`` (ris or nbib), generated on first use."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"corpus{n}.{suffix}"
    if not path.exists() or not path.with_suffix(".truth.tsv").exists():
        if not MAKE_CORPUS.exists():
            sys.exit(f"{MAKE_CORPUS} not found (set REVIEWER_MAKE_CORPUS)")
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(path)], check=True)
    return path


def truth_pairs(path: Path) -> dict[int, int]:
    """make_corpus's truth file: duplicate record number -> the record it repeats."""
    rows = path.with_suffix(".truth.tsv").read_text().splitlines()[1:]
    return dict((int(d), int(o)) for d, o in (r.split("\t") for r in rows))


def score(duplicate_of: dict[int, int | None], truth: dict[int, int]) -> tuple[float, float]:
    """Precision and recall of automatic merges against the truth.

    A merge is right when the record and the one it was merged into belong to the same
    true group (truth chains, a duplicate of a duplicate, are followed to their root).
    """

    def root(k: int) -> int:
        while k in truth:
            k = truth[k]
        return k

    merged = {k: v for k, v in duplicate_of.items() if v}
    right = sum(1 for k, v in merged.items() if root(k) == root(v))
    return right / max(1, len(merged)), right / max(1, len(truth))


def child(path: Path, review: Path, profile: bool) -> None:
    """Import ``path`` into a new review at ``review``; print one JSON line of figures."""
    from reviewer.ingest import import_paths
    from reviewer.review.project import create_review
    from reviewer.store import duplicates

    store = create_review(review)
    started = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        report = prof.runcall(import_paths, store, [path])
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    else:
        report = import_paths(store, [path])
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    precision, recall = score(duplicates.duplicate_map(store), truth_pairs(path))
    figures = {
        "seconds": seconds,
        "records": report.added + report.duplicates,
        "duplicates": report.duplicates,
        "candidates": len(duplicates.candidates(store)),
        "errors": sum(len(f.errors) for f in report.files),
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # both threads, with start-up
        "peak_mb": usage.ru_maxrss / 1024,
        "precision": precision,
        "recall": recall,
        "integrity": store.integrity_check(),
    }
    store.close()
    print(json.dumps(figures))


def run(path: Path, profile: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--child", str(path), str(Path(tmp) / "bench.review")]
        if profile:
            cmd.append("--profile")
        out = subprocess.run(cmd, check=True, capture_output=not profile, text=True).stdout
    return json.loads(out.strip().splitlines()[-1]) if out else {}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--formats", nargs="+", default=["ris", "nbib"])
    ap.add_argument("--profile", action="store_true", help="print a cProfile of each import")
    ap.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(*a.child, profile=a.profile)
        return 0
    print(f"{os.cpu_count()} cores; target: <= {TARGET_SECONDS:.0f} s, peak < {TARGET_MB} MB")
    ok = True
    for suffix in a.formats:
        path = corpus(a.n, suffix)
        f = run(path, a.profile)
        if not f:
            continue
        fast = f["seconds"] <= TARGET_SECONDS and f["peak_mb"] < TARGET_MB
        ok &= fast
        print(
            f"{path.name}: {f['records']:,} records in {f['seconds']:.2f} s "
            f"({f['records'] / f['seconds']:,.0f} records/s, {f['cpu_seconds']:.1f} s CPU), "
            f"peak {f['peak_mb']:.0f} MB; "
            f"{f['duplicates']:,} merged (precision {f['precision']:.4f}, "
            f"recall {f['recall']:.4f}), {f['candidates']} candidates, "
            f"{f['errors']} errors, integrity {f['integrity']}"
            f"{'' if fast else '  [over target]'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
