"""Study design and trial phase, from the words authors use to describe their own study.

Each design collects weighted cues ("randomly assigned", "we retrospectively
evaluated", "In this review", "xenografts"); the design with the most weight wins
when it wins clearly. Cues in background sentences or in sentences about other
studies ("a previous randomized trial showed ...") do not count, because abstracts
cite other designs all the time. An abstract with no cue of any primary study
(no patients counted, nothing enrolled, analysed or reported) is an overview: a
narrative review.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from reviewer.domain import Suggestion
from reviewer.paths import resources_dir
from reviewer.suggest import design_model
from reviewer.suggest.base import make
from reviewer.suggest.document import Document
from reviewer.suggest.textutil import SECTION_LABEL, Sentence, ci

NAME = "rules.design"


@dataclass(frozen=True)
class Cue:
    design: str
    weight: float
    pattern: re.Pattern[str]
    where: str = "both"  # "title", "body" or "both"
    cased: bool = False  # matched against the text as printed, not lower-cased
    keys: tuple[str, ...] = ()  # words one of which the text must contain for the cue to fire


def _cue(
    design: str,
    weight: float,
    pattern: str,
    where: str = "both",
    cased: bool = False,
    keys: tuple[str, ...] = (),
) -> Cue:
    compiled = re.compile(pattern) if cased else ci(pattern)
    return Cue(design, weight, compiled, where, cased, keys)


RCT, NRT, COHORT = "randomized_controlled_trial", "non_randomized_trial", "cohort"
CASE, SERIES = "case_report", "case_series"
SR, NR = "systematic_review", "narrative_review"
ECON, PRE = "economic_evaluation", "preclinical"
PRIMARY = {RCT, NRT, COHORT, CASE, SERIES, ECON, PRE}


def _load_cues() -> tuple[Cue, ...]:
    """The cue table, ``resources/cues/design.json``: data a reviewer can read and extend."""
    data = json.loads((resources_dir() / "cues" / "design.json").read_text(encoding="utf-8"))
    return tuple(
        _cue(c["design"], c["weight"], c["pattern"], c.get("where", "both"), c.get("cased", False),
             tuple(c.get("keys", ())))
        for c in data["cues"]
    )  # fmt: skip


CUES: tuple[Cue, ...] = _load_cues()
_PATIENTS = ci(
    r"\bpatients?\b|\bparticipants?\b|\bsubjects\b|\bwomen\b|\bmen\b|\badults\b|"
    r"\bchildren\b|\binfants\b|\bvolunteers\b|\bindividuals\b"
)
_TITLE_FACTOR = 1.5
_LONGEST_QUOTE = 400  # characters: a longer "sentence" is a run-on list, quoted by its cue
_THRESHOLD = 2.0
_PAST = ci(r"\b(?:was|were|we\s+(?:[a-z]+ly\s+)?[a-z]+ed)\b")
_STATISTICS = re.compile(
    r"\b[Pp]\s*[<=>≤]\s*0?[.·]\d|\b95\s*%\s*(?:CI|confidence)|\b(?:HR|OR|RR)\s*[=:,]?\s*\d"
)
_PATIENT_COUNT = ci(r"\b\d[\d,]*\s+(?:[\w-]+\s+){0,2}?(?:patients|participants|cases)\b")


@dataclass(frozen=True)
class Design:
    choice: str
    confidence: float
    start: int
    end: int
    source: str = "cues"  # or "model"


@dataclass
class _Evidence:
    score: float = 0.0
    best: tuple[float, int, int, int] | None = None  # (weight, -start, start, end) in the body
    title_weight: float = 0.0  # the weight of the strongest cue the title holds


_MODEL_THRESHOLD = 0.6


def design_of(doc: Document) -> Design | None:
    """The document's study design, which several fields depend on: classified once."""
    if "design" not in doc.memo:
        doc.memo["design"] = classify(doc)
    return doc.memo["design"]


