"""Title, authors, journal, year, DOI and trial registration ids.

The importer has usually parsed these already; the suggester's job is then to find
where the text prints them, so a reviewer sees the words behind each value. Where
the importer found nothing (a saved web page about a study), the text's own
labels are read: "Published in: Haematologica", "Doi: 10.1200/...", a reference
line "Lonial S, Jacobus S, Fonseca R, et al. Title. Journal. 2019."
"""

from __future__ import annotations

import re

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.document import Document
from reviewer.suggest.textutil import find_loose, loose_pattern

NAME = "rules.bibliographic"

_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)
_DOI_TAIL = ".,;:)]}'’\""
# every primary registry of the WHO network that prints its own id pattern; the EU's CTIS
# number (2022-500123-12-00) follows EudraCT's, with a suffix
_REGISTRATION = re.compile(
    r"\b(?P<nct>NCT\s?\d{8})\b|\b(?:ISRCTN|ISCRTN|ISRCTN:)\s?(?P<isrctn>\d{8})\b|"
    r"\bEudra\s?CT(?:\s+(?:number|no\.?|registration))?[\s:#]*(?P<eudract>\d{4}-\d{6}-\d{2})\b|"
    r"\b(?:CTIS|EU\s?CT)(?:\s+(?:number|no\.?))?[\s:#]*(?P<ctis>\d{4}-5\d{5}-\d{2}-\d{2})\b|"
    r"\b(?P<actrn>ACTRN\s?\d{14})\b|\b(?P<chictr>ChiCTR[-A-Za-z0-9]{8,20})\b|"
    r"\b(?P<umin>UMIN\s?\d{9})\b|\b(?P<drks>DRKS\s?\d{8})\b|\b(?P<ctri>CTRI/\d{4}/\d{2,3}/\d{6})\b|"
    r"\b(?P<jrct>jRCT[a-z]?\d{10})\b|\b(?P<jprn>JPRN-[A-Za-z]+-?\d{6,12})\b|"
    r"\b(?P<ntr>NTR\s?\d{3,5})\b|\b(?P<nl>NL-?OMON\d{4,6}|NL\d{4,5})\b|"
    r"\b(?P<irct>IRCT\d{8,14}N\d{1,3})\b|\b(?P<pactr>PACTR\d{15,16})\b|"
    r"\b(?P<kct>KCT\d{7})\b|\b(?P<slctr>SLCTR/\d{4}/\d{3})\b|\b(?P<tctr>TCTR\d{11})\b|"
    r"\b(?P<rbr>RBR-\d?[a-z0-9]{6,8})\b|\b(?P<lbctr>LBCTR\d{10})\b"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DATE = re.compile(
    rf"\b{_MONTH}\s+(?:\d{{1,2}},?\s+)?(?P<year>{_YEAR})\b|\b\d{{1,2}}\s+{_MONTH},?\s+(?P<year2>{_YEAR})\b"
)
_PUBLISHED = re.compile(
    rf"\b(?:Published|Publication date|Date|Published online|First published)\b[^\n\d]{{0,12}}"
    rf"(?:\n\s*)?(?:[^\n]{{0,20}}?)\b(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)
_JOURNAL_LABEL = re.compile(
    r"\b(?:Published in|Published by|Journal|Source)\s*:\s*(?:\n\s*)?(?P<j>[A-Z][^;\n]{2,80}?)\s*(?:;|\n|$)"
)
_PUBLISHED_IN = re.compile(
    r"\bpublished (?:online )?in\s+(?P<j>(?:the\s+|The\s+)?[A-Z][\w&'’-]*(?:\s+(?:of|in|and|&|for|the|[A-Z][\w&'’-]*))*)"
)
_VANCOUVER = re.compile(
    r"^(?P<authors>(?:[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?\s[A-Z]{1,3},\s+)+"
    r"[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?\s[A-Z]{1,3})(?:,\s+et al)?\.\s+\S",
    re.MULTILINE,
)
_YEAR_AFTER_JOURNAL = re.compile(rf"[.,;]?\s*(?:{_MONTH}\s+)?({_YEAR})\b")
_SENTENCE_LIKE_TITLE = re.compile(r"^(?:This|These|We|In this|Our|The aim)\b")


def suggest(doc: Document) -> list[Suggestion]:
    out: list[Suggestion] = []
    for fn in (_title, _authors, _journal, _year, _doi):
        s = fn(doc)
        if s is not None:
            out.append(s)
    out += _registrations(doc)
    return out


# -- title --------------------------------------------------------------------------------


def _title(doc: Document) -> Suggestion | None:
    span = doc.title_span
    if span is None:
        return None
    printed = " ".join(doc.text[span[0] : span[1]].split())
    if _SENTENCE_LIKE_TITLE.match(printed) and len(printed.split()) > 12:
        return None  # a first sentence standing in for a missing title
    value = (doc.meta.title or printed).strip().rstrip(".").strip()
    value = " ".join(value.split())
    confidence = 0.95 if doc.meta.title else 0.7
    return make(doc, "title", value, span[0], span[1], confidence, NAME)


# -- authors -----------------------------------------------------------------------------------


def _authors(doc: Document) -> Suggestion | None:
    if doc.meta.authors:
        return _known_authors(doc, doc.meta.authors)
    m = _VANCOUVER.search(doc.text)
    if m is None or _VANCOUVER.search(doc.text, m.end()):
        return None  # none, or a reference list whose first entry is not this article
    names = [a.strip() for a in m.group("authors").split(",")]
    return make(doc, "authors", names, m.start("authors"), m.end("authors"), 0.6, NAME)


def _known_authors(doc: Document, authors: list[str]) -> Suggestion | None:
    first = find_loose(doc.text, _surname(authors[0]), 0, min(len(doc.text), 6000), lower=doc.lower)
    if first is None:
        return None
    last = find_loose(
        doc.text, authors[-1], first[0], min(len(doc.text), first[0] + 4000), lower=doc.lower
    )
    end = last[1] if last else first[1]
    if last is None:
        whole = find_loose(doc.text, authors[0], first[0], first[0] + 200, lower=doc.lower)
        end = whole[1] if whole else end
    return make(doc, "authors", list(authors), first[0], end, 0.95, NAME)


def _surname(author: str) -> str:
    return author.split(",")[0].strip() if "," in author else author.split()[0]


# -- journal -----------------------------------------------------------------------------------


def _journal(doc: Document) -> Suggestion | None:
    if doc.meta.journal:
        span = _journal_span(doc)
        if span:
            return make(doc, "journal", doc.meta.journal.rstrip("."), span[0], span[1], 0.9, NAME)
        return None
    for pattern, confidence in ((_JOURNAL_LABEL, 0.7), (_PUBLISHED_IN, 0.6)):
        m = pattern.search(doc.text)
        if m:
            value = re.sub(r"^(?:the|The)\s+", "", m.group("j").strip().rstrip(". "))
            if len(value.split()) <= 12:
                return make(doc, "journal", value, m.start("j"), m.end("j"), confidence, NAME)
    return None


def _journal_span(doc: Document) -> tuple[int, int] | None:
    """The journal as printed: under the title if it is there, else anywhere."""
    after_title = doc.title_span[1] if doc.title_span else 0
    journal = doc.meta.journal
    return find_loose(doc.text, journal, after_title, lower=doc.lower) or find_loose(
        doc.text, journal, lower=doc.lower
    )


# -- year ----------------------------------------------------------------------------------------


def _year(doc: Document) -> Suggestion | None:
    year = doc.meta.year
    if year is not None:
        span = _year_span(doc, str(year))
        if span:
            return make(doc, "year", year, span[0], span[1], 0.9, NAME)
        return None
    found = _printed_year(doc)
    if found is None:
        return None
    value, start, end, confidence = found
    return make(doc, "year", value, start, end, confidence, NAME)


def _year_span(doc: Document, year: str) -> tuple[int, int] | None:
    """Where the publication year is printed: after the journal, in a date, or anywhere."""
    journal = _journal_span(doc) if doc.meta.journal else None
    if journal:
        m = re.compile(rf"\b{year}\b").search(doc.text, journal[1], journal[1] + 40)
        if m:
            return m.start(), m.end()
    for m in _DATE.finditer(doc.text):
        if (m.group("year") or m.group("year2")) == year:
            return m.start(), m.end()
    m = re.compile(rf"\b{year}\b").search(doc.text)
    return (m.start(), m.end()) if m else None


def _printed_year(doc: Document) -> tuple[int, int, int, float] | None:
    m = _PUBLISHED.search(doc.text)
    if m:
        return int(m.group("year")), m.start("year"), m.end("year"), 0.7
    journal = doc.meta.journal or (_journal(doc).value if _journal(doc) else "")
    journal = re.sub(r"^(?:the)\s+", "", journal, flags=re.IGNORECASE)
    pattern = loose_pattern(journal) if journal else None
    for m in pattern.finditer(doc.text) if pattern else ():
        after = _YEAR_AFTER_JOURNAL.match(doc.text, m.end())
        if after:
            return int(after.group(1)), after.start(1), after.end(1), 0.7
    m = _DATE.search(doc.text, 0, min(len(doc.text), 400))
    if m:
        return int(m.group("year") or m.group("year2")), m.start(), m.end(), 0.6
    return None


# -- DOI and registrations ---------------------------------------------------------------------------


def _doi(doc: Document) -> Suggestion | None:
    wanted = doc.meta.doi.lower()
    wanted = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", wanted)
    for m in _DOI.finditer(doc.text):
        value = m.group().rstrip(_DOI_TAIL).lower()
        if wanted and value != wanted:
            continue
        confidence = 0.95 if wanted else 0.85
        return make(doc, "doi", value, m.start(), m.start() + len(value), confidence, NAME)
    return None


def _registrations(doc: Document) -> list[Suggestion]:
    out: list[Suggestion] = []
    seen: set[str] = set()
    for m in _REGISTRATION.finditer(doc.text, 0, doc.body_end):
        kind = m.lastgroup or ""
        value = re.sub(r"\s+", "", m.group(kind))
        if kind == "eudract":
            value = f"EudraCT {value}"
        elif kind == "ctis":
            value = f"EU CT {value}"
        elif kind == "isrctn":
            value = f"ISRCTN{value}"  # also where it is misprinted "ISCRTN"
        if value.upper() in seen:
            continue
        seen.add(value.upper())
        out.append(make(doc, "registration_ids", [value], m.start(), m.end(), 0.95, NAME))
    return out
