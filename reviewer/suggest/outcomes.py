"""Follow-up, response rate, median PFS and OS, hazard ratios and grade ≥3 adverse events.

Each outcome is read from the phrase that names it followed by its figures:
"median progression-free survival was 3.7 months", "ORR was 45% vs 30%",
"HR 0.62; 95% CI 0.48-0.80; P<.001", "28 patients (67%) experienced grade 3 or 4
adverse events". A list of figures joined by "vs", "and" or "respectively" gives
one value per arm. Figures that are thresholds ("in >10% of patients"), rates of
something narrower ("complete response rate", "grade 3 neutropenia") or results of
other studies are not read. Durations are converted to months.
"""

from __future__ import annotations

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.design import NR, SR, design_of
from reviewer.suggest.document import Document
from reviewer.suggest.figures import figures, pick_respectively
from reviewer.suggest.survival import OS, PFS, hazard_ratios
from reviewer.suggest.survival import survival as survival_values
from reviewer.suggest.textutil import (
    COUNT,
    DURATION_UNIT,
    NUM,
    Sentence,
    ci,
    parse_count,
    parse_number,
    to_months,
)

NAME = "rules.outcomes"

# sentences worth reading for each outcome
_KEY_FOLLOW_UP = ci(r"follow|monitored|observed for")
_KEY_RESPONSE = ci(r"respon|\bORRs?\b|remission")
_KEY_SURVIVAL = ci(r"survival|\bm?PFS\b|\bm?OS\b")
_KEY_HR = ci(r"hazard|\bHRs?\b")
_KEY_GRADE = ci(r"grade")


def suggest(doc: Document) -> list[Suggestion]:
    found = design_of(doc)
    design = found.choice if found else None
    if design in {NR, SR}:
        return []  # an overview's figures are other studies' results
    out: list[Suggestion] = []
    out += _follow_up(doc, doc.own_with(_KEY_FOLLOW_UP))
    out += _response_rates(doc, doc.own_with(_KEY_RESPONSE))
    found_survival = doc.own_with(_KEY_SURVIVAL)
    out += survival_values(doc, found_survival, "median_pfs_months", PFS)
    out += survival_values(doc, found_survival, "median_os_months", OS)
    out += hazard_ratios(doc, doc.own_with(_KEY_HR))
    out += _grade3(doc, doc.own_with(_KEY_GRADE))
    return out


# -- follow-up ------------------------------------------------------------------------------------

_FU = r"follow(?:ed)?[\s-]?up"
_FOLLOW_UP = (
    ci(
        rf"\b(?P<kind>median|mean)\s+(?:[\w-]+\s+){{0,2}}?{_FU}(?:\s+(?:time|period|duration))?"
        rf"(?:\s+(?:time|period|duration))?\s*(?:was|of|:|,|=|is|lasted|reached|for)?\s*(?:was\s+)?"
        rf"(?:about\s+|approximately\s+)?(?P<n>{NUM})\s*(?P<unit>{DURATION_UNIT})"
    ),
    ci(
        rf"\b{_FU}\s+(?:for\s+|of\s+)?(?:a\s+)?(?P<kind>median|mean)\s+(?:of\s+|duration of\s+)?"
        rf"(?P<n>{NUM})\s*(?P<unit>{DURATION_UNIT})"
    ),
    ci(
        rf"\b(?P<kind>median|mean)\s+(?:duration\s+)?of\s+(?P<n>{NUM})\s*(?P<unit>{DURATION_UNIT})"
        rf"\s+(?:of\s+)?{_FU}"
    ),
)


