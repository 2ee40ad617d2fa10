"""Suggestions for any field a reviewer adds: the sentences most about it, with a typed value.

A field the built-in suggesters do not know ("Blinding", "Setting", "Dropouts (%)")
still has a name, a type and perhaps a description and keywords. Its query is those
words, each widened by a small table of words that go with it in trial reports
(``resources/cues/field_synonyms.json``: "size" → patients, enrolled, randomized);
the record's sentences are ranked by BM25 against it, and the best one to three
are offered, each quoting its sentence, with the value parsed from it where the
field's type allows: a number or whole number, a percentage, a list of drug or
disease names, a choice that the sentence names, or the sentence itself for text.
Nothing here knows the default template's fields.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.document import Document
from reviewer.suggest.textutil import COUNT, NUM, SECTION_LABEL, Sentence, parse_count, parse_number

NAME = "bm25.custom"
TOP = 3
_K1, _B = 1.2, 0.75
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "to",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "as",
        "from",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "than",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "how",
        "into",
        "per",
        "vs",
        "versus",
    ]
)


def stem(word: str) -> str:
    """A light suffix stripper: "randomized", "randomised", "randomization" → "random"."""
    w = word.lower().replace("isation", "ization").replace("ised", "ized").replace("ise", "ize")
    for suffix in ("izations", "ization", "ments", "ment", "ities", "ity", "ings", "ing",
                   "ized", "izes", "ize", "ions", "ion", "ies", "ed", "es", "s"):  # fmt: skip
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def terms(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, list[str]]:
    from reviewer.paths import resources_dir

    data = json.loads(
        (resources_dir() / "cues" / "field_synonyms.json").read_text(encoding="utf-8")
    )
    table: dict[str, list[str]] = {}
    for group in data["groups"]:
        words = [
            t for phrase in group for t in ([phrase] if phrase.startswith("_") else terms(phrase))
        ]
        for w in words:
            table.setdefault(w, [])
            table[w] += [x for x in words if x != w and x not in table[w]]
    return table


def query(field: Any) -> Counter[str]:
    """The field's words, weighted: name and keywords count most, then description, then
    the words that usually go with them."""
    q: Counter[str] = Counter()
    own = terms(f"{getattr(field, 'label', '')} {getattr(field, 'key', '').replace('_', ' ')}")
    own += [t for k in getattr(field, "keywords", None) or [] for t in terms(k)]
    for t in own:
        q[t] = max(q[t], 2)
    for t in terms(getattr(field, "help", "") or ""):
        q[t] = max(q[t], 1)
    for t in list(q):
        for syn in _synonyms().get(t, []):
            q[syn] = max(q[syn], 1)
    return q


def rank(doc: Document, field: Any, top: int = TOP) -> list[tuple[float, Sentence]]:
    """The record's sentences most about ``field``, best first, by BM25."""
    q = query(field)
    sentences = [
        s
        for s in doc.sentences
        if s.end - s.start > 15 and (s.start >= doc.abstract_start or doc.is_title(s))
    ]
    if not q or not sentences:
        return []
    bags = [_bag(doc, s) for s in sentences]
    lengths = [sum(b.values()) for b in bags]
    average = sum(lengths) / len(lengths) or 1.0
    df = Counter(t for b in bags for t in b)
    n = len(bags)
    scored = []
    for s, bag, length in zip(sentences, bags, lengths, strict=True):
        score = 0.0
        for t, weight in q.items():
            tf = bag.get(t, 0)
            if not tf:
                continue
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            score += weight * idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / average))
        if score > 0:
            scored.append((score, s))
    scored.sort(key=lambda x: (-x[0], x[1].start))
    return scored[:top]


