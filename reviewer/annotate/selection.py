"""From selected text to a field's value, with the selection kept as its provenance.

A reviewer selects "182 patients" or "a median of 18.6 months" in the document
and picks a field; what the field stores is the typed value (182, 18.6) and the
selection is kept as the span that supports it, so every number in the review
can be traced back to the words it came from. Parsing is forgiving about how
papers write numbers (thousands separators, percentages, ranges, durations in
other units, British spelling, synonyms of choices) and says plainly when the
selection holds nothing the field can take.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz, process

from reviewer.annotate.spans import selection_span
from reviewer.domain import FieldSpec, FieldType, FieldValue, Span
from reviewer.domain.events import EventKind
from reviewer.store import Store

# -- numbers ---------------------------------------------------------------------

# Thousands are grouped by commas or thin/no-break spaces, never by a plain space
# ("in 2 123 patients" is too ambiguous). A minus counts only where it cannot be
# the dash of a range ("18-24").
_NUMBER = re.compile(
    r"(?<![\w.])(?P<sign>[-\u2212])?"
    r"(?P<int>\d{1,3}(?:[,\u2009\u202f\u00a0]\d{3})+(?!\d)|\d+)"
    r"(?P<frac>\.\d+)?"
)
_PERCENT = re.compile(r"\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_RANGE_END = r"(?:\s*(?:-|\u2013|\u2014|to)\s*\d+(?:\.\d+)?)?"
_TIME_UNIT = re.compile(
    _RANGE_END + r"[\s-]*(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?)\b",
    re.IGNORECASE,
)
_DAYS_PER = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_UNIT_ALIASES = {"wk": "week", "wks": "week", "mo": "month", "mos": "month", "yr": "year"}

_SMALL = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_NUMBER = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[\s-](?P<unit>" + "|".join(_SMALL[1:10]) + r"))?"
    r"|(?P<small>" + "|".join(_SMALL) + r"))\b",
    re.IGNORECASE,
)


def _time_unit(name: str) -> str | None:
    """'months' -> 'month'; None when the name is no unit of time."""
    name = name.lower().rstrip("s") or name.lower()
    name = _UNIT_ALIASES.get(name, name)
    return name if name in _DAYS_PER else None


class _Found:
    """One number in the selection, with what follows it."""

    def __init__(self, value: float, percent: bool, unit: str | None):
        self.value = value
        self.percent = percent
        self.unit = unit


def _numbers(text: str) -> list[_Found]:
    found = []
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"[,\u2009\u202f\u00a0]", "", m["int"]) + (m["frac"] or "")
        value = float(digits) * (-1 if m["sign"] else 1)
        rest = text[m.end() :]
        unit_match = _TIME_UNIT.match(rest)
        unit = _time_unit(unit_match["unit"]) if unit_match else None
        found.append(_Found(value, bool(_PERCENT.match(rest)), unit))
    if not found:
        found.extend(_Found(v, False, None) for v in _word_numbers(text))
    return found


def _word_numbers(text: str) -> list[float]:
    out = []
    for m in _WORD_NUMBER.finditer(text):
        if m["small"]:
            out.append(float(_SMALL.index(m["small"].lower())))
        else:
            tens = (_TENS.index(m["tens"].lower()) + 2) * 10
            out.append(float(tens + (_SMALL.index(m["unit"].lower()) if m["unit"] else 0)))
    return out


def _pick(found: list[_Found], spec: FieldSpec) -> _Found:
    """The number the field most likely means: a percentage for a % field, a duration
    for a field in months, otherwise the first that is not a percentage."""
    unit = _time_unit(spec.unit) if spec.unit else None
    if spec.unit.strip() == "%":
        preferred = [f for f in found if f.percent]
    elif unit:
        preferred = [f for f in found if f.unit]
    else:
        preferred = [f for f in found if not f.percent]
    return (preferred or found)[0]


def _convert(found: _Found, spec: FieldSpec) -> float:
    target = _time_unit(spec.unit) if spec.unit else None
    if not (target and found.unit) or target == found.unit:
        return found.value
    return round(found.value * _DAYS_PER[found.unit] / _DAYS_PER[target], 2)


def _parse_number(spec: FieldSpec, text: str, *, integer: bool) -> float | int:
    found = _numbers(text)
    if not found:
        raise ValueError(f"no number in “{_clip(text)}”")
    value = _convert(_pick(found, spec), spec)
    if not integer:
        return float(value)
    if not float(value).is_integer():
        raise ValueError(f"a whole number is needed, and “{_clip(text)}” gives {value:g}")
    return int(value)


# -- yes / no ----------------------------------------------------------------------

_YES = {"yes", "y", "true", "present", "reported", "positive"}
_NO = {"no", "n", "false", "none", "absent", "not reported", "negative", "not"}


def _parse_bool(text: str) -> bool:
    words = _normal(text)
    for answer, vocabulary in ((True, _YES), (False, _NO)):
        if words in vocabulary or any(words.startswith(w + " ") for w in vocabulary):
            return answer
    raise ValueError(f"“{_clip(text)}” reads as neither yes nor no")


# -- choices -------------------------------------------------------------------------

# Phrases papers use for the choices of the default template; a field whose choices
# include one of these keys recognises them as well as the choice's own name.
SYNONYMS: dict[str, list[str]] = {
    "randomized_controlled_trial": [
        "rct", "randomized trial", "randomized clinical trial", "randomized study",
        "randomized controlled study", "randomized phase", "randomly assigned",
    ],
    "non_randomized_trial": [
        "non randomized", "nonrandomized", "nonrandomized trial", "single arm",
        "single arm trial", "uncontrolled trial",
    ],
    "cohort": ["cohort study", "prospective cohort", "retrospective cohort", "registry"],
    "case_report": ["case report", "we report a case", "we describe a patient"],
    "case_series": ["case series"],
    "systematic_review": ["systematic review", "meta analysis", "metaanalysis"],
    "narrative_review": ["review", "narrative review", "literature review"],
    "economic_evaluation": [
        "cost effectiveness", "cost utility", "economic evaluation", "budget impact",
    ],
    "preclinical": ["in vitro", "in vivo", "mouse", "murine", "xenograft", "cell line"],
}  # fmt: skip

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_NEGATIONS = {"non", "not", "no"}
_FUZZY_CHOICE = 85


def _normal(text: str) -> str:
    """Lower case, words only, American spelling, singular: so 'Randomised Controlled
    Trials' and 'randomized_controlled_trial' compare equal."""
    text = re.sub(r"[^0-9a-z]+", " ", text.lower())
    text = re.sub(r"\b(\w{3,})is(e|ed|es|ing|ation|ations)\b", r"\1iz\2", text)
    return " ".join(_singular(_ROMAN.get(w, w)) for w in text.split())


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "is", "us")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _phrases(spec: FieldSpec) -> dict[str, str]:
    """Every phrase that names a choice, mapped to the choice."""
    out: dict[str, str] = {}
    for choice in spec.choices:
        for phrase in [choice, *SYNONYMS.get(choice, [])]:
            out.setdefault(_normal(phrase), choice)
    return out


