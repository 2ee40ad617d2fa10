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

import re
from collections.abc import Iterator

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.design import NR, SR, design_of
from reviewer.suggest.document import Document
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
    survival = doc.own_with(_KEY_SURVIVAL)
    out += _survival(doc, survival, "median_pfs_months", _PFS)
    out += _survival(doc, survival, "median_os_months", _OS)
    out += _hazard_ratios(doc, doc.own_with(_KEY_HR))
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


# -- lists of figures ---------------------------------------------------------------------------------

# between figures: a bracket, the arm they belong to, and "vs"/"and"/","
_LINK = ci(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:,?\s*(?:in|for|with)\s+(?:the\s+)?[\w/+-]+"
    r"(?:\s+[\w/+-]+){0,3}?\s*)?"
    r"(?:,?\s*(?:vs\.?|versus|and|compared (?:with|to)|as compared with|or)\s+|,\s*)"
)
_THRESHOLD_BEFORE = ci(
    r"(?:[<>≤≥⩽⩾]|=<|>=|\bmore than|\bless than|\bat least|\bup to|\bover|\bunder)\s*$"
)


def _figures(
    doc: Document, pos: int, end: int, need: str
) -> tuple[list[tuple[float, int, int]], int]:
    """The figures at ``pos``: one, or several joined by "vs"/"and"/","; each a percentage
    (``need="%"``) or a duration (``need="time"``, converted to months). A figure without
    its unit belongs to the list only when a later one carries it ("22 and 32%")."""
    unit = rf"\s*(?P<unit>{DURATION_UNIT})" if need == "time" else r"\s*(?P<unit>%|percent\b)"
    item = ci(rf"(?P<v>{NUM})(?:{unit})?(?![\w-])")
    found: list[tuple[float, int, int, str | None]] = []
    cursor = pos
    while True:
        m = item.match(doc.lower, cursor, end)
        if m is None or _THRESHOLD_BEFORE.search(doc.lower, max(0, m.start() - 12), m.start()):
            break
        v = parse_number(m.group("v"))
        if v is None:
            break
        found.append((v, m.start(), m.end(), m.group("unit")))
        link = _LINK.match(doc.lower, m.end(), end)
        if link is None:
            break
        cursor = link.end()
    while found and found[-1][3] is None:
        found.pop()
    if not found:
        return [], pos
    last_unit = found[-1][3] or ""
    out = []
    for v, s, e, u in found:
        if need == "time":
            v = to_months(v, u or last_unit)
        out.append((v, s, e))
    return out, found[-1][2]


_RESPECTIVELY = ci(r"[^.;]{0,40}?\brespectively\b")


def _pick_respectively(
    doc: Document, subject: str, values: list, end: int, own: re.Pattern[str]
) -> list:
    """ "the overall response and clinical benefit rates were 22 and 32%, respectively":
    only the figure in the position of our outcome is ours."""
    if not _RESPECTIVELY.match(doc.lower, end):
        return values
    items = re.split(r",\s*(?:and\s+)?|\s+and\s+", subject)
    if len(items) < 2 or len(items) != len(values):
        return values
    mine = [v for item, v in zip(items, values, strict=True) if own.search(item)]
    return mine if len(mine) < len(values) else values


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
        values, end = _figures(doc, verb.end(), s.end, "%")
        values = [v for v in values if 0 < v[0] <= 100]
        if not values:
            continue
        subject = doc.text[name.start() : subject_end]
        values = _pick_respectively(doc, subject, values, end, _ORR_OWN)
        return [
            make(doc, "response_rate_pct", [v for v, _, _ in values], name.start(), end, 0.8, NAME)
        ]
    return []


# -- median PFS and OS -------------------------------------------------------------------------------

_PFS = r"(?:progression[- ]free survival|PFS)"
_OS = r"(?:overall survival|\bOS\b)"


def _survival_patterns(outcome: str, short: str) -> tuple[re.Pattern[str], ...]:
    return (
        # "median progression-free survival (PFS) was 7.3 months"
        ci(
            rf"\bmedian\s+(?:[\w-]+\s+){{0,1}}?{outcome}(?:\s*\((?:PFS|OS)\))?"
            rf"(?:\s*\((?:[^()\[\]]|\[[^\]]*\]){{0,60}}\))?(?:\s+\w+){{0,3}}?"
            rf"\s*(?:was|were|of|:|,|=|is|reached)?\s*(?:was\s+)?\(?(?=\d|[.·]\d)"
        ),
        # "PFS was a median of 7.3 months", "PFS (median, 7.3 months)"
        ci(rf"{outcome}\s*(?:was\s+|of\s+|\(|:\s*)(?:a\s+)?median(?:\s+of)?[\s,:]*(?=\d)"),
        # "mPFS was 9.1 months", "the mOS 20.4 months"
        ci(rf"\bm{short}\b\s*(?:was|of|:|,|=|is)?\s*(?:was\s+)?(?=\d|[.·]\d)"),
    )


_PATTERNS = {_PFS: _survival_patterns(_PFS, "PFS"), _OS: _survival_patterns(_OS, "OS")}
# "overall survival (55.3 months) compared to group 2 (37.9 months)": per-group figures
_OS_BEFORE_BRACKETS = ci(rf"{_OS}(?P<lead>(?:\s+[\w-]+){{0,3}}?\s*)(?=\()")
_IN_BRACKETS = ci(rf"\((?P<v>{NUM})\s*(?P<unit>{DURATION_UNIT})\)")