# a fixed period: "followed up for 2 years", "monitored for six months", "6-month follow-up"
_N_UNIT = rf"(?P<n>{COUNT})[\s-]*(?P<unit>{DURATION_UNIT})"
_FOLLOW_PERIOD = (
    ci(
        rf"\b(?:were|was|been|being)\s+(?:\w+ly\s+)?(?:followed|monitored|observed|seen)"
        rf"(?:\s+up)?\s+(?:for|over)\s+(?:a\s+(?:period|minimum)\s+of\s+|at least\s+|up to\s+)?"
        rf"{_N_UNIT}\b"
    ),
    # not "covering a 28-year follow-up period": the span of a registry, not a follow-up
    ci(
        rf"(?<!covering a )(?<!spanning a )(?<!over a )\b{_N_UNIT}(?:['’]s?)?[\s-]+(?:median\s+|mean\s+)?{_FU}\b"
    ),
    ci(
        rf"\b{_FU}\s+(?:period\s+|time\s+|duration\s+)?(?:was\s+|of\s+|lasted\s+|for\s+)"
        rf"(?:up to\s+)?{_N_UNIT}\b"
    ),
    ci(
        rf"\b{_FU}\s*[(,]\s*(?P<kind>median|mean)(?:\s+of)?\s*,?\s*(?P<n>{NUM})"
        rf"(?:\s*(?:±|\+/-|\+/−)\s*{NUM})?\s*(?:\([^)]{{0,30}}\)\s*)?(?P<unit>{DURATION_UNIT})"
    ),
    ci(
        rf"\b(?P<kind>median|mean)\s+{_FU}\s+(?:of|was|:)?\s*(?P<n>{NUM})\s*"
        rf"\([^)]{{0,40}}\)\s*(?P<unit>{DURATION_UNIT})"
    ),
)


def _follow_up(doc: Document, sentences: list[Sentence]) -> list[Suggestion]:
    found = _follow_up_median(doc, sentences)
    if found:
        return found
    for s in sentences:
        for pattern in _FOLLOW_PERIOD:
            m = pattern.search(doc.lower, s.start, s.end)
            if m is None:
                continue
            value = parse_count(m.group("n")) if not m.group("n")[0].isdigit() else None
            value = value if value is not None else parse_number(m.group("n"))
            if not value or value <= 0:
                continue
            kind = m.groupdict().get("kind") or ""
            confidence = 0.8 if kind.lower() == "median" else 0.6
            months = to_months(float(value), m.group("unit"))
            return [make(doc, "follow_up_months", months, m.start(), m.end(), confidence, NAME)]
    return []


def _follow_up_median(doc: Document, sentences: list[Sentence]) -> list[Suggestion]:
    for s in sentences:
        for pattern in _FOLLOW_UP:
            m = pattern.search(doc.lower, s.start, s.end)
            if m is None:
                continue
            value = parse_number(m.group("n"))
            if value is None or value <= 0:
                continue
            months = to_months(value, m.group("unit"))
            confidence = 0.85 if m.group("kind").lower() == "median" else 0.6
            return [make(doc, "follow_up_months", months, m.start(), m.end(), confidence, NAME)]
    return []


# -- response rate ------------------------------------------------------------------------------------

_ORR_NAME = ci(
    r"\b(?:overall|objective|total|h(?:a)?ematologic(?:al)?)\s+response(?:\s+rates?)?(?:\s*\((?:ORR|OR|RR)\))?|"
    r"\bORRs?\b|(?<!complete )(?<!partial )(?<!pathologic )(?<!pathological )(?<!molecular )"
    r"(?<!cytogenetic )(?<!major )(?<!minor )(?<!clinical benefit )\bresponse rates?\b"
)
_ORR_VERB = ci(
    r"\s*(?:\((?:ORR|OR|RR)\)\s*)?(?:\s*(?:rates?|rates? \(ORR\)))?\s*(?:was|were|of|:|=|,|reached|"
    r"is|amounted to)\s*(?:observed in\s+|achieved in\s+|seen in\s+)?"
    r"(?:\d+\s*(?:/|of)\s*\d+\s*(?:patients\s*)?\(\s*)?"
)
_MORE_RATES = ci(r"(?:\s+and\s+[\w\s-]{1,40}?\s+rates?)?")
_ORR_OWN = ci(r"\boverall\b|\bobjective\b|\bORR\b|h(?:a)?ematologic")
_ORR_BEFORE = ci(
    rf"(?P<v>{NUM})\s*%\s+(?:of\s+(?:the\s+)?(?:patients|participants)\s+)?(?:achieved|had|attained|"
    rf"showed|obtained)\s+(?:an?\s+)?(?:overall|objective)\s+response\b"
)
_PR_OR_BETTER = ci(
    rf"\b(?:an?\s+)?(?:partial response|PR)\s+or better\s+(?:was\s+)?(?:observed|achieved|seen|"
    rf"reported|obtained)?\s*in\s+(?P<v>{NUM})\s*%"
)


