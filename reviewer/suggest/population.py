"""Sample size, age and condition: who was studied.

Sample size comes from the sentence that enrols, randomises, includes or analyses
the whole population ("A total of 1,024 patients were randomized", "We retrospectively
evaluated 55 consecutive patients"), never from results about a subgroup ("240
patients had progressed"). Age is a median, mean or average of the population, or
the age of the one patient in a case report; eligibility limits ("aged 18 years or
older") are not ages. The condition is the disease the title names (else the one
the text names most), with the qualifiers printed before it ("relapsed or refractory").
"""

from __future__ import annotations

import re

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.condition import PEOPLE
from reviewer.suggest.condition import condition as _condition
from reviewer.suggest.design import CASE, NR, SR, design_of
from reviewer.suggest.document import Document
from reviewer.suggest.textutil import COUNT, NUM, ci, clause_end, parse_count, parse_number

NAME = "rules.population"

# up to three words between the number and the people: "42 RRMM patients", "49 consecutive patients"
_MODS = r"(?:(?!of\b)[\w/+-]+\s+){0,4}?"
_N = rf"(?=[\d.·otfsenh])(?P<n>{COUNT})(?![\d.,]*\s*%)"  # the lookahead: a fast first test
_ENROL = (
    r"(?:enrolled|enrol(?:l)?ed|randomi[sz]ed|randomly assigned|included|recruited|treated|"
    r"analy[sz]ed|studied|evaluated|assessed|registered|accrued|identified as eligible|recorded|"
    r"followed|followed up|observed|examined|interviewed|surveyed|operated on)"
)
# (pattern, confidence); the most confident match wins, the earliest among equals
_SAMPLE_PATTERNS: tuple[tuple[re.Pattern[str], float], ...] = (
    (ci(rf"\b(?:a total of|overall,?|in total,?|altogether,?)\s+{_N}\s+{_MODS}{PEOPLE}\b"), 0.85),
    (ci(rf"\b{_N}\s+{_MODS}{PEOPLE}\s+(?:in total|in all|overall)\b"), 0.85),
    (
        ci(
            rf"\b{_N}\s+{_MODS}{PEOPLE}(?:\s+(?:with|from|who|aged|at|in|undergoing|receiving|"
            rf"treated|having|scheduled|admitted|presenting)\s+[^;.()]{{1,100}}?)?"
            rf"\s+(?:were|was|have been|had been)\s+(?:[\w-]+\s+){{0,2}}?{_ENROL}\b"
        ),
        0.85,
    ),
    (
        ci(
            rf"\b(?:trial|study|analysis|evaluation|survey|cohort)\s+(?:[\w-]+\s+){{0,3}}?"
            rf"(?:involving|including|enrolling|of|in|among|with)\s+(?:a total of\s+)?"
            rf"{_N}\s+{_MODS}{PEOPLE}\b"
        ),
        0.8,
    ),
    (
        ci(
            rf"(?:^|\.\s+|:\s+)(?:among|in|of)\s+(?:all\s+)?{_N}\s+{_MODS}{PEOPLE}\b(?!\s+(?:who|with|in)\b)"
        ),
        0.6,
    ),
    (
        ci(
            rf"\b{_N}\s+(?:{_MODS}{PEOPLE}\s+)?(?:entered|joined|participated in|took part in|"
            rf"completed)\s+the\s+(?:study|trial)\b"
        ),
        0.75,
    ),
    (
        ci(
            rf"\b(?:study|trial|analysis|cohort|series|sample|population|review)\s+(?:[\w-]+\s+){{0,2}}?"
            rf"(?:included|enrolled|comprised|involved|consisted of|recruited)\s+(?:a total of\s+)?"
            rf"{_N}\s+{_MODS}{PEOPLE}\b"
        ),
        0.85,
    ),
    (
        ci(
            rf"\bwe\s+(?:[\w-]+\s+){{0,2}}?(?:enrolled|randomly assigned|randomi[sz]ed|included|"
            rf"recruited|studied|analy[sz]ed|analy[sz]e|evaluated|reviewed|identified|treated|"
            rf"followed|examined)\s+(?:[\w()-]+\s+){{0,4}}?{_N}\s+{_MODS}{PEOPLE}\b"
        ),
        0.8,
    ),
    (
        ci(
            rf"\bwe\s+(?:[\w-]+\s+){{0,2}}?(?:retrieved|collected|obtained|extracted)\s+data\s+"
            rf"(?:from|of|on)\s+{_N}\s+{_MODS}{PEOPLE}\b"
        ),
        0.8,
    ),
    (ci(rf"\bdata (?:of|from|on)\s+{_N}\s+{_MODS}{PEOPLE}\s+(?:were|was)\b"), 0.75),
    (ci(rf"\b(?:series|cohort|population) of\s+{_N}\s+{_MODS}{PEOPLE}\b"), 0.75),
    (
        ci(
            rf"\b(?:of|among) (?:the|all)\s+{_N}\s+(?:enrolled|randomi[sz]ed|evaluable|treated|"
            rf"included|eligible)\s+{PEOPLE}\b"
        ),
        0.75,
    ),
    (ci(rf"\b{PEOPLE}\s*\(\s*[nN]\s*=\s*(?P<n>{NUM})\s*\)"), 0.7),
    # a structured abstract's "PARTICIPANTS: Ninety-eight patients aged 34 to 81"
    (
        ci(
            rf"\b(?:participants|patients|subjects|population|study population|sample|"
            rf"setting and participants|patients and methods)\s*:\s*(?:a total of\s+)?"
            rf"(?:all\s+)?{_N}\s+{_MODS}{PEOPLE}\b"
        ),
        0.8,
    ),
    # "Of 239 eligible patients, 216 were randomly assigned"
    (
        ci(
            rf"(?:^|[,;:]\s+|\.\s+){_N}\s+(?:were|was)\s+(?:randomly assigned|randomly allocated|"
            rf"randomi[sz]ed|enrolled|included)\b"
        ),
        0.75,
    ),
    (ci(rf"\bin\s+{_N}\s+{_MODS}{PEOPLE}\s+(?:with|who)\b"), 0.6),
    # "we studied the effect of alendronate ... in 241 men", "a trial that evaluated the
    # safety of rhIL-11 in 91 patients": the study's own sentence says whom it studied
    (
        ci(
            rf"\b(?:we|trial|study)\s+(?:[\w-]+\s+){{0,3}}?(?:studied|evaluated|assessed|tested|"
            rf"investigated|examined)\b[^.;]{{0,160}}?\bin\s+{_N}\s+{_MODS}{PEOPLE}\b"
        ),
        0.7,
    ),
)
# "were enrolled into the run-in cohort": a part of the study, not the whole
_SUBGROUP = ci(
    r"\s*(?:[\w-]+\s+){0,3}?(?:in|into|to)\s+(?:the|each|both|a)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:cohort|arm|group|part|stage|subgroup|phase)\b"
)
_PEOPLE_WORD = ci(PEOPLE)
# a sample size calculation, or people screened rather than studied
_NOT_STUDIED = ci(r"\bpower\b|\bsample size\b|\b(?:would be|were|are) (?:needed|required)\b")
_SCREENED = ci(r"\W*(?:[\w()=,]+\s+){0,3}?(?:were|was)\s+(?:screened|assessed for eligibility)\b")
_EXCLUDED = ci(r"\bexcluded\b|\bineligible\b")
_SHARE_AFTER = ci(rf"\s*\(\s*(?:{NUM}\s*%|{NUM}\s+of\b)")
_SPLIT = ci(r"random|assign|allocat")
_LEADING_COUNT = ci(rf"{_N}\s+{_MODS}{PEOPLE}\b")
_OUTCOME_VERB = ci(
    r"\b(?:died|discontinued|developed|experienced|achieved|responded|relapsed|progressed|"
    r"had|showed|required|withdrew|suffered|excluded|lost)\b"
)
_TAKING_PART = ci(
    r"\b(?:received|underwent|participated|were (?:treated|included|enrolled|studied|analy[sz]ed|"
    r"evaluated|recruited|randomi[sz]ed|followed))\b"
)
_WE = ci(r"\bwe\b")


