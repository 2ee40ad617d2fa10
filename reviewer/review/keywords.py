"""Keyword highlighting: the review's inclusion and exclusion terms, found in a text.

Screeners read hundreds of abstracts; terms that suggest inclusion ("random*",
"placebo") shown in green and exclusion ("rat", "in vitro") in red make the
decision faster. Terms are kept per review (an event when they change) and
compiled here into one regular expression per kind; the UI only colours the spans.

Matching: whole words, case-insensitive; ``*`` stands for any run of letters or
digits (``random*`` matches "randomised", ``*mab`` "rituximab"); the words of a
term may be separated by any whitespace, line breaks included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.review.settings import KEYWORD_TERMS, get_setting, set_setting
from reviewer.store import Store

KINDS = ("include", "exclude")

Compiled = list[tuple[re.Pattern[str], str]]


@dataclass(frozen=True)
class KeywordSpan:
    start: int
    end: int
    kind: str  # include or exclude


def clean_terms(terms: list[str]) -> list[str]:
    """Terms trimmed, blanks and repeats dropped; a term must have a letter or digit."""
    out: list[str] = []
    for term in terms:
        t = " ".join(term.split())
        if not t:
            continue
        if not re.search(r"\w", t):
            raise ValueError(f"the term {term!r} would match everything or nothing")
        if t.casefold() not in {o.casefold() for o in out}:
            out.append(t)
    return out


def term_pattern(term: str) -> str:
    """The regular expression for one term (see the module docstring for the rules)."""
    words = []
    for word in term.split():
        words.append(r"\w*".join(re.escape(part) for part in word.split("*")))
    body = r"\s+".join(words)
    if re.match(r"[\w*]", term):
        body = r"(?<!\w)" + body
    if re.search(r"[\w*]$", term):
        body += r"(?!\w)"
    return body


def compile_terms(include: list[str], exclude: list[str]) -> Compiled:
    """One case-insensitive pattern per kind that has terms: ``[(regex, kind)]``."""
    compiled: Compiled = []
    for kind, terms in zip(KINDS, (include, exclude), strict=True):
        terms = clean_terms(terms)
        if terms:
            # Longer terms first, so "randomised controlled" wins over "randomised".
            alternatives = sorted(terms, key=len, reverse=True)
            pattern = "|".join(f"(?:{term_pattern(t)})" for t in alternatives)
            compiled.append((re.compile(pattern, re.IGNORECASE), kind))
    return compiled


def find_spans(text: str, compiled: Compiled) -> list[KeywordSpan]:
    """Where the terms occur in ``text``, in order and not overlapping: of overlapping
    matches the one that starts first is kept (the longer, if they start together)."""
    found = [
        KeywordSpan(m.start(), m.end(), kind)
        for pattern, kind in compiled
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    spans: list[KeywordSpan] = []
    for s in found:
        if not spans or s.start >= spans[-1].end:
            spans.append(s)
    return spans


def keyword_terms(store: Store) -> dict[str, list[str]]:
    """The review's terms: ``{"include": [...], "exclude": [...]}``."""
    terms = get_setting(store, KEYWORD_TERMS)
    return {kind: list(terms.get(kind, [])) for kind in KINDS}


def set_keyword_terms(
    store: Store, include: list[str], exclude: list[str], reviewer: str
) -> dict[str, list[str]]:
    terms = {"include": clean_terms(include), "exclude": clean_terms(exclude)}
    set_setting(store, KEYWORD_TERMS, terms, reviewer)
    return terms


def compiled_terms(store: Store) -> Compiled:
    terms = keyword_terms(store)
    return compile_terms(terms["include"], terms["exclude"])


def highlight(store: Store, text: str) -> list[KeywordSpan]:
    """The spans of the review's terms in ``text`` (compile once with
    ``compiled_terms`` when highlighting many texts)."""
    return find_spans(text, compiled_terms(store))
