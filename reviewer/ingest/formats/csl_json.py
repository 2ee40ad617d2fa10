"""Reference lists as JSON: CSL-JSON (Zotero, Mendeley, citation.js, Crossref) and RefLib.

Both are an array of objects, one per reference. CSL-JSON names authors as
``{"family", "given"}`` objects and dates as ``{"date-parts": [[2020, 5]]}``; RefLib (the
SR-Accelerator library) uses plain strings. The array is read one object at a time, so
a large export never sits in memory whole. JSON that is not such a list (a settings
file, test fixtures) is refused with a clear message rather than read as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    build_record,
    clean_list,
    clean_names,
    parse_year,
    reporting_undecodable,
)

_CHUNK = 1 << 16
_REFERENCE_KEYS = {
    "title",
    "author",
    "authors",
    "DOI",
    "doi",
    "container-title",
    "journal",
    "issued",
    "abstract",
    "PMID",
    "pmid",
}
_SNIFF_OBJECT = re.compile(r'^\ufeff?\s*\[\s*\{\s*"', re.S)


class _Broken(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


def sniff(head: str, path: Path) -> float:
    if _SNIFF_OBJECT.match(head) and any(f'"{k}"' in head for k in _REFERENCE_KEYS):
        return 0.9
    stripped = head.lstrip("\ufeff \t\r\n")
    if path.suffix.lower() == ".json" or (stripped[:1] in "[{" and stripped.rstrip()[-1:] in "]},"):
        return 0.4 if stripped[:1] in "[{" else 0.0
    return 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    index = 0
    try:
        for item, line in _array_items(stream):
            if not isinstance(item, dict):
                raise _Broken("the JSON array holds something other than references", line)
            yield _record(item, index, line)
            index += 1
    except _Broken as exc:
        if index == 0:
            raise ImportFailure(path, exc.message, line=exc.line) from None
        yield RecordError(f"{exc.message}; the rest of the file was not read", exc.line, index + 1)
        return
    if index == 0:
        raise ImportFailure(path, "the JSON list of references is empty", line=1)


class _ArrayReader:
    """A text buffer over the stream that remembers how many lines it has let go of."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.buf = stream.read(_CHUNK).lstrip("\ufeff")
        self.pos = 0
        self.lines_before = 0  # newlines in text already dropped from the buffer
        self.eof = False

    def line(self, pos: int | None = None) -> int:
        return 1 + self.lines_before + self.buf.count("\n", 0, self.pos if pos is None else pos)

    def more(self) -> bool:
        """Drop consumed text and read on; False at the end of the file."""
        chunk = self.stream.read(_CHUNK)
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.buf, self.pos = self.buf[self.pos :] + chunk, 0
        self.eof = not chunk
        return bool(chunk)

    def next_char(self) -> str:
        """The next character that is not white space (``""`` at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]


def _array_items(stream: TextIO) -> Iterator[tuple[Any, int]]:
    """The elements of a top-level JSON array, decoded one by one as the file is read."""
    decoder = json.JSONDecoder()
    reader = _ArrayReader(stream)
    if reader.next_char() != "[":
        raise _Broken(
            "this JSON is not a list of references (CSL-JSON or RefLib): it does not start "
            "with '['",
            reader.line(),
        )
    reader.pos += 1
    while True:
        char = reader.next_char()
        if char == "]":
            return
        if char == ",":
            reader.pos += 1
            continue
        if not char:
            raise _Broken("the JSON ends before its list is closed", reader.line())
        while True:
            try:
                item, end = decoder.raw_decode(reader.buf, reader.pos)
                break
            except json.JSONDecodeError as exc:
                if reader.eof or not reader.more():
                    raise _Broken(f"the JSON is broken ({exc.msg})", reader.line(exc.pos)) from None
        yield item, reader.line()
        reader.pos = end


def _authors(item: dict[str, Any]) -> list[str]:
    raw = item.get("author", item.get("authors", []))
    names: list[str] = []
    for person in raw if isinstance(raw, list) else [raw]:
        if isinstance(person, dict):
            family, given = str(person.get("family", "")), str(person.get("given", ""))
            name = (
                f"{family}, {given}"
                if family and given
                else family or str(person.get("literal", ""))
            )
            names.append(name)
        elif person:
            names.append(str(person))
    return clean_names(names)


def _year(item: dict[str, Any]) -> int | None:
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parse_year(str(parts[0][0]))
        return parse_year(str(issued.get("raw", issued.get("literal", ""))))
    return parse_year(_text(item.get("year")) or _text(item.get("date")))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _keywords(item: dict[str, Any]) -> list[str]:
    words = item.get("keywords", item.get("keyword", []))
    if isinstance(words, str):
        words = re.split(r"[;,]", words)
    return clean_list(_text(w) for w in words) if isinstance(words, list) else []


def _record(item: dict[str, Any], index: int, line: int) -> ParsedRecord | RecordError:
    def get(*keys: str) -> str:
        return next((t for k in keys if (t := _text(item.get(k)))), "")

    custom = " ".join(_text(item.get(k)) for k in ("custom2", "PMCID", "pmcid"))
    urls = item.get("urls") or item.get("URL") or item.get("url") or ""
    return build_record(
        index=index,
        line=line,
        title=get("title"),
        authors=_authors(item),
        journal=get("container-title", "journal", "journal-title", "publicationTitle"),
        year=_year(item),
        volume=get("volume"),
        issue=get("issue", "number"),
        pages=get("page", "pages"),
        doi=get("DOI", "doi"),
        pmid=get("PMID", "pmid"),
        pmcid=custom if "PMC" in custom.upper() else "",
        abstract=get("abstract"),
        keywords=_keywords(item),
        type=get("type"),
        url=(urls[0] if isinstance(urls, list) and urls else _text(urls)),
        extra={
            k: v
            for k, v in (
                ("id", get("id", "recNumber")),
                ("isbn", get("ISBN", "isbn", "ISSN")),
                ("language", get("language")),
            )
            if v
        },
    )


FORMAT = Format(name="json", extensions=(".json",), sniff=sniff, parse=reporting_undecodable(parse))
