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

# The tags of PubMed's exports as their lines start (``"AU  - "``, ``"PMID- "``): such a
# line is told by one look-up; other lines go on to the tests below.
_KNOWN_TAGS = {f"{tag:<4}- ": tag for tag in (
    "PMID", "OWN", "STAT", "DCOM", "LR", "IS", "VI", "IP", "DP", "TI", "PG", "LID", "AB", "FAU",
    "AU", "AD", "LA", "GR", "PT", "DEP", "PL", "TA", "JT", "JID", "SB", "MH", "OT", "OTO", "COIS",
    "EDAT", "MHDA", "CRDT", "PHST", "AID", "PST", "SO", "PMC", "MID", "CI", "OAB", "SI", "CN",
    "BTI", "TT", "CTI", "RN", "EIN", "CIN", "CON", "ECI", "ECF", "RIN", "ROF", "RPI", "RPF", "UIN",
    "UOF", "SPIN", "ORI", "GS", "GN", "ISBN", "ED", "FED", "CP", "AUID", "FIR", "IR", "IRAD", "EN",
    "PS", "PUBM", "PB", "SFM", "TTI",
)}  # fmt: skip


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
    last = ""  # the tag the open record's last value belongs to
    more: list[str] = []  # continuation lines of the last value, joined when it is done
    start = 0
    index = 0
    lineno = 0  # lines before ``more``
    for line in stream:
        if line[0] == " ":  # a continuation line (most lines: a wrapped abstract)
            more.append(line)
            continue
        if more:
            lineno += len(more)
            if tags is not None:
                _continue(tags[last], more)
            more = []
        lineno += 1
        tag = _KNOWN_TAGS.get(line[:6])
        if tag is not None:
            value = line[6:].strip()
        elif line[4:5] == "-" and (tag := line[:4].rstrip()).isalnum():
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
    if tags is not None:
        _continue(tags[last], more)
        yield _record(tags, index, start)
        index += 1
    if index == 0:
        raise ImportFailure(
            path, "no MEDLINE record found (no 'PMID- ' or other tag lines)", line=1
        )


def _continue(values: list[str], lines: list[str]) -> None:
    """Add the text of a value's continuation lines to it (each stripped, blank ones
    dropped, joined by spaces)."""
    if text := " ".join(filter(None, map(str.strip, lines))):
        values[-1] = f"{values[-1]} {text}" if values[-1] else text


def _record(tags: Tags, index: int, line: int) -> ParsedRecord | RecordError:
    # Each tag's first non-empty value, "" for none (one pass; most tags have one value).
    firsts = {k: v[0] or next((x for x in v if x), "") for k, v in tags.items()}
    f = firsts.get
    get = tags.get
    journal_abbrev = f("TA", "")
    authors = get("FAU") or get("AU")
    authors = clean_names(authors) if authors else []
    if "CN" in tags:
        authors += tags["CN"]
    doi = get("LID", []) + get("AID", [])
    return build_record(
        index=index,
        line=line,
        title=f("TI") or f("BTI") or f("TT") or "",
        authors=authors,
        journal=f("JT") or journal_abbrev,
        year=parse_year(f("DP") or f("DEP") or ""),
        volume=f("VI", ""),
        issue=f("IP", ""),
        pages=f("PG", ""),
        doi=_doi(doi) if doi else "",
        pmid=f("PMID", ""),
        pmcid=f("PMC", ""),
        trial_ids=get("SI"),
        abstract=_abstract(tags),
        keywords=clean_list(get("OT", []) + get("MH", []))
        if "OT" in tags or "MH" in tags
        else None,
        type=f("PT", ""),
        extra=_extra(tags, journal_abbrev),
    )


def _abstract(tags: Tags) -> str:
    parts = tags.get("AB")
    if parts and len(parts) == 1 and parts[0]:  # the common case
        return parts[0]
    parts = [v for v in parts or () if v] or [v for v in tags.get("OAB", ()) if v]
    return "\n".join(parts)


def _doi(values: list[str]) -> str:
    for value in values:
        if value.endswith("[doi]"):
            return value[:-5].strip()
    for value in values:
        if value.lower().startswith(("doi:", "10.")):
            return value
    return ""


_EXTRA_TAGS = (("LA", "language"), ("IS", "issn"), ("AD", "affiliations"), ("PL", "place"))


def _extra(tags: Tags, journal_abbrev: str) -> dict[str, str | list[str]] | None:
    extra: dict[str, str | list[str]] = {}
    if journal_abbrev:
        extra["journal_abbrev"] = journal_abbrev
    for tag, name in _EXTRA_TAGS:
        if tag in tags and (values := [v for v in tags[tag] if v]):
            extra[name] = values[0] if len(values) == 1 else values
    return extra or None


FORMAT = Format(
    name="medline",
    extensions=(".nbib", ".medline"),
    sniff=sniff,
    parse=reporting_undecodable(parse),
)
