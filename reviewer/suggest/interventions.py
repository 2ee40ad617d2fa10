"""Interventions and comparator: the drugs given in the studied arms, and the control arm.

A drug counts as an intervention when the title names it, or when a sentence about
this study gives it ("were treated with", "received", "regimen combining", "INTERVENTIONS:").
A drug named after "previously exposed to", "refractory to" or "prior" is the
patients' history, and one named after "versus" or "compared with" is the control
arm; neither is an intervention. Reviews are judged by their title alone, because
their abstracts list every drug the field has tried. Drug names come from the
lexicon, so "Len", "Revlimid" and "DRd" all resolve to generic names.
"""

from __future__ import annotations

import re

from reviewer.domain import Suggestion
from reviewer.suggest import arms
from reviewer.suggest.base import make
from reviewer.suggest.design import CASE, ECON, NR, NRT, RCT, SERIES, SR, design_of
from reviewer.suggest.document import Document
from reviewer.suggest.lexicon import Mention
from reviewer.suggest.textutil import ci

NAME = "rules.interventions"

_GIVEN = ci(
    r"\b(?:treated|treating|treatment|therapy|salvage) with\b|\breceiv(?:e|ed|es|ing)\b|"
    r"\badminister(?:ed|ing)?\b|\bgiven\b|\bcombin(?:ing|ed)\b|\bin combination with\b|"
    r"\bplus\b|\bregimens?\s+(?:of|combining|consisting of|with|including)\b|\bevaluat(?:ed|ing|es)\b|"
    r"\binvestigat(?:ed|ing|es)\b|\bstarted on\b|\bswitched to\b|\binitiated\b|\bescalated\b|"
    r"\b(?:randomi[sz]ed|assigned|allocated) to\b|\badjusted to\b|\bprotocol with\b|"
    r"\b(?:efficacy|safety|activity) (?:and (?:safety|efficacy|tolerability) )?of\b|"
    r"\bINTERVENTIONS?\s*:|\bwas given\b|\bon (?:maintenance|therapy)\b|\b(?:obtained|achieved) with\b"
)
_HISTORY = ci(
    r"\bprevious(?:ly)?\b|\bprior\b|\brefractory\b|\bresistan(?:t|ce)\b|\bexposure\b|\bexposed\b|"
    r"\bpre-?treated\b|\bfail(?:ed|ure|ing)\b|\bintoleran(?:t|ce)\b|\bineligible\b|\bnaive\b|"
    r"\balready\b|\bstandard\b|\bsuch as\b|\bi\.e\.|\bbackbones?\b|\bapproved\b"
)
_CONTROL = ci(
    r"\bversus\b|\bvs\.?(?=\s)|\bcompared (?:with|to)\b|\bcomparison with\b|\bthan\b|"
    r"\bcontrol\b|\brather than\b|\binstead of\b"
)
_SENTENCE_VETO = ci(
    r"\bongoing\b|\bfuture\b|\bplanned\b|\bwill\b|\bunder (?:consideration|development)\b|"
    r"\bshould\b|\bneeded\b|\bha(?:s|ve) (?:been )?(?:shown|demonstrated|reported|proven|approved)\b"
)
# "Azacitidine was escalated from 30 mg/m2", "Lenalidomide (Len) was given on days 1-21"
_PASSIVE_GIVEN = ci(
    r"(?:\s*\([^()]{0,40}\))?\s+(?:was|were|is|are)\s+(?:\w+ly\s+)?(?:given|administered|"
    r"combined|added|escalated|started|initiated|continued|delivered|infused)\b"
)
_JUST_AFTER = ci(r"[^,;.]{0,8}")
_EARLIER = frozenset({"previously", "previous", "prior", "already"})
_HISTORY_SUFFIX = ci(
    r"[-\s](?:refractory|resistant|exposed|naive|naïve|pretreated|intolerant|sensitive|failure)\b"
)


def suggest(doc: Document) -> list[Suggestion]:
    found = design_of(doc)
    design = found.choice if found else None
    comparison = _comparison(doc, design)
    comparator = _comparator_from_arms(doc, design, comparison) or _comparator(doc, design)
    return _interventions(doc, design, comparison, comparator) + comparator


