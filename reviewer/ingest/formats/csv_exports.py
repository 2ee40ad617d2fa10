"""Spreadsheet exports: CSV, TSV and semicolon files from screening tools and databases.

Rayyan, Covidence, ASReview, Abstrackr, Zotero, Scopus, Embase, PubMed, Lens, OpenAlex,
Web of Science, Ovid, CINAHL, Cochrane and others each name their columns differently
(``Title``, ``Article Title``, ``Document Title``, ``TI`` ...); the table below knows
those names. The delimiter is detected, lines before the header row (Embase's search
query) are skipped, and quoted cells may span lines. A file whose header is not
recognised is refused with ``UnknownColumns``, which lists its columns so that the
person importing it can map them; ``parse_with_map`` takes that mapping (the command
line's ``--map`` and the import dialog's column-mapping step both call it).
"""

from __future__ import annotations

import ast
import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError, UnknownColumns
from reviewer.ingest.formats._records import (
    build_record,
    clean_list,
    clean_names,
    join_pages,
    parse_year,
    reporting_undecodable,
)
from reviewer.ingest.formats.csv_columns import COLUMNS, EXPORTERS

csv.field_size_limit(min(sys.maxsize, 1 << 30))  # Scopus puts whole reference lists in a cell

FIELDS = tuple(COLUMNS)  # the names ``parse_with_map`` accepts
_CORE = ("title", "abstract", "doi", "pmid")
_MULTI = re.compile(r"^(.*?)/(\d+)$")  # CINAHL's artinfo/aug/au/0, /1 ... one cell per author
# ="0123" keeps leading zeros in Excel: one string literal (quotes doubled inside), and
# nothing else: ="a"&"b" is a formula, kept as the text it is
_EXCEL_TEXT = re.compile(r'^="((?:[^"]|"")*)"$', re.S)
_SOURCE_JOURNAL = re.compile(r"^(.+?)(?:\s+\(\d{4}\)|\.\s+\S)")
_DELIMITERS = (",", "\t", ";", "|")
_INITIALS_DOT = re.compile(r"^([^,]+ [A-Z]{1,4})\.$")  # PubMed's "O'Connor RE." ends the list
_HEAD_ROWS = 50  # rows of the head parsed when looking for the header
_PREAMBLE_ROWS = 10  # the header is one of the first rows (Embase puts a search query first)
_EXTRA_MAX = 1000  # longer unmapped cells (reference lists) are not kept as extras


def _norm(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


@dataclass
class Layout:
    """Where a file's header is and which columns hold which of our fields."""

    delimiter: str
    header_row: int  # 0-based row number of the header among the rows csv reads
    header: list[str]
    columns: dict[str, list[int]] = field(default_factory=dict)
    exporter: str = ""
    typed_ids: list[tuple[int, int]] = field(default_factory=list)  # (type column, value column)

    def __post_init__(self) -> None:
        if not self.typed_ids:
            self.typed_ids = _typed_id_columns(self.header)

    @property
    def recognised(self) -> bool:
        return any(f in self.columns for f in _CORE) and len(self.columns) >= 2


def recognise(header: list[str]) -> dict[str, list[int]]:
    """Our fields -> indexes of the header's columns that hold them (best column first)."""
    names = [_norm(h) for h in header]
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        m = _MULTI.match(name)
        if m:
            groups.setdefault(m.group(1), []).append(i)
    found: dict[str, list[int]] = {}
    taken: set[int] = set()
    for our, synonyms in COLUMNS.items():
        for synonym in synonyms:
            if synonym in names and names.index(synonym) not in taken:
                found[our] = [names.index(synonym)]
                break
            if synonym in groups:
                found[our] = groups[synonym]
                break
        taken.update(found.get(our, ()))
    return found


def _typed_id_columns(header: list[str]) -> list[tuple[int, int]]:
    """CINAHL's ``artinfo/ui/0/_type`` (``doi``) next to ``artinfo/ui/0/__text`` (the DOI)."""
    names = [_norm(h) for h in header]
    pairs = []
    for i, name in enumerate(names):
        if name.endswith("/_type") and (value := name[: -len("_type")] + "__text") in names:
            pairs.append((i, names.index(value)))
    return pairs


def _exporter(header: list[str]) -> str:
    names = {_norm(h) for h in header}
    return next((tool for tool, cols in EXPORTERS if all(c in names for c in cols)), "")


def _rows(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))[:_HEAD_ROWS]
    except csv.Error:
        return []


