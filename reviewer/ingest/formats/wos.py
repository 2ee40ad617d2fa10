"""Web of Science "Plain text" / ISI export (``FN``/``VR`` header, ``PT`` ... ``ER``, ``EF``).

A tag is two characters and a space; further values of the same tag continue on lines
indented by three spaces (one author, address or cited reference per line). The
records of MEDLINE and Inspec searched through the Web of Science platform arrive in the
same shape, with ``UT MEDLINE:<pmid>``. A record cut off before its ``ER`` at the end of
the file is reported, and the complete ones before it still import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    Tags,
    build_record,
    clean_list,
    clean_names,
    first_value,
    join_pages,
    parse_year,
    reporting_undecodable,
)

_SNIFF_HEADER = re.compile(r"^\ufeff?FN [A-Za-z]", re.M)
_SNIFF_PT = re.compile(r"^PT [A-Z]\s*$", re.M)
_SNIFF_TAG = re.compile(r"^(?:AU|AF|TI|SO|PY|UT|DI|AB|DE|ID|VL|BP) \S", re.M)
# Tags whose continuation lines are further items (names, addresses, references).
_LIST_TAGS = frozenset(
    {"AU", "AF", "BA", "BF", "CA", "GP", "ED", "C1", "CR", "RI", "OI", "EM", "FU"}
)


def sniff(head: str, path: Path) -> float:
    if _SNIFF_HEADER.search(head) and (_SNIFF_PT.search(head) or "\nVR " in head):
        return 0.95
    if _SNIFF_PT.search(head) and len(_SNIFF_TAG.findall(head)) >= 2:
        return 0.85
    return 0.5 if path.suffix.lower() in {".isi", ".ciw"} else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    tags: Tags | None = None
    last = ""
    start = 0
    index = 0
    for lineno, line in enumerate(stream, 1):
        line = line.rstrip("\r\n").lstrip("\ufeff")
        if line.startswith(" "):  # continuation (three spaces in real exports)
            if tags is not None and last and (text := line.strip()):
                _continue(tags, last, text)
            continue
        tag, value = line[:2], line[3:].strip()
        if len(line) > 2 and line[2] != " " or not tag.isalnum():
            continue  # not a tag line: blank, or noise between records
        if tag == "PT":
            if tags is not None and len(tags) > 1:  # the previous record lost its ER
                yield _record(tags, index, start)
                index += 1
            tags, start, last = {"PT": [value]}, lineno, "PT"
        elif tag == "ER":
            if tags is not None:
                yield _record(tags, index, start)
                index += 1
            tags, last = None, ""
        elif tags is not None and tag not in {"FN", "VR", "EF"}:
            tags.setdefault(tag, []).append(value)
            last = tag
    yield from _end(path, tags, index, start)


def _end(path: Path, tags: Tags | None, index: int, start: int) -> Iterator[RecordError]:
    if tags is not None:
        yield RecordError(
            "the record has no 'ER' line: the file ends inside it, so it may be cut short; "
            "skipped (the records before it imported)",
            line=start,
            record=index + 1,
        )
    elif index == 0:
        raise ImportFailure(
            path, "no Web of Science record found (no line starts with 'PT ')", line=1
        )


def _continue(tags: Tags, last: str, text: str) -> None:
    values = tags[last]
    if last in _LIST_TAGS:
        values.append(text)
    else:
        values[-1] = f"{values[-1]} {text}" if values[-1] else text


def _names(values: list[str]) -> list[str]:
    """Authors one per line, or several on one line separated by ``;``."""
    names: list[str] = []
    for value in values:
        names.extend(value.split(";") if ";" in value else [value])
    return clean_names(names)


def _keywords(tags: Tags) -> list[str]:
    words: list[str] = []
    for key in ("DE", "ID"):
        for value in tags.get(key, ()):
            words.extend(value.split(";"))
    return clean_list(words)


def _record(tags: Tags, index: int, line: int) -> ParsedRecord | RecordError:
    accession = first_value(tags, "UT")
    pages = join_pages(first_value(tags, "BP"), first_value(tags, "EP")) or first_value(
        tags, "PS", "AR"
    )
    return build_record(
        index=index,
        line=line,
        title=first_value(tags, "TI"),
        authors=_names(tags.get("AF") or tags.get("AU") or []),
        journal=first_value(tags, "SO", "JI", "J9", "SE"),
        year=parse_year(first_value(tags, "PY", "PD", "EA")),
        volume=first_value(tags, "VL"),
        issue=first_value(tags, "IS"),
        pages=pages,
        doi=first_value(tags, "DI", "D2"),
        pmid=first_value(tags, "PM")
        or (accession[8:] if accession.upper().startswith("MEDLINE:") else ""),
        abstract="\n".join(v for v in tags.get("AB", ()) if v),
        keywords=_keywords(tags),
        type=first_value(tags, "DT", "PT"),
        extra={
            k: v
            for k, v in (
                ("accession", accession),
                ("issn", first_value(tags, "SN")),
                ("language", first_value(tags, "LA")),
                ("journal_abbrev", first_value(tags, "JI", "J9")),
            )
            if v
        },
    )


FORMAT = Format(
    name="wos", extensions=(".isi", ".ciw"), sniff=sniff, parse=reporting_undecodable(parse)
)
