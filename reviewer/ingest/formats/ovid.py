"""Ovid's "Citation" text export (Ovid MEDLINE, Embase, PsycINFO, Journals@Ovid).

Each record begins with its number in angle brackets (``<8>``); a field is a name on its
own line (``Title``, ``Author``, ``Source``, ``Unique Identifier`` ...) followed by its
value on lines indented by two spaces. Journal, volume, issue, pages and year come
packed in ``Source`` (``Ecohydrology.   8(6):1048-1064, September 2015.``) unless the
database also gives them as fields. A file with Ovid fields but no record numbers is
refused: without them records cannot be told apart reliably.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import find_doi
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    build_record,
    clean_list,
    clean_names,
    parse_year,
    reporting_undecodable,
    squash,
)

_MARKER = re.compile(r"^<\d+>\s*$")
_SNIFF_MARKER = re.compile(
    r"^<\d+>[ \t]*\r?\n(?:[ \t]*\r?\n)*[A-Z][A-Za-z /()-]+[ \t]*\r?\n  ", re.M
)
_SNIFF_FIELD = re.compile(
    r"^(?:Accession Number|Author|Authors|Title|Source|Abstract|Unique Identifier|"
    r"Publication Type|Author Keywords|Institution)[ \t]*\r?\n  \S",
    re.M,
)
# Journal. Volume(Issue):Pages, ... Year   or   Journal. Vol 28(2) April 2015, 103-106.
_SOURCE = re.compile(
    r"^(?P<journal>.+?)\.\s+(?:Vol\.?\s*)?(?P<volume>\d+)(?:\((?P<issue>[^)]*)\))?"
    r"(?::(?P<pages>[A-Za-z]?\d+(?:-[A-Za-z]?\d+)?))?"
)
_AFFILIATION_MARK = re.compile(r"(?:\s+(?:\d+|[*+#\u2020\u2021\u00a7]+))+$")

_TITLE = ("Title", "Article Title")
_AUTHORS = ("Author", "Authors", "Author Name", "Personal Author")
_ABSTRACT = ("Abstract",)
_KEYWORDS = (
    "Author Keywords",
    "Keywords",
    "Keyword Heading",
    "MeSH Subject Headings",
    "Subject Headings",
    "Key Phrase Identifiers",
)
_PMID_FIELDS = ("PubMed Identifier", "PMID")

Fields = dict[str, list[str]]


def sniff(head: str, path: Path) -> float:
    if _SNIFF_MARKER.search(head):
        return 0.9
    return 0.6 if len(_SNIFF_FIELD.findall(head)) >= 3 else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    fields: Fields | None = None
    name = ""
    start = 0
    index = 0
    unmarked = 0  # first line of a field seen before any record marker
    for lineno, raw in enumerate(stream, 1):
        line = raw.rstrip()
        if _MARKER.match(line):
            if fields is not None:
                yield _record(fields, index, start)
                index += 1
            fields, name, start = {}, "", lineno
        elif not line.strip():
            continue
        elif line[0] in " \t":
            if fields is not None and name:
                fields[name].append(line.strip())
        elif fields is not None:
            name = line.strip()
            fields.setdefault(name, [])
        else:
            unmarked = unmarked or lineno
    if fields is not None:
        yield _record(fields, index, start)
        index += 1
    if index == 0:
        raise ImportFailure(
            path,
            "no Ovid record found: Ovid citation exports number each record ('<1>', '<2>' ...) "
            "and this file has no such lines",
            line=unmarked or 1,
        )


def _value(fields: Fields, names: tuple[str, ...], sep: str = " ") -> str:
    for name in names:
        if lines := fields.get(name):
            return sep.join(lines).strip()
    return ""


def _authors(fields: Fields) -> list[str]:
    lines = next((fields[n] for n in _AUTHORS if fields.get(n)), [])
    names: list[str] = []
    for line in lines:
        names.extend(line.split(";") if ";" in line else [line])
    return clean_names(_AFFILIATION_MARK.sub("", n.strip()) for n in names)


def _keywords(fields: Fields) -> list[str]:
    words: list[str] = []
    for name in _KEYWORDS:
        for line in fields.get(name, ()):
            words.extend(w.strip().rstrip(".") for w in line.split(";"))
    return clean_list(words)


def _record(fields: Fields, index: int, line: int) -> ParsedRecord | RecordError:
    source = _value(fields, ("Source", "Journal Name"))
    m = _SOURCE.match(source)
    title = re.sub(r"\s*\[[A-Za-z ]+\]$", "", _value(fields, _TITLE))  # "...[Article]"
    unique = _value(fields, ("Unique Identifier",))
    database = _value(fields, ("Database", "Database Name")).lower()
    pmid = _value(fields, _PMID_FIELDS) or (
        unique if unique.isdigit() and len(unique) <= 8 and "embase" not in database else ""
    )
    doi = _value(fields, ("Digital Object Identifier", "DOI")) or find_doi(
        " ".join(fields.get("URL", []))
    )
    return build_record(
        index=index,
        line=line,
        title=squash(title),
        authors=_authors(fields),
        journal=_value(fields, ("Journal Name", "Journal Title"))
        or (m.group("journal").strip() if m else source),
        year=parse_year(
            _value(fields, ("Year of Publication", "Publication Year")) or _year_in(source)
        ),
        volume=(m.group("volume") or "") if m else _value(fields, ("Volume",)),
        issue=(m.group("issue") or "") if m else _value(fields, ("Issue", "Issue/Part")),
        pages=(m.group("pages") or "") if m else _value(fields, ("Page", "Pages")),
        doi=doi,
        pmid=pmid,
        abstract=_value(fields, _ABSTRACT, "\n"),
        keywords=_keywords(fields),
        type=_value(fields, ("Publication Type", "Document Type")),
        extra={
            k: v
            for k, v in (
                ("accession", _value(fields, ("Accession Number",))),
                ("source", source),
                ("language", _value(fields, ("Language",))),
                ("issn", _value(fields, ("ISSN",))),
            )
            if v
        },
    )


def _year_in(source: str) -> str:
    years = re.findall(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)", source)
    return years[-1] if years else ""


FORMAT = Format(name="ovid", extensions=(".ovid",), sniff=sniff, parse=reporting_undecodable(parse))
