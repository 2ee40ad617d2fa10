"""How well a field the app does not know finds its evidence: the default fields, as custom.

Every content field of the default template is given to the custom-field suggester
(``reviewer/suggest/custom.py``) by its label alone, as a reviewer would add it
("Sample size", "Comparator"), and its top three sentences are compared with the
gold quote of ``../shared/gold/broad_dev``: a hit when the gold quote lies inside
one of them (and, less strictly, when it shares at least half its words' length
with one). Prints the hit rate per field and overall, against the goal of 0.8, and
the same rate for a baseline that takes the first three sentences of the abstract.

usage: python benchmarks/custom_field_bench.py [--gold ../shared/gold/broad_dev]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.domain.template import FieldSpec, load_template  # noqa: E402
from reviewer.ingest import import_paths  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.suggest.custom import rank  # noqa: E402
from reviewer.suggest.document import Document  # noqa: E402
from reviewer.suggest.runner import RecordKeys  # noqa: E402

BIBLIOGRAPHIC = {"title", "authors", "journal", "year", "doi", "funding"}
GOAL = 0.8


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def key_of(record: str) -> tuple[str, str]:
    name, _, title = record.partition("#")
    return name, re.sub(r"[^a-z0-9]", "", title.lower())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "broad_dev")
    args = parser.parse_args(argv)
    gold = {}
    for line in (args.gold / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        gold[key_of(g["record"])] = g
    template = load_template(ROOT / "resources" / "templates" / "intervention_study.json")
    specs = {
        f.key: FieldSpec(key=f"custom_{f.key}", label=f.label, type=f.type, item_type=f.item_type)
        for f in template.fields
        if f.key not in BIBLIOGRAPHIC
    }
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # strict, loose, first3, n
    elapsed = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        store = create_review(Path(tmp) / "bench.review", "bench")
        import_paths(store, sorted((args.gold / "records").glob("*.nbib")))
        keys = RecordKeys(store)
        for record in store.records():
            g = gold.get(key_of(keys.key(record)))
            if g is None:
                continue
            doc = Document(record)
            for field, gf in g["fields"].items():
                if field not in specs or gf.get("value") is None or not gf.get("quote"):
                    continue
                quote = norm(gf["quote"])
                t = time.perf_counter()
                top = [doc.text[s.start : s.end] for _, s in rank(doc, specs[field], 3)]
                elapsed += time.perf_counter() - t
                abstract = [s for s in doc.sentences if s.start >= doc.abstract_start]
                first = [doc.text[s.start : s.end] for s in abstract[:3]]
                h = hits[field]
                h[0] += any(quote in norm(x) for x in top)
                h[1] += any(_shares(quote, norm(x)) for x in top)
                h[2] += any(quote in norm(x) for x in first)
                h[3] += 1
        store.close()
    total = [sum(h[i] for h in hits.values()) for i in range(4)]
    print(f"{'field':22} {'n':>4} {'top-3':>6} {'loose':>6} {'first 3':>8}")
    for field, (strict, loose, first, n) in sorted(hits.items()):
        print(f"{field:22} {n:4} {strict / n:6.2f} {loose / n:6.2f} {first / n:8.2f}")
    n = total[3]
    print(
        f"gold quote in the top 3 sentences: {total[0] / n:.3f} ({total[0]}/{n}; goal {GOAL}, "
        f"ratio {total[0] / n / GOAL:.2f}); sharing half its length: {total[1] / n:.3f}; "
        f"first three sentences instead: {total[2] / n:.3f}; ranking {elapsed / n * 1000:.2f} ms "
        "per field"
    )
    return 0


def _shares(quote: str, sentence: str) -> bool:
    m = SequenceMatcher(None, quote, sentence, autojunk=False).find_longest_match()
    return m.size >= len(quote) / 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
