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
# the abbreviations only in capitals ("or" is a word), the names in any case
_MEASURE = "|".join(
    f"(?-i:{re.escape(k.upper())})" if len(k) <= 3 else re.escape(k)
    for k in sorted(_MEASURES, key=len, reverse=True)
)

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
ARM_N = re.compile(rf"\(\s*n\s*=\s*(?P<n>{_N})\s*\)", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"([A-Za-z][\w\-+/]*(?: [\w\-+/]+){0,3})\s*$")

# Words that must be near a statement: each reader runs only around them, so a long
# full text is read in milliseconds rather than tried at every digit. Found with
# str.find (lower-cased words; abbreviations as written).
_MARKERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "events": (("%",), ()),
    "mean_sd": (("\u00b1", "+/-", "+-", "sd", "s.d.", "standard deviation"), ()),
    "median": (("iqr", "interquartile", "range"), ()),
    "estimate": (("hazard ratio", "risk ratio", "relative risk", "odds ratio", "risk difference",
                  "mean difference"), ("HR", "RR", "OR", "RD", "MD", "SMD")),
    "arm": (("assigned", "allocated", "randomi", "received", "n =", "n="), ()),
}  # fmt: skip
_REACH = {"events": (40, 2), "mean_sd": (40, 40), "median": (40, 60), "estimate": (2, 160),
          "arm": (120, 160)}  # fmt: skip


def _positions(haystack: str, word: str, start: int, end: int) -> list[int]:
    out = []
    at = haystack.find(word, start, end)
    while at >= 0:
        out.append(at)
        at = haystack.find(word, at + 1, end)
    return out


def _windows(
    text: str, kind: str, start: int, end: int, low: str | None = None
) -> list[tuple[int, int]]:
    """Stretches of ``text[start:end]`` around the words a ``kind`` statement needs."""
    low = text.lower() if low is None else low
    words, exact = _MARKERS[kind]
    hits = sorted(
        [(p, p + len(w)) for w in words for p in _positions(low, w, start, end)]
        + [(p, p + len(w)) for w in exact for p in _positions(text, w, start, end)]
    )
    back, ahead = _REACH[kind]
    out: list[tuple[int, int]] = []
    for hit_start, hit_end in hits:
        a, b = max(start, hit_start - back), min(end, hit_end + ahead)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _find(rx: re.Pattern[str], text: str, kind: str, start: int, end: int, low: str):  # noqa: ANN202
    seen: set[tuple[int, int]] = set()
    for a, b in _windows(text, kind, start, end, low):
        for m in rx.finditer(text, a, b):
            if m.span() not in seen:
                seen.add(m.span())
                yield m


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
    low = text.lower()
    found: list[Statement] = []
    for m in _find(ARM_SIZE, text, "arm", start, end, low):
        found.append(Statement("arm", m.start(), m.end("arm"),
                               {"n_randomised": int(number(m["n"]))}, _arm_name(m["arm"])))  # fmt: skip
        if m["arm2"]:
            found.append(Statement("arm", m.start("n2"), m.end("arm2"),
                                   {"n_randomised": int(number(m["n2"]))},
                                   _arm_name(m["arm2"])))  # fmt: skip
    for m in _find(ARM_N, text, "arm", start, end, low):
        before = _NAME_BEFORE.search(text, max(start, m.start() - 50), m.start())
        name = _arm_name(before.group(1)) if before else ""
        if name and name.lower() not in {"total", "all", "overall", "patients"}:
            found.append(Statement("arm", before.start(1), m.end(),  # type: ignore[union-attr]
                                   {"n_randomised": int(number(m["n"]))}, name))  # fmt: skip
    for m in _find(ESTIMATE, text, "estimate", start, end, low):
        vals = _estimate(m, _MEASURES[m["measure"].lower()])
        if vals:
            found.append(Statement("estimate", m.start(), m.end(), vals))
    for m in _find(EVENTS, text, "events", start, end, low):
        vals = _events(m)
        if vals and m["pct"]:  # "12/120 (10%)": a count with its share, not a date or a dose
            found.append(Statement("events", m.start(), m.end(), vals))
    for m in _find(MEAN_SD, text, "mean_sd", start, end, low):
        mean, sd = (m["mean"], m["sd"]) if m["mean"] else (m["mean2"], m["sd2"])
        found.append(Statement("mean_sd", m.start(), m.end(),
                               {"mean": number(mean), "sd": number(sd)}))  # fmt: skip
    for m in _find(MEDIAN, text, "median", start, end, low):
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