def _survival(
    doc: Document, sentences: list[Sentence], field: str, outcome: str
) -> list[Suggestion]:
    out: list[Suggestion] = []
    seen: set[float] = set()
    for s in sentences:
        for start, end, values, confidence in _survival_in(doc, s, outcome):
            fresh = [v for v in values if v not in seen]
            if fresh:
                seen.update(fresh)
                out.append(make(doc, field, fresh, start, end, confidence, NAME))
    return out


def _survival_in(
    doc: Document, s: Sentence, outcome: str
) -> Iterator[tuple[int, int, list[float], float]]:
    for pattern in _PATTERNS[outcome]:
        for m in pattern.finditer(doc.lower, s.start, s.end):
            values, end = _figures(doc, m.end(), s.end, "time")
            values = [v for v in values if 0 < v[0] < 400]
            if values:
                yield m.start(), end, [v for v, _, _ in values], 0.85
    if outcome == _OS:
        yield from _median_survival(doc, s)
        name = _OS_BEFORE_BRACKETS.search(doc.lower, s.start, s.end)
        if name and "median" not in doc.lower[s.start : s.end]:
            found = list(_IN_BRACKETS.finditer(doc.lower, name.end(), s.end))
            values = [to_months(float(m.group("v")), m.group("unit")) for m in found]
            if values and found[0].start() == name.end("lead"):
                yield name.start(), found[-1].end(), values, 0.6


# "Median survival was 25 months": overall survival, unless the figure is a subgroup's
_MEDIAN_SURVIVAL = ci(
    r"\bmedian\s+survival(?:\s+[\w-]+){0,3}?\s*(?:was|were|of|:|,|=)\s*(?:was\s+)?\(?"
    r"(?=\d|[.·]\d)"
)
_FOR_SUBGROUP = ci(r"\s*(?:\([^()]*\)\s*)?,?\s*(?:for|in|among|with)\b")


def _median_survival(doc: Document, s: Sentence) -> Iterator[tuple[int, int, list[float], float]]:
    for m in _MEDIAN_SURVIVAL.finditer(doc.lower, s.start, s.end):
        values, end = _figures(doc, m.end(), s.end, "time")
        values = [v for v in values if 0 < v[0] < 400]
        if values and not _FOR_SUBGROUP.match(doc.lower, end, s.end):
            yield m.start(), end, [v for v, _, _ in values], 0.6


# -- hazard ratios ----------------------------------------------------------------------------------

_HR = ci(
    r"\b(?:hazard ratio|HR)s?\b(?:\s*[(\[](?:HR|aHR)[)\]])?(?P<endpoint>\s+(?:for|of)\s+[\w\s-]{2,50}?)?"
    r"\s*(?:\[|\()?\s*(?:was|of|[,:=]|is|were)?\s*(?:was\s+)?(?P<v>\d+(?:[.·]\d+)?)"
    r"(?![\d.]*\s*%)"
)
_CI = ci(
    rf"[\s;,]*(?:\(|\[)?\s*(?:(?P<level>\d{{2}}(?:\.\d)?)\s*%\s*(?:confidence interval|CI)\s*"
    rf"(?:\[CI\])?\s*[,:=]?\s*)?(?P<open>\[|\()?\s*(?P<lo>{NUM})\s*(?:to|-|–|—|,)\s*(?P<hi>{NUM})"
    rf"(?(open)\s*(?:\]|\)))"
)
_P = ci(
    r"[\s;,]*(?:\(|\[)?\s*(?:two-sided\s+)?p\s*(?:value)?\s*(?P<p>[<>=≤≥]\s*0?[.·]\d+|=\s*\d(?:[.·]\d+)?)",
)


def _hazard_ratios(doc: Document, sentences: list[Sentence]) -> list[Suggestion]:
    out: list[Suggestion] = []
    seen: set[float] = set()
    for s in sentences:
        for m in _HR.finditer(doc.lower, s.start, s.end):
            v = parse_number(m.group("v"))
            if v is None or not 0 < v < 20 or v in seen:
                continue
            end, detail = _hr_detail(doc, m, s.end)
            if "ci_low" not in detail and not m.group().lower().startswith("hazard"):
                continue  # a bare "HR 72" could be a heart rate
            seen.add(v)
            out.append(make(doc, "hazard_ratio", [v], m.start(), end, 0.85, NAME, detail=detail))
    return out


def _hr_detail(doc: Document, m: re.Match[str], limit: int) -> tuple[int, dict]:
    """The interval, p-value and end point printed with a hazard ratio; an interval counts
    only if it contains the estimate (so "HR 0.8 (12 to 20 months)" is not one)."""
    value = parse_number(m.group("v")) or 0.0
    detail: dict = {}
    if m.group("endpoint"):
        detail["endpoint"] = " ".join(m.group("endpoint").split()[1:])
    end = m.end()
    interval = _CI.match(doc.lower, end, limit)
    if interval:
        low, high = parse_number(interval.group("lo")), parse_number(interval.group("hi"))
        if low is not None and high is not None and low <= value <= high:
            level = interval.group("level")
            detail.update(ci_level=parse_number(level) if level else 95.0, ci_low=low, ci_high=high)
            end = interval.end()
    p = _P.match(doc.lower, end, limit)
    if p:
        detail["p_value"] = re.sub(r"\s+", "", p.group("p")).replace("·", ".")
        end = p.end()
    return end, detail


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
            values, end = _figures(doc, link.end(), s.end, "%")
            values = [v for v in values if 0 < v[0] <= 100]
            if values:
                return [
                    make(
                        doc, "grade3_ae_pct", [v for v, _, _ in values], m.start(), end, 0.75, NAME
                    )
                ]
    return []