def suggest(doc: Document) -> list[Suggestion]:
    out: list[Suggestion] = []
    found = design_of(doc)
    design = found.choice if found else None
    if design in {NR, SR}:
        return _condition(doc)
    for fn in (_sample_size, _age):
        s = fn(doc, design)
        if s is not None:
            out.append(s)
    return out + _condition(doc)


# -- sample size -----------------------------------------------------------------------------------


def _sample_size(doc: Document, design: str | None) -> Suggestion | None:
    if design == CASE:
        return _one_patient(doc, "sample_size")
    if not doc.has(_PEOPLE_WORD):
        return None
    best: tuple[float, int, int, int, int] | None = None  # (confidence, -start, value, start, end)
    for pattern, confidence in _SAMPLE_PATTERNS:
        for m, s in doc.own_matches(pattern):
            n = parse_count(m.group("n"))
            if n is None or n < 3 or 1900 <= n <= 2100:
                continue
            if confidence == 0.6 and not _WE.search(doc.lower, s.start, s.end):
                continue
            end = clause_end(doc.text, m.end(), s.end)
            if _SUBGROUP.match(doc.lower, m.end(), end) and not _SPLIT.search(m.group()):
                continue  # "enrolled into the run-in cohort": a part of the study
            penalty = 0.0
            if _NOT_STUDIED.search(doc.lower, s.start, s.end) or _SCREENED.match(
                doc.lower, m.end(), end
            ):
                continue
            if _SHARE_AFTER.match(doc.lower, m.end()):
                continue  # "4 patients (13%) received ...": a share of the study, not its size
            if _EXCLUDED.search(doc.lower, s.start, s.end):
                penalty += 0.2
            key = (confidence - penalty, -m.start(), n, m.start(), end)
            if best is None or key > best:
                best = key
    arms_total = _sum_of_arms(doc)
    if arms_total is not None and (best is None or best[0] < 0.8 or arms_total[0] > best[2]):
        n, start, end = _printed_total(doc, *arms_total)
        return make(doc, "sample_size", n, start, end, 0.75, NAME)
    if best is not None and best[0] >= 0.5:
        return make(doc, "sample_size", best[2], best[3], best[4], best[0], NAME)
    for s in doc.own_sentences():
        leading = _leading_count(doc, s.start, s.end)
        if leading is not None:
            n, start, end = leading
            return make(doc, "sample_size", n, start, end, 0.55, NAME)
    return None


