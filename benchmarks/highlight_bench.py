"""How long the core of the side-by-side view takes on a long record.

Figures for two questions: re-anchoring 500 spans when a 300,000-character
record's text is replaced (with insertions all through it, some spans edited
and some deleted), and loading a record's 500 highlights from the store, which
happens every time the reviewer opens the record. Qt rendering is measured
separately, in the UI.

    .venv/bin/python benchmarks/highlight_bench.py [--chars 300000] [--spans 500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from reviewer.annotate.anchors import locate
from reviewer.annotate.notes import notes
from reviewer.annotate.text_replace import replace_record_text
from reviewer.domain import Highlight, ParsedRecord, Source, Span
from reviewer.review.project import create_review

WORDS = [
    "the",
    "patients",
    "median",
    "survival",
    "months",
    "treatment",
    "response",
    "rate",
    "was",
    "were",
    "in",
    "of",
    "and",
    "lenalidomide",
    "arm",
    "placebo",
    "group",
    "trial",
    "randomised",
    "progression",
    "free",
    "overall",
    "hazard",
    "ratio",
    "interval",
    "confidence",
    "adverse",
    "events",
    "grade",
    "neutropenia",
    "dose",
    "cycle",
]


def make_text(chars: int, rng: random.Random) -> str:
    out, size, sentence = [], 0, 0
    while size < chars:
        sentence += 1
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
        words.insert(rng.randrange(len(words)), f"{rng.randint(1, 999)}.{rng.randint(0, 9)}")
        s = f"({sentence}) " + " ".join(words).capitalize() + ". "
        out.append(s)
        size += len(s)
    return "".join(out)[:chars]


def make_spans(text: str, n: int, rng: random.Random) -> list[Span]:
    spans = []
    for _ in range(n):
        start = text.index(" ", rng.randrange(len(text) - 200)) + 1
        end = text.index(" ", start + rng.randint(8, 80))
        spans.append(Span.from_text(text, start, end))
    return spans


def edit_text(text: str, spans: list[Span], rng: random.Random) -> tuple[str, int, int]:
    """Insert passages all through the text, edit 5% of the spans and delete 2%."""
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), non-overlapping
    chosen = rng.sample(spans, k=len(spans) // 10)
    edited = chosen[: len(spans) // 20]
    deleted = chosen[len(spans) // 20 : len(spans) // 20 + len(spans) // 50]
    for s in edited:
        mid = (s.start + s.end) // 2
        edits.append((mid, mid + 1, "~"))
    for s in deleted:
        edits.append((s.start - 1, s.end, ""))
    for _ in range(100):
        pos = rng.randrange(len(text))
        edits.append((pos, pos, f" [inserted note {rng.randint(0, 10**6)}] "))
    edits.sort(key=lambda e: e[0])
    out, last = [], 0
    for start, end, repl in edits:
        if start < last:
            continue
        out.append(text[last:start] + repl)
        last = end
    out.append(text[last:])
    return "".join(out), len(edited), len(deleted)


def bench_reanchor(text: str, new: str, spans: list[Span]) -> None:
    t = time.perf_counter()
    methods = Counter(found.method if (found := locate(s, new)) else "orphan" for s in spans)
    elapsed = time.perf_counter() - t
    print(
        f"re-anchor {len(spans)} spans, {len(text):,} -> {len(new):,} chars: "
        f"{elapsed * 1000:.0f} ms ({elapsed / len(spans) * 1000:.2f} ms/span); "
        + ", ".join(f"{k} {v}" for k, v in sorted(methods.items()))
    )


def build_store(path: Path, text: str, spans: list[Span]):
    store = create_review(path, "bench")
    with store.atomic():
        sid = store.add_source(Source(name="long.txt", sha256="0" * 64, size=1, format="text"))
        (rid,) = store.add_records(sid, [ParsedRecord(title="long", text=text)])
        for i, span in enumerate(spans):
            store.add_highlight(
                Highlight(record_id=rid, field=None, span=span, note=f"note {i}", reviewer="bench")
            )
    return store, rid


def bench_load(store, rid: int, runs: int = 20) -> None:
    for label, load in (
        ("store.highlights", lambda: store.highlights(rid)),
        ("notes()", lambda: notes(store, rid)),
    ):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            n = len(load())
            times.append(time.perf_counter() - t)
        print(
            f"load {n} highlights with {label}: median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms over {runs} runs"
        )


def bench_replace(store, rid: int, spans: list[Span], new: str) -> None:
    # half the spans as value provenance (5 list fields), half stay highlights
    fields = ["interventions", "registration_ids", "authors", "median_os_months", "hazard_ratio"]
    half = spans[: len(spans) // 2]
    per = len(half) // len(fields)
    with store.atomic():
        for i, field in enumerate(fields):
            chunk = half[i * per : (i + 1) * per]
            value = [1.0] if field in ("median_os_months", "hazard_ratio") else ["x"]
            store.set_value(rid, field, value, "bench", provenance=chunk)
    t = time.perf_counter()
    report = replace_record_text(store, rid, new, "bench")
    elapsed = time.perf_counter() - t
    print(
        f"replace_record_text ({per * len(fields)} provenance spans + "
        f"{len(spans)} highlights) in one transaction: {elapsed * 1000:.0f} ms; kept "
        f"{report.kept}, moved {report.moved}, fuzzy {len(report.fuzzy)}, "
        f"orphaned {len(report.orphans)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--spans", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(42)
    text = make_text(args.chars, rng)
    spans = make_spans(text, args.spans, rng)
    new, n_edited, n_deleted = edit_text(text, spans, rng)
    print(f"{n_edited} spans edited inside, {n_deleted} deleted, 100 passages inserted")
    bench_reanchor(text, new, spans)
    bench_reanchor(text, text, spans)  # unchanged text: the fast path
    with tempfile.TemporaryDirectory() as tmp:
        store, rid = build_store(Path(tmp) / "bench.review", text, spans)
        bench_load(store, rid)
        bench_replace(store, rid, spans, new)
        store.close()


if __name__ == "__main__":
    main()