def classify(doc: Document) -> Design | None:
    """The design the cues settle; where they do not, the trained model's answer when it
    is confident (explicit statements always win over the model)."""
    found = _classify_by_cues(doc)
    if found is not None:
        return found
    return _classify_by_model(doc)


def _classify_by_model(doc: Document) -> Design | None:
    start = doc.title_span[0] if doc.title_span else 0
    if len(doc.text[start : doc.body_end].split()) < 40:
        return None  # a title alone says too little
    probabilities = design_model.probabilities(doc.text[start : doc.body_end])
    if not probabilities:
        return None
    choice = max(probabilities, key=probabilities.__getitem__)
    p = probabilities[choice]
    if p < _MODEL_THRESHOLD:
        return None
    span = doc.title_span or (0, 0)
    return Design(choice, round(0.4 + 0.3 * p, 2), span[0], span[1], source="model")


def _classify_by_cues(doc: Document) -> Design | None:
    evidence = _collect(doc)
    ranked = sorted(evidence.items(), key=lambda kv: kv[1].score, reverse=True)
    if not ranked or ranked[0][1].score < _THRESHOLD:
        return _overview(doc, evidence)
    choice = _decide(doc, evidence, ranked)
    ev = evidence[choice]
    runner_up = max((e.score for d, e in evidence.items() if d != choice), default=0.0)
    margin = ev.score - runner_up
    if margin < 0.5 and not _dominant(choice, ev):
        return None
    span = _quote(doc, ev)
    confidence = min(0.9, max(0.5, 0.55 + 0.08 * margin))
    return Design(choice, confidence, span[0], span[1])


def _quote(doc: Document, ev: _Evidence) -> tuple[int, int]:
    """The words a reviewer checks the design against: the sentence in which the authors
    state it ("This was a multicentre, randomised, open-label phase III trial"), which
    says more than a title; the title where it states the design more strongly, or as
    strongly when that sentence is too long to quote."""
    title = doc.title_span
    sentence = doc.sentence_at(ev.best[2]) if ev.best is not None else None
    quotable = sentence is not None and sentence.end - sentence.start <= _LONGEST_QUOTE
    if title and (
        ev.best is None
        or ev.title_weight > ev.best[0]
        or (ev.title_weight == ev.best[0] and not quotable)
    ):
        return title
    if ev.best is None:
        return (0, 0)
    if sentence is None or not quotable:
        return ev.best[2], ev.best[3]
    start = sentence.start
    label = SECTION_LABEL.match(doc.text, start, sentence.end)
    return (label.end() if label else start), sentence.end


def _decide(
    doc: Document, evidence: dict[str, _Evidence], ranked: list[tuple[str, _Evidence]]
) -> str:
    """The top score, except where one kind of cue settles the question: a case report
    with a literature review is a case report; randomisation makes a trial an RCT."""
    score = {d: e.score for d, e in evidence.items()}
    if score.get(SR, 0) >= 4:
        return SR
    if score.get(CASE, 0) >= 4 and ranked[0][0] in {NR, CASE, SERIES, NRT}:
        return CASE
    patients = _PATIENTS.search(doc.lower) is not None
    if score.get(PRE, 0) >= 4 and not patients:
        return PRE  # animals randomised to arms are still a laboratory study
    if score.get(RCT, 0) >= 4 and ranked[0][0] in {NRT, RCT, COHORT, PRE} and patients:
        return RCT
    return ranked[0][0]


def _dominant(choice: str, ev: _Evidence) -> bool:
    return ev.score >= 4 and choice in {SR, CASE, RCT}


