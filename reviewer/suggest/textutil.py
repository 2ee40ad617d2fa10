"""Reading numbers, durations and sentences out of abstract text.

Every field suggester needs the same few skills: split a record into sentences
without breaking at "et al." or "vs.", read "1,024", "3·1" or "Five hundred and
eighteen" as numbers, turn "3.2 years" into months, and find a phrase in the text
however its spaces and hyphens were printed. They live here, precompiled once,
so each suggester stays a handful of patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# -- case-insensitive matching, fast --------------------------------------------------


# typographic hyphens and dashes read as "-", so one pattern serves every typesetting
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})


def lower_text(text: str) -> str:
    """``text`` in lower case with plain hyphens, character for character, so offsets stay
    valid (the few characters whose lower case is longer are left as they are)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.translate(_DASHES)


@lru_cache(maxsize=256)
def ci(pattern: str) -> re.Pattern[str]:
    """A pattern for matching in ``lower_text``: the same as ``re.IGNORECASE`` on the
    original, but many times faster, because the regex engine can use its literal and
    character-set shortcuts again."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif pattern.startswith("(?P", i):
            out.append("(?P")
            i += 3
        else:
            out.append(pattern[i].lower())
            i += 1
    return re.compile("".join(out))


# -- numbers -----------------------------------------------------------------------

# digits with thousands separators, decimals with a point or the Lancet's middle dot
NUM = r"(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:[.·]\d+)?|[.·]\d+)"

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
# "Five hundred and eighteen", "three hundred thirty-one", "twenty-two"
NUMBER_WORDS = rf"(?:(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*)"
COUNT = rf"(?:{NUM}|{NUMBER_WORDS})"


def parse_number(s: str) -> float | None:
    """``"1,024"`` → 1024.0, ``"3·1"`` → 3.1, ``".001"`` → 0.001; ``None`` if not a number."""
    s = s.strip().replace(",", "").replace("·", ".")
    try:
        return float(s)
    except ValueError:
        return None


def parse_words(s: str) -> int | None:
    """``"Five hundred and eighteen"`` → 518; ``None`` when the words are not a number."""
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", s.lower()):
        if word == "and" or not word:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_count(s: str) -> int | None:
    """A whole number written in digits or words."""
    value = parse_number(s)
    if value is None:
        words = parse_words(s)
        return words
    return int(value) if value.is_integer() else None


# -- durations ---------------------------------------------------------------------

DURATION_UNIT = r"(?:months?|mos?\.?|mo\b|years?|yrs?\.?|y\b|weeks?|wks?\.?|days?|d\b)"
_PER_MONTH = {"m": 1.0, "y": 12.0, "w": 12.0 / 52.1775, "d": 12.0 / 365.25}


def to_months(value: float, unit: str) -> float:
    """A duration in months, rounded to 0.1 (weeks, years and days converted)."""
    factor = _PER_MONTH.get(unit.strip().lower()[:1], 1.0)
    return round(value * factor, 1)


# -- finding phrases -------------------------------------------------------------------

_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def loose_pattern(phrase: str) -> re.Pattern[str] | None:
    """A pattern that finds ``phrase`` whatever spaces, hyphens or punctuation sit
    between its words (titles are re-wrapped and re-punctuated by exporters)."""
    words = _WORDS.findall(phrase)
    if not words:
        return None
    body = r"[\W_]{0,4}".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


_GAP = re.compile(r"[\W_]{0,4}")


def find_loose(
    text: str, phrase: str, start: int = 0, end: int | None = None, lower: str | None = None
) -> tuple[int, int] | None:
    """Where ``phrase`` is printed (its words in order, any case, with up to four spaces,
    hyphens or punctuation between them), with a closing bracket the phrase ends with.
    Word by word rather than by a compiled pattern: titles and names differ per record,
    and compiling a pattern for each would cost more than the search. ``lower`` is
    ``lower_text(text)`` when the caller has it already."""
    words = [w.lower() for w in _WORDS.findall(phrase)]
    if not words:
        return None
    end = len(text) if end is None else end
    low = lower if lower is not None else lower_text(text)
    pos = start
    while True:
        first = low.find(words[0], pos, end)
        if first < 0:
            return None
        stop = _words_from(low, words, first, end)
        if stop is not None:
            if phrase.rstrip().endswith(")") and text[stop : stop + 1] == ")":
                stop += 1
            return first, stop
        pos = first + 1


def _words_from(low: str, words: list[str], at: int, end: int) -> int | None:
    """The end of ``words`` printed from ``at`` on, whole words only; else ``None``."""
    if at > 0 and low[at - 1].isalnum():
        return None
    pos = at
    for i, word in enumerate(words):
        if i:
            pos = _GAP.match(low, pos, end).end()
        if not low.startswith(word, pos) or pos + len(word) > end:
            return None
        pos += len(word)
    if pos < len(low) and low[pos].isalnum():
        return None
    return pos


def clause_end(text: str, pos: int, limit: int, longest: int = 200) -> int:
    """Where the clause running through ``pos`` ends: the next comma, semicolon or full
    stop outside brackets, the end of the sentence, or ``longest`` characters on."""
    depth = 0
    limit = min(limit, pos + longest)
    for i in range(pos, limit):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and c in ",;." and (i + 1 >= len(text) or text[i + 1].isspace()):
            return i
    return limit


# -- sentences ------------------------------------------------------------------------

_ABBREVIATIONS = {
    "al", "vs", "e.g", "i.e", "eg", "ie", "dr", "fig", "figs", "no", "nos", "approx", "ca",
    "cf", "jr", "sr", "st", "mr", "mrs", "ms", "prof", "inc", "ltd", "co", "corp", "vol",
    "ref", "refs", "resp", "u.s", "e.u", "etc", "min", "max", "mg", "kg", "ml", "dl", "yr",
    "yrs", "mo", "mos", "wk", "wks", "sd", "n", "p",
}  # fmt: skip
_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
SECTION_LABEL = re.compile(
    r"(?P<label>[A-Z][A-Z &/\-]{2,40}|Background|Methods?|Results?|Conclusions?|Objectives?|"
    r"Aims?|Purpose|Introduction|Findings|Interpretation|Funding|Design|Setting|Participants|"
    r"Interventions|Outcomes?|Discussion|Context|Importance|Rationale|Areas covered|"
    r"Expert opinion|Materials? and methods|Patients and methods)\s*:\s+"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a record's text, by offsets, with the abstract section it sits in."""

    start: int
    end: int
    section: str = ""


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[Sentence]:
    """Sentences between ``start`` and ``end``: lines are always breaks; within a line a
    full stop followed by a capital is, unless it closes an abbreviation."""
    end = len(text) if end is None else end
    section = ""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        for s, e in _split_line(text, pos, line_end):
            label = SECTION_LABEL.match(text, s, e)
            if label:
                section = _section_name(label.group("label"))
            yield Sentence(s, e, section)
        pos = line_end + 1


# identifiers under a title that look like a section label ("DOI: 10.1186/...") but
# begin none: the abstract after them is not a "DOI" section
_NOT_SECTIONS = frozenset({"DOI", "PMID", "PMCID", "URL", "ISSN", "ISBN"})


def _section_name(label: str) -> str:
    name = label.strip().upper()
    if name in _NOT_SECTIONS:
        return ""
    if name.startswith(("MATERIAL", "PATIENTS AND")):
        return "METHODS"
    return name


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    s = start
    for m in _END.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, max(s, m.start() - 12), m.start())
        if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if before and len(before.group(1)) == 1 and before.group(1).isupper():
            continue  # an initial: "Chari A. Vogl DT"
        yield from _trimmed(text, s, m.start() + 1)
        s = m.end()
    yield from _trimmed(text, s, end)


def _trimmed(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        yield s, e
