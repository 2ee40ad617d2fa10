"""Painting the page view's canvas: the pages, their marks and the band of a table.

Split from ``page_canvas`` (geometry, mouse and keys): the pages are drawn from the page
view's cache of rendered images (a stand-in, stretched, while the right one renders),
and the marks over them are multiplied with the page as a highlighter would be, so the
print stays black.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen

from reviewer.ui.legend import (
    FLASH_COLOUR,
    GROUP_ACCENTS,
    KEYWORD_COLOURS,
    NOTE_ACCENT,
    NOTE_FILL,
    group_colour,
)

if TYPE_CHECKING:
    from reviewer.ui.page_canvas import PageCanvas

FIND_FILL = "#ffeb3b"
FIND_CURRENT = "#ff9800"


def rgba(colour: str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def paint_pages(canvas: PageCanvas, painter: QPainter, area: QRect) -> None:
    """Paint the pages in view, their marks and the table band, on ``canvas``'s viewport."""
    palette = canvas.palette()
    painter.fillRect(area, palette.color(QPalette.ColorRole.Mid))
    owner = canvas.owner
    if not canvas.sizes:
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        text = "Opening the PDF…" if owner.pdf is not None and not owner.open_error else ""
        painter.drawText(canvas.viewport().rect(), Qt.AlignmentFlag.AlignCenter, text)
        return
    scale = owner.scale_key()
    dpr = canvas.devicePixelRatioF()
    for page in canvas.visible_pages():
        rect = canvas.page_rect(page)
        painter.fillRect(rect.translated(2, 2), QColor(0, 0, 0, 60))
        painter.fillRect(rect, Qt.GlobalColor.white)
        image = owner.images.get((page, scale))
        if image is not None:
            image.setDevicePixelRatio(dpr)
            if abs(image.width() / dpr - rect.width()) < 1.5:
                painter.drawImage(rect.topLeft(), image)
            else:  # rendered smaller than asked (a huge page): stretched
                painter.drawImage(rect, image)
        else:
            stand_in = owner.images.any_of(lambda k, p=page: k[0] == p) or owner.thumbs.get(page)
            if stand_in is not None:
                painter.drawImage(rect, stand_in)
            failed = owner.failed.get((page, "page"))
            painter.setPen(QColor("#555"))
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                failed or ("" if stand_in is not None else f"Page {page + 1}"),
            )
        paint_marks(canvas, painter, page)
    if canvas.band is not None:
        page, a, b = canvas.band
        band = canvas.to_view(
            page, (min(a.x(), b.x()), min(a.y(), b.y()), max(a.x(), b.x()), max(a.y(), b.y()))
        )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(rgba(palette.color(QPalette.ColorRole.Highlight).name(), 40))
        painter.drawRect(band)


def paint_marks(canvas: PageCanvas, painter: QPainter, page: int) -> None:
    """Marks as a highlighter draws them: multiplied with the page, so the printed
    words stay black under any colour."""
    owner = canvas.owner
    painter.save()
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
    painter.setPen(Qt.PenStyle.NoPen)
    for rect, m in owner.marks.overlays(page):
        view = canvas.to_view(page, rect)
        paint_mark(painter, view, m.kind, m.group)
    highlight = canvas.palette().color(QPalette.ColorRole.Highlight)
    found = owner.find
    current = found.hits[found.hit] if 0 <= found.hit < len(found.hits) else None
    for kind, spans in owner.marks.layers():
        for span in spans:
            colour = None
            if kind == "focus":
                colour = next((c for s, e, c in owner.document.focused() if (s, e) == span), None)
            for r in owner.rects_for(page, *span):
                view = canvas.to_view(page, r)
                if kind == "selection":
                    painter.fillRect(view, rgba(highlight.name(), 140))
                elif kind == "find":
                    fill = FIND_CURRENT if span == current else FIND_FILL
                    painter.fillRect(view, QColor(fill))
                elif kind == "flash":
                    painter.fillRect(view, QColor(FLASH_COLOUR))
                else:  # the focused field: an outline on top of its fill
                    painter.setPen(QPen(QColor(colour or FLASH_COLOUR).darker(160), 2))
                    painter.setBrush(QColor(colour or FLASH_COLOUR))
                    painter.drawRect(view.adjusted(-1, -1, 1, 1))
                    painter.setPen(Qt.PenStyle.NoPen)
    painter.restore()


def paint_mark(painter: QPainter, view: QRectF, kind: str, group: str) -> None:
    """One mark's box, in the look ``legend`` gives its kind in the text."""
    accent = QColor(GROUP_ACCENTS.get(group or "other", GROUP_ACCENTS["other"]))
    if kind == "value":
        painter.fillRect(view, QColor(group_colour(group)))
        painter.fillRect(QRectF(view.left(), view.bottom() - 1.5, view.width(), 1.5), accent)
    elif kind == "suggestion":
        painter.fillRect(view, rgba(group_colour(group), 110))
        painter.setPen(QPen(accent, 1, Qt.PenStyle.DotLine))
        painter.drawLine(view.bottomLeft(), view.bottomRight())
        painter.setPen(Qt.PenStyle.NoPen)
    elif kind == "note":
        painter.fillRect(view, QColor(NOTE_FILL))
        painter.fillRect(
            QRectF(view.left(), view.bottom() - 1.5, view.width(), 1.5), QColor(NOTE_ACCENT)
        )
    elif kind in KEYWORD_COLOURS:
        painter.setPen(QPen(QColor(KEYWORD_COLOURS[kind]), 1.2, Qt.PenStyle.DashLine))
        painter.drawLine(view.bottomLeft(), view.bottomRight())
        painter.setPen(Qt.PenStyle.NoPen)
