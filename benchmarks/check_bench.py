"""How long ``reviewer check`` takes on a 100,000-record review, and how much memory.

The review: make_corpus.py's 100,000 records imported (duplicates merged, candidates
found), every kept record screened by two reviewers (so about 190,000 decision
events), a value on every tenth record, a tag on every twentieth, and the first 50
duplicate candidates confirmed or rejected. It is built once and cached in
benchmarks/out/ (the corpus too, as for import_bench.py).

The check runs in a fresh subprocess (so its peak RSS is its own), as
``reviewer --review REVIEW check``: its time is printed against the time of SQLite's
``pragma integrity_check`` on the same file, measured in the same run (a floor: check
runs that too), and its peak memory against a 400 MB limit (and against the file's
size: a check that held the review in memory would grow with it).

    .venv/bin/python benchmarks/check_bench.py [N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import OUT, corpus  # noqa: E402

LIMIT_MB = 400


def build(n: int) -> Path:
    """The cached review of ``n`` records with its screening workload."""
    review = OUT / f"check{n}.review"
    if review.exists():
        return review
    from reviewer.domain import Decision
    from reviewer.domain.events import EventKind, make
    from reviewer.ingest import import_paths
    from reviewer.review.project import create_review
    from reviewer.store import duplicates

    partial = review.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    store = create_review(partial)
    started = time.perf_counter()
    import_paths(store, [corpus(n, "ris")])
    kept = [r for r, dup in duplicates.duplicate_map(store).items() if dup is None]
    field = store.template().keys[0]
    with store.atomic():
        for i, rid in enumerate(kept):
            for who in ("ann", "bob"):
                include = (rid + (who == "bob")) % 7 == 0
                store.set_decision(Decision(record_id=rid, stage="title_abstract",
                                            reviewer=who,
                                            decision="include" if include else "exclude"))  # fmt: skip
            if i % 10 == 0:
                store.set_value(rid, field, f"value {rid}", "ann")
            if i % 20 == 0:
                store.commit(make(EventKind.TAG_ADD, "ann", rid, tag="check later"))
    for k, cand in enumerate(duplicates.candidates(store)[:50]):
        if k % 2:
            duplicates.reject(store, cand.id, "ann")
        else:
            duplicates.confirm(store, cand.id, "ann")
    store.close()
    partial.rename(review)
    print(f"built {review.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return review


def child(review: Path) -> None:
    """Run the check as the command line does; print one JSON line of figures."""
    import contextlib
    import io

    from reviewer.cli import main

    started = time.perf_counter()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--review", str(review), "check", "--json"])
    seconds = time.perf_counter() - started
    report = json.loads(out.getvalue())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "code": code, "events": report["events"],
                      "differences": len(report["differences"]),
                      "peak_mb": usage.ru_maxrss / 1024}))  # fmt: skip


def integrity_seconds(review: Path) -> float:
    conn = sqlite3.connect(review)
    started = time.perf_counter()
    conn.execute("pragma integrity_check").fetchall()
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(a.child)
        return 0
    review = build(a.n)
    floor = integrity_seconds(review)
    cmd = [sys.executable, __file__, "--child", str(review)]
    f = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    size_mb = review.stat().st_size / 2**20
    print(f"{os.cpu_count()} cores; {review.name}: {size_mb:.0f} MB, {f['events']:,} events")
    print(
        f"reviewer check: {f['seconds']:.1f} s ({f['seconds'] / floor:.1f} x "
        f"pragma integrity_check's {floor:.1f} s), peak {f['peak_mb']:.0f} MB "
        f"({f['peak_mb'] / LIMIT_MB:.2f} of the {LIMIT_MB} MB limit, "
        f"{f['peak_mb'] / size_mb:.2f} x the file), exit {f['code']}, "
        f"{f['differences']} differences"
    )
    return 0 if f["code"] == 0 and f["peak_mb"] < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
