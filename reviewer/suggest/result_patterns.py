"""How papers write the numbers of a result, read from text.

"120 were assigned to lenalidomide and 118 to placebo", "12/120 (10%) vs 20/118
(17%)", "12.3 ± 4.5", "18 (IQR 12–24)", "HR 0.62 (95% CI 0.48–0.80)". Two uses share
these readers: a reviewer's selection put on a results cell (``read_statement``, which
also fills the neighbouring cells the words state, so "12/120" on an events cell
gives the events and the total) and the suggestions shown under the results grid
(``find_statements``), each with the exact words that state it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_N = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"
_X = r"[-\u2212]?(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_DASH = r"\s*(?:-|\u2013|\u2014|to|,)\s*"
_MEASURES = {
    "hr": "HR", "hazard ratio": "HR", "rr": "RR", "risk ratio": "RR", "relative risk": "RR",
    "or": "OR", "odds ratio": "OR", "rd": "RD", "risk difference": "RD", "md": "MD",
    "mean difference": "MD", "smd": "SMD", "standardised mean difference": "SMD",
    "standardized mean difference": "SMD",
}  # fmt: skip
_MEASURE = "|".join(sorted((re.escape(k) for k in _MEASURES), key=len, reverse=True))

EVENTS = re.compile(
    rf"(?<![\d.])(?P<events>{_N})\s*(?:/|of|out of)\s*(?P<n>{_N})(?![\d.])"
    rf"(?:\s*\(\s*(?P<pct>{_X})\s*%\s*\))?",
    re.IGNORECASE,
)
MEAN_SD = re.compile(
    rf"(?<![\d.])(?P<mean>{_X})\s*(?:\u00b1|\+/-|\+-)\s*(?P<sd>{_X})"
    rf"|(?<![\d.])(?P<mean2>{_X})\s*\(\s*(?:SD|s\.d\.|standard deviation)\s*[:=,]?\s*(?P<sd2>{_X})\s*\)",
    re.IGNORECASE,
)
MEAN_PAREN = re.compile(rf"(?<![\d.])(?P<mean>{_X})\s*\(\s*(?P<sd>{_X})\s*\)")
MEDIAN = re.compile(
    rf"(?<![\d.])(?P<median>{_X})\s*[\(\[]\s*(?P<what>IQR|interquartile range|range)\s*[:=,]?\s*"
    rf"(?P<lo>{_X}){_DASH}(?P<hi>{_X})\s*[\)\]]",
    re.IGNORECASE,
)
ESTIMATE = re.compile(
    rf"\b(?P<measure>{_MEASURE})\b(?:\s*\([^)]{{0,12}}\))?[^\d;.\u2212-]{{0,40}}?"
    rf"(?P<est>{_X})\s*[(\[,;]?\s*(?:(?P<level>\d{{2}}(?:\.\d)?)\s*%\s*"
    rf"(?:CI|CrI|confidence interval)\s*[:=,]?\s*)?(?P<lo>{_X}){_DASH}(?P<hi>{_X})",
    re.IGNORECASE,
)
BARE_CI = re.compile(
    rf"(?<![\d.])(?P<est>{_X})\s*[(\[]\s*(?:(?P<level>\d{{2}})\s*%\s*(?:CI|confidence interval)"
    rf"\s*[:=,]?\s*)?(?P<lo>{_X}){_DASH}(?P<hi>{_X})\s*[)\]]",
    re.IGNORECASE,
)
P_VALUE = re.compile(rf"\bp\s*(?P<op>[=<>\u2264])\s*(?P<p>{_X})", re.IGNORECASE)
_ARM_WORDS = r"(?:patients|participants|subjects|people|women|men|children|infants|adults)"
ARM_SIZE = re.compile(
    rf"(?<![\d.])(?P<n>{_N})\s+(?:{_ARM_WORDS}\s+)?(?:of whom\s+)?(?:were\s+)?(?:randomly\s+)?"
    r"(?:(?:assigned|allocated|randomi[sz]ed)\s+to\s+(?:receive\s+)?|received\s+)(?:the\s+)?"
    r"(?P<arm>[A-Za-z][\w\-+/ ]{1,40}?)(?=\s*(?:,|;|\.|\(|\band\b|\bor\b|$))"
    rf"(?:\s*(?:,|and)\s+(?P<n2>{_N})\s+(?:{_ARM_WORDS}\s+)?(?:to\s+)?(?:receive\s+)?"
    r"(?:the\s+)?(?P<arm2>[A-Za-z][\w\-+/ ]{1,40}?)(?=\s*(?:,|;|\.|\(|$)))?",
    re.IGNORECASE,
)
ARM_N = re.compile(
    rf"(?P<arm>[A-Za-z][\w\-+/]*(?: [\w\-+/]+){{0,3}})\s*\(\s*n\s*=\s*(?P<n>{_N})\s*\)",
    re.IGNORECASE,
)


def number(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


@dataclass
class Statement:
    """A result stated in the text: what kind, its values, and where the words are."""

    kind: str  # arm, events, mean_sd, median, estimate
    start: int
    end: int
    values: dict[str, Any] = field(default_factory=dict)
    arm: str = ""  # the arm the words name, if any

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.kind, self.start, self.end)


def _events(m: re.Match[str]) -> dict[str, Any] | None:
    events, n = int(number(m["events"])), int(number(m["n"]))
    if n == 0 or events > n:
        return None
    return {"events": events, "n": n}


def _estimate(m: re.Match[str], measure: str | None) -> dict[str, Any] | None:
    est, lo, hi = number(m["est"]), number(m["lo"]), number(m["hi"])
    if not lo <= est <= hi:
        return None
    out: dict[str, Any] = {"estimate": est, "ci_low": lo, "ci_high": hi}
    if measure:
        out["measure"] = measure
    if m["level"]:
        out["ci_level"] = float(m["level"])
    return out


def read_statement(text: str, field: str) -> dict[str, Any]:
    """What a selection says for a results cell ``field``: that cell's value and, where the
    words state them, its neighbours' (events with n; mean with SD; median with quartiles
    or range; an estimate with its CI, level, measure and p value). Empty when the words
    state no such figure (the caller then reads a plain number)."""
    if field in ("events", "n"):
        m = EVENTS.search(text)
        if m and (vals := _events(m)):
            return vals
    if field in ("mean", "sd"):
        m = MEAN_SD.search(text)
        if m:
            mean, sd = (m["mean"], m["sd"]) if m["mean"] else (m["mean2"], m["sd2"])
            return {"mean": number(mean), "sd": number(sd)}
        m = MEAN_PAREN.search(text)
        if m and field == "mean":
            return {"mean": number(m["mean"]), "sd": number(m["sd"])}
    if field in ("median", "q1", "q3", "min", "max"):
        m = MEDIAN.search(text)
        if m:
            lo, hi = ("min", "max") if m["what"].lower() == "range" else ("q1", "q3")
            return {"median": number(m["median"]), lo: number(m["lo"]), hi: number(m["hi"])}
    if field in ("estimate", "ci_low", "ci_high", "measure"):
        m = ESTIMATE.search(text)
        vals = _estimate(m, _MEASURES[m["measure"].lower()]) if m else None
        if vals is None and (b := BARE_CI.search(text)):
            vals = _estimate(b, None)
        if vals:
            if (p := P_VALUE.search(text)) and p["op"] == "=":
                vals["p_value"] = number(p["p"])
            return vals
    if field == "p_value" and (p := P_VALUE.search(text)):
        return {"p_value": number(p["p"])}
    return {}


def find_statements(text: str, start: int = 0, end: int | None = None) -> list[Statement]:
    """Every arm size, events/total, mean ± SD, median (IQR/range) and effect estimate
    with its CI stated in ``text[start:end]``, in text order, overlaps dropped."""
    end = len(text) if end is None else end
    found: list[Statement] = []
    for m in ARM_SIZE.finditer(text, start, end):
        found.append(Statement("arm", m.start(), m.end("arm"),
                               {"n_randomised": int(number(m["n"]))}, _arm_name(m["arm"])))  # fmt: skip
        if m["arm2"]:
            found.append(Statement("arm", m.start("n2"), m.end("arm2"),
                                   {"n_randomised": int(number(m["n2"]))},
                                   _arm_name(m["arm2"])))  # fmt: skip
    for m in ARM_N.finditer(text, start, end):
        name = _arm_name(m["arm"])
        if name.lower() not in {"total", "all", "overall", "patients"}:
            found.append(Statement("arm", m.start(), m.end(), {"n_randomised": int(number(m["n"]))},
                                   name))  # fmt: skip
    for m in ESTIMATE.finditer(text, start, end):
        vals = _estimate(m, _MEASURES[m["measure"].lower()])
        if vals:
            found.append(Statement("estimate", m.start(), m.end(), vals))
    for m in EVENTS.finditer(text, start, end):
        vals = _events(m)
        if vals and m["pct"]:  # "12/120 (10%)": a count with its share, not a date or a dose
            found.append(Statement("events", m.start(), m.end(), vals))
    for m in MEAN_SD.finditer(text, start, end):
        mean, sd = (m["mean"], m["sd"]) if m["mean"] else (m["mean2"], m["sd2"])
        found.append(Statement("mean_sd", m.start(), m.end(),
                               {"mean": number(mean), "sd": number(sd)}))  # fmt: skip
    for m in MEDIAN.finditer(text, start, end):
        lo, hi = ("min", "max") if m["what"].lower() == "range" else ("q1", "q3")
        found.append(Statement("median", m.start(), m.end(),
                               {"median": number(m["median"]), lo: number(m["lo"]),
                                hi: number(m["hi"])}))  # fmt: skip
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Statement] = []
    for s in found:
        if s.kind != "arm" and any(o.start <= s.start < o.end and o.kind != "arm" for o in out):
            continue
        out.append(s)
    return out


_LEADING = {"and", "or", "patients", "participants", "on", "in", "the", "with", "receiving",
            "of", "to", "vs", "versus", "who", "received", "given", "a", "an"}  # fmt: skip


def _arm_name(text: str) -> str:
    words = text.strip().split()
    while words and words[-1].lower() in {"group", "arm", "alone", "only", "the"}:
        words.pop()
    while len(words) > 1 and words[0].lower() in _LEADING:
        words.pop(0)
    return " ".join(words) or text.strip()