def _comparison(doc: Document, design: str | None) -> arms.Arms:
    if design in {NR, SR, CASE, SERIES}:
        return arms.Arms()
    found = arms.title_arms(doc)
    if found.control is None and design == RCT:
        randomised = arms.randomised_arms(doc)
        if randomised.control is not None and randomised.studied is not None:
            studied, control = randomised.studied, randomised.control
            if found.studied is not None:
                named = _concepts(doc, found.studied)
                if named & _concepts(doc, control) and not named & _concepts(doc, studied):
                    studied, control = control, studied  # "either idarubicin or mitoxantrone"
                studied = found.studied
            return arms.Arms(studied, control, found.population, "randomisation")
    return found


def _concepts(doc: Document, phrase: arms.Phrase) -> set[str]:
    return {m.concept or m.names[0] for m in doc.drugs_in(phrase.start, phrase.end)}


# -- what a phrase of an arm names -----------------------------------------------------------------

# "aromatase inhibitor", "insulin resistance": the drug's name used for something else
_NOT_GIVEN_AFTER = ci(
    r"[\s-]+(?:inhibitors?|inactivators?|antagonists?|agonists?|receptors?|levels?|"
    r"concentrations?|resistance|deficiency|secretion|sensitivity|production|expression|"
    r"pathway|signal(?:l)?ing|antibod(?:y|ies)|-?induced|-?related|-?associated|"
    r"-?dependent|-?naive|-?experienced)\b"
)


def _given(doc: Document, mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if not _NOT_GIVEN_AFTER.match(doc.lower, m.end)]


def _arm_value(doc: Document, phrase: arms.Phrase) -> tuple[str, list[Mention], tuple[int, int]]:
    """What an arm is: its drugs (generic names, "alone" kept), else its words; and the
    words to quote for it."""
    control = arms.control_words(doc, phrase.start, phrase.end)
    drugs = _given(doc, doc.drugs_in(phrase.start, phrase.end))
    if control and not drugs:
        return control.group().lower(), [], (control.start(), control.end())
    if drugs:
        names = list(dict.fromkeys(n for d in drugs for n in d.names))
        value = " and ".join(names)
        if control:
            value += f" plus {control.group().lower()}"
        end = max(drugs[-1].end, control.end() if control else 0)
        alone = _ALONE.search(doc.lower, drugs[-1].end, phrase.end + 12)
        if alone and alone.start() - drugs[-1].end <= 3:
            value += " alone"
            end = alone.end()
        return value, drugs, (drugs[0].start, end)
    return arms.words_of(doc, phrase), [], (phrase.start, phrase.end)


_MAX_ARM_WORDS = 7


# -- interventions -----------------------------------------------------------------------------


def _interventions(
    doc: Document, design: str | None, comparison: arms.Arms, comparator: list[Suggestion]
) -> list[Suggestion]:
    studied = comparison.studied
    # a drug of the control arm is no intervention, unless the studied arm has it too
    # ("capecitabine plus irinotecan compared to 5-FU/LV plus irinotecan")
    control = {
        m.concept or m.names[0] for s in comparator for m in doc.drugs_in(s.start, s.end)
    } - (_concepts(doc, studied) if studied is not None else set())
    if studied is not None and not _given(doc, doc.drugs_in(studied.start, studied.end)):
        # an arm named without a drug: a procedure, a device, a programme
        words = arms.words_of(doc, studied)
        plausible = (
            (design in {RCT, NRT} or comparison.control is not None)
            and 1 <= len(words.split()) <= _MAX_ARM_WORDS
            and arms.names_something(doc, studied)
        )
        if plausible and not doc.diseases_in(studied.start, studied.end):
            end = studied.head_end if isinstance(studied, arms.SharedPhrase) else studied.end
            out = [make(doc, "interventions", [words], studied.start, end, 0.7, NAME)]
            return out + _drug_interventions(doc, design, control, None)
    return _drug_interventions(doc, design, control, studied)