def find_layout(head: str) -> Layout | None:
    """The delimiter and header row that make sense of ``head`` (the start of the file).

    The header may follow a few preamble rows; when no row is recognised, the first
    row with most cells stands for the header (so the refusal can list its columns).
    """
    head = head.lstrip("\ufeff")
    complete = head[: head.rfind("\n") + 1] if "\n" in head else head
    best: Layout | None = None
    for delimiter in _DELIMITERS:
        first: Layout | None = None
        for number, row in enumerate(_rows(complete, delimiter)[:_PREAMBLE_ROWS]):
            if len(row) < 2 or not any(c.strip() for c in row):
                continue
            layout = Layout(delimiter, number, row, recognise(row), _exporter(row))
            if layout.recognised:
                return layout
            first = first or layout
        if first is not None and (best is None or len(first.header) > len(best.header)):
            best = first
    return best


def sniff(head: str, path: Path) -> float:
    ext = path.suffix.lower()
    tabular = ext in {".csv", ".tsv", ".tab"}
    layout = find_layout(head) if "\n" in head or tabular else None
    if layout is not None and layout.recognised:
        return 0.8 if tabular or ext == ".txt" else 0.7
    return 0.5 if tabular else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    head = stream.read(1 << 16)
    layout = find_layout(head)
    if layout is None:
        raise ImportFailure(
            path, "no table found: the file has no row with two or more columns", line=1
        )
    if not layout.recognised:
        columns = [h.replace("\ufeff", "").strip() for h in layout.header if h.strip()]
        raise UnknownColumns(path, columns, line=layout.header_row + 1)
    yield from _records(_lines(head, stream), layout)


def parse_with_map(stream: TextIO, path: Path, mapping: dict[str, str]) -> ParseResult:
    """Records of a CSV whose columns are named by ``mapping`` (our field -> column name)."""
    unknown = [f for f in mapping if f not in COLUMNS]
    if unknown:
        raise ImportFailure(
            path,
            f"unknown field(s) {', '.join(unknown)} in the column map; fields are "
            + ", ".join(FIELDS),
        )
    head = stream.read(1 << 16)
    layout = _mapped_layout(head, mapping)
    if layout is None:
        found = find_layout(head)
        columns = ", ".join(h.strip() for h in found.header) if found else "none"
        missing = ", ".join(repr(c) for c in mapping.values())
        raise ImportFailure(
            path, f"the column map names {missing}, but the columns are: {columns}", line=1
        )
    yield from _records(_lines(head, stream), layout)


def _mapped_layout(head: str, mapping: dict[str, str]) -> Layout | None:
    wanted = {f: _norm(c) for f, c in mapping.items()}
    complete = head.lstrip("\ufeff")
    for delimiter in _DELIMITERS:
        for number, row in enumerate(_rows(complete, delimiter)):
            names = [_norm(c) for c in row]
            if all(c in names for c in wanted.values()):
                columns = {f: [names.index(c)] for f, c in wanted.items()}
                return Layout(delimiter, number, row, columns, _exporter(row))
    return None


def _lines(head: str, stream: TextIO) -> Iterator[str]:
    """The file's lines again: those of the head already read, then the rest of the stream."""
    lines = head.lstrip("\ufeff").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += stream.readline()
    yield from lines
    yield from stream


def _records(lines: Iterator[str], layout: Layout) -> ParseResult:
    reader = csv.reader(lines, delimiter=layout.delimiter)
    index = 0
    row_number = -1
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RecordError(
                f"the table cannot be read further ({exc})", line=last_line + 1, record=index + 1
            )
            return
        start, last_line = last_line + 1, reader.line_num
        row_number += 1
        if row_number <= layout.header_row or not any(c.strip() for c in row):
            continue
        yield _record(row, layout, index, start)
        index += 1


def _cells(row: list[str], layout: Layout, name: str) -> list[str]:
    values = []
    for i in layout.columns.get(name, ()):
        if i < len(row):
            value = row[i].strip()
            if value.startswith('="') and (m := _EXCEL_TEXT.match(value)):
                value = m.group(1).replace('""', '"')
            if value:
                values.append(value)
    return values


