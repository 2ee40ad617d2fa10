"""Reading a page's layout from PDFium: its text as the importer makes it, each
character's index in PDFium's text page, and each character's box on the page.

This is the one place that asks PDFium about a page's characters (through its raw C
API where pypdfium2 has no wrapper: loose character boxes, the page-to-device
transform, UTF-16 code units). What it reads becomes a
:class:`reviewer.ingest.pdf_layout.PageLayout`, whose geometry needs no PDFium.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from reviewer.ingest.formats.pdf import PDFIUM_LOCK
from reviewer.ingest.pdf_layout import PageLayout, Rect
from reviewer.ingest.pdf_text import aligned, map_clean


def raw_page_text(textpage: pdfium.PdfTextPage) -> tuple[str, list[int]]:
    """PDFium's text of a page as the importer reads it, with each character's index.

    ``get_text_range`` gives one character per PDFium character in practice; where it
    does not (a character beyond the BMP that PDFium counts as two), the text is
    aligned with the characters PDFium reports one by one.
    """
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    if count <= 0:
        return "", []
    raw = textpage.get_text_range()
    if len(raw) == count:
        return raw, list(range(count))
    chars: list[tuple[str, int]] = []
    i = 0
    while i < count:
        unit = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
        low = pdfium_c.FPDFText_GetUnicode(textpage.raw, i + 1) if i + 1 < count else 0
        if 0xD800 <= unit < 0xDC00 and 0xDC00 <= low < 0xE000:
            chars.append((chr(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), i))
            i += 2
        else:
            chars.append((chr(unit), i))
            i += 1
    return raw, [k for _c, k in aligned(chars, raw)]


def page_transform(
    page: pdfium.PdfPage, upright: bool = False
) -> tuple[float, float, float, float, float, float]:
    """``(a, b, c, d, e, f)`` taking PDF user space to the page as rendered at 72 dpi
    (points, top-left origin, crop box applied, and the page's rotation unless
    ``upright``): ``x' = a*x + c*y + e``, ``y' = b*x + d*y + f``. Taken from PDFium's
    own ``FPDF_PageToDevice``, which rendering uses, at 1000 device units per point."""
    width, height = page.get_size()
    turns = 0
    if upright:
        turns = (4 - page.get_rotation() // 90) % 4  # undoes the page's own rotation
        if turns % 2:
            width, height = height, width
    scale = 1000
    dx, dy = ctypes.c_int(), ctypes.c_int()

    def to_device(x: float, y: float) -> tuple[float, float]:
        pdfium_c.FPDF_PageToDevice(
            page.raw, 0, 0, round(width * scale), round(height * scale), turns, x, y, dx, dy
        )
        return dx.value / scale, dy.value / scale

    ox, oy = to_device(0.0, 0.0)
    ax, ay = to_device(1000.0, 0.0)
    cx, cy = to_device(0.0, 1000.0)
    return (ax - ox) / 1000, (ay - oy) / 1000, (cx - ox) / 1000, (cy - oy) / 1000, ox, oy


def apply_transform(matrix: tuple[float, float, float, float, float, float], box: Rect) -> Rect:
    """A user-space box ``(left, bottom, right, top)`` as a rendered-page rectangle."""
    a, b, c, d, e, f = matrix
    left, bottom, right, top = box
    if b == 0 and c == 0:  # upright pages: scale and shift
        x0, x1 = a * left + e, a * right + e
        y0, y1 = d * bottom + f, d * top + f
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    xs = [
        a * x + c * y + e for x, y in ((left, bottom), (right, top), (left, top), (right, bottom))
    ]
    ys = [
        b * x + d * y + f for x, y in ((left, bottom), (right, top), (left, top), (right, bottom))
    ]
    return min(xs), min(ys), max(xs), max(ys)


def loose_char_box(textpage: pdfium.PdfTextPage, index: int) -> Rect | None:
    """PDFium's loose box of character ``index`` in user space, ``(l, b, r, t)``;
    None when it has no extent."""
    rect = pdfium_c.FS_RECTF()
    if not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, rect):
        return None
    if rect.right - rect.left <= 0 and rect.top - rect.bottom <= 0:
        return None
    return rect.left, rect.bottom, rect.right, rect.top


def read_layout(doc: pdfium.PdfDocument, index: int) -> PageLayout:
    """Page ``index``'s text (as the importer makes it) and its characters' boxes."""
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            width, height = page.get_size()
            rotation = page.get_rotation()
            matrix = page_transform(page, upright=True)
            textpage = page.get_textpage()
            try:
                raw, indices = raw_page_text(textpage)
                mapped = map_clean(raw, indices)
                user = [loose_char_box(textpage, k) for k in mapped.chars]
            finally:
                textpage.close()
        finally:
            page.close()
    boxes = [None if b is None else apply_transform(matrix, b) for b in user]
    return PageLayout(index, width, height, mapped.text, mapped.chars, boxes, rotation)
