"""Suggestions for any field a reviewer adds: the sentences most about it, with a typed value.

A field the built-in suggesters do not know ("Blinding", "Setting", "Dropouts (%)")
still has a name, a type and perhaps a description and keywords. Its query is those
words, widened by the groups of a table of trial-reporting vocabulary whose names the
field's name contains (``resources/cues/field_synonyms.json``: a field called "Number
of participants" also looks for enrolled, randomized, a count of people). A sentence
is a bag of its words and of what else it holds: a drug or disease the vocabularies
know (and whether it is the study's own), a count of people, a share, a duration,
being the title, the label of its structured-abstract section, and the kinds of
sentence most abstracts have (where the arms are formed, what the study set out to
do, who took part). The record's sentences are ranked by BM25 against the query, and
the best one to three are offered, each quoting its sentence, with the value parsed
from it where the field's type allows: a number or whole number, a percentage, a list
of drug or disease names, a choice that the sentence names, or the sentence itself
for text. Nothing here knows the default template's fields: a semantic sentence
encoder was measured against this ranking and added nothing worth its size
(``scripts/measure_sentence_encoder.py``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.document import Document
from reviewer.suggest.textutil import COUNT, NUM, SECTION_LABEL, Sentence, parse_count, parse_number

NAME = "bm25.custom"
TOP = 3
_K1, _B = 1.2, 0.75
_ELSEWHERE = 0.7  # a sentence about another study than this one counts this much
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


_BRITISH = re.compile(r"is(ations?|ed|es|e|ing)$")


def stem(word: str) -> str:
    """A light suffix stripper: "randomized", "randomised", "randomization" → "random"."""
    w = _BRITISH.sub(r"iz\1", word.lower())
    for suffix in ("izations", "ization", "ments", "ment", "ities", "ity", "ings", "ing",
                   "ized", "izes", "ize", "ions", "ion", "ies", "ed", "es", "s"):  # fmt: skip
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    # "disease"/"diseases", "receive"/"received": a final e is no part of the stem
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


def terms(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    from reviewer.paths import resources_dir

    return json.loads(
        (resources_dir() / "cues" / "field_synonyms.json").read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def _kinds() -> dict[str, re.Pattern[str]]:
    """The sentence kinds of the table ("_allocation_": where the arms are formed), each as
    one pattern."""
    return {
        kind: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        for kind, patterns in _table().get("kinds", {}).items()
    }


@dataclass(frozen=True)
class _Group:
    names: tuple[tuple[str, ...], ...]  # each name as its terms
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[tuple[str, ...], list[_Group]], int]:
    """The table's groups by each of their names (as terms), and the longest name."""
    by_name: dict[tuple[str, ...], list[_Group]] = {}
    for entry in _table()["groups"]:
        names = tuple(tuple(terms(n)) for n in entry["names"] if terms(n))
        words = tuple(
            t for w in entry["words"] for t in (
                [w] if w.startswith("_") else terms(w))
        )  # fmt: skip
        group = _Group(names, tuple(dict.fromkeys(words)))
        for name in names:
            by_name.setdefault(name, []).append(group)
    return by_name, max((len(n) for n in by_name), default=1)


def groups_named(words: list[str]) -> list[_Group]:
    """The groups whose names a field's words (as terms, in order) contain, the longest
    name first: "number of patients" takes the sample-size group, not also "patients"."""
    by_name, longest = _groups()
    found: list[_Group] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            hit = by_name.get(tuple(words[i : i + n]))
            if hit:
                found += [g for g in hit if g not in found]
                i += n
                break
        else:
            i += 1
    return found


def query(field: Any) -> dict[str, float]:
    """The field's words, weighted: name and keywords count most, then the words that go
    with what they name, then its description."""
    names = [
        terms(getattr(field, "label", "") or ""),
        terms(getattr(field, "key", "").replace("_", " ")),
        *(terms(k) for k in getattr(field, "keywords", None) or []),
    ]
    q: dict[str, float] = {t: 2.0 for words in names for t in words}
    groups = [g for words in names for g in groups_named(words)]
    for group in groups:  # a name the table knows is one of its group's words, no more
        for t in (t for name in group.names for t in name):
            if t in q:
                q[t] = 1.0
    for group in groups:
        for t in group.words:
            q.setdefault(t, 1.0)
    # a description refines a name the table knows; it is the meaning of one it does not
    # ("Q7": "were outcome assessors masked?")
    described = terms(getattr(field, "help", "") or "")
    for t in described:
        q.setdefault(t, 0.5 if groups else 1.0)
    if not groups:
        for group in groups_named(described):
            for t in group.words:
                q.setdefault(t, 0.5)
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
    bags = [_bag(doc, s) for s in sentences]  # cached per document
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
            if doc.about_other_study(s):
                score *= _ELSEWHERE  # about what is known, not what this study did
            scored.append((score, s))
    scored.sort(key=lambda x: (-x[0], x[1].start))
    return scored[:top]


# what a sentence holds besides words: a drug, a disease, a count of people, a share, a
# duration, a kind; the table's groups tie field names to them ("comparator" → a drug)
_PEOPLE_COUNT = re.compile(
    rf"\b{COUNT}\s+(?:[\w-]+\s+){{0,3}}?(?:patients|participants|subjects|people|children|"
    rf"adults|women|men|infants|individuals|volunteers)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(rf"\b{COUNT}[\s-]*(?:months?|years?|weeks?|days?)\b", re.IGNORECASE)


def _bag(doc: Document, s: Sentence) -> Counter[str]:
    cache = doc.__dict__.setdefault("_custom_bags", {})
    bag = cache.get(s.start)
    if bag is None:
        bag = cache[s.start] = _make_bag(doc, s)
    return bag


def _main_names(doc: Document, kind: str) -> set[str]:
    """The drugs (or diseases) the study is about: those its title names, else the one
    its text names most often."""
    cache = doc.__dict__.setdefault("_custom_main", {})
    if kind not in cache:
        mentions = doc.drugs if kind == "drugs" else doc.diseases
        title = doc.title_span
        named = {m.names[0] for m in mentions if title and title[0] <= m.start < title[1]}
        if not named and mentions:
            named = {Counter(m.names[0] for m in mentions).most_common(1)[0][0]}
        cache[kind] = named
    return cache[kind]


def _make_bag(doc: Document, s: Sentence) -> Counter[str]:
    bag = Counter(terms(doc.text[s.start : s.end]))
    if s.section and not SECTION_LABEL.match(doc.text, s.start, s.end):
        bag.update(terms(s.section))  # "DESIGN: ..." labels the sentences after it too
    if doc.is_title(s):
        bag["_title_"] += 1
    for kind, pattern in _kinds().items():
        if pattern.search(doc.text, s.start, s.end):
            bag[kind] += 1
    drugs = {m.names[0] for m in doc.drugs_in(s.start, s.end)}
    diseases = {m.names[0] for m in doc.diseases_in(s.start, s.end)}
    if drugs:
        bag["_drug_"] += 1
        if drugs & _main_names(doc, "drugs"):
            bag["_main_drug_"] += 1
    if diseases:
        bag["_disease_"] += 1
        if diseases & _main_names(doc, "diseases"):
            bag["_main_disease_"] += 1
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
