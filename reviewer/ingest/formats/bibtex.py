"""BibTeX and BibLaTeX (``.bib``), parsed by bibtexparser 2 with LaTeX accents decoded.

bibtexparser parses a whole string, so the file is fed to it in slices that end where
an ``@entry`` line begins; ``@string`` macros defined in earlier slices stay visible to
later ones. An entry bibtexparser cannot parse is reported with its line, and the
others import. Entries repeating a citation key (common in merged libraries) are
separate records, not errors.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    NormalizeFieldKeys,
    SeparateCoAuthors,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock, String

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    build_record,
    clean_list,
    clean_names,
    parse_year,
    reporting_undecodable,
    squash,
)

_ENTRY_START = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]")
_SNIFF = re.compile(
    r"^\ufeff?\s*@\s*(?:article|book|inproceedings|incollection|misc|phdthesis|"
    r"mastersthesis|techreport|inbook|conference|proceedings|online|report|"
    r"thesis|unpublished|manual|booklet|string|preamble|comment)\s*[{(]",
    re.I | re.M,
)
_SLICE_CHARS = 1 << 18  # parse about 256 KB at a time

# bibtexparser logs every failed block itself; we report them in the import report.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def sniff(head: str, path: Path) -> float:
    if _SNIFF.search(head):
        return 0.9
    return 0.5 if path.suffix.lower() in {".bib", ".bibtex", ".biblatex"} else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    library = Library()  # holds the @string macros seen so far, nothing else
    index = 0
    failures = 0
    for text, first_line in _slices(stream):
        before = set(map(id, library.blocks))
        _parse_into(library, text)
        new = [b for b in library.blocks if id(b) not in before]
        library.remove([b for b in new if not isinstance(b, String)])
        for block in new:
            line = first_line + (block.start_line or 0)
            entry = _entry_of(block, library)
            if entry is not None:
                yield _record(entry, index, line, library)
                index += 1
            elif isinstance(block, ParsingFailedBlock) and not _repeated_string(block):
                failures += 1
                index += 1
                yield RecordError(_failure_message(block), line=line, record=index)
    if index == 0 and not failures:
        raise ImportFailure(path, "no BibTeX entry found (no line like '@article{key,')", line=1)


def _parse_into(library: Library, text: str) -> None:
    bibtexparser.parse_string(
        text,
        append_middleware=[NormalizeFieldKeys(), LatexDecodingMiddleware(), SeparateCoAuthors()],
        library=library,
    )


def _entry_of(block: object, library: Library) -> Entry | None:
    """The entry a block holds; an entry repeating an earlier key is parsed on its own
    (bibtexparser hands it over unprocessed), as it is a record all the same."""
    if isinstance(block, Entry):
        return block
    if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
        alone = Library(list(library.strings))
        _parse_into(alone, block.ignore_error_block.raw)
        return alone.entries[0] if alone.entries else None
    return None


def _repeated_string(block: ParsingFailedBlock) -> bool:
    """A macro defined twice: the first definition stands, nothing to report."""
    return isinstance(block, DuplicateBlockKeyBlock) and isinstance(
        block.ignore_error_block, String
    )


def _failure_message(block: ParsingFailedBlock) -> str:
    lines = str(block.error or "").strip().splitlines()
    reason = lines[0] if lines else "unbalanced braces or quotes, or a missing comma"
    return f"the BibTeX entry cannot be read ({reason}); skipped"


def _slices(stream: TextIO) -> Iterator[tuple[str, int]]:
    """Pieces of the file of about ``_SLICE_CHARS``, each ending before an ``@`` line."""
    lines: list[str] = []
    size = 0
    first = 1
    for lineno, line in enumerate(stream, 1):
        if size >= _SLICE_CHARS and _ENTRY_START.match(line):
            yield "".join(lines), first
            lines, size, first = [], 0, lineno
        lines.append(line)
        size += len(line)
    if lines:
        yield "".join(lines), first


def _fields(entry: Entry) -> dict[str, object]:
    return {field.key.lower(): field.value for field in entry.fields}


def _text(value: object) -> str:
    if isinstance(value, list):
        return " and ".join(str(v) for v in value)
    return squash(str(value)) if value is not None else ""


def _concatenated(value: str, strings: dict[str, str]) -> str:
    """``jean # " " # cesar``: bibtexparser leaves ``#`` concatenation to the caller."""
    parts = [p.strip() for p in value.split("#")]
    out = []
    for part in parts:
        if len(part) >= 2 and part[0] + part[-1] in ('""', "{}"):
            out.append(part[1:-1])
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.isdigit():
            out.append(part)
        else:
            return value  # not a concatenation after all (a '#' in plain text)
    return "".join(out)


def _record(entry: Entry, index: int, line: int, library: Library) -> ParsedRecord | RecordError:
    f = _fields(entry)
    if any("#" in str(v) for v in f.values()):
        strings = {k.lower(): str(s.value) for k, s in library.strings_dict.items()}
        f = {
            k: [_concatenated(str(x), strings) for x in v]
            if isinstance(v, list)
            else _concatenated(str(v), strings)
            if "#" in str(v)
            else v
            for k, v in f.items()
        }

    def get(*keys: str) -> str:
        return next((_text(f[k]) for k in keys if k in f and _text(f[k])), "")

    authors = f.get("author") or f.get("editor") or []
    keywords = get("keywords", "keyword", "mesh")
    return build_record(
        index=index,
        line=line,
        title=get("title"),
        authors=clean_names(_text(a) for a in authors)
        if isinstance(authors, list)
        else [_text(authors)],
        journal=get("journal", "journaltitle", "booktitle", "series"),
        year=parse_year(get("year", "date")),
        volume=get("volume"),
        issue=get("number", "issue"),
        pages=get("pages").replace("--", "-").replace("\u2013", "-"),
        doi=get("doi"),
        pmid=get("pmid"),
        pmcid=get("pmcid"),
        abstract=get("abstract"),
        keywords=clean_list(re.split(r"[;,]", keywords)) if keywords else None,
        type=entry.entry_type.lower(),
        url=get("url"),
        extra={
            k: v
            for k, v in (
                ("key", entry.key),
                ("issn", get("issn")),
                ("isbn", get("isbn")),
                ("language", get("language")),
                ("note", get("note")),
            )
            if v
        },
    )


FORMAT = Format(
    name="bibtex", extensions=(".bib", ".bibtex"), sniff=sniff, parse=reporting_undecodable(parse)
)
