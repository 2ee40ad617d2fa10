"""Drug and disease names, read from the lexicons shipped in ``resources/lexicon``.

Which words name a drug is data, not code: reviewers of other diseases can extend
``drugs.json`` without touching a suggester. Each lexicon is turned once into a
token-level dictionary (first token → candidate phrases, longest first), so finding
every drug in an abstract is one pass over its words with a dictionary look-up per
word, whatever the size of the lexicon. Names, brands and synonyms match whatever
their case; abbreviations ("Len", "DXM") and regimen names ("VRd", "KRd") only as
printed, because "LEN" or "Rd" written otherwise are usually something else.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reviewer.paths import resources_dir

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# what may sit between the words of one name: a space, a hyphen, a slash, an apostrophe
_JOINER = re.compile(r"[\s\-/‐‑‒–—'’]{1,3}")


@dataclass(frozen=True)
class Term:
    """What a phrase of the lexicon stands for."""

    names: tuple[str, ...]  # canonical names (a regimen stands for several drugs)
    surface: str  # the phrase as the lexicon spells it
    kind: str  # "drug", "brand", "abbreviation", "regimen", "procedure", "condition"


@dataclass(frozen=True)
class Mention:
    """A lexicon phrase found in a text."""

    start: int
    end: int
    term: Term

    @property
    def names(self) -> tuple[str, ...]:
        return self.term.names


class TermMatcher:
    """Finds lexicon phrases in text, longest match first, in one pass over its words."""

    def __init__(self, entries: Iterable[tuple[str, Term, bool]]):
        self._exact: dict[tuple[str, ...], Term] = {}
        self._folded: dict[tuple[str, ...], Term] = {}
        lengths: dict[str, set[int]] = {}
        for surface, term, case_sensitive in entries:
            tokens = tuple(_TOKEN.findall(surface))
            if not tokens:
                continue
            if case_sensitive:
                self._exact.setdefault(tokens, term)
            else:
                tokens = tuple(t.lower() for t in tokens)
                self._folded.setdefault(tokens, term)
            lengths.setdefault(tokens[0].lower(), set()).add(len(tokens))
        self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def find(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        tokens: list[re.Match[str]] | None = None,
    ) -> list[Mention]:
        """Lexicon phrases in ``text[start:end]`` (``tokens``: its words, when the caller
        has split them already)."""
        if tokens is None:
            tokens = words(text, start, end)
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            size, term = self._match_at(text, tokens, i)
            if term is None:
                i += 1
                continue
            found.append(Mention(tokens[i].start(), tokens[i + size - 1].end(), term))
            i += size
        return found

    def _match_at(self, text: str, tokens: list[re.Match[str]], i: int) -> tuple[int, Term | None]:
        lengths = self._lengths.get(tokens[i].group().lower())
        if not lengths:
            return 0, None
        for size in lengths:
            if i + size > len(tokens) or not _joined(text, tokens, i, size):
                continue
            words = tuple(t.group() for t in tokens[i : i + size])
            term = self._exact.get(words) or self._folded.get(tuple(w.lower() for w in words))
            if term is not None:
                return size, term
        return 0, None


def words(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """The words of ``text`` as the lexicons split them."""
    return list(_TOKEN.finditer(text, start, len(text) if end is None else end))


def _joined(text: str, tokens: list[re.Match[str]], i: int, size: int) -> bool:
    """The words i..i+size-1 are written as one phrase (only joiners between them)."""
    for k in range(i, i + size - 1):
        gap = text[tokens[k].end() : tokens[k + 1].start()]
        if not _JOINER.fullmatch(gap):
            return False
    return True


# -- the shipped lexicons -----------------------------------------------------------------


def lexicon_dir() -> Path:
    return resources_dir() / "lexicon"


def _load(name: str) -> dict:
    return json.loads((lexicon_dir() / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def drug_matcher() -> TermMatcher:
    """Drugs (generic, brand, abbreviation, code), regimens and procedures."""
    data = _load("drugs.json")
    entries: list[tuple[str, Term, bool]] = []
    for d in data["drugs"]:
        names = (d["name"],)
        entries.append((d["name"], Term(names, d["name"], "drug"), False))
        entries += [(b, Term(names, b, "brand"), False) for b in d.get("brands", [])]
        entries += [(s, Term(names, s, "drug"), False) for s in d.get("synonyms", [])]
        entries += [(a, Term(names, a, "abbreviation"), True) for a in d.get("abbreviations", [])]
    for r in data.get("regimens", []):
        term = Term(tuple(r["components"]), r["name"], "regimen")
        entries += [(v, term, True) for v in [r["name"], *r.get("variants", [])]]
    for p in data.get("procedures", []):
        term = Term((p["name"],), p["name"], "procedure")
        entries += [(s, term, False) for s in [p["name"], *p.get("synonyms", [])]]
        entries += [(a, term, True) for a in p.get("abbreviations", [])]
    return TermMatcher(entries)


@dataclass(frozen=True)
class ConditionLexicon:
    matcher: TermMatcher
    modifiers: re.Pattern[str]  # qualifiers printed just before a disease name


@lru_cache(maxsize=1)
def conditions() -> ConditionLexicon:
    data = _load("conditions.json")
    entries: list[tuple[str, Term, bool]] = []
    for c in data["conditions"]:
        names = (c["name"],)
        entries.append((c["name"], Term(names, c["name"], "condition"), False))
        entries += [(s, Term(names, s, "condition"), False) for s in c.get("synonyms", [])]
        entries += [(a, Term(names, a, "abbreviation"), True) for a in c.get("abbreviations", [])]
    mods = sorted(data.get("modifiers", []), key=len, reverse=True)
    alternation = "|".join(re.escape(m).replace(r"\ ", r"[\s-]+") for m in mods)
    # one or more qualifiers, joined by commas or "and", ending right before the name
    pattern = re.compile(
        rf"(?:(?<![\w-])(?:{alternation})(?:,?\s+(?:and|or|and/or)\s+|,\s*|[\s-]+))+$",
        re.IGNORECASE,
    )
    return ConditionLexicon(TermMatcher(entries), pattern)


@lru_cache(maxsize=1)
def lexicon_digest() -> str:
    """A short fingerprint of the lexicons: a changed lexicon means new suggestions."""
    h = hashlib.sha256()
    for name in ("drugs.json", "conditions.json"):
        h.update((lexicon_dir() / name).read_bytes())
    return h.hexdigest()[:8]
