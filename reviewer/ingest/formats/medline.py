"""PubMed's MEDLINE format (Send to > Citation manager, ``.nbib``, or "PubMed" format ``.txt``).

Each line is a tag padded to four characters, ``- `` and a value; long values continue on
lines indented by six spaces, and a blank line ends a record. Older and hand-made files
bend this (``PMID-123`` without a space, ``TI  -x``, a PMC display that starts with
``PMC -`` instead of ``PMID-``), so a tag is recognised by shape, not by column, and a
record is whatever lies between blank lines (or before the next ``PMID``).

The reader streams line by line; 100,000 records parse in a couple of seconds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    build_record,
    clean_list,
    clean_names,
    parse_year,
    reporting_undecodable,
)

_TAG_LINE = re.compile(r"\ufeff?([A-Z][A-Z0-9]{1,3}) *- ?(.*)")
_SNIFF_PMID = re.compile(r"^\ufeff?PMID- ?\d", re.M)
_SNIFF_TAG = re.compile(
    r"^(?:PMC|PMCR|OWN|STAT|FAU|DP|TI|AB|AU|TA|JT|LID|AID|PT|MH|DCOM|LR|VI|IP|PG|SO|PST|"
    r"EDAT|CRDT|DEP|PHST|OT|SI)\s*- ",
    re.M,
)
_SNIFF_RIS = re.compile(r"^\ufeff?TY  -", re.M)
_SNIFF_LOOSE_TAG = re.compile(r"^[A-Z]{2,4} ?-", re.M)
# Values spread over several lines or tags that are joined with a line break, not a space.
_BLOCK_TAGS = frozenset({"AB", "OAB", "AD", "CI"})

Tags = dict[str, list[str]]


def sniff(head: str, path: Path) -> float:
    if _SNIFF_PMID.search(head):
        return 0.95
    if _SNIFF_RIS.search(head):
        return 0.0
    if len(_SNIFF_TAG.findall(head)) >= 3:
        return 0.75
    if ("PMID" in head or "PMC" in head) and _SNIFF_LOOSE_TAG.search(head):
        return 0.5  # a damaged MEDLINE file: claimed so that the report says what is wrong
    return 0.5 if path.suffix.lower() == ".nbib" else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    """Records of a MEDLINE file, streamed."""
    tags: Tags | None = None
    last = ""
    more: list[str] = []  # continuation lines of the last value, joined when it is done
    start = 0
    index = 0
    for lineno, line in enumerate(stream, 1):
        if line[0] == " ":  # a continuation line (six spaces in real exports)
            if tags is not None and last and (text := line.strip()):
                more.append(text)
            continue
        if more:
            _continue(tags, last, more)
            more = []
        tag = line[:4].rstrip()
        if line[4:5] == "-" and tag.isalnum():
            value = line[5:].strip()
        elif line.isspace():
            if tags is not None:
                yield _record(tags, index, start)
                index += 1
                tags, last = None, ""
            continue
        else:
            m = _TAG_LINE.match(line)
            if m is None:
                continue  # neither tag nor continuation: noise (kept out of any field)
            tag, value = m.group(1), m.group(2).strip()
        if tags is None:
            tags, start = {}, lineno
        elif tag == "PMID" and "PMID" in tags:  # records not separated by a blank line
            yield _record(tags, index, start)
            index += 1
            tags, start = {}, lineno
        bucket = tags.get(tag)
        if bucket is None:
            tags[tag] = [value]
        else:
            bucket.append(value)
        last = tag
    if more:
        _continue(tags, last, more)
    if tags is not None:
        yield _record(tags, index, start)
        index += 1
    if index == 0:
        raise ImportFailure(
            path, "no MEDLINE record found (no 'PMID- ' or other tag lines)", line=1
        )


def _continue(tags: Tags | None, last: str, more: list[str]) -> None:
    """Append wrapped lines to the value they continue."""
    if tags is not None:
        values = tags[last]
        values[-1] = " ".join([values[-1], *more] if values[-1] else more).strip()


def _record(tags: Tags, index: int, line: int) -> ParsedRecord | RecordError:
    get = tags.get
    f = _first
    journal_abbrev = f(get("TA"))
    return build_record(
        index=index,
        line=line,
        title=f(get("TI")) or f(get("BTI")) or f(get("TT")),
        authors=clean_names(get("FAU") or get("AU") or []) + get("CN", []),
        journal=f(get("JT")) or journal_abbrev,
        year=parse_year(f(get("DP")) or f(get("DEP"))),
        volume=f(get("VI")),
        issue=f(get("IP")),
        pages=f(get("PG")),
        doi=_doi(get("LID", []) + get("AID", [])),
        pmid=f(get("PMID")),
        pmcid=f(get("PMC")),
        trial_ids=get("SI"),
        abstract=_abstract(tags),
        keywords=clean_list(get("OT", []) + get("MH", []))
        if "OT" in tags or "MH" in tags
        else None,
        type=f(get("PT")),
        extra=_extra(tags, journal_abbrev),
    )


def _first(values: list[str] | None) -> str:
    """The first non-empty value of a tag (``""`` if it has none)."""
    if not values:
        return ""
    return values[0] or next((v for v in values if v), "")


def _abstract(tags: Tags) -> str:
    parts = [v for v in tags.get("AB", ()) if v]
    if not parts:
        parts = [v for v in tags.get("OAB", ()) if v]
    return "\n".join(parts)


def _doi(values: list[str]) -> str:
    for value in values:
        if value.endswith("[doi]"):
            return value[:-5].strip()
    for value in values:
        if value.lower().startswith(("doi:", "10.")):
            return value
    return ""


def _extra(tags: Tags, journal_abbrev: str) -> dict[str, str | list[str]] | None:
    extra: dict[str, str | list[str]] = {}
    if journal_abbrev:
        extra["journal_abbrev"] = journal_abbrev
    for tag, name in (("LA", "language"), ("IS", "issn"), ("AD", "affiliations"), ("PL", "place")):
        if values := [v for v in tags.get(tag, ()) if v]:
            extra[name] = values[0] if len(values) == 1 else values
    return extra or None


FORMAT = Format(
    name="medline",
    extensions=(".nbib", ".medline"),
    sniff=sniff,
    parse=reporting_undecodable(parse),
)
