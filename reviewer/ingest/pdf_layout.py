"""Where a PDF's words stand on its pages: the exact link between the text Reviewer
keeps and PDFium's characters.

A PDF record's text is PDFium's page text, cleaned (``pdf.clean_page_text``: line
ends, soft hyphens, ligatures, control characters, trailing blanks, NFC) and
joined page by page. Every span of provenance is an offset range in that text. To
draw a span on the page, each character of the cleaned text must be traced back
to the PDFium character it came from, whose box PDFium knows; that is what
``map_clean`` does: it repeats the cleaning step by step while carrying, for every
character it keeps or makes, the index of the PDFium character behind it (both
letters of an expanded ``ﬁ`` point at the ligature; ``reviewer.ingest.pdf_text``). Its
text equals ``clean_page_text``'s by construction and by test, so offsets need no guessing.

``PageLayout`` holds one page: its text, each character's box (PDFium's loose
character box, in points from the top-left corner of the page as rendered), and
its lines. On it are the geometric questions the page view asks: the boxes of a
span (one rectangle per run of a line), the character under the mouse, and where
a drag selection starts or ends (the nearest text in the pointer's own column, so
that dragging down a column of a two-column article never picks up the other
column). Selections are ranges of the text, so they follow the text's order,
which for articles is PDFium's: column after column.

A ``PageLayout`` is read from a PDF by ``reviewer.ingest.pdf_read.read_layout``; this
module asks PDFium nothing, so the geometry is tested on layouts built by hand too.
No Qt here: the page view in ``reviewer.ui.page_view`` draws what this computes.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reviewer.ingest.formats.pdf import PAGE_JOIN

__all__ = [
    "PageLayout",
    "Rect",
    "locate_page",
    "page_starts",
]

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1; y grows downwards

# Within one line, a gap wider than this many line heights splits the drawn box
# (two columns PDFium put on one line, or the cells of a table row).
_RUN_GAP = 1.5


# -- one page -------------------------------------------------------------------------------


class Boxes(Sequence):
    """Characters' boxes, four floats each in one array (a page has thousands: as
    tuples they took ten times the memory); ``boxes[i]`` is a ``Rect`` or None."""

    __slots__ = ("_coords",)

    def __init__(self, boxes: Iterable[Rect | None] = ()):
        self._coords = array("d")
        for box in boxes:
            self._coords.extend(_NO_BOX if box is None else box)

    def __len__(self) -> int:
        return len(self._coords) // 4

    def __getitem__(self, i):  # noqa: ANN001, ANN204 (int -> Rect | None; slices unused)
        if i < 0:
            i += len(self)
        c = self._coords
        x0 = c[4 * i]
        if x0 != x0:  # NaN: no box
            return None
        return x0, c[4 * i + 1], c[4 * i + 2], c[4 * i + 3]


_NO_BOX = (math.nan, math.nan, math.nan, math.nan)


@dataclass
class Line:
    """Characters ``start:end`` of a page's text printed on one line, and their extent."""

    start: int
    end: int
    rect: Rect


