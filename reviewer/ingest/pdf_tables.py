"""A table in a PDF, from a rectangle the reviewer draws over it: rows and cells.

PDF tables are not tables: they are words placed on a page, and a PDF's text says
nothing of rows or columns. So the cells are found from where the words stand:
characters on the same level make a row; within a row, a gap wider than a word
space separates two pieces of text; the columns are the stretches of the page
that the pieces of the rows with several pieces cover, split where none of them
do. Rows with one piece (a heading such as "Primary:", the second line of a
wrapped label, a note) are placed in the column where they begin.

Where the page does not say clearly what the cells are, the table says so
(``problems``) instead of guessing quietly: no columns at all, two pieces of one
row in the same column (a header spanning two columns, or a column not told
apart), or a cell whose words are not together in the PDF's text (so its span of
provenance also covers other words). Every cell keeps the span of the record's
text it came from, so a number taken from a table is as traceable as one taken
from a sentence.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from dataclasses import dataclass

from reviewer.domain.cells import safe_text
from reviewer.domain.pdf_table import PdfTable, TableCell
from reviewer.ingest.pdf_layout import PageLayout, Rect

__all__ = ["PdfTable", "TableCell", "table_in", "tsv"]

_PIECE_GAP = 0.5  # a gap wider than this many character heights separates two cells
_ROW_STEP = 0.5  # a character this many heights below a row's middle starts another row


@dataclass
class _Piece:
    offsets: list[int]
    x0: float
    x1: float


def table_in(layout: PageLayout, rect: Rect) -> PdfTable:
    """The table whose characters lie in ``rect`` (points on the page as shown)."""
    table = PdfTable(layout.index)
    offsets = layout.chars_in(rect)
    if not offsets:
        table.problems.append("There is no text in the rectangle")
        return table
    boxes = {i: layout.boxes[i] for i in offsets}  # upright: rows run left to right
    height = statistics.median(b[3] - b[1] for b in boxes.values() if b) or 1.0
    rows = _rows(offsets, boxes, height)
    pieces = [_pieces(row, boxes) for row in rows]
    bounds = _column_bounds(pieces)
    if not bounds:
        table.problems.append(
            "No columns line up in the rectangle: PDFium's text gives no reliable cells here"
        )
    for r, row_pieces in enumerate(pieces, start=1):
        cells: list[list[_Piece]] = [[] for _ in range(len(bounds) + 1)]
        for piece in row_pieces:
            column = bisect_right(bounds, piece.x0)  # the column it starts in
            last = bisect_right(bounds, piece.x1)
            if len(row_pieces) > 1 and last > column:
                table.problems.append(
                    f"row {r}: '{_words(layout, piece)}' runs across columns "
                    f"{column + 1}-{last + 1}"
                )
            elif cells[column] and len(row_pieces) > 1:
                table.problems.append(
                    f"row {r} has two separate pieces of text in column {column + 1} "
                    "(a header over two columns, or columns not told apart)"
                )
            cells[column].append(piece)
        table.rows.append([_cell(layout, c, table, r) if c else None for c in cells])
    return table


def _rows(offsets: list[int], boxes: dict, height: float) -> list[list[int]]:
    """Characters grouped by level, top to bottom."""
    by_middle = sorted(offsets, key=lambda i: (boxes[i][1] + boxes[i][3]) / 2)
    rows: list[list[int]] = []
    middles: list[float] = []
    for i in by_middle:
        middle = (boxes[i][1] + boxes[i][3]) / 2
        if rows and middle - statistics.fmean(middles) <= _ROW_STEP * height:
            rows[-1].append(i)
            middles.append(middle)
        else:
            rows.append([i])
            middles = [middle]
    return rows


def _pieces(row: list[int], boxes: dict) -> list[_Piece]:
    """A row's characters left to right, split where the gap is wider than a space
    (measured by the type size on either side: a table is often set smaller than
    the text beside it)."""
    pieces: list[_Piece] = []
    last_height = 0.0
    for i in sorted(row, key=lambda i: boxes[i][0]):
        x0, y0, x1, y1 = boxes[i]
        height = min(y1 - y0, last_height or y1 - y0)
        last_height = y1 - y0
        if pieces and x0 - pieces[-1].x1 <= _PIECE_GAP * height:
            piece = pieces[-1]
            piece.offsets.append(i)
            piece.x1 = max(piece.x1, x1)
        else:
            pieces.append(_Piece([i], x0, x1))
    return pieces


def _column_bounds(pieces: list[list[_Piece]]) -> list[float]:
    """Where columns meet: in each stretch that (almost) no piece of a row with
    several pieces covers, the middle of its least covered part. A quarter of those
    rows may cross a gap (a note under the table, body text beside it) without
    closing it; a header a little wider than its column moves the line to the
    part that nothing covers."""
    multi = [row for row in pieces if len(row) > 1]
    if not multi:
        return []
    allowed = len(multi) // 4
    events = sorted(
        [(p.x0, 1) for row in multi for p in row] + [(p.x1, -1) for row in multi for p in row]
    )
    bounds = []
    depth = 0
    best: tuple[int, float, float] | None = None  # (depth, -width, middle) of the best part
    last_x = events[0][0]
    for x, step in events:
        if depth <= allowed and x > last_x and last_x >= events[0][0] and best is not None:
            candidate = (depth, -(x - last_x), (x + last_x) / 2)
            best = min(best, candidate)
        before = depth
        depth += step
        if before > allowed >= depth:  # a stretch opens
            best = (allowed + 1, 0.0, x)
        elif depth > allowed >= before and best is not None:  # ... and closes
            if best[0] <= allowed:
                bounds.append(best[2])
            best = None
        last_x = x
    return bounds


def _cell(layout: PageLayout, pieces: list[_Piece], table: PdfTable, row: int) -> TableCell:
    offsets = sorted(i for p in pieces for i in p.offsets)
    text = layout.text
    runs = _runs(text, offsets)
    words = " ".join(" ".join(text[a:b].split()) for a, b in runs)
    exact = len(runs) == 1
    if not exact:
        table.problems.append(
            f"row {row}: the words of '{words[:40]}' are not together in the PDF's text, "
            "so its span also covers other words"
        )
    return TableCell(words, offsets[0], offsets[-1] + 1, exact)


def _words(layout: PageLayout, piece: _Piece, limit: int = 40) -> str:
    words = " ".join(
        " ".join(layout.text[a:b].split()) for a, b in _runs(layout.text, piece.offsets)
    )
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _runs(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """Offsets as runs of the text with only white space between their characters."""
    runs: list[tuple[int, int]] = []
    for i in sorted(offsets):
        if runs and not text[runs[-1][1] : i].strip():
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def tsv(rows: list[list[str]]) -> str:
    """Rows as tab-separated lines for the clipboard; tabs and line breaks in a cell
    become spaces, and text a spreadsheet could run as a formula is quoted."""

    def clean(cell: str) -> str:
        cell = " ".join(cell.replace("\t", " ").split())
        return cell if _is_number(cell) else safe_text(cell)

    return "".join("\t".join(clean(c) for c in row) + "\n" for row in rows)


def _is_number(text: str) -> bool:
    try:
        float(text.replace("\u2212", "-"))
    except ValueError:
        return False
    return True
