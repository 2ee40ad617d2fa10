#!/usr/bin/env python3
"""Train the study-design classifier the suggesters ship, and report its held-out accuracy.

Labels come from data, not from our own cue phrases:

* the publication types (PT) that MEDLINE indexers gave the records of the shared
  corpus (``../shared/corpus``: MEDLINE/nbib files, PubMed XML, PubMed-exported RIS);
  "Randomized Controlled Trial" → randomized_controlled_trial, "Meta-Analysis" or
  "Systematic Review" → systematic_review, other "Clinical Trial" types →
  non_randomized_trial, "Case Reports" → case_report, "Review" → narrative_review,
  "Observational Study" → cohort, "Practice Guideline"/"Guideline" → other;
  records with none of these types (most are "Journal Article" only) are left out,
  because their design is unknown;
* the Evidence Inference articles (``pico/evidence_inference``), every one a
  randomised trial by that corpus's construction.

Records of the broad_dev gold set are excluded by PMID, so its figures stay a test.

The model is scikit-learn's TF-IDF (words and word pairs) with a multinomial
logistic regression. It is exported as JSON (``resources/models/design.json``:
vocabulary, idf, coefficients; no pickle), so the app scores a text with a few
dictionary look-ups and needs no scikit-learn. The script prints the accuracy of
the exported model on a stratified held-out quarter and by 5-fold cross-validation.

usage: python scripts/train_design_model.py [--corpus ../shared/corpus] [--gold ../shared/gold]
(needs scikit-learn: pip install '.[train]'). Deterministic: the same data give the same file.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "models" / "design.json"
TOKEN = re.compile(r"(?u)\b\w\w+\b")
KEEP_FEATURES = 4000

_PT_LABELS = (
    ({"meta-analysis", "systematic review"}, "systematic_review"),
    ({"randomized controlled trial"}, "randomized_controlled_trial"),
    (
        {
            "clinical trial",
            "controlled clinical trial",
            "clinical trial, phase i",
            "clinical trial, phase ii",
            "clinical trial, phase iii",
            "clinical trial, phase iv",
        },
        "non_randomized_trial",
    ),
    ({"case reports"}, "case_report"),
    ({"review"}, "narrative_review"),
    ({"observational study"}, "cohort"),
    ({"practice guideline", "guideline"}, "other"),
)


def label_of(types: list[str]) -> str | None:
    kinds = {t.strip().lower() for t in types}
    for names, label in _PT_LABELS:
        if kinds & names:
            return label
    return None


def _medline_blocks(text: str):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n\s*\n(?=PMID- |TY  - )", text):
        tags: dict[str, list[str]] = collections.defaultdict(list)
        last = None
        for line in block.split("\n"):
            m = re.match(r"^([A-Z][A-Z0-9 ]{1,3})\s*-\s?(.*)$", line)
            if m:
                last = m.group(1).strip()
                tags[last].append(m.group(2))
            elif last and line.startswith("      "):
                tags[last][-1] += " " + line.strip()
        pmid = (tags.get("PMID") or tags.get("AN") or [""])[0].strip()
        yield pmid, " ".join(tags.get("TI", [])), " ".join(tags.get("AB", [])), tags.get("PT", [])


def _pubmed_xml(text: str):
    for art in re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S):
        pmid = re.search(r"<PMID[^>]*>(\d+)", art)
        title = re.search(r"<ArticleTitle>(.*?)</ArticleTitle>", art, re.S)
        abstract = " ".join(re.findall(r"<AbstractText[^>]*>(.*?)</AbstractText>", art, re.S))
        types = re.findall(r"<PublicationType[^>]*>([^<]+)", art)
        yield (
            pmid.group(1) if pmid else "",
            re.sub(r"<[^>]+>", "", title.group(1)) if title else "",
            re.sub(r"<[^>]+>", "", abstract),
            types,
        )


def load(corpus: Path, gold: Path) -> list[tuple[str, str, str]]:
    """(id, text, label) for every labelled record, broad_dev records left out."""
    held_out = set()
    for line in (gold / "broad_dev" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        held_out.add(str(g.get("pmid") or ""))
    records: dict[str, tuple[str, str, str]] = {}
    for path in sorted(glob.glob(str(corpus / "**" / "*"), recursive=True)):
        if not re.search(r"\.(nbib|txt|ris|xml)$", path):
            continue
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        rows = _pubmed_xml(text) if path.endswith(".xml") else _medline_blocks(text)
        if "PT  - " not in text and "<PublicationType" not in text:
            continue
        for pmid, title, abstract, types in rows:
            label = label_of(types)
            if pmid and abstract.strip() and label and pmid not in held_out:
                records.setdefault(pmid, (pmid, f"{title}\n{abstract}", label))
    for path in sorted(
        glob.glob(str(corpus / "pico" / "evidence_inference" / "documents_txt" / "*.txt"))
    ):
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        # title and abstract only: the text up to the body's first section
        head = text.split("\nBODY", 1)[0][:4000]
        head = re.sub(r"\bABSTRACT\.[A-Z ]+:\s*", "", head.replace("TITLE:", ""))
        records.setdefault(Path(path).stem, (Path(path).stem, head, "randomized_controlled_trial"))
    return sorted(records.values())


def features(text: str) -> dict[str, float]:
    """Sublinear term frequencies of words and word pairs (what the app computes too)."""
    words = TOKEN.findall(text.lower())
    counts = collections.Counter(words)
    counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return {t: 1.0 + math.log(c) for t, c in counts.items()}


def export(vectorizer, model, keep: int) -> dict:
    names = vectorizer.get_feature_names_out()
    weight = abs(model.coef_).max(axis=0)
    order = sorted(range(len(names)), key=lambda i: (-weight[i], names[i]))[:keep]
    order.sort(key=lambda i: names[i])
    return {
        "about": "Study-design classifier: TF-IDF of words and word pairs, multinomial logistic "
        "regression (scikit-learn), trained by scripts/train_design_model.py from MEDLINE "
        "publication types of the shared corpus and the Evidence Inference trials.",
        "classes": list(model.classes_),
        "intercept": [round(float(v), 5) for v in model.intercept_],
        "features": {
            names[i]: [round(float(vectorizer.idf_[i]), 5)]
            + [round(float(model.coef_[c][i]), 5) for c in range(len(model.classes_))]
            for i in order
        },
    }


def predict(model: dict, text: str) -> str:
    """The exported model applied as the app applies it (reviewer/suggest/design_model.py)."""
    feats = model["features"]
    vec = {t: tf * feats[t][0] for t, tf in features(text).items() if t in feats}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    scores = list(model["intercept"])
    for t, v in vec.items():
        for c, w in enumerate(feats[t][1:]):
            scores[c] += w * v / norm
    return model["classes"][max(range(len(scores)), key=scores.__getitem__)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    args = parser.parse_args(argv)
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, train_test_split
    except ImportError:
        sys.exit("train_design_model: scikit-learn is needed (pip install '.[train]')")

    data = load(args.corpus, args.gold)
    texts = [t for _, t, _ in data]
    labels = [y for _, _, y in data]
    print(f"{len(data)} labelled records: {dict(sorted(collections.Counter(labels).items()))}")

    def fit(xs: list[str], ys: list[str]):
        vectorizer = TfidfVectorizer(
            ngram_range=(1, 2),
            min_df=2,
            sublinear_tf=True,
            lowercase=True,
            token_pattern=TOKEN.pattern,
        )
        matrix = vectorizer.fit_transform(xs)
        model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
        model.fit(matrix, ys)
        return vectorizer, model

    def accuracy(train: list[int], test: list[int]) -> float:
        vectorizer, model = fit([texts[i] for i in train], [labels[i] for i in train])
        shipped = export(vectorizer, model, KEEP_FEATURES)
        return sum(predict(shipped, texts[i]) == labels[i] for i in test) / len(test)

    # classes too small to split are kept in training only
    counts = collections.Counter(labels)
    splittable = [i for i, y in enumerate(labels) if counts[y] >= 5]
    train, test = train_test_split(
        splittable, test_size=0.25, random_state=0, stratify=[labels[i] for i in splittable]
    )
    train = sorted(set(train) | (set(range(len(labels))) - set(splittable)))
    held = accuracy(train, test)
    majority = max(collections.Counter(labels[i] for i in test).values()) / len(test)
    print(f"held-out accuracy {held:.3f} on {len(test)} records (majority class {majority:.3f})")
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    ys = [labels[i] for i in splittable]
    cv = [
        accuracy([splittable[i] for i in tr], [splittable[i] for i in te])
        for tr, te in folds.split(splittable, ys)
    ]
    print(f"5-fold accuracy {sum(cv) / len(cv):.3f} (folds {', '.join(f'{a:.2f}' for a in cv)})")

    vectorizer, model = fit(texts, labels)
    shipped = export(vectorizer, model, KEEP_FEATURES)
    shipped["trained_on"] = {
        "records": len(data),
        "labels": dict(sorted(collections.Counter(labels).items())),
        "held_out_accuracy": round(held, 3),
        "cv_accuracy": round(sum(cv) / len(cv), 3),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(shipped, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(ROOT)}: {len(shipped['features'])} features, {OUT.stat().st_size / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
