"""Custom fields on trials the ranking was never tuned on: the Evidence Inference articles.

The shared corpus holds 15 open-access trial reports (``pmc_jats/evidence_inference``,
none of them in broad_dev) with prompts that annotators wrote for them: an
intervention, a comparator and an outcome each (``pico/evidence_inference/
prompts_merged.csv``). A reviewer adds fields named "Interventions", "Treatment",
"Comparator", "Control arm" and "Outcomes" (name only); a field's top three sentences
count as a hit for a prompt when one of them holds at least 60% of the prompt's words.
The prompts are paraphrases, not quotes, so this is a looser check than
``custom_field_bench.py``; the first three sentences of the abstract are the baseline.

usage: python benchmarks/custom_field_unseen_bench.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.domain.template import FieldSpec  # noqa: E402
from reviewer.ingest import import_paths  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.suggest.custom import rank  # noqa: E402
from reviewer.suggest.document import Document  # noqa: E402

FIELDS = {
    "Intervention": ["Interventions", "Treatment"],
    "Comparator": ["Comparator", "Control arm"],
    "Outcome": ["Outcomes"],
}
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "in",
        "with",
        "to",
        "for",
        "at",
        "on",
        "by",
        "was",
        "were",
        "mg",
        "kg",
    ]
)


def words(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in _STOP}


def holds(sentence: str, prompt: str) -> bool:
    wanted = words(prompt)
    return bool(wanted) and len(wanted & words(sentence)) / len(wanted) >= 0.6


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args(argv)
    prompts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    table = args.corpus / "pico" / "evidence_inference" / "prompts_merged.csv"
    with table.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for column in FIELDS:
                prompts["PMC" + row["PMCID"]][column].add(row[column])
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # ranked, first three, n
    with tempfile.TemporaryDirectory() as tmp:
        store = create_review(Path(tmp) / "unseen.review", "unseen")
        import_paths(
            store, sorted((args.corpus / "pmc_jats" / "evidence_inference").glob("*.nxml"))
        )
        for record in store.records():
            pmcid = record.pmcid if record.pmcid.startswith("PMC") else f"PMC{record.pmcid}"
            if pmcid not in prompts:
                continue
            doc = Document(record)
            abstract = [s for s in doc.sentences if s.start >= doc.abstract_start]
            first = [doc.text[s.start : s.end] for s in abstract[:3]]
            for column, labels in FIELDS.items():
                for label in labels:
                    field = FieldSpec(
                        key=re.sub(r"\W+", "_", label.lower()), label=label, type="text"
                    )
                    top = [doc.text[s.start : s.end] for _, s in rank(doc, field)]
                    for prompt in prompts[pmcid][column]:
                        h = hits[label]
                        h[0] += any(holds(t, prompt) for t in top)
                        h[1] += any(holds(t, prompt) for t in first)
                        h[2] += 1
        store.close()
    print(f"{'field':14} {'prompts':>7} {'top-3':>6} {'first 3':>8}")
    for label, (ranked, first, n) in hits.items():
        print(f"{label:14} {n:7} {ranked / n:6.2f} {first / n:8.2f}")
    ranked, first, n = (sum(h[i] for h in hits.values()) for i in range(3))
    print(
        f"a prompt's words in the top 3 sentences: {ranked / n:.3f} ({ranked}/{n}); "
        f"first three sentences of the abstract instead: {first / n:.3f} "
        f"(ratio {ranked / max(first, 1):.2f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