def _collect(doc: Document) -> dict[str, _Evidence]:
    evidence: dict[str, _Evidence] = {}
    title = doc.title_span
    for cue in CUES:
        if cue.keys and not any(k in doc.lower for k in cue.keys):
            continue  # a substring test is far cheaper than the cue's pattern
        counted = False
        text = doc.text if cue.cased else doc.lower
        if title and cue.where != "body" and cue.pattern.search(text, title[0], title[1]):
            ev = evidence.setdefault(cue.design, _Evidence())
            ev.score += cue.weight * _TITLE_FACTOR
            ev.title_weight = max(ev.title_weight, cue.weight)
            counted = True
        if cue.where == "title":
            continue
        for m, _ in doc.own_matches(cue.pattern, cased=cue.cased):
            ev = evidence.setdefault(cue.design, _Evidence())
            if not counted:
                ev.score += cue.weight
                counted = True
            key = (cue.weight, -m.start(), m.start(), m.end())
            if ev.best is None or key > ev.best:
                ev.best = key
            break  # the first match is the one quoted among equals
    return evidence


def _body(doc: Document) -> list[Sentence]:
    return list(doc.own_sentences())


def _overview(doc: Document, evidence: dict[str, _Evidence]) -> Design | None:
    """No design stands out: an abstract without any sign of a primary study (no cue, no
    patients counted, no statistics) is an overview."""
    if any(e.score >= 1 for d, e in evidence.items() if d in PRIMARY):
        return None
    body = [s for s in doc.sentences if s.start >= doc.abstract_start]
    body = [s for s in body if len(doc.sentence_text(s).split()) >= 8]
    if len(body) < 3:
        return None
    if _PATIENT_COUNT.search(doc.lower, doc.abstract_start, doc.body_end):
        return None
    if _STATISTICS.search(doc.text, doc.abstract_start, doc.body_end):
        return None
    # overviews speak in the present tense; a study reports what was done
    past = sum(1 for s in body if _PAST.search(doc.lower, s.start, s.end))
    if past > 1:
        return None
    return Design(NR, 0.5, body[0].start, body[0].end)


# -- phase -----------------------------------------------------------------------------

_PHASE = ci(
    r"\bphase[\s-]*(?P<a>IV|III|II|I|[1-4])(?P<sa>[abAB])?\b"
    r"(?:\s*(?:/|-|–|and|or)\s*(?P<b>III|II|[23])(?P<sb>[abAB])?\b)?"
    r"(?!\s+(?:clinical\s+|consistency\s+|vaccine\s+)?lots?\b)"  # a vaccine's "phase III lot"
)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _phase_of(m: re.Match[str]) -> str | None:
    a = _ROMAN.get(m.group("a"), m.group("a").upper())
    b = m.group("b")
    if b is None:
        return a
    b = _ROMAN.get(b, b.upper())
    if (a, b) == ("I", "II"):
        return "I/II"
    return None  # "phase 2/3" is not one of the template's phases


def suggest_phase(doc: Document) -> list[Suggestion]:
    """The phase printed in the title or in a sentence about this study, when only one is."""
    found: list[tuple[int, int, str, bool]] = []
    spans: list[tuple[int, int, bool]] = []
    if doc.title_span:
        spans.append((*doc.title_span, True))
    spans += [(s.start, s.end, False) for s in _body(doc)]
    for start, end, in_title in spans:
        for m in _PHASE.finditer(doc.lower, start, end):
            phase = _phase_of(m)
            if phase:
                found.append((m.start(), m.end(), phase, in_title))
    phases = {p for _, _, p, _ in found}
    if len(phases) != 1:
        return []
    # quote the body sentence when there is one: it says which study the phase belongs to
    start, end, phase, in_title = sorted(found, key=lambda f: (f[3], f[0]))[0]
    return [make(doc, "phase", phase, start, end, 0.85 if not in_title else 0.8, NAME)]


def suggest(doc: Document) -> list[Suggestion]:
    out: list[Suggestion] = []
    design = design_of(doc)
    if design is not None and design.end > design.start:
        detail = {"by": "model"} if design.source == "model" else None
        out.append(
            make(doc, "study_design", design.choice, design.start, design.end,
                 design.confidence, NAME, detail=detail)
        )  # fmt: skip
    if design is not None and design.choice in {RCT, NRT}:
        out += suggest_phase(doc)
    return out