# what a sentence holds besides words: a drug, a disease, a count of people, a share, a
# duration; the synonym table ties field words to them ("comparator" → a drug)
_PEOPLE_COUNT = re.compile(
    rf"\b{COUNT}\s+(?:[\w-]+\s+){{0,3}}?(?:patients|participants|subjects|people|children|"
    rf"adults|women|men|infants|individuals|volunteers)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(rf"\b{COUNT}[\s-]*(?:months?|years?|weeks?|days?)\b", re.IGNORECASE)


def _bag(doc: Document, s: Sentence) -> Counter[str]:
    bag = Counter(terms(doc.text[s.start : s.end]))
    if doc.drugs_in(s.start, s.end):
        bag["_drug_"] += 1
    if doc.diseases_in(s.start, s.end):
        bag["_disease_"] += 1
    if _PEOPLE_COUNT.search(doc.text, s.start, s.end):
        bag["_people_"] += 1
    if _PERCENT.search(doc.text, s.start, s.end):
        bag["_percent_"] += 1
    if _DURATION.search(doc.text, s.start, s.end):
        bag["_duration_"] += 1
    return bag


# -- typed values ----------------------------------------------------------------------------

_PERCENT = re.compile(rf"(?P<v>{NUM})\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_NUMBER = re.compile(rf"(?<![\w.])(?P<v>{COUNT})(?![\w.]*\s*%)", re.IGNORECASE)
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")


def _is_percent_field(field: Any) -> bool:
    words = (
        f"{getattr(field, 'label', '')} {getattr(field, 'unit', '')} {getattr(field, 'key', '')}"
    )
    return bool(re.search(r"%|percent|pct|proportion|rate\b|share", words, re.IGNORECASE))


def value_from(doc: Document, field: Any, s: Sentence) -> tuple[Any, int, int] | None:
    """The value a sentence gives for ``field`` and the words it comes from; ``None``
    where the type asks for something the sentence does not hold."""
    kind = str(getattr(field, "type", "text"))
    start, end = _body(doc, s)
    if kind in {"number", "integer"}:
        pattern = _PERCENT if _is_percent_field(field) else _NUMBER
        for m in pattern.finditer(doc.text, start, end):
            raw = m.group("v")
            if _YEARLIKE.match(raw):
                continue
            v = parse_number(raw)
            v = float(parse_count(raw) or 0) if v is None else v
            if kind == "integer":
                if not float(v).is_integer():
                    continue
                v = int(v)
            return v, start, end
        return None
    if kind == "list":
        if getattr(field, "item_type", "text") == "number":
            pattern = _PERCENT if _is_percent_field(field) else _NUMBER
            values = [parse_number(m.group("v")) for m in pattern.finditer(doc.text, start, end)]
            values = [v for v in values if v is not None]
            return (values, start, end) if values else None
        names = [m.names[0] for m in doc.drugs_in(start, end)] or [
            m.names[0] for m in doc.diseases_in(start, end)
        ]
        names = list(dict.fromkeys(names))
        return (names, start, end) if names else None
    if kind == "choice":
        low = doc.lower[start:end]
        for choice in getattr(field, "choices", []) or []:
            if len(choice) < 3:
                continue  # "Y", "PN": codes, not words a text prints
            if re.search(rf"\b{re.escape(choice.lower().replace('_', ' '))}\b", low):
                return choice, start, end
        return None
    if kind == "bool":
        return None
    return " ".join(doc.text[start:end].split()), start, end


def _body(doc: Document, s: Sentence) -> tuple[int, int]:
    """A sentence without its structured-abstract label ("METHODS: ")."""
    label = SECTION_LABEL.match(doc.text, s.start, s.end)
    return (label.end() if label else s.start), s.end


def suggest_field(doc: Document, field: Any, top: int = TOP) -> list[Suggestion]:
    """Up to ``top`` suggestions for a field no built-in suggester serves."""
    out = []
    ranked = rank(doc, field, top)
    best = ranked[0][0] if ranked else 0.0
    for score, s in ranked:
        found = value_from(doc, field, s)
        if found is None:
            continue
        value, start, end = found
        confidence = 0.3 + 0.3 * (score / best if best else 0)
        out.append(
            make(
                doc,
                field.key,
                value,
                start,
                end,
                confidence,
                NAME,
                detail={"bm25": round(score, 2)},
            )
        )
    return out