def _mentioned(phrase: str, words: list[str]) -> int | None:
    """Where ``phrase`` occurs in ``words`` as whole words and not negated ('non-randomised')."""
    target = phrase.split()
    n = len(target)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == target and (i == 0 or words[i - 1] not in _NEGATIONS):
            return i
    return None


def _parse_choice(spec: FieldSpec, text: str) -> str:
    if not spec.choices:
        return _clean(text)
    phrases = _phrases(spec)
    normal = _normal(text)
    if normal in phrases:
        return phrases[normal]
    words = normal.split()
    hits = [
        (len(p), -pos, c) for p, c in phrases.items() if (pos := _mentioned(p, words)) is not None
    ]
    if hits:
        return max(hits)[2]
    best = process.extractOne(normal, list(phrases), scorer=fuzz.ratio, score_cutoff=_FUZZY_CHOICE)
    if best:
        return phrases[best[0]]
    raise ValueError(f"“{_clip(text)}” matches none of: {', '.join(spec.choices)}")


# -- lists ---------------------------------------------------------------------------

_SEPARATOR = re.compile(
    r";|\n|,(?!\d{3}(?!\d))|\band\b|\bvs\b\.?|\bversus\b", re.IGNORECASE
)  # a comma before three digits groups thousands (1,234) and separates nothing


def split_items(text: str) -> list[str]:
    """Split on ; , 'and', 'vs', outside parentheses ('0.62 (95% CI, 0.48-0.80)' is one)."""
    depth = _depths(text)
    parts, start = [], 0
    for m in _SEPARATOR.finditer(text):
        if depth[m.start()] == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [item for p in parts if (item := _clean(p))]


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        out.append(depth)
        if ch in ")]":
            depth = max(0, depth - 1)
    return out


