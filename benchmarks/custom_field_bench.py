"""How well a field the app does not know finds its evidence: the default fields, as custom.

Every content field of the default template is given to the custom-field suggester
(``reviewer/suggest/custom.py``) by its label alone, as a reviewer would add it
("Sample size", "Comparator"), and its top three sentences are compared with the
gold quote of ``../shared/gold/broad_dev``: a hit when the gold quote lies inside
one of them (and, less strictly, when it shares at least half its words' length
with one). Prints the hit rate per field and overall, against the goal of 0.8, and
the same rate for a baseline that takes the first three sentences of the abstract.

With ``--other-names`` the fields are named as another reviewer might name them
("Disease", "Treatment", "Control arm"). With ``--describe`` each field also has a one-line description (the gold schema's
"what it holds"), as a reviewer may write one; that figure is reported apart.

usage: python benchmarks/custom_field_bench.py [--gold ../shared/gold/broad_dev] [--describe] [--other-names]
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
# what another reviewer might call the same fields (--other-names): a check that the
# ranking does not depend on the default template's labels
OTHER_NAMES = {
    "registration_ids": "Trial registry number",
    "study_design": "Type of study",
    "phase": "Trial phase",
    "sample_size": "Number of participants",
    "age": "Mean age",
    "condition": "Disease",
    "interventions": "Treatment",
    "comparator": "Control arm",
    "follow_up_months": "Length of follow-up",
    "response_rate_pct": "Responders (%)",
    "median_pfs_months": "Progression-free survival",
    "median_os_months": "Overall survival",
    "hazard_ratio": "HR",
}


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def key_from_label(label: str) -> str:
    """The key the template editor makes for a new field: its label's words, nothing more."""
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return key if key[:1].isalpha() else "f_" + key


def key_of(record: str) -> tuple[str, str]:
    name, _, title = record.partition("#")
    return name, re.sub(r"[^a-z0-9]", "", title.lower())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "broad_dev")
    parser.add_argument(
        "--describe",
        action="store_true",
        help="also give each field a one-line description: its 'what it holds' in "
        "../shared/gold/SCHEMA.md (written for the gold set, not for this app)",
    )
    parser.add_argument(
        "--other-names",
        action="store_true",
        help="name the fields as another reviewer might (OTHER_NAMES) instead of by the "
        "default template's labels",
    )
    args = parser.parse_args(argv)
    described = _descriptions(args.gold.parent / "SCHEMA.md") if args.describe else {}
    gold = {}
    for line in (args.gold / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        gold[key_of(g["record"])] = g
    template = load_template(ROOT / "resources" / "templates" / "intervention_study.json")
    names = OTHER_NAMES if args.other_names else {}
    specs = {
        f.key: FieldSpec(
            key=key_from_label(names.get(f.key, f.label)),
            label=names.get(f.key, f.label),
            type=f.type,
            item_type=f.item_type,
            help=described.get(f.key, ""),
        )
        for f in template.fields
        if f.key not in BIBLIOGRAPHIC
    }
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # strict, loose, first3, n
    halves = [[0, 0], [0, 0]]  # alternate records: hits, n
    elapsed = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        store = create_review(Path(tmp) / "bench.review", "bench")
        import_paths(store, sorted((args.gold / "records").glob("*.nbib")))
        keys = RecordKeys(store)
        for index, record in enumerate(store.records()):
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
                hit = any(quote in norm(x) for x in top)
                h[0] += hit
                halves[index % 2][0] += hit
                halves[index % 2][1] += 1
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
    print("the two halves (alternate records): " + ", ".join(f"{h / n:.3f}" for h, n in halves))
    return 0


def _descriptions(schema: Path) -> dict[str, str]:
    """The 'what it holds' column of the gold schema's field table, by key, with examples
    in parentheses and quoted values left out (they would name the seed topic)."""
    out = {}
    for line in schema.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            text = re.sub(r"\([^)]*\)|`[^`]*`|\"[^\"]*\"", "", cells[2])
            out[cells[0].strip("`")] = " ".join(text.split())
    return out


def _shares(quote: str, sentence: str) -> bool:
    m = SequenceMatcher(None, quote, sentence, autojunk=False).find_longest_match()
    return m.size >= len(quote) / 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
