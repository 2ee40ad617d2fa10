"""The arms of a study: what was given, against what, in whom, read from how authors say it.

Trial reports name their comparison in a few fixed ways whatever the specialty:
a title "X versus Y in Z" or "X for the treatment of Z", a randomisation sentence
"were randomly assigned to receive X or Y", a control arm "Y (control group)" or
"X or placebo". This module finds those phrases and hands back their parts as
offsets, so that the interventions, comparator and condition suggesters can
read drugs, procedures or diseases out of them and quote the words. The phrase
lists (what opens a title, which words name a control arm) are data in
``resources/cues/arms.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from reviewer.paths import resources_dir
from reviewer.suggest.document import Document
from reviewer.suggest.textutil import ci


@dataclass(frozen=True)
class Phrase:
    start: int
    end: int


@dataclass(frozen=True)
class Arms:
    """The parts of a comparison; any of them may be missing."""

    studied: Phrase | None = None  # X
    control: Phrase | None = None  # Y
    population: Phrase | None = None  # Z, the condition or the people
    source: str = ""  # "title" or "randomisation"


@lru_cache(maxsize=1)
def _cues() -> dict:
    return json.loads((resources_dir() / "cues" / "arms.json").read_text(encoding="utf-8"))


def _alternation(key: str) -> str:
    words = sorted(_cues()[key], key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in words)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    design_words = _alternation("title_design_words")
    opening = _alternation("title_openings")
    connector = _alternation("comparison_connectors")
    boundary = _alternation("phrase_boundaries")
    return {
        # "A randomized, double-blind trial of", "Effects and safety of"
        "lead": ci(
            rf"(?:(?:a|an|the)\s+)?(?:(?:{design_words})[\s,]+(?:and\s+)?)*"
            rf"(?:trial|study|comparison|evaluation|analysis|experience)\s+(?:of|comparing|on|with)\s+|"
            # "Enduring effects of", "Long-term results of": one qualifying word may lead
            rf"(?:(?:the|a)\s+)?(?:[\w-]+\s+)?"
            rf"(?:{opening})(?:\s*(?:,|and)\s*(?:{opening}))*\s+of\s+|"
            # a question: "Is preoperative nutrition effective ...?", "Does X reduce ...?"
            rf"(?:is|are|does|do|can|should|could)\s+(?=\w)"
        ),
        "versus": ci(rf"\s+(?:{connector})\s+"),
        # commas do not end an arm: "Azacitidine, lenalidomide and donor lymphocyte infusions"
        "boundary": ci(rf"\s+(?:{boundary})\s+|\s*[:;(\[]|\s+-\s+|\.\s|,\s+(?:a|an|the)\s|$"),
        "for": ci(
            r"\s+(?:for|in)\s+(?:the\s+)?(?:(?:primary\s+|secondary\s+)?(?:treatment|prevention|"
            r"prophylaxis|management|therapy|control|reduction|relief)\s+of\s+)?"
            r"(?:(?:patients|children|adults|women|men|infants|people|subjects)\s+(?:with|who have|"
            r"undergoing|after|receiving)\s+)?"
        ),
        "randomised": ci(
            r"\b(?:randomi[sz]ed|randomly\s+(?:assigned|allocated|divided)|were\s+(?:assigned|"
            r"allocated))\s+(?:[\w()=,-]+\s+){0,4}?(?:to|into)\s+(?:receive\s+|undergo\s+|"
            r"either\s+|one of\s+|treatment with\s+)*"
        ),
        "control_words": ci(rf"\b(?:{_alternation('control_arms')})\b"),
        "control_group": ci(
            r"\s*\(\s*(?:the\s+)?(?:control|placebo|comparison|comparator)(?:\s+(?:group|arm))?\s*\)"
        ),
    }


def title_arms(doc: Document) -> Arms:
    """The comparison a title states: "X versus Y in Z", "X for Z", "X in Z"."""
    span = doc.title_span
    if span is None:
        return Arms()
    p = _patterns()
    start, end = _topic_segment(doc, span[0], span[1])
    for _ in range(3):  # "Results of a phase III randomized trial of"
        lead = p["lead"].match(doc.lower, start, end)
        if not lead or lead.end() == start:
            break
        start = lead.end()
    article = re.match(r"(?:the|a|an)\s+", doc.lower[start:end])
    if article and lead:  # "effects of the Mediterranean lifestyle program"
        start += article.end()
    versus = p["versus"].search(doc.lower, start, end)
    if versus:
        studied = Phrase(start, versus.start())
        after = _phrase_end(doc, versus.end(), end)
        control = Phrase(versus.end(), after)
        population = _population(doc, after, end)
        studied, control = _share_head(doc, studied, control)
        return Arms(studied, control, population, "title")
    stop = _phrase_end(doc, start, end)
    if stop <= start:
        return Arms()
    population = _population(doc, stop, end)
    return Arms(Phrase(start, stop), None, population, "title")


def _topic_segment(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The part of a title before ": a randomized trial" (or after "Trial name:")."""
    low = doc.lower
    colon = low.find(": ", start, end)
    if colon < 0:
        return start, end
    head, tail = (start, colon), (colon + 2, end)
    if _patterns()["versus"].search(low, *tail) and not _patterns()["versus"].search(low, *head):
        return tail
    if len(low[head[0] : head[1]].split()) <= 2:
        return tail  # "STUDY-1: ..."
    return head


def _phrase_end(doc: Document, start: int, end: int) -> int:
    m = _patterns()["boundary"].search(doc.lower, start, end)
    return m.start() if m else end


