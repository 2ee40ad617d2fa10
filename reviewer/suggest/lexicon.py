"""Drug and disease names, read from the lexicons shipped in ``resources/lexicon``.

Which words name a drug is data, not code. Two kinds of lexicon are merged: the
MeSH-linked vocabularies (``vocabulary_drugs.json.gz``, ``vocabulary_diseases.json.gz``,
about 77,000 drug and 36,000 disease names, rebuilt from two maintained dictionaries by
``scripts/build_vocabulary.py``) give every name its concept id (``MESH:D058666`` for
salbutamol and albuterol alike); the hand-made ``drugs.json`` and ``conditions.json``
add what a dictionary lacks (regimen abbreviations such as "VRd", trial codes,
qualifiers of a disease) and take precedence where both name a phrase. Each lexicon is turned once into a
token-level dictionary (first token → candidate phrases, longest first), so finding
every drug in an abstract is one pass over its words with a dictionary look-up per
word, whatever the size of the lexicon. Names, brands and synonyms match whatever
their case; abbreviations ("Len", "DXM") and regimen names ("VRd", "KRd") only as
printed, because "LEN" or "Rd" written otherwise are usually something else.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable, Iterable
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
    concept: str = ""  # "MESH:D058666", "DRUGBANK:DB01409"; "" where no dictionary has it
    depth: int = 0  # a disease heading's depth in the MeSH tree (1 = "Neoplasms"); 0 unknown
    category: str = ""  # the MeSH tree branches of a disease heading ("C04/C17")


@dataclass(frozen=True)
class Mention:
    """A lexicon phrase found in a text."""

    start: int
    end: int
    term: Term

    @property
    def names(self) -> tuple[str, ...]:
        return self.term.names

    @property
    def concept(self) -> str:
        return self.term.concept


class TermMatcher:
    """Finds lexicon phrases in text, longest match first, in one pass over its words."""

    def __init__(
        self,
        entries: Iterable[tuple[str, Term, bool]],
        vocabulary: Vocabulary | None = None,
        make_term: Callable[[str, list[str]], Term] | None = None,
    ):
        """``entries``: (phrase, term, case-sensitive). ``vocabulary``: a shipped
        vocabulary, whose names become a ``Term`` (by ``make_term``) only when a text
        names them, so that loading it costs no more than reading its file."""
        self._exact: dict[tuple[str, ...], Term] = {}
        self._folded: dict[tuple[str, ...], Term] = {}
        self._rows: dict[str, list[str]] = vocabulary.names if vocabulary else {}
        self._made: dict[str, Term] = {}
        self._make_term = make_term
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
        merged = dict(vocabulary.lengths) if vocabulary else {}
        for first, sizes in lengths.items():
            merged[first] = sorted(sizes | set(merged.get(first, ())), reverse=True)
        self._lengths = merged

    def find(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        tokens: list[re.Match[str]] | Words | None = None,
    ) -> list[Mention]:
        """Lexicon phrases in ``text[start:end]`` (``tokens``: its words, when the caller
        has split them already; a ``Words`` is fastest, several lexicons can share it)."""
        if tokens is None:
            tokens = words(text, start, end)
        view = tokens if isinstance(tokens, Words) else Words.of(text, tokens)
        found: list[Mention] = []
        lengths = self._lengths
        # only words that begin some name are tried (one set look-up each, in C)
        candidates = [i for i, w in enumerate(view.low) if w in lengths]
        after = 0  # the first word not inside a name found already
        for i in candidates:
            if i < after:
                continue
            size, term = self._match_at(view, i)
            if term is not None:
                found.append(
                    Mention(view.matches[i].start(), view.matches[i + size - 1].end(), term)
                )
                after = i + size
        return found

    def _match_at(self, view: Words, i: int) -> tuple[int, Term | None]:
        lengths = self._lengths.get(view.low[i])
        if not lengths:
            return 0, None
        n = len(view.low)
        for size in lengths:
            if i + size > n or (size > 1 and not all(view.joined[i : i + size - 1])):
                continue
            folded = tuple(view.low[i : i + size])
            term = (
                (self._exact.get(tuple(view.raw[i : i + size])) if self._exact else None)
                or self._folded.get(folded)
                or self._from_rows(folded)
            )
            if term is not None:
                return size, term
        return 0, None

    def _from_rows(self, folded: tuple[str, ...]) -> Term | None:
        if not self._rows:
            return None
        key = " ".join(folded)
        term = self._made.get(key)
        if term is None:
            row = self._rows.get(key)
            if row is None or self._make_term is None:
                return None
            term = self._made[key] = self._make_term(key, row)
        return term


@dataclass
class Words:
    """A text's words split once: as printed, in lower case, and whether each word is
    joined to the next as one phrase (only a space, hyphen, slash or apostrophe between)."""

    matches: list[re.Match[str]]
    raw: list[str]
    low: list[str]
    joined: list[bool]

    @classmethod
    def of(cls, text: str, matches: list[re.Match[str]]) -> Words:
        raw = [m.group() for m in matches]
        joined = [
            _JOINER.fullmatch(text, matches[k].end(), matches[k + 1].start()) is not None
            for k in range(len(matches) - 1)
        ]
        return cls(matches, raw, [w.lower() for w in raw], joined)


def words(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """The words of ``text`` as the lexicons split them."""
    return list(_TOKEN.finditer(text, start, len(text) if end is None else end))


# -- the shipped lexicons -----------------------------------------------------------------


def lexicon_dir() -> Path:
    return resources_dir() / "lexicon"


def _load(name: str) -> dict:
    return json.loads((lexicon_dir() / name).read_text(encoding="utf-8"))


VOCABULARIES = ("vocabulary_drugs.json.gz", "vocabulary_diseases.json.gz")


@dataclass(frozen=True)
class Vocabulary:
    """A shipped vocabulary: name (lower-case words, one space) → [concept id, preferred
    name, kind], and for each first word the numbers of words its names have, longest
    first. Both are read as they are stored: one ``json.loads``, no loop."""

    names: dict[str, list[str]]
    lengths: dict[str, list[int]]


def _vocabulary(name: str) -> Vocabulary | None:
    path = lexicon_dir() / name
    if not path.exists():
        return None
    data = json.loads(gzip.decompress(path.read_bytes()))
    return Vocabulary(data["names"], data["first_words"])


@lru_cache(maxsize=1)
def drug_matcher() -> TermMatcher:
    """Drugs (generic, brand, abbreviation, code), regimens and procedures. Loading takes
    a few tenths of a second, so the app first calls it on a worker thread."""
    vocabulary = _vocabulary(VOCABULARIES[0])
    known = vocabulary.names if vocabulary else {}
    data = _load("drugs.json")
    entries: list[tuple[str, Term, bool]] = []
    for d in data["drugs"]:
        names = (d["name"],)
        concept = next(
            (known[_key(n)][0] for n in [d["name"], *d.get("synonyms", [])] if _key(n) in known),
            "",
        )
        entries.append((d["name"], Term(names, d["name"], "drug", concept), False))
        entries += [(b, Term(names, b, "brand", concept), False) for b in d.get("brands", [])]
        entries += [(s, Term(names, s, "drug", concept), False) for s in d.get("synonyms", [])]
        entries += [
            (a, Term(names, a, "abbreviation", concept), True) for a in d.get("abbreviations", [])
        ]
    for r in data.get("regimens", []):
        term = Term(tuple(r["components"]), r["name"], "regimen")
        entries += [(v, term, True) for v in [r["name"], *r.get("variants", [])]]
    for p in data.get("procedures", []):
        term = Term((p["name"],), p["name"], "procedure")
        entries += [(s, term, False) for s in [p["name"], *p.get("synonyms", [])]]
        entries += [(a, term, True) for a in p.get("abbreviations", [])]
    return TermMatcher(entries, vocabulary, _drug_term)


def _drug_term(name: str, row: list[str]) -> Term:
    # a generic name stands for itself ("salbutamol" stays salbutamol, grouped with
    # albuterol by its concept); a brand stands for its generic name
    concept, preferred, kind = row
    return Term((preferred if kind == "brand" else name,), name, kind, concept)


@dataclass(frozen=True)
class ConditionLexicon:
    matcher: TermMatcher
    modifiers: re.Pattern[str]  # qualifiers printed just before a disease name


@lru_cache(maxsize=1)
def conditions() -> ConditionLexicon:
    vocabulary = _vocabulary(VOCABULARIES[1])
    known = vocabulary.names if vocabulary else {}
    data = _load("conditions.json")
    entries: list[tuple[str, Term, bool]] = []
    for c in data["conditions"]:
        names = (c["name"],)
        concept = known[_key(c["name"])][0] if _key(c["name"]) in known else ""
        entries.append((c["name"], Term(names, c["name"], "condition", concept), False))
        entries += [(s, Term(names, s, "condition", concept), False) for s in c.get("synonyms", [])]
        entries += [
            (a, Term(names, a, "abbreviation", concept), True) for a in c.get("abbreviations", [])
        ]
    mods = sorted(data.get("modifiers", []), key=len, reverse=True)
    alternation = "|".join(re.escape(m).replace(r"\ ", r"[\s-]+") for m in mods)
    # one or more qualifiers, joined by commas or "and", ending right before the name
    pattern = re.compile(
        rf"(?:(?<![\w-])(?:{alternation})(?:,?\s+(?:and|or|and/or)\s+|,\s*|[\s-]+))+$",
        re.IGNORECASE,
    )
    return ConditionLexicon(TermMatcher(entries, vocabulary, _disease_term), pattern)


def _disease_term(name: str, row: list[str]) -> Term:
    concept, preferred, kind = row
    depth, _, category = kind.partition(":")
    return Term(
        (preferred.lower(),),
        name,
        "condition",
        concept,
        int(depth or 0) if depth.isdigit() else 0,
        category,
    )


@lru_cache(maxsize=1)
def lexicon_digest() -> str:
    """A short fingerprint of the lexicons: a changed lexicon means new suggestions."""
    h = hashlib.sha256()
    for name in ("drugs.json", "conditions.json", *VOCABULARIES):
        path = lexicon_dir() / name
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:8]


def _key(name: str) -> str:
    """A name as the vocabulary files spell it: lower-case words joined by one space."""
    return " ".join(_TOKEN.findall(name.lower()))
