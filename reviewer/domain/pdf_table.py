"""A table read from a PDF page: rows of cells, each with the span of text it came from.

Made by ``reviewer.ingest.pdf_tables`` from a rectangle the reviewer draws, and turned
into results by ``reviewer.annotate.table_results``: a plain value both speak.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

_MAX_PROBLEMS = 5


@dataclass(frozen=True)
class TableCell:
    """The words of one cell and where they are in the text.

    ``start:end`` are offsets into the page's text (``PdfTable.shifted`` moves them
    into the record's text); ``exact`` says whether ``text[start:end]`` holds this
    cell's words only.
    """

    text: str
    start: int
    end: int
    exact: bool = True


@dataclass
class PdfTable:
    """Rows of cells (None for an empty cell) found in a rectangle on one page."""

    page: int  # 0-based
    rows: list[list[TableCell | None]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def reliable(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        return [[c.text if c else "" for c in row] for row in self.rows]

    def shifted(self, base: int) -> PdfTable:
        """The same table with its spans as offsets into the record's text, given
        that the page's text starts at ``base``."""
        rows = [
            [None if c is None else replace(c, start=c.start + base, end=c.end + base) for c in r]
            for r in self.rows
        ]
        return PdfTable(self.page, rows, list(self.problems))

    def message(self) -> str:
        """What the reviewer should know about these cells, or "" when they are clear."""
        if not self.rows:
            return self.problems[0] if self.problems else "There is no text in the rectangle."
        if not self.problems:
            return ""
        shown = self.problems[:_MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        tail = f" (and {more} more)" if more > 0 else ""
        return (
            "The PDF's text gives no reliable cells here: check them before use. "
            + "; ".join(shown)
            + tail
            + "."
        )