def _response_rates(doc: Document, sentences: list[Sentence]) -> list[Suggestion]:
    for s in sentences:
        found = _orr_in(doc, s)
        if found:
            return found
    for s in sentences:
        found = _responders_in(doc, s)
        if found:
            return found
    return []


# "responses in 13 of 28 patients (46 percent)", "15 (71%) patients were responders",
# "a response proportion of 20.7%": the shares of a sentence that speaks of responses
_RESPONSE_WORD = ci(
    r"(?<!complete )(?<!partial )(?<!pathologic )(?<!pathological )(?<!molecular )"
    r"(?<!cytogenetic )(?<!immune )(?<!antibody )(?<!serologic )(?<!serological )"
    r"(?<!virologic )(?<!virological )(?<!inadequate )(?<!insufficient )(?<!poor )"
    r"(?<!inflammatory )(?<!dose-)(?<!dose )(?<!no )"
    r"\b(?:respon(?:se|ses|ders?|ded)|remissions?)\b(?!\s+to\b)"
)
_SHARE = ci(rf"(?P<v>{COUNT})\s*(?:%|percent\b|per cent\b)")
_BARE_BEFORE = ci(rf"(?P<v>{NUM})\s*(?:vs\.?|versus|and|,)\s*$")
_CI_SPAN = ci(r"\b95\s*%\s*(?:ci\b|confidence interval)[^)\];]*")
_NOT_A_RATE = ci(
    r"\b(?:ci|confidence|interval|p\s*[<=>]|or\s*=|>|<|≥|≤|at least|more than|less than|"
    r"decrease|reduction|increase|improvement|predicted|of the dose)\W*$"
)
_RATE_AFTER = ci(
    r"\s*(?:decrease|reduction|increase|improvement|or more|or greater|predicted|ci\b|"
    r"confidence|of (?:the )?(?:dose|baseline|predicted))"
)


def _responders_in(doc: Document, s: Sentence) -> list[Suggestion]:
    word = _RESPONSE_WORD.search(doc.lower, s.start, s.end)
    if word is None:
        return []
    values: list[float] = []
    first = last = None
    intervals = [(c.start(), c.end()) for c in _CI_SPAN.finditer(doc.lower, s.start, s.end)]
    for m in _SHARE.finditer(doc.lower, max(s.start, word.start() - 80), s.end):
        if any(a <= m.start() < b for a, b in intervals):
            continue
        before = doc.lower[max(s.start, m.start() - 16) : m.start()]
        if _NOT_A_RATE.search(before) or _RATE_AFTER.match(doc.lower, m.end()):
            continue
        v = parse_number(m.group("v"))
        if v is None:
            v = parse_count(m.group("v"))
        if v is None or not 0 < v <= 100:
            continue
        bare = _BARE_BEFORE.search(doc.lower, max(s.start, m.start() - 14), m.start())
        if bare and (b := parse_number(bare.group("v"))) is not None and 0 < b <= 100:
            values.append(b)  # "11 vs. 16%"
            first = bare.start() if first is None else first
        values.append(float(v))
        first = m.start() if first is None else first
        last = m.end()
    if not values or len(values) > 4 or first is None or last is None:
        return []
    start = min(word.start(), first)
    return [make(doc, "response_rate_pct", values, start, last, 0.6, NAME)]


def _orr_in(doc: Document, s: Sentence) -> list[Suggestion]:
    for pattern in (_ORR_BEFORE, _PR_OR_BETTER):
        m = pattern.search(doc.lower, s.start, s.end)
        if m:
            v = parse_number(m.group("v"))
            if v is not None and 0 < v <= 100:
                return [make(doc, "response_rate_pct", [v], m.start(), m.end(), 0.75, NAME)]
    for name in _ORR_NAME.finditer(doc.lower, s.start, s.end):
        subject_end = name.end()
        # "overall response and clinical benefit rates were": the subject runs on to "rates"
        subject_end = _MORE_RATES.match(doc.lower, subject_end).end()
        verb = _ORR_VERB.match(doc.lower, subject_end, s.end)
        if verb is None:
            continue
        values, end = figures(doc, verb.end(), s.end, "%")
        values = [v for v in values if 0 < v[0] <= 100]
        if not values:
            continue
        subject = doc.text[name.start() : subject_end]
        values = pick_respectively(doc, subject, values, end, _ORR_OWN)
        return [
            make(doc, "response_rate_pct", [v for v, _, _ in values], name.start(), end, 0.8, NAME)
        ]
    return []


