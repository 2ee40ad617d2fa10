"""The condition a study is about: the disease the title names (else the one the text
names most), with the qualifiers printed before it ("relapsed or refractory multiple
myeloma"). Split from ``population``, whose sample size and age it sits beside.
"""

from __future__ import annotations

import re
from collections import Counter

from reviewer.domain import Suggestion
from reviewer.suggest import lexicon
from reviewer.suggest.base import make
from reviewer.suggest.document import Document
from reviewer.suggest.lexicon import Mention
from reviewer.suggest.textutil import ci

NAME = "rules.population"  # suggestions keep the suggester name they always had
PEOPLE = (
    r"(?:patients|participants|subjects|individuals|adults|children|women|men|persons|people|"
    r"cases|volunteers|infants|survivors|recipients|pts|smokers|students|neonates|newborns|"
    r"mothers|families|households|residents|workers|athletes|veterans|outpatients|inpatients|"
    r"elderly|girls|boys|adolescents|pregnancies|couples|patients'|eyes|knees|hips)"
)

_GENERIC = frozenset({"myeloma", "lymphoma", "leukemia", "amyloidosis", "sarcoma", "glioma"})
_COORDINATION = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+and/or\s+)")


def condition(doc: Document) -> list[Suggestion]:
    """The condition studied, with the qualifiers printed before it."""
    mentions = doc.diseases
    if not mentions:
        return []
    name = _main_disease(doc, mentions)
    chosen = [m for m in mentions if m.names[0] == name]
    title = doc.title_span
    in_title = [m for m in chosen if title and title[0] <= m.start < title[1]]
    if not in_title and len(chosen) < 2 and not any(_population_of(doc, m) for m in chosen):
        return []  # named once in passing, and not in the title: not what was studied
    mention, confidence = (in_title[0], 0.8) if in_title else (chosen[0], 0.65)
    own = {s.start for s in doc.own}
    enrolled = [
        m
        for m in chosen
        if _population_of(doc, m)
        and m.term.kind != "abbreviation"
        and (s := doc.sentence_at(m.start)) is not None
        and s.start in own
    ]
    if enrolled:
        # the sentence that says whom the study enrolled is the reviewer's evidence
        mention, confidence = enrolled[0], max(confidence, 0.75)
    mention = _head_of_list(doc, mention)
    start = _qualifiers_start(doc, mention)
    end, extra = _coordinated(doc, mention)
    value = _condition_value(doc, mention, start, extra)
    detail = {"concept": mention.concept} if mention.concept and not extra else None
    return [make(doc, "condition", value, start, end, confidence, NAME, detail=detail)]


# "patients with X", "children with X": the population a study enrolled
_WITH_BEFORE = ci(
    rf"\b(?:{PEOPLE}|population|those|anyone)\s+(?:[\w-]+\s+){{0,2}}?(?:with|having|suffering from|"
    rf"diagnosed with|undergoing|at risk (?:of|for))\s+(?:[\w/-]+\s+){{0,4}}?$"
)


def _population_of(doc: Document, m: Mention) -> bool:
    return bool(_WITH_BEFORE.search(doc.lower, max(0, m.start - 70), m.start))


def _specific(m: Mention) -> float:
    """How much a heading says about a study's population: a symptom or a measurement
    (MeSH C23 "Body Weight", "Pain") or a whole branch ("Neoplasms") says little."""
    weight = 1.0
    if m.names[0] in _GENERIC or m.term.depth == 1:
        weight *= 0.4
    branches = [b for b in m.term.category.split("/") if b]
    if branches and all(b == "C23" or not b.startswith(("C", "F")) for b in branches):
        weight *= 0.3
    return weight


def _main_disease(doc: Document, mentions: list[Mention]) -> str:
    title = doc.title_span
    score: Counter[str] = Counter()
    for m in mentions:
        weight = 5.0 if title and title[0] <= m.start < title[1] else 1.0
        if _population_of(doc, m):
            weight += 3.0
        weight *= _specific(m)
        score[m.names[0]] += weight
    return max(score, key=lambda k: (score[k], -_first(mentions, k)))


def _first(mentions: list[Mention], name: str) -> int:
    return next(m.start for m in mentions if m.names[0] == name)


def _qualifiers_start(doc: Document, mention: Mention) -> int:
    window_start = max(0, mention.start - 80)
    line_start = doc.text.rfind("\n", window_start, mention.start) + 1
    m = lexicon.conditions().modifiers.search(
        doc.lower, max(window_start, line_start), mention.start
    )
    start = m.start() if m else mention.start
    return _adjectives_start(doc, start, max(window_start, line_start))


