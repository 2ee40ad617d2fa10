"""Export speed and memory on a large review: the extraction table as CSV and XLSX.

usage: python benchmarks/export_bench.py [--records 100000] [--small 10000] [--keep DIR]

Builds a review of N generated records (``Store.add_records`` in batches), every one
included at title/abstract and full text (so the default "included" export writes
all N), with values on each: a sample size and a condition quoted from the text,
and on every third record a two-arm intervention list with two spans. Decisions
and values are written straight to the tables with their events, as a long
project would leave them.

Each export runs in its own subprocess, so its peak RSS is its own; it is run on
the N-record review and on a ``--small`` one, and flat memory shows as nearly
the same peak for both. Targets: CSV within 5 s, XLSX (with its Provenance,
Screening and Events sheets) within 30 s, for 100,000 records.

Figures are printed; nothing is asserted (tests assert behaviour, not timings).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.domain import ParsedRecord, Source, Span  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.store import Store  # noqa: E402

WORDS = [
    "lenalidomide",
    "myeloma",
    "randomised",
    "controlled",
    "trial",
    "placebo",
    "patients",
    "response",
    "survival",
    "relapse",
    "dose",
    "toxicity",
    "cohort",
    "outcome",
    "adults",
    "elderly",
    "efficacy",
    "safety",
    "thalidomide",
    "bortezomib",
    "dexamethasone",
    "maintenance",
    "transplant",
    "progression",
    "neutropenia",
    "infection",
]
BATCH = 5000
TIME = "2024-05-01T10:00:00.000+00:00"


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    store = create_review(path, "Export benchmark")
    sid = store.add_source(Source(name="bench.ris", sha256="0" * 64, size=0, format="ris"))
    for start in range(0, n, BATCH):
        recs = [_record(rng, i) for i in range(start, min(n, start + BATCH))]
        with store.atomic():
            ids = store.add_records(sid, recs)
            _include(store, ids)
            _values(store, ids, recs)
    store.close()


def _record(rng: random.Random, i: int) -> ParsedRecord:
    text = f"In {40 + i % 400} patients with {words(rng, 3)}, {words(rng, 50)}."
    return ParsedRecord(
        title=words(rng, 10).capitalize(),
        authors=[f"Author {i}", f"Coauthor {i % 97}"],
        journal="Blood",
        year=2000 + i % 24,
        doi=f"10.1000/bench.{i}",
        abstract=text,
        text=text,
        source_index=i,
    )


def _include(store: Store, ids: list[int]) -> None:
    rows, events = [], []
    for rid in ids:
        for stage in ("title_abstract", "full_text"):
            rows.append((rid, stage, "ann", "include", "", "", TIME))
            payload = {"stage": stage, "before": None, "after": "include", "reason": "", "note": ""}
            events.append(
                (str(uuid.uuid4()), TIME, "ann", "decision.set", rid, json.dumps(payload))
            )
    store.db.conn.executemany(
        "insert into decisions (record_id, stage, reviewer, decision, reason, note, time) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    _events(store, events)


def _values(store: Store, ids: list[int], recs: list[ParsedRecord]) -> None:
    rows, events = [], []
    for rid, rec in zip(ids, recs, strict=True):
        text = rec.text
        size = text.split()[1]
        at = text.index(size)
        cond_at = text.index("with ") + 5
        values = [
            ("sample_size", int(size), [Span.from_text(text, at, at + len(size))]),
            ("condition", text[cond_at : cond_at + 20], [Span.from_text(text, cond_at, cond_at + 20)]),
        ]  # fmt: skip
        if rid % 3 == 0:
            spans = [Span.from_text(text, 0, 2), Span.from_text(text, cond_at, cond_at + 8)]
            values.append(("interventions", ["lenalidomide", "placebo"], spans))
        for field, value, spans in values:
            prov = json.dumps([s.model_dump() for s in spans])
            rows.append((rid, field, json.dumps(value), "ann", TIME, prov))
            payload = {"field": field, "before": None, "after": value, "provenance": []}
            events.append((str(uuid.uuid4()), TIME, "ann", "value.set", rid, json.dumps(payload)))
    store.db.conn.executemany(
        "insert into field_values (record_id, field, value, reviewer, time, provenance) "
        "values (?, ?, ?, ?, ?, ?)",
        rows,
    )
    _events(store, events)


def _events(store: Store, events: list[tuple]) -> None:
    store.db.conn.executemany(
        "insert into events (id, time, reviewer, kind, record_id, payload) "
        "values (?, ?, ?, ?, ?, ?)",
        events,
    )


# -- one export in its own process ------------------------------------------------------------


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_one(fmt: str, review: Path, out: Path) -> None:
    """Child process: export, then print wall and CPU seconds, rows and peak RSS (before
    the export: imports and the open review; after: the export's own) as JSON."""
    from reviewer.export.csv_export import export_csv
    from reviewer.export.xlsx_export import export_xlsx

    store = Store(review)
    before = _peak_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    report = (export_csv if fmt == "csv" else export_xlsx)(store, out)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": report.rows, "sheets": report.sheets,
                      "base_mib": before, "peak_mib": _peak_mib(),
                      "bytes": out.stat().st_size}))  # fmt: skip


def measure(fmt: str, review: Path, out: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", fmt, str(review), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the reviews here and keep them")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fmt, review, out = args.child
        run_one(fmt, Path(review), Path(out))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = {}
        for n in sorted({args.small, args.records}):
            review = folder / f"export_bench_{n}.review"
            if not review.exists():
                t0 = time.perf_counter()
                build(review, n)
                print(f"{n} records built in {time.perf_counter() - t0:.1f} s")
            for fmt in ("csv", "xlsx"):
                results[n, fmt] = r = measure(fmt, review, folder / f"extraction_{n}.{fmt}")
                print(f"{n:>7} records {fmt:>4}: {r['seconds']:6.2f} s ({r['cpu']:.2f} s CPU), "
                      f"peak RSS {r['peak_mib']:6.1f} MiB (before export {r['base_mib']:.1f}), "
                      f"{r['bytes'] / 1e6:6.1f} MB, rows {r['sheets'] or r['rows']}")  # fmt: skip
        if len({n for n, _ in results}) == 2:
            for fmt in ("csv", "xlsx"):
                small, big = results[args.small, fmt], results[args.records, fmt]
                print(f"{fmt}: peak RSS {small['peak_mib']:.0f} MiB at {args.small} records, "
                      f"{big['peak_mib']:.0f} MiB at {args.records}")  # fmt: skip


if __name__ == "__main__":
    main()
