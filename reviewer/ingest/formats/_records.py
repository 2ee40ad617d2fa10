"""What every citation parser does once it has a record's fields: tidy, normalise, build.

The RIS, MEDLINE, XML, CSV ... parsers differ only in how they find a record's fields.
From there the work is the same, and done here once: text in NFC, authors as a list of
names, the year as an int, identifiers normalised, the readable ``text`` composed, and
a ``ParsedRecord`` built. It runs once per record of a 100,000-record import, so it is
kept lean (ASCII text skips normalisation, which is most of it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import canonical_ids
from reviewer.ingest.base import ParseResult, RecordError, compose_text

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)")
_SPACES = re.compile(r"\s+")


Tags = dict[str, list[str]]  # a tagged record (RIS, WoS, EndNote): tag -> its values


def first_value(tags: Tags, *keys: str) -> str:
    """The first non-empty value of the first of ``keys`` that has one."""
    for key in keys:
        for value in tags.get(key, ()):
            if value:
                return value
    return ""


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (ASCII, the common case, is returned as it is)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def parse_year(value: str | int | None) -> int | None:
    """The publication year in ``2024///``, ``2001/09/01/``, ``Spring 1990``, ``Start date: 20170812``."""
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    v = value.strip()
    if len(v) >= 4 and v[:4].isdigit() and (len(v) == 4 or not v[4].isdigit()):
        year = int(v[:4])
        return year if 1500 <= year <= 2100 else None
    m = _YEAR.search(v)
    return int(m.group(1)) if m else None


def join_pages(start: str, end: str) -> str:
    """``SP``/``EP`` style page fields as one ``start-end`` string."""
    start, end = start.strip(), end.strip()
    if not end or "-" in start or end == start:
        return start
    return f"{start}-{end}" if start else end


def clean_list(values: Iterable[str]) -> list[str]:
    """Stripped, non-empty, first-seen-order unique values (keywords, ids)."""
    return list(dict.fromkeys(v for value in values if (v := value.strip().strip(";").strip())))


def clean_names(values: Iterable[str]) -> list[str]:
    """Stripped, non-empty author names, in order; repeats kept (two authors may share one)."""
    return [v for value in values if (v := value.strip().strip(";").strip())]


def squash(text: str) -> str:
    """Whitespace runs (line breaks from wrapped fields) as single spaces."""
    return _SPACES.sub(" ", text).strip()


def _nfc_values(extra: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in extra.items():
        if isinstance(value, str):
            out[key] = nfc(value)
        elif isinstance(value, list):
            out[key] = [nfc(v) if isinstance(v, str) else v for v in value]
        else:
            out[key] = value
    return out


def build_record(
    *,
    index: int,
    line: int | None,
    title: str = "",
    authors: list[str] | None = None,
    journal: str = "",
    year: int | None = None,
    volume: str = "",
    issue: str = "",
    pages: str = "",
    doi: str = "",
    pmid: str = "",
    pmcid: str = "",
    trial_ids: list[str] | None = None,
    abstract: str = "",
    keywords: list[str] | None = None,
    type: str = "",
    url: str = "",
    extra: dict[str, Any] | None = None,
) -> ParsedRecord | RecordError:
    """A normalised ``ParsedRecord``, or a ``RecordError`` when the record holds nothing."""
    title, journal, abstract = nfc(title.strip()), nfc(journal.strip()), nfc(abstract.strip())
    if authors:
        authors = [a if a.isascii() else unicodedata.normalize("NFC", a) for a in authors]
    else:
        authors = []
    doi, pmid, pmcid, trial_ids = canonical_ids(doi, pmid, pmcid, trial_ids or [], title, abstract)
    if not (title or abstract or authors or journal or doi or pmid or pmcid):
        return RecordError(
            "the record is empty (no title, authors, journal, abstract or identifier); skipped",
            line=line,
            record=index + 1,
        )
    rec = _record_of({
        "title": title,
        "authors": authors,
        "journal": journal,
        "year": year,
        "volume": nfc(volume.strip()),
        "issue": nfc(issue.strip()),
        "pages": nfc(pages.strip()),
        "doi": doi,
        "pmid": pmid,
        "pmcid": pmcid,
        "trial_ids": trial_ids,
        "abstract": abstract,
        "keywords": [k if k.isascii() else unicodedata.normalize("NFC", k) for k in keywords]
        if keywords
        else [],
        "type": type.strip(),
        "url": url.strip(),
        "text": "",
        "source_index": index,
        "source_start": None,
        "source_end": None,
        "source_line": line,
        "page_offsets": [],
        "extra": _nfc_values(extra) if extra else {},
    })  # fmt: skip
    rec.text = compose_text(rec)
    return rec


# The fields ``build_record`` sets, as pydantic records them for ``ParsedRecord(...)``
# given those (``model_dump(exclude_unset=True)`` tells them from defaults).
_SET_BY_BUILD = frozenset(ParsedRecord.model_fields) - {
    "text", "source_start", "source_end", "page_offsets"
}  # fmt: skip
_new, _set = object.__new__, object.__setattr__


def _record_of(values: dict[str, Any]) -> ParsedRecord:
    """``ParsedRecord(**values)`` for ``build_record``'s values, one for every field.

    They are nearly always of the declared types already (the strings, lists and dict
    it made, an int year): then the model is made without pydantic's validation, as
    ``model_construct`` makes it (which is slower than validating). A value of another
    type (a year given as a string) goes through validation as before.
    """
    year, line = values["year"], values["source_line"]
    if (
        (year is None or type(year) is int)
        and (line is None or type(line) is int)
        and type(values["source_index"]) is int
        and _all_str(values["authors"], values["keywords"], values["extra"])
    ):
        rec = _new(ParsedRecord)
        _set(rec, "__dict__", values)
        _set(rec, "__pydantic_fields_set__", set(_SET_BY_BUILD))
        _set(rec, "__pydantic_extra__", None)
        _set(rec, "__pydantic_private__", None)
        return rec
    return ParsedRecord(**{k: v for k, v in values.items() if k in _SET_BY_BUILD})


def _all_str(*collections: Iterable[Any]) -> bool:
    """Are the items of each (a dict's keys) all strings? (``str.join`` refuses anything
    else, and is quicker than testing each item's type.)"""
    try:
        for items in collections:
            "".join(items)
    except TypeError:
        return False
    return True


def reporting_undecodable(
    parse: Callable[[TextIO, Path], ParseResult],
) -> Callable[[TextIO, Path], ParseResult]:
    """``parse``, also reporting records that hold characters the decoder had to replace.

    Files are decoded leniently (a stray byte must not cost the whole import), so a
    mis-encoded file shows up as U+FFFD in its records. Such a record is kept and a
    problem naming it is reported next to it, so the reviewer knows to check the file.
    """

    def parse_checked(stream: TextIO, path: Path) -> ParseResult:
        for item in parse(stream, path):
            yield item
            if isinstance(item, ParsedRecord) and "\ufffd" in item.text:
                count = item.text.count("\ufffd")
                yield RecordError(
                    f"{count} character(s) show as \ufffd, lost to a wrong or mixed encoding "
                    "in this file (the record was imported; check the export)",
                    line=item.source_line,
                    record=item.source_index + 1,
                )

    parse_checked.__doc__ = parse.__doc__
    return parse_checked
