"""How fast field suggestions are: per abstract-length record, and for the seed review.

Prints the median and 95th-percentile time per record over abstract-length records
(drawn by ../shared/bench/make_corpus.py from the seed citations, or corpus abstracts
with --csv), and the total time to suggest for every record of the demo review. The
targets are 5 ms median per abstract and 0.3 s for the seed records.

usage: python benchmarks/suggest_bench.py [-n 1000] [--csv ABSTRACTS.csv]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.domain import ParsedRecord  # noqa: E402
from reviewer.ingest.base import compose_text  # noqa: E402
from reviewer.suggest import suggest  # noqa: E402

MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def corpus_records(n: int, seed: int = 1) -> list[ParsedRecord]:
    """Abstract-length records recombined from the seed citations by make_corpus.py."""
    spec = importlib.util.spec_from_file_location("make_corpus", MAKE_CORPUS)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{MAKE_CORPUS}: not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows, _ = module.make_records(n, 0.05, random.Random(seed))
    return [_record(r) for r in rows]


def csv_records(path: Path, n: int) -> list[ParsedRecord]:
    """Records from a CSV export with title and abstract columns (synergy datasets)."""
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("abstract")]
    return [_record(r) for r in rows[:n]]


def _record(r: dict) -> ParsedRecord:
    authors = r.get("authors") or []
    if isinstance(authors, str):
        authors = [a.strip() for a in authors.split(",") if a.strip()]
    year = str(r.get("year") or r.get("publication_year") or "")
    rec = ParsedRecord(
        title=r.get("title") or "",
        authors=authors,
        journal=r.get("journal") or "",
        year=int(year) if year.isdigit() else None,
        doi=(r.get("doi") or "").replace("https://doi.org/", ""),
        abstract=r.get("abstract") or "",
    )
    rec.text = compose_text(rec)
    return rec


CPU_TIMES: list[float] = []


def per_record_ms(records: list) -> list[float]:
    """Wall-clock milliseconds per record; the CPU milliseconds go to ``CPU_TIMES`` (on a
    shared machine the CPU time is the steadier figure)."""
    t = time.perf_counter()
    suggest(records[0])  # load the lexicons outside the timing
    print(f"lexicons and models loaded in {time.perf_counter() - t:.2f} s (once per process)")
    times = []
    for rec in records:
        t, c = time.perf_counter(), time.process_time()
        suggest(rec)
        times.append((time.perf_counter() - t) * 1000)
        CPU_TIMES.append((time.process_time() - c) * 1000)
    return times


def seed_review_seconds() -> dict[str, float]:
    """Seconds to suggest for every record of the demo review (wall clock and CPU), and
    to suggest and store them through the runner."""
    from reviewer.review.project import create_demo_review
    from reviewer.suggest.runner import compute_suggestions

    with tempfile.TemporaryDirectory() as tmp:
        store = create_demo_review(Path(tmp) / "demo.review")
        records = list(store.records())
        suggest(records[0])
        wall, cpu = time.perf_counter(), time.process_time()
        for rec in records:
            suggest(rec)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        t = time.perf_counter()
        compute_suggestions(store)
        stored = time.perf_counter() - t
        store.close()
    return {"records": len(records), "wall": wall, "cpu": cpu, "stored": stored}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="abstract-length records to time")
    parser.add_argument("--csv", type=Path, help="take abstracts from this CSV instead")
    args = parser.parse_args(argv)

    records = csv_records(args.csv, args.n) if args.csv else corpus_records(args.n)
    times = per_record_ms(records)
    chars = statistics.median(len(r.text) for r in records)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(
        f"abstracts: {len(records)} records, median {chars:.0f} chars: "
        f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {max(times):.2f} ms "
        f"per record (target: median <= 5 ms; ratio {statistics.median(times) / 5:.2f}); CPU "
        f"median {statistics.median(CPU_TIMES):.2f} ms"
    )
    seeds = seed_review_seconds()
    print(
        f"seed review: {seeds['records']:.0f} records: suggest {seeds['wall']:.3f} s "
        f"({seeds['cpu']:.3f} s CPU), suggest and store {seeds['stored']:.3f} s "
        f"(target: < 0.3 s)"
    )


if __name__ == "__main__":
    main()
