"""RIS, as PubMed, Embase/Ovid, Scopus, Web of Science, EndNote, Zotero, Mendeley, Rayyan,
Covidence and Citavi write it.

Every database bends the format a little: Ovid puts a record number (``1.``) before each
``TY``, Rayyan and Embase continue keyword and address fields on untagged lines, some
tools write ``KW - x`` or a tab instead of two spaces, leave tags empty, date a record
``2024///``, or glue a BOM to the first ``TY``. The parser reads line by line (files of
100,000 records stream through it in a couple of seconds) and keeps the line each record
starts on. A record that never reaches its ``ER`` line at the end of the file is reported
with its number and line, and the complete records before it still import.

rispy (a well-kept RIS library) supplies the names of the tags we keep as extras; its
parser is not used for the reading itself because it neither streams records nor tells
where a record starts or that one was cut short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rispy import TAG_KEY_MAPPING

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import find_doi, normalise_pmcid, normalise_pmid
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    Tags,
    build_record,
    clean_list,
    first_value,
    join_pages,
    parse_year,
    reporting_undecodable,
)

# A tag line in any dialect: "AU  - x", "KW - x", "ID \t- x", "ER  -", a BOM before "TY".
_TAG_LINE = re.compile(r"\ufeff?([A-Z][A-Z0-9])[ \t]*-(?:[ \t]+|$)(.*)")
_SNIFF_TY = re.compile(r"^\ufeff?TY[ \t]{1,2}-(?:[ \t]|$)", re.M)
_SNIFF_TAG = re.compile(r"^[A-Z][A-Z0-9]  - ", re.M)
_SNIFF_ER = re.compile(r"^ER[ \t]{1,2}-", re.M)

# Tags whose untagged continuation lines are further items, not more of the same text.
_LIST_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4", "KW", "UR", "L1", "L2", "L3", "L4", "SN"})
# Text tags whose continuation lines keep their line breaks (paragraphs, addresses).
_BLOCK_TAGS = frozenset({"AB", "N2", "N1", "AD", "M1"})

_TITLE_TAGS = ("TI", "T1", "CT", "BT", "ST")
_JOURNAL_TAGS = ("JF", "T2", "JO", "JA", "J2", "J1")
_YEAR_TAGS = ("PY", "Y1", "DA")
_DOI_FALLBACK_TAGS = ("M3", "L3", "N1", "UR", "L2", "AN", "ID", "M1", "U1", "U2", "C3", "C7")
_USED = frozenset(
    {"TY", "ER", "AU", "A1", "AB", "N2", "KW", "VL", "VO", "IS", "CP", "SP", "EP", "DO", "DI", "UR"}
    | set(_TITLE_TAGS)
    | set(_JOURNAL_TAGS)
    | set(_YEAR_TAGS)
)
_PMID_IN_TEXT = re.compile(r"(?:PMID|PUBMED)\s*:?\s*(\d{1,9})|(\d{1,9})\s*\[pmid\]", re.I)
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})")
_OTHER_DATABASES = ("embase", "psyc", "cinahl", "scopus", "web of science", "eric", "proquest")


def sniff(head: str, path: Path) -> float:
    if _SNIFF_TY.search(head):
        return 0.95
    if len(_SNIFF_TAG.findall(head)) >= 3 and _SNIFF_ER.search(head):
        return 0.7
    return 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    """Records of a RIS file, streamed; see the module docstring for the dialects."""
    tags: Tags | None = None  # the open record
    last = ""  # the tag an untagged line continues
    start = 0  # line the open record starts on
    index = 0  # records seen (0-based number of the next one)
    stray = 0  # first line of tags found outside any record
    complained = False  # a RecordError was yielded
    lineno = 0
    for lineno, line in enumerate(stream, 1):
        tag = line[:2]
        if line[2:5] == "  -" and tag.isalnum():
            value = line[5:].strip()
        else:
            m = _TAG_LINE.match(line)
            if m is None:
                if tags is not None and last:
                    _continue(tags, last, line.strip())
                continue
            tag, value = m.group(1), m.group(2).strip()
        if tag == "ER":
            if tags is not None:
                yield _record(tags, index, start)
                index += 1
                tags, last = None, ""
            elif stray:
                yield _stray_error(stray, lineno, index)
                stray, complained = 0, True
            continue
        if tag == "TY":
            if tags is not None and len(tags) > 1:
                # the previous record lost its ER line; the new TY shows where it ended
                yield _record(tags, index, start)
                index += 1
                tags = None
            if tags is None:
                tags, start, stray = {}, lineno, 0
            tags["TY"] = [value]
            last = "TY"
            continue
        if tags is None:
            stray = stray or lineno
            continue
        bucket = tags.get(tag)
        if bucket is None:
            tags[tag] = [value]
        else:
            bucket.append(value)
        last = tag
    yield from _end_of_file(path, tags, index, start, stray, complained)


def _end_of_file(
    path: Path, tags: Tags | None, index: int, start: int, stray: int, complained: bool
) -> Iterator[RecordError]:
    """A record still open at the end was cut short; tags after the last ER are ignored."""
    if tags is not None:
        yield RecordError(
            "the record has no 'ER  -' line: the file ends inside it, so it may be cut "
            "short; skipped (the records before it imported)",
            line=start,
            record=index + 1,
        )
    elif index == 0 and not complained:
        if stray:
            raise ImportFailure(
                path, "RIS tags but no record: no line starts with 'TY  - '", line=stray
            )
        raise ImportFailure(path, "no RIS record found (no line starts with 'TY  - ')", line=1)


def _stray_error(first: int, last: int, index: int) -> RecordError:
    return RecordError(
        f"lines {first}-{last} hold RIS tags outside any record (no 'TY  - ' line starts "
        "them); skipped",
        line=first,
        record=index + 1,
    )


def _continue(tags: Tags, last: str, text: str) -> None:
    """An untagged line: another item of a list tag, or more text of the last tag."""
    if not text:
        return
    values = tags[last]
    if last in _LIST_TAGS:
        values.append(text)
    elif values[-1]:
        values[-1] += ("\n" if last in _BLOCK_TAGS else " ") + text
    else:
        values[-1] = text


def _firsts(tags: Tags) -> dict[str, str]:
    """Each tag's first non-empty value (the one a single-valued field takes)."""
    out: dict[str, str] = {}
    for key, values in tags.items():
        value = values[0] or next((v for v in values if v), "")
        if value:
            out[key] = value
    return out