# "238 patients randomized to sunitinib, 244 to capecitabine"; "28 laparoscopic and 34 open"
_ARM_COUNT = ci(
    rf"\b{_N}\s+(?:{_MODS}{PEOPLE}\s+)?(?:were\s+)?(?:randomi[sz]ed|randomly assigned|"
    rf"assigned|allocated)\s+to\s+[^,;.]{{1,60}}?(?:,\s*(?:and\s+)?|\s+and\s+)"
    rf"(?P<m>{COUNT})\s+(?:{PEOPLE}\s+)?(?:to|in)\b"
)
# "162 patients to the salbutamol group and 164 to the placebo group"
_GROUP_COUNT = ci(
    rf"\b{_N}\s+(?:{_MODS}{PEOPLE}\s+)?(?:were\s+)?(?:[\w-]+\s+)?(?:to|in|into)\s+(?:the\s+)?"
    rf"[^,;.]{{1,40}}?\s+(?:group|arm)\b[^,;.]{{0,20}}?(?:,\s*(?:and\s+)?|\s+and\s+)"
    rf"(?P<m>{COUNT})\s+(?:{PEOPLE}\s+)?(?:were\s+)?(?:[\w-]+\s+)?(?:to|in|into)\s+(?:the\s+)?"
    rf"[^,;.]{{1,40}}?\s+(?:group|arm)\b"
)
_AND_COUNT = ci(
    rf"\b{_N}\s+(?!{PEOPLE})[\w/+-]+(?:\s+[\w/+-]+)?\s+and\s+(?P<m>{COUNT})\s+"
    rf"[\w/+-]+(?:\s+[\w/+-]+)?\s+(?:{PEOPLE}\s+)?(?:were|was)\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{_ENROL}|done|performed|operated)\b"
)
# "(n = 95)" after each arm of a randomisation or group sentence
_ARM_SIZE = ci(r"[(\[,:;]\s*n\s*=\s*(?P<n>\d[\d,]*)\s*(?=[)\],;]|$)")
_ARMS_SENTENCE = ci(r"random|assign|allocat|\bgroups?\b|\barms?\b|versus|\bvs\b|placebo")


def _printed_total(doc: Document, n: int, start: int, end: int) -> tuple[int, int, int]:
    """Where the text prints the total the arms add up to ("41 children with SMEI"), even
    in a sentence the rules do not read for sizes: those words state it best."""
    for m in _LEADING_COUNT.finditer(doc.lower, doc.abstract_start, doc.body_end):
        if parse_count(m.group("n")) == n:
            return n, m.start(), m.end()
    return n, start, end


def _sum_of_arms(doc: Document) -> tuple[int, int, int] | None:
    """A total printed only as its arms: two counts joined, or every arm's "(n = k)"."""
    for pattern in (_ARM_COUNT, _GROUP_COUNT, _AND_COUNT):
        for m, _s in doc.own_matches(pattern):
            a, b = parse_count(m.group("n")), parse_count(m.group("m"))
            if a and b and a >= 3 and b >= 3:
                return a + b, m.start(), m.end()
    for s in doc.own:
        if not _ARMS_SENTENCE.search(doc.lower, s.start, s.end):
            continue
        sizes = list(_ARM_SIZE.finditer(doc.lower, s.start, s.end))
        if len(sizes) >= 2:
            values = [parse_count(m.group("n")) or 0 for m in sizes]
            if all(v >= 2 for v in values):
                return sum(values), sizes[0].start(), sizes[-1].end()
    return None