def _drug_interventions(
    doc: Document,
    design: str | None,
    control: set[str],
    studied: arms.Phrase | None,
    only_with_title: bool = True,
) -> list[Suggestion]:
    title = _given(doc, _title_drugs(doc, studied))
    title = [m for m in title if (m.concept or m.names[0]) not in control]
    body = [] if design in {NR, SR} else _body_drugs(doc)
    in_title_concepts = {m.concept or m.names[0] for m in title}
    kept = []
    for _start, _end, mentions in body:
        mentions = [m for m in _given(doc, mentions) if (m.concept or m.names[0]) not in control]
        # a title that names the studied drugs: the body adds only what is given with them
        with_title = any((m.concept or m.names[0]) in in_title_concepts for m in mentions)
        if only_with_title and title and not with_title:
            continue
        if mentions:
            kept.append((mentions[0].start, mentions[-1].end, mentions))
    body = kept
    if not title and not body and design not in {NR, SR}:
        body = [(doc.drugs[0].start, doc.drugs[0].end, [doc.drugs[0]])] if _only_drug(doc) else []
    in_title = {n for m in title for n in m.names}
    groups = _quote_order(title, body, in_title)
    out: list[Suggestion] = []
    seen: set[str] = set()
    added: set[str] = set()
    for _start, _end, mentions in groups:
        # one suggestion per drug, quoting its own name (a regimen's drugs share one)
        for m in mentions:
            key = m.concept or m.names[0]
            names = [n for n in m.names if n not in added]
            if key in seen or not names:
                continue
            seen.add(key)
            added.update(names)
            confidence = 0.85 if all(n in in_title for n in names) else 0.75
            detail = {"concept": m.concept} if m.concept else None
            out.append(
                make(doc, "interventions", names, m.start, m.end, confidence, NAME, detail=detail)
            )
    return out


def _quote_order(
    title: list[Mention], body: list[tuple[int, int, list[Mention]]], in_title: set[str]
) -> list[tuple[int, int, list[Mention]]]:
    """Which words to quote for each drug: a sentence that gives all the title's drugs
    says most about them; failing that the title, then the sentences for the rest."""
    covering = next(
        (g for g in body if in_title and in_title <= {n for m in g[2] for n in m.names}), None
    )
    if covering is not None or not title:
        first = [covering] if covering is not None else []
        return first + [g for g in body if g is not covering]
    return [(title[0].start, title[-1].end, title), *body]


def _title_drugs(doc: Document, studied: arms.Phrase | None = None) -> list[Mention]:
    """The drugs the title gives: those of its studied arm where it names one."""
    span = doc.title_span
    if span is None:
        return []
    if studied is not None and doc.drugs_in(studied.start, studied.end):
        return doc.drugs_in(studied.start, studied.end)
    return _given_in(doc, span[0], span[1], default_given=True)


def _body_drugs(doc: Document) -> list[tuple[int, int, list[Mention]]]:
    """The drugs each sentence about this study gives, as (start, end, mentions)."""
    own = {s.start for s in doc.own_sentences()}
    sentences = []
    for m in doc.drugs:
        s = doc.sentence_at(m.start)
        if s is not None and s.start in own and (not sentences or sentences[-1] != s):
            sentences.append(s)
    found: list[tuple[int, int, list[Mention]]] = []
    for s in sentences:
        if _SENTENCE_VETO.search(doc.lower, s.start, s.end):
            continue
        given = _given_in(doc, s.start, s.end, default_given=False)
        if given:
            found.append((given[0].start, given[-1].end, given))
    return found


def _given_in(doc: Document, start: int, end: int, default_given: bool) -> list[Mention]:
    """Drugs of a sentence that are given: each takes the state of the last cue before it."""
    history = list(_HISTORY.finditer(doc.lower, start, end))
    cues = [(h.start(), "history") for h in history]
    earlier = [h.end() for h in history if h.group() in _EARLIER]
    for m in _GIVEN.finditer(doc.lower, start, end):
        # "previously treated with" is history, though "treated with" alone is a cue of giving
        if not any(
            e <= m.start() and _JUST_AFTER.fullmatch(doc.lower, e, m.start()) for e in earlier
        ):
            cues.append((m.start(), "given"))
    cues += [(m.start(), "control") for m in _CONTROL.finditer(doc.lower, start, end)]
    cues.sort()
    out: list[Mention] = []
    for mention in doc.drugs_in(start, end):
        if _HISTORY_SUFFIX.match(doc.lower, mention.end):
            continue
        before = [state for pos, state in cues if pos < mention.start]
        state = before[-1] if before else ("given" if default_given else "none")
        if state == "given" or (state == "none" and _PASSIVE_GIVEN.match(doc.lower, mention.end)):
            out.append(mention)
    return out


def _only_drug(doc: Document) -> bool:
    """A text that names one drug again and again, and no other, is about that drug."""
    names = {n for m in doc.drugs for n in m.names}
    return len(names) == 1 and len(doc.drugs) >= 3