def _record(tags: Tags, index: int, line: int) -> ParsedRecord | RecordError:
    f = _firsts(tags).get
    authors = tags.get("AU", [])
    if "A1" in tags:
        authors = authors + tags["A1"]
    url = f("UR", "")
    others = [key for key in tags if key not in _USED]  # tags without a field of their own
    return build_record(
        index=index,
        line=line,
        title=f("TI") or f("T1") or f("CT") or f("BT") or f("ST") or "",
        authors=[a.strip() for a in authors if a.strip()],
        journal=f("JF") or f("T2") or f("JO") or f("JA") or f("J2") or f("J1") or "",
        year=parse_year(f("PY") or f("Y1") or f("DA")),
        volume=f("VL") or f("VO") or "",
        issue=f("IS") or f("CP") or "",
        pages=join_pages(f("SP", ""), f("EP", "")),
        doi=f("DO") or f("DI") or (_doi_elsewhere(tags) if others else ""),
        pmid=_pmid(tags, others) if others else "",
        pmcid=_pmcid(tags) if others else "",
        abstract=f("AB") or f("N2") or "",
        keywords=clean_list(tags["KW"]) if "KW" in tags else None,
        type=f("TY", ""),
        url=url.split(";")[0].split()[0] if url.strip(" ;") else "",
        extra=_extra(tags, others) if others else None,
    )


def _doi_elsewhere(tags: Tags) -> str:
    for key in _DOI_FALLBACK_TAGS:
        for value in tags.get(key, ()):
            if doi := find_doi(value):
                return doi
    return ""


def _pmid(tags: Tags, others: list[str]) -> str:
    """PMIDs travel in many tags: ``U1 - 123[pmid]``, ``C3 - PUBMED 123``, ``AN`` of a
    PubMed record, Embase's ``C5``, or a PubMed URL."""
    for key in others:
        for value in tags[key]:
            if ("PMID" in value or "pmid" in value or "PUBMED" in value) and (
                m := _PMID_IN_TEXT.search(value)
            ):
                return normalise_pmid(m.group(1) or m.group(2))
            if "pubmed" in value and (m := _PUBMED_URL.search(value)):
                return m.group(1)
    database = " ".join(tags.get("DB", []) + tags.get("DP", [])).lower()
    an = first_value(tags, "AN").strip()
    if an.isdigit() and len(an) <= 8 and not any(d in database for d in _OTHER_DATABASES):
        return an
    c5 = first_value(tags, "C5").strip()
    if "embase" in database and c5.isdigit() and len(c5) <= 8:
        return c5
    return ""


def _pmcid(tags: Tags) -> str:
    for key in ("C2", "AN", "U2", "N1", "L2", "UR", "M2"):
        for value in tags.get(key, ()):
            if "pmc" in value.lower() and (pmcid := normalise_pmcid(value)):
                return pmcid
    return ""


def _extra(tags: Tags, others: list[str]) -> dict[str, str | list[str]]:
    """Tags we have no field for, under rispy's names (``publisher``, ``issn`` ...)."""
    extra: dict[str, str | list[str]] = {}
    for key in others:
        kept = [v for v in tags[key] if v]
        if kept:
            name = TAG_KEY_MAPPING.get(key, key)
            extra[name] = kept[0] if len(kept) == 1 else kept
    return extra


FORMAT = Format(name="ris", extensions=(".ris",), sniff=sniff, parse=reporting_undecodable(parse))