# -- grade 3 or worse adverse events -------------------------------------------------------------------

_GRADE3 = (
    r"(?:grade\s*(?:≥|>=|⩾|≧)\s*(?:3|III)|(?:≥|>=|⩾)\s*grade\s*(?:3|III)|"
    r"grade\s*(?:3|III)\s*(?:or|to|-|–|/|and)\s*(?:4|IV|5|V|higher|greater|above|more|worse|more severe)|"
    r"grade\s*(?:3|III)\s*\+|grades\s*(?:3|III)\s*(?:-|–|to|and|or)\s*(?:4|IV|5|V))"
)
_AE = (
    r"(?:(?:treatment|drug)[- ](?:emergent|related)\s+)?(?:adverse\s+(?:events?|effects?|reactions?)|"
    r"AEs?\b|TEAEs?\b|TRAEs?\b|toxicit(?:y|ies)\b|side[- ]effects?)"
)
_NARROWER = ci(
    r"non-?h(?:a)?ematolog|h(?:a)?ematolog|infectio|cardiac|gastro|neurolog|renal|hepat|skin|"
    r"immune-related|serious"
)
_G3_PATTERNS = (
    # "28 patients (67%) experienced grade 3 or 4 adverse events"
    ci(
        rf"\b\d[\d,]*\s+(?:[\w-]+\s+){{0,2}}?\((?P<v>{NUM})\s*%\)\s+(?:experienced|had|developed|"
        rf"reported|presented)\s+(?:at least one\s+|any\s+)?(?P<g>{_GRADE3}\s+(?:[\w-]+\s+){{0,1}}?{_AE})"
    ),
    # "45% of patients had grade ≥3 AEs"
    ci(
        rf"(?P<v>{NUM})\s*%\s+(?:of\s+(?:the\s+)?(?:patients|participants)\s+)?(?:experienced|had|"
        rf"developed|reported)\s+(?:at least one\s+|any\s+)?(?P<g>{_GRADE3}\s+(?:[\w-]+\s+){{0,1}}?{_AE})"
    ),
)
_G3_NAME = ci(
    rf"(?:(?:incidence|rate|frequency|proportion) of\s+(?:any\s+)?)?(?P<g>{_GRADE3}\s+"
    rf"(?:[\w-]+\s+){{0,1}}?{_AE}|{_AE}\s+(?:of\s+)?{_GRADE3})"
)
_G3_LINK = ci(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:were|was|occurred|were (?:observed|reported|noted|seen)|"
    r"was (?:observed|reported|noted|seen)|developed)?\s*(?:observed|reported|noted|seen)?\s*"
    r"(?:in|:|=|,)?\s*(?:\d[\d,]*\s+(?:patients\s+)?\()?"
)


def _grade3(doc: Document, sentences: list[Sentence]) -> list[Suggestion]:
    for s in sentences:
        for pattern in _G3_PATTERNS:
            m = pattern.search(doc.lower, s.start, s.end)
            if m and not _NARROWER.search(m.group("g")):
                v = parse_number(m.group("v"))
                if v is not None and 0 < v <= 100:
                    return [make(doc, "grade3_ae_pct", [v], m.start(), m.end(), 0.8, NAME)]
        for m in _G3_NAME.finditer(doc.lower, s.start, s.end):
            if _NARROWER.search(m.group("g")) or _NARROWER.search(
                doc.lower, max(s.start, m.start() - 20), m.start()
            ):
                continue
            link = _G3_LINK.match(doc.lower, m.end(), s.end)
            if link is None or link.end() == m.end():
                continue
            values, end = figures(doc, link.end(), s.end, "%")
            values = [v for v in values if 0 < v[0] <= 100]
            if values:
                return [
                    make(
                        doc, "grade3_ae_pct", [v for v, _, _ in values], m.start(), end, 0.75, NAME
                    )
                ]
    return []