def _parse_list(spec: FieldSpec, text: str) -> list[Any]:
    items = split_items(text)
    if spec.item_type != "number":
        if not items:
            raise ValueError("the selection holds no items")
        return items
    numbers = [_parse_number(spec, item, integer=False) for item in items if _numbers(item)]
    if not numbers:
        raise ValueError(f"no number in “{_clip(text)}”")
    return numbers


# -- parsing ---------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" .,:;")


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def parse_selection(spec: FieldSpec, text: str) -> Any:
    """The value of field ``spec`` that ``text`` states, or ``ValueError`` saying why none.

    "182 patients" -> 182; "18.6 months" -> 18.6; "2 years" -> 24.0 for a field in
    months; "Randomised controlled trial" -> "randomized_controlled_trial"; "45% and
    30%" -> [45.0, 30.0] for a list of numbers.
    """
    if not text.strip():
        raise ValueError("the selection is empty")
    if spec.type is FieldType.INTEGER:
        return _parse_number(spec, text, integer=True)
    if spec.type is FieldType.NUMBER:
        return _parse_number(spec, text, integer=False)
    if spec.type is FieldType.BOOL:
        return _parse_bool(text)
    if spec.type is FieldType.CHOICE:
        return _parse_choice(spec, text)
    if spec.type is FieldType.LIST:
        return _parse_list(spec, text)
    return _clean(text)


# -- storing ---------------------------------------------------------------------------


def set_from_selection(
    store: Store,
    record_id: int,
    field: str,
    start: int,
    end: int,
    reviewer: str,
    append: bool = False,
) -> FieldValue | None:
    """Set ``field`` from the text at ``start:end`` and keep that text as its provenance.

    A list field gains the selection's items and its span. Any other field takes
    the parsed value with this span as its only provenance, unless ``append``: then
    the span is added as further support for the value already there (and a
    selection stating a different number or choice is refused, not mixed in). A
    ``quote_only`` field (a judgement) only ever gains the words as support.
    """
    spec = store.template().field(field)
    span = selection_span(store, record_id, start, end)
    current = store.values(record_id).get(field)
    if spec.quote_only:
        if current is None:
            raise ValueError(
                f"choose {spec.label} first: the selected words then become its support"
            )
        return _with_span(store, current, current.value, span, reviewer)
    parsed = parse_selection(spec, span.quote)
    if current is None:
        return store.set_value(record_id, field, parsed, reviewer, provenance=[span])
    if spec.type is FieldType.LIST:
        return _append_items(store, current, spec, parsed, span, reviewer)
    if not append:
        return store.set_value(record_id, field, parsed, reviewer, provenance=[span])
    if spec.type is not FieldType.TEXT and parsed != current.value:
        raise ValueError(
            f"the selection says {parsed!r} but {spec.label} holds {current.value!r}; "
            "set the field instead of adding support"
        )
    return _with_span(store, current, current.value, span, reviewer)


def _append_items(
    store: Store, current: FieldValue, spec: FieldSpec, items: list[Any], span: Span, reviewer: str
) -> FieldValue | None:
    if any((s.start, s.end) == (span.start, span.end) for s in current.provenance):
        return current  # the same words selected twice add nothing
    values = list(current.value)
    for item in items:
        # names repeat through a paper ('lenalidomide' in every section); numbers per arm may not
        if spec.item_type == "number" or item.casefold() not in {str(v).casefold() for v in values}:
            values.append(item)
    return _with_span(store, current, values, span, reviewer)


def _with_span(
    store: Store, current: FieldValue, value: Any, span: Span, reviewer: str
) -> FieldValue | None:
    return store.set_value(
        current.record_id,
        current.field,
        value,
        reviewer,
        provenance=[*current.provenance, span],
        kind=EventKind.VALUE_SPAN_ADD,
    )


def remove_span(
    store: Store, record_id: int, field: str, span_index: int, reviewer: str
) -> FieldValue | None:
    """Drop one span from a value's provenance; the value itself stays as it is."""
    current = store.values(record_id).get(field)
    if current is None:
        raise KeyError(f"record {record_id} has no value for {field}")
    if not 0 <= span_index < len(current.provenance):
        raise IndexError(f"{field} has {len(current.provenance)} spans, not #{span_index}")
    spans = [s for i, s in enumerate(current.provenance) if i != span_index]
    return store.set_value(
        record_id,
        field,
        current.value,
        reviewer,
        provenance=spans,
        kind=EventKind.VALUE_SPAN_REMOVE,
    )