# words that end a disease's noun phrase on its left
_PHRASE_STOP = frozenset(
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
        "without",
        "from",
        "to",
        "into",
        "and",
        "or",
        "but",
        "as",
        "than",
        "vs",
        "versus",
        "patients",
        "patient",
        "children",
        "adults",
        "women",
        "men",
        "subjects",
        "participants",
        "people",
        "infants",
        "who",
        "which",
        "that",
        "this",
        "these",
        "those",
        "their",
        "its",
        "our",
        "treatment",
        "treatments",
        "therapy",
        "therapies",
        "trial",
        "study",
        "studies",
        "after",
        "before",
        "during",
        "among",
        "between",
        "randomized",
        "randomised",
        "controlled",
        "prevention",
        "management",
        "treating",
        "treated",
        "preventing",
        "reducing",
        "reduction",
        "risk",
        "rate",
        "rates",
        "effect",
        "effects",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "not",
        "no",
        "new",
        "novel",
        "case",
        "cases",
        "review",
    ]
)
_ADJECTIVE_WORD = re.compile(r"(?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[A-Z]{2,5}|[A-Z][a-z]+-[a-z]+)$")


def _adjectives_start(doc: Document, start: int, limit: int) -> int:
    """Extend a disease name over up to three words that qualify it ("unruptured
    intracranial aneurysms", "multinodular non-toxic goiter"): words of the same noun
    phrase, not articles, prepositions, verbs or the people studied."""
    pos = start
    for _ in range(3):
        m = re.search(r"(\S+)\s+$", doc.text[max(limit, pos - 40) : pos])
        if m is None:
            break
        word = m.group(1)
        if not _ADJECTIVE_WORD.match(word) or word.lower() in _PHRASE_STOP:
            break
        if word.lower().endswith(("ing", "ed")) and word.lower() not in _PARTICIPLES:
            break
        if doc.drugs_in(pos - len(m.group(0)), pos):
            break
        pos -= len(m.group(0))
    return pos


_PARTICIPLES = frozenset(
    {"unruptured", "ruptured", "infected", "advanced", "localized", "localised", "untreated",
     "pretreated", "disseminated", "uncomplicated", "complicated", "acquired", "inherited",
     "recurrent", "relapsed", "ongoing", "isolated", "generalized", "generalised", "limited",
     "extended", "resected", "unresected", "operated", "inoperable", "metastasized"}
)  # fmt: skip


def _head_of_list(doc: Document, mention: Mention) -> Mention:
    """The first disease of a list the chosen one ends ("MDS, AML and CMML")."""
    i = doc.diseases.index(mention)
    while i > 0 and _COORDINATION.fullmatch(
        doc.lower, doc.diseases[i - 1].end, doc.diseases[i].start
    ):
        i -= 1
    return doc.diseases[i]


def _coordinated(doc: Document, mention: Mention) -> tuple[int, list[Mention]]:
    """Diseases listed with the chosen one ("MDS, AML and CMML") belong to the condition."""
    end, extra = mention.end, []
    following = [m for m in doc.diseases if m.start >= mention.end]
    for m in following:
        gap = _COORDINATION.fullmatch(doc.lower, end, m.start)
        if gap is None:
            break
        end = m.end
        extra.append(m)
    return end, extra


def _condition_value(doc: Document, mention: Mention, start: int, extra: list[Mention]) -> str:
    qualifiers = doc.text[start : mention.start]
    parts = [_disease_words(doc, mention)]
    for prev, m in zip([mention, *extra], extra, strict=False):
        parts.append(doc.text[prev.end : m.start])
        parts.append(_disease_words(doc, m))
    value = _lower_words(qualifiers) + "".join(parts)
    return " ".join(value.split())


def _disease_words(doc: Document, m: Mention) -> str:
    """The disease as printed, in the lexicon's casing; an abbreviation spelled out."""
    if m.term.kind == "abbreviation":
        spelled = _spelled_out(doc, m.names[0])
        return spelled or m.names[0]
    printed = doc.text[m.start : m.end]
    if printed.lower() == m.term.surface.lower():
        return m.term.surface
    return printed.lower() if printed.isupper() or printed.istitle() else printed


def _spelled_out(doc: Document, name: str) -> str | None:
    for m in doc.diseases:
        if m.names[0] == name and m.term.kind != "abbreviation":
            return _disease_words(doc, m)
    return None


def _lower_words(s: str) -> str:
    """Qualifiers in lower case, except words that are not ordinary words (IgG, del(5q))."""
    return re.sub(r"[A-Za-z][a-z]+", lambda m: m.group().lower(), s)