@dataclass
class PageLayout:
    """A page's text and where each of its characters is printed.

    Offsets are into ``text`` (the page's part of the record's text); ``chars[i]`` is
    character ``i``'s index in PDFium's text page. ``boxes[i]`` is its box in points
    from the top-left corner of the page *upright* (as if it had no /Rotate, so that
    lines run left to right whatever the page's rotation), or None for characters
    with no extent (line breaks and spaces PDFium made up). The public methods take
    and give points on the page as it is shown (``width`` x ``height``, rotation
    applied): the page view never deals with rotation.
    """

    index: int  # 0-based page number
    width: float  # as shown
    height: float
    text: str
    chars: list[int]
    boxes: Sequence[Rect | None]
    rotation: int = 0  # clockwise degrees the page is shown turned by
    lines: list[Line] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.boxes, Boxes):
            self.boxes = Boxes(self.boxes)
        self.chars = array("l", self.chars)  # type: ignore[assignment]
        if not self.lines:
            self.lines = _lines(self.text, self.boxes)
        self._line_starts = [line.start for line in self.lines]
        turned = self.rotation in (90, 270)
        self._upright = (self.height, self.width) if turned else (self.width, self.height)

    # -- shown <-> upright ----------------------------------------------------------------

    def to_shown(self, rect: Rect) -> Rect:
        """An upright rectangle as it is shown on the rotated page."""
        w, h = self._upright
        x0, y0, x1, y1 = rect
        if self.rotation == 90:
            return h - y1, x0, h - y0, x1
        if self.rotation == 180:
            return w - x1, h - y1, w - x0, h - y0
        if self.rotation == 270:
            return y0, w - x1, y1, w - x0
        return rect

    def to_upright(self, x: float, y: float) -> tuple[float, float]:
        """A point on the page as shown, in upright coordinates."""
        w, h = self._upright
        if self.rotation == 90:
            return y, h - x
        if self.rotation == 180:
            return w - x, h - y
        if self.rotation == 270:
            return w - y, x
        return x, y

    def box(self, offset: int) -> Rect | None:
        """The box of character ``offset`` as shown."""
        box = self.boxes[offset]
        return None if box is None else self.to_shown(box)

    # -- questions the page view asks --------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """The index of the line holding ``offset`` (the nearest before it otherwise)."""
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def rects(self, start: int, end: int) -> list[Rect]:
        """The boxes of ``text[start:end]`` as shown: one rectangle per run of
        characters on a line."""
        return [self.to_shown(r) for r in self._upright_rects(start, end)]

    def _upright_rects(self, start: int, end: int) -> list[Rect]:
        start, end = max(0, start), min(len(self.text), end)
        rects: list[Rect] = []
        current: list[float] | None = None
        line_no = -1
        for i in range(start, end):
            box = self.boxes[i]
            if box is None:
                continue
            line = self.line_of(i)
            height = box[3] - box[1]
            if (
                current is not None
                and line == line_no
                and box[0] - current[2] <= _RUN_GAP * max(height, current[3] - current[1])
            ):
                current[0] = min(current[0], box[0])
                current[1] = min(current[1], box[1])
                current[2] = max(current[2], box[2])
                current[3] = max(current[3], box[3])
                continue
            if current is not None:
                rects.append((current[0], current[1], current[2], current[3]))
            current, line_no = list(box), line
        if current is not None:
            rects.append((current[0], current[1], current[2], current[3]))
        return rects

    def char_at(self, x: float, y: float, slack: float = 0.0) -> int | None:
        """The offset of the character whose box holds the (shown) point, if any."""
        x, y = self.to_upright(x, y)
        for line in self.lines:
            x0, y0, x1, y1 = line.rect
            if not (y0 - slack <= y <= y1 + slack and x0 - slack <= x <= x1 + slack):
                continue
            for i in range(line.start, line.end):
                box = self.boxes[i]
                if (
                    box
                    and box[0] - slack <= x <= box[2] + slack
                    and box[1] - slack <= y <= box[3] + slack
                ):
                    return i
        return None

    def caret_at(self, x: float, y: float) -> int | None:
        """Where a selection dragged to the (shown) point starts or ends: a position
        between characters of the text nearest the pointer, in the pointer's own
        column; None on a page without text."""
        if not self.lines:
            return None
        x, y = self.to_upright(x, y)
        line = self._nearest_line(x, y)
        for i in range(line.start, line.end):
            box = self.boxes[i]
            if box is not None and x < (box[0] + box[2]) / 2:
                return i
        return line.end

    def _nearest_line(self, x: float, y: float) -> Line:
        within = [ln for ln in self.lines if ln.rect[1] <= y <= ln.rect[3]]
        if within:  # the pointer is level with these lines: the one beside it
            return min(within, key=lambda ln: _gap(x, ln.rect[0], ln.rect[2]))
        column = [ln for ln in self.lines if ln.rect[0] <= x <= ln.rect[2]]
        if column:  # between lines: the nearest above or below in this column
            return min(column, key=lambda ln: _gap(y, ln.rect[1], ln.rect[3]))
        return min(
            self.lines,
            key=lambda ln: (
                _gap(x, ln.rect[0], ln.rect[2]) ** 2 + _gap(y, ln.rect[1], ln.rect[3]) ** 2
            ),
        )

    def word_at(self, offset: int) -> tuple[int, int]:
        """The word (run of non-blank characters) around ``offset``."""
        text = self.text
        start = end = offset
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        return start, end

    def chars_in(self, rect: Rect) -> list[int]:
        """Offsets of the printed characters whose box centre lies in the (shown)
        rectangle, in text order."""
        ax, ay = self.to_upright(rect[0], rect[1])
        bx, by = self.to_upright(rect[2], rect[3])
        x0, x1, y0, y1 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        out = []
        for line in self.lines:
            lx0, ly0, lx1, ly1 = line.rect
            if ly1 < y0 or ly0 > y1 or lx1 < x0 or lx0 > x1:
                continue
            for i in range(line.start, line.end):
                box = self.boxes[i]
                if box is None or self.text[i].isspace():
                    continue
                cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
                if x0 <= cx <= x1 and y0 <= cy <= y1:
                    out.append(i)
        return out


