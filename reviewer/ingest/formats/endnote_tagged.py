"""EndNote / Refer tagged text (``.enw``, ``.ref``, and ``.enl`` files that are really text).

Each line is ``%`` + one character + a space + the value (``%T`` title, ``%A`` author,
``%J`` journal, ``%D`` year ...); a blank line ends a record. Untagged lines continue the
previous field: for keywords (``%K``) each such line is another keyword. Rayyan writes
several authors on one ``%A`` line joined by ``and``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import find_doi
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    Tags,
    build_record,
    clean_list,
    clean_names,
    first_value,
    parse_year,
    reporting_undecodable,
)

_TAG_LINE = re.compile(r"^\ufeff?%([0-9A-Z@+*!#$&()\[\]^?~>=<])(?: (.*)|$)")
_SNIFF_LINE = re.compile(r"^\ufeff?%[0-9A-Z@+*!#$&()\[\]^?~>=<] \S", re.M)
_SNIFF_KEY = re.compile(r"^\ufeff?%[0TA] \S", re.M)
_AND = re.compile(r"\s+and\s+")


def sniff(head: str, path: Path) -> float:
    lines = len(_SNIFF_LINE.findall(head))
    if lines >= 3 and _SNIFF_KEY.search(head):
        return 0.9
    return 0.5 if path.suffix.lower() in {".enw", ".ref"} else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    tags: Tags | None = None
    last = ""
    start = 0
    index = 0
    for lineno, line in enumerate(stream, 1):
        m = _TAG_LINE.match(line.rstrip("\r\n"))
        if m is None:
            text = line.strip()
            if not text:
                if tags is not None:
                    yield _record(tags, index, start)
                    index += 1
                tags, last = None, ""
            elif tags is not None and last:
                _continue(tags, last, text)
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tags is None:
            tags, start = {}, lineno
        tags.setdefault(tag, []).append(value)
        last = tag
    if tags is not None:
        yield _record(tags, index, start)
        index += 1
    if index == 0:
        raise ImportFailure(
            path, "no EndNote tagged record found (no lines like '%T title')", line=1
        )


def _continue(tags: Tags, last: str, text: str) -> None:
    values = tags[last]
    if last == "K":
        values.append(text)
    else:
        values[-1] = f"{values[-1]}\n{text}" if last == "X" else f"{values[-1]} {text}".strip()


def _authors(values: list[str]) -> list[str]:
    names: list[str] = []
    for value in values:
        names.extend(_AND.split(value))
    return clean_names(names)


def _keywords(values: list[str]) -> list[str]:
    words: list[str] = []
    for value in values:
        words.extend(value.split(";"))
    return clean_list(words)


def _record(tags: Tags, index: int, line: int) -> ParsedRecord | RecordError:
    ref_type = first_value(tags, "0")
    container = first_value(tags, "J") or first_value(tags, "B")
    doi = first_value(tags, "R")
    if not doi:
        doi = next((d for v in tags.get("U", []) if (d := find_doi(v))), "")
    return build_record(
        index=index,
        line=line,
        title=first_value(tags, "T"),
        authors=_authors(tags.get("A", [])),
        journal=container,
        year=parse_year(first_value(tags, "D", "8")),
        volume=first_value(tags, "V"),
        issue=first_value(tags, "N"),
        pages=first_value(tags, "P"),
        doi=doi,
        pmid=first_value(tags, "M")
        if first_value(tags, "M").isdigit() and len(first_value(tags, "M")) <= 8
        else "",
        abstract="\n".join(v for v in tags.get("X", []) if v),
        keywords=_keywords(tags.get("K", [])),
        type=ref_type,
        url=first_value(tags, "U"),
        extra={
            k: v
            for k, v in (
                ("publisher", first_value(tags, "I")),
                ("place", first_value(tags, "C")),
                ("issn_isbn", first_value(tags, "@")),
                ("language", first_value(tags, "G")),
                ("editors", "; ".join(tags.get("E", []))),
            )
            if v
        },
    )


FORMAT = Format(
    name="endnote_tagged",
    extensions=(".enw", ".ref"),
    sniff=sniff,
    parse=reporting_undecodable(parse),
)