def _leading_count(doc: Document, start: int, end: int) -> tuple[int, int, int] | None:
    """ "Fifty patients with ... received": a sentence that opens with the population."""
    m = _LEADING_COUNT.match(doc.lower, start, end)
    if not m or _OUTCOME_VERB.search(doc.lower, m.end(), end):
        return None
    if not _TAKING_PART.search(doc.lower, m.end(), end):
        return None  # "Eighteen patients were <18 years": a description, not the population
    if _SHARE_AFTER.match(doc.lower, m.end()):
        return None
    if _SUBGROUP.match(doc.lower, m.end(), clause_end(doc.text, m.end(), end)):
        return None
    n = parse_count(m.group("n"))
    if n is None or n < 2:
        return None
    return n, m.start(), clause_end(doc.text, m.end(), end)


_YEAR_OLD = ci(
    r"\b(?:a|an)\s+(?P<age>\d{1,3})[- ]year[- ]old\s+(?:[\w-]+\s+){0,2}?(?:man|woman|male|female|"
    r"boy|girl|patient|gentleman|lady|child|infant)\b"
)
_CASE_PHRASE = ci(
    r"\bwe (?:report|describe|present)\b[^.]{0,60}?\b(?:a|one) (?:[\w-]+\s+){0,2}?case\b"
)


def _one_patient(doc: Document, field: str) -> Suggestion | None:
    m = _YEAR_OLD.search(doc.lower, 0, doc.body_end)
    if m:
        return make(doc, field, 1, m.start(), m.end(), 0.8, NAME)
    m = _CASE_PHRASE.search(doc.lower, 0, doc.body_end)
    if m:
        return make(doc, field, 1, m.start(), m.end(), 0.7, NAME)
    design = design_of(doc)
    if design is not None and design.end > design.start:
        # the words that made it a case report ("We present ... a patient") describe the one patient
        return make(doc, field, 1, design.start, design.end, 0.6, NAME)
    return None


# -- age ----------------------------------------------------------------------------------------------

_AGE_PATTERNS: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        ci(
            rf"\b(?:median|mean|average)\s+(?:patient\s+)?age(?:\s+at\s+(?:diagnosis|"
            rf"enrol(?:l)?ment|inclusion|baseline|transplant(?:ation)?|study entry))?"
            rf"(?:\s*\((?:range|IQR|SD)[^)]*\))?\s*(?:was|of|,|:|=|is)?\s*(?:was\s+)?"
            rf"(?P<age>{NUM})(?:\s*(?:±|\+/-)\s*{NUM})?\s*(?:years?|yrs?|y)?\b"
            rf"(?!\s*(?:or older|or younger|and (?:older|younger|above|over|under)))"
        ),
        0.85,
    ),
    (
        ci(rf"\baged?\s+(?:a\s+)?(?:median|mean)(?:\s+of)?\s+(?P<age>{NUM})\s*(?:years?|yrs?|y)\b"),
        0.85,
    ),
    (ci(rf"\((?:median|mean)\s+age,?\s*(?P<age>{NUM})\s*(?:years?|yrs?|y)?\b"), 0.85),
    # "(age, 31 to 87 years; mean, 63)": the range, then its mean or median
    (
        ci(
            rf"\bages?,?\s+{NUM}\s*(?:to|-|–)\s*{NUM}\s*(?:years?|yrs?|y)?\s*[;,]\s*"
            rf"(?:mean|median),?\s*(?P<age>{NUM})\b(?!\s*%)"
        ),
        0.8,
    ),
    # "mean ± SD age 74.0 ± 6.1 years", "age (mean ± SD) 74.0 ± 5.2 years"
    (
        ci(
            rf"\b(?:mean|median)\s*(?:\(?\s*(?:±|\+/-)\s*(?:sd|se)\s*\)?|\((?:sd|se|iqr)\))\s*age"
            rf"(?:\s+at\s+\w+)?\s*(?:was|of|,|:|=|is)?\s*(?P<age>{NUM})\b(?!\s*%)"
        ),
        0.8,
    ),
    (
        ci(
            rf"\bage\s*\(\s*(?:mean|median)\s*(?:(?:±|\+/-)\s*(?:sd|se)|\[?(?:range|iqr|sd)\]?)?\s*\)"
            rf"\s*(?:was|of|,|:|=|is)?\s*(?P<age>{NUM})\b(?!\s*%)"
        ),
        0.8,
    ),
)


def _age(doc: Document, design: str | None) -> Suggestion | None:
    if design == CASE:
        m = _YEAR_OLD.search(doc.lower, 0, doc.body_end)
        if m:
            return make(doc, "age", float(m.group("age")), m.start(), m.end(), 0.8, NAME)
        return None
    for s in doc.own_sentences():
        for pattern, confidence in _AGE_PATTERNS:
            m = pattern.search(doc.lower, s.start, s.end)
            if m:
                age = parse_number(m.group("age"))
                if age is not None and 0 < age < 110:
                    return make(doc, "age", age, m.start(), m.end(), confidence, NAME)
    return None