def _gap(v: float, lo: float, hi: float) -> float:
    return lo - v if v < lo else v - hi if v > hi else 0.0


def _lines(text: str, boxes: Sequence[Rect | None]) -> list[Line]:
    """Lines from the text's own line breaks, split again where the next character is
    printed off the line's band, back to its left (a break PDFium did not mark) or
    far to its right (two things PDFium put on one line: they are apart on the page)."""
    lines: list[Line] = []
    start = 0
    band: list[float] | None = None

    def close(end: int) -> None:
        if band is not None:
            lines.append(Line(start, end, (band[0], band[1], band[2], band[3])))

    for i, ch in enumerate(text):
        box = boxes[i]
        if ch == "\n":
            close(i)
            start, band = i + 1, None
            continue
        if box is None:
            continue
        if band is None:
            band = list(box)
            continue
        cy = (box[1] + box[3]) / 2
        height = band[3] - band[1]
        off_band = not band[1] <= cy <= band[3]
        back = box[2] < band[2] - 2 * height
        apart = box[0] - band[2] > _RUN_GAP * height  # a page number beside a footer
        if off_band or back or apart:
            close(i)
            start, band = i, list(box)
            continue
        band[0], band[1] = min(band[0], box[0]), min(band[1], box[1])
        band[2], band[3] = max(band[2], box[2]), max(band[3], box[3])
    close(len(text))
    return lines


# -- pages in the record's text --------------------------------------------------------------


def page_starts(text: str, page_offsets: Sequence[int]) -> list[tuple[int, int]]:
    """``(start, end)`` of each page's text within a record's text, as the importer
    joined them (``PAGE_JOIN`` between pages)."""
    out = []
    for i, start in enumerate(page_offsets):
        end = page_offsets[i + 1] - len(PAGE_JOIN) if i + 1 < len(page_offsets) else len(text)
        out.append((start, max(start, end)))
    return out


def locate_page(text: str, layout: PageLayout, expected: tuple[int, int] | None) -> int | None:
    """Where ``layout``'s text starts in the record's ``text``: at the expected place
    when it is there, else its only occurrence; None when the record's text does not
    hold this page's text (the PDF changed, or the record's text is not the PDF's)."""
    if not layout.text:
        return expected[0] if expected else None
    if expected is not None and text[expected[0] : expected[1]] == layout.text:
        return expected[0]
    first = text.find(layout.text)
    if first == -1 or text.find(layout.text, first + 1) != -1:
        return None
    return first
