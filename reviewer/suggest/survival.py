"""Time to event: median progression-free and overall survival, and hazard ratios with
their confidence interval and P value ("median PFS was 3.7 vs 2.1 months", "HR 0.62;
95% CI 0.48-0.80; P<.001"). Split from ``outcomes``, which reads the other outcomes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.document import Document
from reviewer.suggest.figures import figures
from reviewer.suggest.textutil import (
    DURATION_UNIT,
    NUM,
    Sentence,
    ci,
    parse_number,
    to_months,
)

NAME = "rules.outcomes"  # suggestions keep the suggester name they always had


PFS = r"(?:progression[- ]free survival|PFS)"
OS = r"(?:overall survival|\bOS\b)"


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


_PATTERNS = {PFS: _survival_patterns(PFS, "PFS"), OS: _survival_patterns(OS, "OS")}
# "overall survival (55.3 months) compared to group 2 (37.9 months)": per-group figures
_OS_BEFORE_BRACKETS = ci(rf"{OS}(?P<lead>(?:\s+[\w-]+){{0,3}}?\s*)(?=\()")
_IN_BRACKETS = ci(rf"\((?P<v>{NUM})\s*(?P<unit>{DURATION_UNIT})\)")


def survival(
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
            values, end = figures(doc, m.end(), s.end, "time")
            values = [v for v in values if 0 < v[0] < 400]
            if values:
                yield m.start(), end, [v for v, _, _ in values], 0.85
    if outcome == OS:
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
        values, end = figures(doc, m.end(), s.end, "time")
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


def hazard_ratios(doc: Document, sentences: list[Sentence]) -> list[Suggestion]:
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
