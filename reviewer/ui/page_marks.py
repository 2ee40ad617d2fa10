"""The document's marks on a PDF's pages: boxes where each mark's words are printed.

The page view draws what the document view holds (values, suggestions, notes,
keywords, the focused field's words, a flashed span) plus its own layers (find hits,
the selection). This works out the boxes on each page from the page's character
layout, keeps them until the marks or the page change, and flashes a span as the
text view does; ``page_canvas`` paints them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QTimer

from reviewer.ingest.pdf_layout import Rect
from reviewer.ui.highlight_items import LAYER, HighlightItem
from reviewer.ui.page_canvas import FLASH_STEPS, rect_of

if TYPE_CHECKING:
    from reviewer.ui.page_view import PageView


class PageMarks:
    """The marks of ``view``'s record on its pages (see the module doc)."""

    def __init__(self, view: PageView):
        self.view = view
        self.flash: tuple[int, int] | None = None
        self._flash_step = 0
        self._overlays: dict[int, list[tuple[QRectF, HighlightItem]]] = {}
        self._flash_timer = QTimer(view)
        self._flash_timer.setInterval(150)
        self._flash_timer.timeout.connect(self._flash_tick)
        document = view.document
        document.marks_changed.connect(self._marks_changed)
        document.focus_changed.connect(self._focus_changed)
        document.span_flashed.connect(self._span_flashed)

    def clear(self) -> None:
        """Another record, or another PDF: nothing of the last one is kept."""
        self._overlays.clear()
        self.flash = None

    def forget(self, page: int) -> None:
        """Page ``page``'s layout was read anew (or dropped): its boxes are worked out again."""
        self._overlays.pop(page, None)

    def _marks_changed(self) -> None:
        self._overlays.clear()
        self.view.canvas.update()

    def overlays(self, page: int) -> list[tuple[QRectF, HighlightItem]]:
        """The document's marks on ``page``: ``(rectangle in points, mark)``, lowest layer
        first."""
        if page in self._overlays:
            return self._overlays[page]
        view = self.view
        base = view.base(page)
        out: list[tuple[QRectF, HighlightItem]] = []
        if base is not None:
            layout = view.layouts[page]
            end = base + len(layout.text)
            marks = [m for m in view.document.highlights() if m.start < end and m.end > base]
            marks.sort(key=lambda m: (LAYER.get(m.kind, 0), m.start))
            for m in marks:
                for rect in layout.rects(max(m.start, base) - base, min(m.end, end) - base):
                    out.append((QRectF(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1]), m))
        self._overlays[page] = out
        return out

    def drawn(self, page: int) -> list[tuple[Rect, str, str | None]]:
        """What is drawn on ``page`` now: ``(rectangle in points, kind, field)`` of every
        box, in drawing order (kinds as the document view's, plus 'focus', 'find',
        'selection' and 'flash' for the layers on top)."""
        out: list[tuple[Rect, str, str | None]] = []
        for rect, m in self.overlays(page):
            out.append((rect_of(rect), m.kind, m.field))
        for kind, spans in self.layers():
            for start, end in spans:
                for r in self.view.rects_for(page, start, end):
                    out.append((r, kind, None))
        return out

    def layers(self) -> list[tuple[str, list[tuple[int, int]]]]:
        """The spans drawn over the marks, bottom to top: ``(kind, spans)``."""
        view = self.view
        layers = [("focus", [(s, e) for s, e, _c in view.document.focused()])]
        if view.find.hits:
            layers.append(("find", view.find.hits))
        if view.selection is not None:
            layers.append(("selection", [view.selection]))
        if self.flash is not None and FLASH_STEPS[self._flash_step]:
            layers.append(("flash", [self.flash]))
        return layers

    def mark_at(self, page: int, x: float, y: float) -> HighlightItem | None:
        """The topmost value, suggestion or note whose box holds the point."""
        for rect, m in reversed(self.overlays(page)):
            if m.kind in ("value", "suggestion", "note") and rect.adjusted(-1, -1, 1, 1).contains(
                QPointF(x, y)
            ):
                return m
        return None

    def _focus_changed(self, scroll: bool) -> None:
        view = self.view
        view.canvas.update()
        spans = view.document.focused()
        if not scroll or not spans or view.mode() != "pages":
            return
        for start, end, _colour in spans:
            page = view.page_of(start)
            if page is not None and view.canvas.shows(page, view.rects_for(page, start, end)):
                return  # one of the field's boxes is on screen already: stay
        view.reveal(spans[0][0], spans[0][1])

    def _span_flashed(self, start: int, end: int) -> None:
        self.flash = (start, end)
        self._flash_step = 0
        self._flash_timer.start()
        if self.view.mode() == "pages":
            self.view.reveal(start, end)
        self.view.canvas.update()

    def _flash_tick(self) -> None:
        self._flash_step += 1
        if self._flash_step >= len(FLASH_STEPS):
            self._flash_timer.stop()
            self.flash = None
        self.view.canvas.update()
