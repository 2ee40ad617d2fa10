"""What every format module provides, and the one error type an import may raise.

A format module exposes a ``FORMAT`` (a ``Format`` instance): a name, a ``sniff``
that looks at the first characters of a decoded file, and a ``parse`` that reads a
text stream and yields ``ParsedRecord`` objects, or ``RecordError`` objects for
records it had to skip (the rest of the file still imports). Anything else going
wrong is an ``ImportFailure`` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord


class ImportFailure(Exception):
    """A file (or a record in it) could not be imported; the message names where."""

    def __init__(
        self, path: str | Path, message: str, line: int | None = None, record: int | None = None
    ):
        self.path = str(path)
        self.line = line
        self.record = record
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = Path(self.path).name
        if self.line is not None:
            where += f", line {self.line}"
        if self.record is not None:
            where += f", record {self.record}"
        return f"{where}: {self.message}"


class UnknownColumns(ImportFailure):
    """A CSV/TSV whose header names no columns we recognise: the reviewer maps them."""

    def __init__(self, path: str | Path, columns: list[str], line: int | None = None):
        self.columns = columns
        shown = ", ".join(columns[:12]) + (" …" if len(columns) > 12 else "")
        super().__init__(
            path,
            f"the columns are not recognised ({shown}); map them to title, abstract, authors, "
            "year, doi … (in the app, or with --map title=Column,abstract=Column)",
            line,
        )


@dataclass
class RecordError:
    """A record that was skipped, and why (yielded by parsers in place of the record)."""

    message: str
    line: int | None = None
    record: int | None = None


ParseResult = Iterator[ParsedRecord | RecordError]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    sniff: Callable[[str, Path], float]  # 0..1: how sure the head of the file is this format
    parse: Callable[[TextIO, Path], ParseResult]
    binary: bool = False  # parse receives a binary stream (PDF)


def citation_line(rec: ParsedRecord) -> str:
    """``Journal. Year; Volume(Issue):Pages`` from whatever parts a record has."""
    line = rec.journal.strip().rstrip(".")
    if rec.year:
        line += f". {rec.year}" if line else str(rec.year)
    if rec.volume:
        line += f"; {rec.volume}"
        if rec.issue:
            line += f"({rec.issue})"
    if rec.pages:
        line += f":{rec.pages}"
    return line


def compose_text(rec: ParsedRecord) -> str:
    """The readable text of a bibliographic record (RIS, MEDLINE, CSV ...): title, authors,
    citation and abstract, each on its own line. It is what the document view shows and
    what suggestion offsets point into, so every importer composes it the same way."""
    parts = [rec.title.strip()]
    if rec.authors:
        parts.append(", ".join(rec.authors))
    cite = citation_line(rec)
    if cite:
        parts.append(cite)
    if rec.doi:
        parts.append(f"DOI: {rec.doi}")
    text = "\n".join(filter(None, parts))
    abstract = rec.abstract.strip()
    return f"{text}\n\n{abstract}" if abstract else text  # one copy of the abstract
