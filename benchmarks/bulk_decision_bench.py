"""Deciding every record of a 100,000-record review in one step, beside one at a time.

Target (issue 14): 100,000 decisions in under 5 s (one transaction, an event each,
the screening table kept by its triggers), where one ``decide`` at a time takes about
20 ms a record (33 minutes). The one-at-a-time peer is timed on the first 500
records in the same run and given per record. The bulk step is then undone, as the
window's Undo does, and timed too.

The review is the one window_bench.py builds (copied; the cached file is untouched).

    .venv/bin/python benchmarks/bulk_decision_bench.py [N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
TARGET_SECONDS = 5.0
PEER = 500


def main(argv: list[str]) -> int:
    import window_bench

    from reviewer.review import screening
    from reviewer.review.bulk import BulkDecision
    from reviewer.store import Store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--cache", type=Path, default=HERE / "out")
    a = ap.parse_args(argv)
    source = window_bench.review(a.n, a.cache)
    with tempfile.TemporaryDirectory(dir=a.cache) as tmp:
        path = Path(tmp) / "bulk.review"
        shutil.copy(source, path)
        with Store(path) as store:
            ids = screening.records_at_stage(store, "title_abstract")
            t = time.perf_counter()
            for rid in ids[:PEER]:
                screening.decide(store, rid, "include", "one-by-one")
            one = (time.perf_counter() - t) / PEER
            command = BulkDecision(ids, "exclude", "bulk", "title_abstract")
            wall, cpu = time.perf_counter(), time.process_time()
            command.do(store)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            uwall = time.perf_counter()
            command.undo(store)
            uwall = time.perf_counter() - uwall
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(
        f"{len(ids):,} records decided in one step: {wall:.2f} s ({cpu:.2f} s CPU), "
        f"undone in {uwall:.2f} s; one at a time {one * 1000:.1f} ms a record "
        f"({one * len(ids) / 60:.1f} min for all, {one * len(ids) / wall:.0f}x longer); "
        f"target < {TARGET_SECONDS:.0f} s{'' if wall < TARGET_SECONDS else '  [over target]'}"
    )
    return 0 if wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