def _record(row: list[str], layout: Layout, index: int, line: int) -> ParsedRecord | RecordError:
    def one(name: str) -> str:
        values = _cells(row, layout, name)
        return values[0] if values else ""

    typed = _typed_ids(row, layout) if layout.typed_ids else {}
    journal = one("journal")
    if layout.columns.get("journal") and _norm(layout.header[layout.columns["journal"][0]]) in {
        "source",
        "so",
    }:
        journal = _journal_of_source(journal)
    return build_record(
        index=index,
        line=line,
        title=one("title"),
        authors=split_authors("\n".join(_cells(row, layout, "authors"))),
        journal=journal,
        year=parse_year(one("year")) or _year_in(one("journal")),
        volume=one("volume"),
        issue=one("issue"),
        pages=one("pages") or join_pages(one("start_page"), one("end_page")),
        doi=one("doi") or typed.get("doi", ""),
        pmid=one("pmid") or typed.get("pmid", ""),
        pmcid=one("pmcid") or typed.get("pmcid", ""),
        trial_ids=split_list(one("trial_ids")),
        abstract="\n".join(_cells(row, layout, "abstract")),
        keywords=split_list(one("keywords")),
        type=one("type"),
        url=one("url").split()[0] if one("url") else "",
        extra=_extra(row, layout),
    )


def _typed_ids(row: list[str], layout: Layout) -> dict[str, str]:
    ids: dict[str, str] = {}
    for kind_at, value_at in layout.typed_ids:
        if value_at < len(row) and kind_at < len(row):
            ids.setdefault(row[kind_at].strip().lower(), row[value_at].strip())
    return ids


def _journal_of_source(source: str) -> str:
    """``Cancer (2004) 102:4 (253-258)`` or ``Neurological Sciences. Vol.45 ...`` -> the journal."""
    m = _SOURCE_JOURNAL.match(source)
    return m.group(1).strip() if m else source


def _year_in(text: str) -> int | None:
    m = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)
    return int(m.group(0)) if m else None


def _literal_list(value: str) -> list[str] | None:
    """``['Marx, Karl', 'Lindgren, Astrid']`` as ASReview writes list cells."""
    if value.startswith("[") and value.endswith("]"):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return None


def split_authors(value: str) -> list[str]:
    """Author cells in the shapes exporters write: one per line, ``;`` or ``|`` separated,
    ``A and B``, or PubMed's ``Smith AB, Jones C.``."""
    value = value.strip()
    if not value:
        return []
    listed = _literal_list(value)
    if listed is not None:
        return clean_names(listed)
    if "\n" in value:
        parts = value.splitlines()
    elif ";" in value or "|" in value:
        parts = re.split(r"[;|]", value)
    else:
        parts = [value]
    names: list[str] = []
    for part in parts:
        for name in re.split(r"\s+and\s+", part.strip()):
            names.extend(_comma_list(name))
    return clean_names(_INITIALS_DOT.sub(r"\1", n.strip()) for n in names)


def _comma_list(value: str) -> list[str]:
    """``Smith AB, Jones C`` is two authors; ``Marx, Karl`` is one."""
    chunks = [c.strip() for c in value.split(",")]
    if len(chunks) > 1 and all(len(c.split()) >= 2 for c in chunks if c):
        return chunks
    return [value]


def split_list(value: str) -> list[str]:
    """Keywords or ids in one cell: a list literal, or ``;``/``,``/line separated."""
    if not value:
        return []
    listed = _literal_list(value)
    if listed is not None:
        return clean_list(listed)
    for sep in ("\n", ";", "|", ","):
        if sep in value:
            return clean_list(value.split(sep))
    return [value]


def _extra(row: list[str], layout: Layout) -> dict[str, str]:
    """Cells of columns we have no field for (labels, notes, record ids), under their names."""
    used = {i for indexes in layout.columns.values() for i in indexes}
    extra = {}
    for i, value in enumerate(row):
        value = value.strip()
        if i in used or not value or len(value) > _EXTRA_MAX or i >= len(layout.header):
            continue
        name = layout.header[i].replace("\ufeff", "").strip()
        if name and name not in extra:
            extra[name] = value
    if layout.exporter:
        extra["exporter"] = layout.exporter
    return extra


FORMAT = Format(
    name="csv", extensions=(".csv", ".tsv", ".tab"), sniff=sniff, parse=reporting_undecodable(parse)
)
