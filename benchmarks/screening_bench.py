"""Screening speed on a large review: the work behind one keypress, and a filter change.

usage: python benchmarks/screening_bench.py [--records 100000] [--keep PATH]

Builds a review of N generated records (``Store.add_records`` in batches), two
reviewers' title/abstract decisions on most of them (written straight to the
tables, with their events, as a long screening project would leave them), some
full-text decisions and tags, then times:

* a decision by key: ``decide`` + ``next_undecided`` + loading the next record
  (its ``Store.record`` and list row), target under 50 ms;
* a filter change: the list from ``filter_record_ids``, target under 100 ms (the
  option counts, ``filter_counts``, follow on the worker thread).

Figures are printed; nothing is asserted (tests assert behaviour, not timings).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviewer.domain import ParsedRecord, Source  # noqa: E402
from reviewer.review import filters, screening  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.review.stats import stats  # noqa: E402
from reviewer.store import Store  # noqa: E402

WORDS = (
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
    "children",
    "adults",
    "elderly",
    "mice",
    "rat",
    "vitro",
    "efficacy",
    "safety",
    "thalidomide",
    "bortezomib",
    "dexamethasone",
    "maintenance",
    "transplant",
    "progression",
    "haematological",
    "neutropenia",
    "infection",
    "quality",
    "life",
    "systematic",
    "review",
    "meta",
    "analysis",
)
REASONS = ("wrong population", "wrong intervention", "wrong study design", "wrong outcomes")
BATCH = 5000
STAGE = "title_abstract"


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build(path: Path, n: int, rng: random.Random) -> Store:
    store = create_review(path, "Benchmark review")
    t0 = time.perf_counter()
    sid = store.add_source(Source(name="bench.ris", sha256="0" * 64, size=0, format="ris"))
    for start in range(0, n, BATCH):
        recs = [
            ParsedRecord(
                title=words(rng, 10).capitalize(),
                authors=[f"Author {i}"],
                year=2000 + i % 24,
                abstract=(abstract := words(rng, 60)),
                text=abstract,
                source_index=i,
            )
            for i in range(start, min(n, start + BATCH))
        ]
        dups = [
            rng.randrange(1, start + 1) if start and rng.random() < 0.03 else None for _ in recs
        ]
        with store.atomic():
            store.add_records(sid, recs, duplicate_of=dups)
    print(f"  {n} records added in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    _decide_in_bulk(store, rng)
    print(f"  decisions and tags written in {time.perf_counter() - t0:.1f} s")
    return store


def _decide_in_bulk(store: Store, rng: random.Random) -> None:
    """Ann has screened 90% of title/abstract, Bob 60%; some full text; some tags."""
    ids = screening.records_at_stage(store, "title_abstract")
    rows, events = [], []
    for reviewer, share in (("ann", 0.9), ("bob", 0.6)):
        for rid in ids[: int(len(ids) * share)]:
            decision = "include" if rng.random() < 0.08 else "exclude"
            reason = rng.choice(REASONS) if decision == "exclude" and rng.random() < 0.5 else ""
            rows.append((rid, "title_abstract", reviewer, decision, reason, "", "2024"))
            events.append(_event(reviewer, rid, "title_abstract", decision, reason))
    _insert(store, rows, events)
    full = screening.records_at_stage(store, "full_text")
    rows = [
        (
            rid,
            "full_text",
            "ann",
            d := rng.choice(("include", "exclude")),
            "wrong outcomes" if d == "exclude" else "",
            "",
            "2024",
        )
        for rid in full[::2]
    ]
    _insert(store, rows, [_event(r[2], r[0], r[1], r[3], r[4]) for r in rows])
    with store.atomic():
        store.db.conn.executemany(
            "insert into record_tags (record_id, tag, reviewer, time) values (?, ?, 'ann', '2024')",
            [(rid, rng.choice(("RCT", "pediatric", "ask author"))) for rid in ids[::50]],
        )


def _event(reviewer: str, rid: int, stage: str, decision: str, reason: str) -> tuple:
    payload = {"stage": stage, "before": None, "after": decision, "reason": reason, "note": ""}
    return (str(uuid.uuid4()), "2024", reviewer, "decision.set", rid, json.dumps(payload))


def _insert(store: Store, rows: list[tuple], events: list[tuple]) -> None:
    with store.atomic():
        store.db.conn.executemany(
            "insert into decisions (record_id, stage, reviewer, decision, reason, note, time) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        store.db.conn.executemany(
            "insert into events (id, time, reviewer, kind, record_id, payload) "
            "values (?, ?, ?, ?, ?, ?)",
            events,
        )


def time_keypresses(store: Store, reviewer: str, presses: int) -> tuple[list[float], list[float]]:
    """Screen ``presses`` records the way the keyboard does: decide, move on, load.
    Returns wall-clock and CPU times per press."""
    wall, cpu = [], []
    current = screening.next_undecided(store, "title_abstract", reviewer)
    for i in range(presses):
        if current is None:
            break
        t0, c0 = time.perf_counter(), time.process_time()
        screening.decide(store, current, "include" if i % 7 == 0 else "exclude", reviewer)
        nxt = screening.next_undecided(store, "title_abstract", reviewer, current)
        if nxt is not None:
            store.record(nxt)
            store.list_rows([nxt], "title_abstract", reviewer)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        current = nxt
    return wall, cpu


FILTERS = [
    ("title/abstract, no filter", dict(stage="title_abstract")),
    ("final include", dict(stage="title_abstract", decision="include")),
    ("bob: undecided", dict(stage="title_abstract", decision="undecided", reviewer="bob")),
    ("conflicts", dict(stage="title_abstract", conflict=True)),
    ("reason", dict(stage="title_abstract", reason="wrong population")),
    ("tag", dict(stage="title_abstract", tag="RCT")),
    ("search 'placebo'", dict(stage="title_abstract", search="placebo")),
    (
        "search + ann exclude",
        dict(stage="title_abstract", search="myeloma relapse", decision="exclude", reviewer="ann"),
    ),
    ("full text, no filter", dict(stage="full_text")),
    ("full text, ann include", dict(stage="full_text", decision="include", reviewer="ann")),
]


def time_filters(store: Store, repeat: int) -> None:
    """A filter change as the window makes it: the list is shown from
    ``filter_record_ids`` at once (target: under 100 ms), and the option counts follow
    from ``filter_counts`` on the worker thread. ``filter_records`` (both, sharing the
    search) is shown for comparison."""
    print(
        f"\nfilter change, ms, best of {repeat} (median) wall clock, and best CPU time:"
        "\n  list shown: filter_record_ids          | counts, in the background | both at once"
    )
    for name, kwargs in FILTERS:
        runs: dict[str, list[tuple[float, float]]] = {"ids": [], "counts": [], "both": []}
        for _ in range(repeat):
            for key, call in (
                ("ids", filters.filter_record_ids),
                ("counts", filters.filter_counts),
                ("both", filters.filter_records),
            ):
                t0, c0 = time.perf_counter(), time.process_time()
                result = call(store, **kwargs)
                runs[key].append((time.perf_counter() - t0, time.process_time() - c0))
                if key == "ids":
                    ids = result
        cells = [
            f"{min(w for w, _ in r) * 1000:6.1f} ({statistics.median(w for w, _ in r) * 1000:6.1f})"
            f" cpu {min(c for _, c in r) * 1000:6.1f}"
            for r in runs.values()
        ]
        print(f"  {name:26} {len(ids):6} ids  {cells[0]}  |  {cells[1]}  |  {cells[2]}")


def time_others(store: Store) -> None:
    """The rest a screening session calls, once each (ms)."""
    print("\nother calls, ms:")
    calls = [
        ("progress (title/abstract, bob)", lambda: screening.progress(store, STAGE, "bob")),
        ("conflicts (title/abstract)", lambda: screening.conflicts(store, STAGE)),
        ("records_at_stage (full text)", lambda: screening.records_at_stage(store, "full_text")),
        ("undo_last_decision (bob)", lambda: screening.undo_last_decision(store, "bob", STAGE)),
        ("stats (everything, with agreement)", lambda: stats(store)),
    ]
    for name, call in calls:
        t0 = time.perf_counter()
        call()
        print(f"  {name:36} {(time.perf_counter() - t0) * 1000:7.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="build the review here, keep it")
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.review"
        if path.exists():
            store = Store(path)
            print(f"reusing {path}")
        else:
            print(f"building a review of {args.records} records at {path}")
            store = build(path, args.records, rng)
        wall, cpu = time_keypresses(store, "bob", args.presses)
        print(f"\ndecision by key (decide + next_undecided + load next), {len(wall)} presses, ms:")
        for label, times in (("wall clock", wall), ("CPU", cpu)):
            ms = sorted(t * 1000 for t in times)
            print(
                f"  {label:10}  median {statistics.median(ms):5.1f}  "
                f"p95 {ms[int(len(ms) * 0.95) - 1]:5.1f}  max {ms[-1]:5.1f}"
            )
        time_filters(store, args.repeat)
        time_others(store)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
