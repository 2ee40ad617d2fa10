"""What importing 10 records costs in reviews of 1,000, 20,000 and 100,000 records.

The target (issue 11, item 9): an import costs what it adds, not what the review
holds. Each review is built from make_corpus.py's corpus (seed 1); the 10 new
records are another make_corpus file (seed 99, so some of them repeat stored
records and deduplication has real work). Each timing imports the 10 records into
a fresh copy of the review, through the real ``import_paths`` (open, deduplicate,
store, index), best of three; the figures are printed with their ratio to the
1,000-record review, measured in the same run. As the peer, the work the import did
before duplicate keys were kept in the review is timed too: remembering every stored
record in memory before checking the first new one.

    .venv/bin/python benchmarks/small_import_bench.py [SIZES ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_bench import MAKE_CORPUS, corpus  # benchmarks/ is on the path

from reviewer.domain import ParsedRecord
from reviewer.ingest import import_paths
from reviewer.ingest.dedup import Deduplicator
from reviewer.review.project import create_review
from reviewer.store import Store

LIMIT_RATIO = 2.0  # 100,000 records may cost at most this many times 1,000


def ten_records(folder: Path) -> Path:
    path = folder / "ten.ris"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "10", str(path), "--seed", "99"],
        check=True,
        capture_output=True,
    )
    return path


def build(folder: Path, n: int) -> Path:
    review = folder / f"review{n}.review"
    with create_review(review) as store:
        import_paths(store, [corpus(n, "ris")])
    return review


def import_ten(review: Path, ten: Path, folder: Path) -> tuple[float, int]:
    """Seconds to import the 10 records into a fresh copy of ``review``; records added."""
    copy = folder / "copy.review"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copy(review, copy)
    with open(copy, "rb+") as fh:  # the copy on disk, not dirty in memory: the commit's
        os.fsync(fh.fileno())  # flush must not pay for writing the whole copy
    started = time.perf_counter()
    with Store(copy) as store:
        report = import_paths(store, [ten])
    return time.perf_counter() - started, report.added + report.duplicates


def remember_everything(review: Path) -> float:
    """The peer: what the import did first before keys were kept (every stored record
    remembered in memory, as ``Deduplicator.reload`` did)."""
    with Store(review, read_only=True) as store:
        started = time.perf_counter()
        dedup = Deduplicator()
        rows = store.db.execute(
            "select id, title, authors, year, doi, pmid, duplicate_of from records order by id"
        )
        for rid, title, authors, year, doi, pmid, dup in rows:
            rec = ParsedRecord.model_construct(
                title=title, authors=json.loads(authors), year=year, doi=doi, pmid=pmid
            )
            dedup.add(rec, dup or rid)
        return time.perf_counter() - started


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[1_000, 20_000, 100_000])
    a = ap.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ten = ten_records(folder)
        base = None
        for n in a.sizes:
            review = build(folder, n)
            seconds, count = min(import_ten(review, ten, folder) for _ in range(3))
            base = base or seconds
            peer = remember_everything(review)
            ratio = seconds / base
            ok &= ratio <= LIMIT_RATIO
            print(
                f"{n:>7,} records: 10 records imported in {seconds * 1000:6.1f} ms "
                f"({ratio:.2f}x the {a.sizes[0]:,}-record review; {count} stored); "
                f"remembering every stored record first, as before: {peer * 1000:7.1f} ms"
            )
    print(f"limit: {LIMIT_RATIO:.1f}x from the smallest to the largest review")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