def _population(doc: Document, pos: int, end: int) -> Phrase | None:
    m = _patterns()["for"].match(doc.lower, pos, end)
    if not m:
        return None
    stop = _clause_end(doc, m.end(), end)
    return Phrase(m.end(), stop) if stop > m.end() else None


def _clause_end(doc: Document, start: int, end: int) -> int:
    m = re.compile(r"\s*[:;.(\[]|\s+-\s+|,\s+(?:a|an|the)\s").search(doc.lower, start, end)
    return m.start() if m else end


def _share_head(doc: Document, x: Phrase, y: Phrase) -> tuple[Phrase, Phrase]:
    """ "laparoscopic versus open fundoplication": the first arm borrows the noun of the
    second. Marked by a short first arm (one or two words, no drug) before a longer one;
    the borrowed words are returned as a second phrase joined in ``words_of``."""
    x_words = doc.text[x.start : x.end].split()
    y_words = doc.text[y.start : y.end].split()
    if 1 <= len(x_words) <= 2 and len(y_words) >= 2 and not doc.drugs_in(x.start, x.end):
        return SharedPhrase(x.start, x.end, y.start, y.end), y
    return x, y


@dataclass(frozen=True)
class SharedPhrase(Phrase):
    """An arm printed as a modifier whose noun is printed in the other arm."""

    head_start: int = 0
    head_end: int = 0


def words_of(doc: Document, phrase: Phrase) -> str:
    """A phrase as a reviewer would write it: lower case, one space, the shared noun added."""
    text = doc.text[phrase.start : phrase.end]
    if isinstance(phrase, SharedPhrase):
        head = doc.text[phrase.head_start : phrase.head_end].split()[1:]
        text = " ".join([text, *head])
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-")
    return re.sub(r"[A-Za-z][a-z]+", lambda m: m.group().lower(), text)


def randomised_arms(doc: Document) -> Arms:
    """ "were randomly assigned to receive X or Y": the first sentence that says so."""
    p = _patterns()
    for m, s in doc.own_matches(p["randomised"]):
        body_end = _clause_end_or(doc, m.end(), s.end)
        low = doc.lower
        cut = re.compile(r",?\s+(?:or|versus|vs\.?)\s+(?:to\s+)?(?:receive\s+)?").search(
            low, m.end(), body_end
        )
        if cut is None:
            continue
        x = Phrase(m.end(), _arm_end(doc, m.end(), cut.start()))
        y = Phrase(cut.end(), _arm_end(doc, cut.end(), body_end))
        short = all(1 <= len(doc.text[a.start : a.end].split()) <= 6 for a in (x, y))
        if short and not re.match(r"(?:a|an|the|one|two)\b", low[y.start : y.end]):
            return Arms(x, y, None, "randomisation")
    return Arms()


def _clause_end_or(doc: Document, start: int, end: int) -> int:
    m = re.compile(r"[;.]\s|\s+(?:for|during|until|at|before|after)\s+(?:\d|a\b|the\b)").search(
        doc.lower, start, end
    )
    return m.start() if m else end


def _arm_end(doc: Document, start: int, end: int) -> int:
    """Where an arm's name ends: before its size "(n = 95)", a dose, or the next clause."""
    m = re.compile(
        r"\s*\(|\s*,|\s+\d|\s+(?:at|in|for|given|daily|twice|once|with a|plus placebo)\b"
    ).search(doc.lower, start, end)
    return m.start() if m else end


def control_words(doc: Document, start: int, end: int) -> re.Match[str] | None:
    """Placebo, usual care, observation ... within ``start:end``."""
    return _patterns()["control_words"].search(doc.lower, start, end)


def control_group_phrase(doc: Document) -> Phrase | None:
    """ "received standard medical therapy (control group)": the arm before the label."""
    p = _patterns()["control_group"]
    for m, s in doc.own_matches(p):
        start = max(
            s.start,
            *(
                g.end()
                for g in re.finditer(
                    r"\b(?:received|receiving|underwent|given|with|to|or|and|while|had)\s+",
                    doc.lower[: m.start()],
                )
                if g.end() > s.start
            ),
            s.start,
        )
        if m.start() - start <= 80:
            return Phrase(start, m.start())
    return None


# words that name what was measured or found, never a treatment
_FINDING_WORDS = frozenset(
    [
        "outcome",
        "outcomes",
        "effect",
        "effects",
        "change",
        "changes",
        "result",
        "results",
        "level",
        "levels",
        "impact",
        "predictor",
        "predictors",
        "determinant",
        "determinants",
        "factor",
        "factors",
        "association",
        "associations",
        "relationship",
        "difference",
        "differences",
        "rate",
        "rates",
        "risk",
        "prevalence",
        "incidence",
    ]
)
_GENERIC_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "our",
        "study",
        "trial",
        "trials",
        "analysis",
        "analyses",
        "report",
        "results",
        "clinical",
        "experience",
        "evaluation",
        "comparison",
        "review",
        "case",
        "series",
        "patients",
        "new",
        "novel",
    ]
)


def names_something(doc: Document, phrase: Phrase) -> bool:
    """An arm's words name a treatment, not "A clinical study" or "The results"."""
    words = re.findall(r"[a-z0-9]+", doc.lower[phrase.start : phrase.end])
    if not words or words[0] in {"a", "an", "the", "this", "our", "these"}:
        return False
    if any(w in _FINDING_WORDS for w in words):
        return False
    design = set(_cues()["title_design_words"])
    return any(w not in _GENERIC_WORDS and w not in design for w in words)
