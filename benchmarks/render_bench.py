"""How fast the document view opens and scrolls a long, heavily marked record.

The issue's target: a record of 300,000 characters with 500 highlights opens,
highlighted, in under 150 ms, and scrolling does not stutter. This builds such a
record in a temporary review (paragraphs of article-like text; 25 spans of
provenance on each of the template's 20 fields), then times what the window
does when the reviewer selects it: read record and values from the store, turn
them into marks, ``DocumentView.show_record`` + ``set_highlights``, and a paint
(offscreen, forced with ``grab``). Median and worst of several runs, each after
showing another record. Then scrolling: the scroll bar set to 20 positions down
the text, each repainted. Then the same for text with no line break at all (a
bad PDF extraction), which the view breaks into paragraphs for display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/render_bench.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from reviewer.domain import FieldSpec, FieldType, ParsedRecord, Source, Span  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.store import Store  # noqa: E402
from reviewer.ui.document_view import DocumentView  # noqa: E402
from reviewer.ui.highlight_items import items_for_record  # noqa: E402

WORDS = (
    "the", "patients", "median", "survival", "months", "treatment", "response", "rate", "was",
    "were", "in", "of", "and", "lenalidomide", "arm", "placebo", "group", "trial", "randomised",
    "progression", "free", "overall", "hazard", "ratio", "interval", "confidence", "adverse",
    "events", "grade", "neutropenia", "dose", "cycle",
)  # fmt: skip
SPANS_PER_FIELD = 25


def make_text(chars: int, rng: random.Random, paragraphs: bool = True) -> str:
    out, size, sentence = [], 0, 0
    while size < chars:
        para = []
        for _ in range(rng.randint(3, 9)):
            sentence += 1
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
            words.insert(rng.randrange(len(words)), f"{rng.randint(1, 999)}.{rng.randint(0, 9)}")
            para.append(" ".join(words).capitalize() + ".")
        p = " ".join(para) + ("\n\n" if paragraphs else " ")
        out.append(p)
        size += len(p)
    return "".join(out)[:chars]


def value_for(spec: FieldSpec) -> object:
    if spec.type is FieldType.LIST:
        return [1.0] if spec.item_type == "number" else ["x"]
    return {
        FieldType.TEXT: "x",
        FieldType.NUMBER: 1.0,
        FieldType.INTEGER: 1,
        FieldType.BOOL: True,
        FieldType.CHOICE: spec.choices[0] if spec.choices else "x",
    }[spec.type]


def build_review(path: Path, text: str, rng: random.Random) -> tuple[Store, int, int]:
    store = create_review(path, "render bench")
    with store.atomic():
        sid = store.add_source(Source(name="long.txt", sha256="0" * 64, size=1, format="text"))
        long_id, short_id = store.add_records(
            sid, [ParsedRecord(title="long", text=text), ParsedRecord(title="short", text="x")]
        )
        for spec in store.template().fields:
            spans = []
            for _ in range(SPANS_PER_FIELD):
                start = text.index(" ", rng.randrange(len(text) - 200)) + 1
                end = text.index(" ", start + rng.randint(8, 80))
                spans.append(Span.from_text(text, start, end))
            store.set_value(long_id, spec.key, value_for(spec), "bench", provenance=spans)
    return store, long_id, short_id


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def bench_open(
    app: QApplication, view: DocumentView, store: Store, rid: int, other: int, runs: int
):
    template = store.template()
    steps: dict[str, list[float]] = {k: [] for k in ("store", "marks", "show", "mark", "paint")}
    totals = []
    n_marks = 0
    for _ in range(runs):
        view.show_record(store.record(other))
        view.set_highlights([])
        app.processEvents()
        view.grab()
        t0 = time.perf_counter()
        record, values = store.record(rid), store.values(rid)
        t1 = time.perf_counter()
        items = items_for_record(template, values)
        t2 = time.perf_counter()
        view.show_record(record, "long.txt")
        t3 = time.perf_counter()
        view.set_highlights(items)
        t4 = time.perf_counter()
        app.processEvents()
        view.grab()
        t5 = time.perf_counter()
        for key, a, b in zip(steps, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5), strict=True):
            steps[key].append((b - a) * 1000)
        totals.append((t5 - t0) * 1000)
        n_marks = len(items)
    parts = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in steps.items())
    print(
        f"  open {len(store.record(rid).text):,} chars with {n_marks} marks: "
        f"median {statistics.median(totals):.1f} ms, worst {max(totals):.1f} ms "
        f"over {runs} runs  ({parts} ms)"
    )
    return statistics.median(totals)


def bench_scroll(app: QApplication, view: DocumentView, positions: int = 20) -> None:
    bar = view.text.verticalScrollBar()
    viewport = view.text.viewport()
    times = []
    for i in range(positions):
        value = bar.maximum() * i // (positions - 1)
        times.append(timed(lambda v=value: (bar.setValue(v), viewport.grab())))
    drawn = len(view.drawn())
    print(
        f"  scroll to {positions} positions: median {statistics.median(times):.1f} ms, "
        f"worst {max(times):.1f} ms per step ({drawn} marks drawn at the end)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    view = DocumentView()
    view.resize(700, 900)
    view.show()
    app.processEvents()
    medians = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, paragraphs in (("paragraphs", True), ("no line break at all", False)):
            rng = random.Random(7)
            text = make_text(args.chars, rng, paragraphs)
            store, rid, other = build_review(Path(tmp) / f"{paragraphs}.review", text, rng)
            print(f"{label}:")
            medians.append(bench_open(app, view, store, rid, other, args.runs))
            bench_scroll(app, view)
            view.show_record(None)
            store.close()
    verdict = "within" if max(medians) < 150 else "OVER"
    print(f"open + highlight: {verdict} the 150 ms target")


if __name__ == "__main__":
    main()