# -- comparator --------------------------------------------------------------------------------

_PLACEBO = (
    r"placebo|observation|best supportive care|supportive care|standard of care|standard care|"
    r"usual care|no treatment|no further treatment|watchful waiting|active monitoring|"
    r"physician'?s choice|investigator'?s choice|no maintenance"
)
_COMPARATOR = ci(
    r"\b(?:versus|vs\.?|compared (?:with|to)|or)\s+(?P<arm>[^,;.()]{2,120}?)(?=\s*(?:[,;.)]|\(|"
    r"\bin (?:patients|participants|adults|subjects|the|a|newly|relapsed|smoldering|persons)\b|"
    r"\bfor\b|\bamong\b|$))"
)
_CONTROL_ARM = ci(r"\s*\(\s*(?:the\s+)?control(?:\s+(?:group|arm))?\s*\)")
_ALONE = ci(r"\b(?:alone|only|monotherapy)\b")
_CONTROL_WORDS = ci(rf"\b(?:{_PLACEBO})\b")


def _comparator_from_arms(
    doc: Document, design: str | None, comparison: arms.Arms
) -> list[Suggestion]:
    if design in {NR, SR, CASE, SERIES}:
        return []
    phrase = comparison.control
    confidence = 0.8
    if phrase is None and design in {RCT, NRT}:
        phrase = arms.control_group_phrase(doc)
        confidence = 0.7
    if phrase is None and design == RCT:
        phrase = _alone_arm(doc)
        confidence = 0.7
    if phrase is not None:
        value, drugs, (start, end) = _arm_value(doc, phrase)
        if value and (drugs or len(value.split()) <= 5):
            concepts = {n: d.concept for d in drugs for n in d.names if d.concept}
            return [
                make(doc, "comparator", value, start, end, confidence, NAME,
                     detail={"concepts": concepts} if concepts else None)
            ]  # fmt: skip
    if design in {RCT, NRT}:
        for m, _s in doc.own_matches(_PLACEBO_WORD):
            return [make(doc, "comparator", "placebo", m.start(), m.end(), 0.7, NAME)]
    return []


_PLACEBO_WORD = ci(r"\bplacebo\b")
# "those treated with tPA alone", "or BCG alone": the arm an add-on was tested against
_ALONE_ARM = ci(
    r"\b(?:with|or|versus|vs\.?|received|receiving|to|of)\s+(?:either\s+)?"
    r"(?P<arm>(?:(?!with\b|or\b|and\b)[\w/-]+\s+){1,4}?)alone\b"
)


def _alone_arm(doc: Document) -> arms.Phrase | None:
    for m, _s in doc.own_matches(_ALONE_ARM):
        return arms.Phrase(m.start("arm"), m.end())
    return None


def _comparator(doc: Document, design: str | None) -> list[Suggestion]:
    if design not in {RCT, NRT, ECON}:
        return []
    spans: list[tuple[int, int, float]] = []
    if doc.title_span:
        spans.append((*doc.title_span, 0.8))
    spans += [(s.start, s.end, 0.7) for s in doc.own_sentences()]
    for start, end, confidence in spans:
        for m in _COMPARATOR.finditer(doc.lower, start, end):
            arm = _arm(doc, m)
            if arm is not None:
                value, a_start, a_end = arm
                return [make(doc, "comparator", value, a_start, a_end, confidence, NAME)]
    return []


def _arm(doc: Document, m: re.Match[str]) -> tuple[str, int, int] | None:
    """What follows "versus", when it is a control arm: drugs (alone) or placebo-like care."""
    start, end = m.start("arm"), m.end("arm")
    if m.group().lower().startswith("or ") and not _CONTROL_ARM.match(doc.lower, end):
        return None
    control = _CONTROL_WORDS.search(doc.lower, start, end)
    if control and control.start() - start <= 12:
        return control.group().lower(), control.start(), control.end()
    drugs = [mention for mention in doc.drugs_in(start, end)]
    if not drugs or drugs[0].start - start > 12:
        return None
    names = list(dict.fromkeys(n for d in drugs for n in d.names))
    value = " and ".join(names)
    alone = _ALONE.search(doc.lower, drugs[-1].end, end)
    if alone and alone.start() - drugs[-1].end <= 3:
        return f"{value} alone", drugs[0].start, alone.end()
    return value, drugs[0].start, drugs[-1].end
