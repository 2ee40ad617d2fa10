"""The page view's canvas: the pages one under another, their marks, the mouse and keys.

Geometry is in two units: points on a page (what ``PageLayout`` gives, the page as
shown, top-left origin) and pixels in the viewport (``to_view``, ``_point_at``); the
zoom is pixels per point. Pages are drawn from the page view's cache of rendered
images (a stand-in, stretched, while the right one renders), and the marks over
them are multiplied with the page as a highlighter would be, so the print stays
black. Everything the canvas knows of the record, the text and the marks it asks
its owner, the ``PageView``. The painting is in ``page_painting``, the keys in
``page_keys``.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QContextMenuEvent,
    QDrag,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QToolTip,
)

from reviewer.ingest.pdf_layout import Rect
from reviewer.ui.page_chrome import plain_tooltip
from reviewer.ui.page_keys import claims_shortcut, press_key
from reviewer.ui.page_painting import paint_pages

if TYPE_CHECKING:
    from reviewer.ui.page_view import PageView

MARGIN = 12  # around the pages, in pixels
GAP = 12  # between pages
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
REST_MS = 150  # the view rests when it has not moved for this long
FLASH_STEPS = (True, True, False, True, True, False)  # 150 ms each, as the text view


class PageCanvas(QAbstractScrollArea):
    """The pages, one under another, with their boxes; mouse and keys."""

    def __init__(self, owner: PageView):
        super().__init__()
        self.owner = owner
        self.setObjectName("page_canvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setMouseTracking(True)
        self.viewport().setAcceptDrops(False)
        self.sizes: list[tuple[float, float]] = []
        self.tops: list[float] = []
        self.zoom = 1.0
        self.fit: str | None = "width"
        self._press: QPoint | None = None
        self._press_page: int | None = None
        self._anchor: int | None = None
        self._mode = ""  # "select" | "table" | "drag" while the button is down
        self.band: tuple[int, QPointF, QPointF] | None = None  # page, press, now (points)
        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(40)
        self._autoscroll.timeout.connect(self._autoscroll_tick)
        self._last_mouse = QPoint()
        self._scrolled_at = self._moving_until = 0.0
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())

    def _scrolled(self, _value: int) -> None:
        now = time.monotonic()
        if now - self._scrolled_at < REST_MS / 1000:  # one scroll after another: moving
            self._moving_until = now + REST_MS / 1000
        self._scrolled_at = now
        self.owner._scrolled()

    def moving(self) -> bool:
        """True while the view is being scrolled on and on (not after one jump)."""
        return time.monotonic() < self._moving_until

    # -- geometry -----------------------------------------------------------------------

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        self.sizes = list(sizes)
        self._apply_fit()
        self._relayout()

    def _relayout(self) -> None:
        tops, y = [], float(MARGIN)
        for _w, h in self.sizes:
            tops.append(y)
            y += h * self.zoom + GAP
        self.tops = tops
        height = int(y - GAP + MARGIN) if self.sizes else 0
        width = int(self._widest() * self.zoom + 2 * MARGIN)
        view = self.viewport().size()
        self.verticalScrollBar().setRange(0, max(0, height - view.height()))
        self.verticalScrollBar().setPageStep(view.height())
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setRange(0, max(0, width - view.width()))
        self.horizontalScrollBar().setPageStep(view.width())
        self.horizontalScrollBar().setSingleStep(40)
        self.viewport().update()

    def _widest(self) -> float:
        return max((w for w, _h in self.sizes), default=0.0)

    def _apply_fit(self) -> None:
        if not self.sizes or self.fit is None:
            return
        view = self.viewport().size()
        width_zoom = (view.width() - 2 * MARGIN) / max(1.0, self._widest())
        if self.fit == "page":
            tallest = max(h for _w, h in self.sizes)
            width_zoom = min(width_zoom, (view.height() - 2 * MARGIN) / max(1.0, tallest))
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, width_zoom))

    def set_zoom(self, zoom: float) -> None:
        self.fit = None
        self._zoom_keeping_place(max(MIN_ZOOM, min(MAX_ZOOM, zoom)))

    def set_fit(self, fit: str) -> None:
        self.fit = fit
        before = self.zoom
        self._apply_fit()
        target, self.zoom = self.zoom, before
        self._zoom_keeping_place(target)

    def _zoom_keeping_place(self, zoom: float, anchor: QPointF | None = None) -> None:
        anchor_y = anchor.y() if anchor is not None else 0.0
        place = self._point_at(QPointF(0, anchor_y)) if self.sizes else None
        self.zoom = zoom
        self._relayout()
        if place is not None:
            page, _x, y = place
            self.verticalScrollBar().setValue(int(self.tops[page] + y * zoom - anchor_y))
        self.owner.toolbar.zoomed()

    def page_rect(self, page: int) -> QRectF:
        """Page ``page`` in viewport pixels."""
        w, h = self.sizes[page]
        content_w = max(self.viewport().width(), self._widest() * self.zoom + 2 * MARGIN)
        x = (content_w - w * self.zoom) / 2 - self.horizontalScrollBar().value()
        y = self.tops[page] - self.verticalScrollBar().value()
        return QRectF(x, y, w * self.zoom, h * self.zoom)

    def to_view(self, page: int, rect: Rect | QRectF) -> QRectF:
        """A rectangle in points on ``page`` in viewport pixels."""
        if isinstance(rect, QRectF):
            rect = rect_of(rect)
        origin = self.page_rect(page).topLeft()
        z = self.zoom
        return QRectF(
            origin.x() + rect[0] * z,
            origin.y() + rect[1] * z,
            (rect[2] - rect[0]) * z,
            (rect[3] - rect[1]) * z,
        )

    def _point_at(self, point: QPointF) -> tuple[int, float, float] | None:
        """``(page, x, y)`` in points for a viewport point: the page under it, or the
        nearest page (the gap between two pages belongs to the one above)."""
        if not self.sizes:
            return None
        y = point.y() + self.verticalScrollBar().value()
        page = max(0, bisect_right(self.tops, y) - 1)
        rect = self.page_rect(page)
        return page, (point.x() - rect.x()) / self.zoom, (point.y() - rect.y()) / self.zoom

    def visible_pages(self) -> list[int]:
        if not self.sizes:
            return []
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect_right(self.tops, top) - 1)
        pages = []
        for page in range(first, len(self.sizes)):
            if self.tops[page] > bottom:
                break
            if self.tops[page] + self.sizes[page][1] * self.zoom >= top:
                pages.append(page)
        return pages

    def current_page(self) -> int:
        """The page at a third of the way down the view."""
        if not self.sizes:
            return 0
        y = self.verticalScrollBar().value() + self.viewport().height() / 3
        return max(0, min(len(self.sizes) - 1, bisect_right(self.tops, y) - 1))

    def scroll_to_page(self, page: int) -> None:
        if 0 <= page < len(self.tops):
            self.verticalScrollBar().setValue(int(self.tops[page] - MARGIN / 2))

    def shows(self, page: int | None, rects: list[Rect]) -> bool:
        view = QRectF(self.viewport().rect())
        return page is not None and any(view.contains(self.to_view(page, r)) for r in rects)

    def ensure_visible(self, page: int, rect: Rect) -> None:
        """Scroll so that ``rect`` on ``page`` is in view, in the upper third if it was not."""
        target = self.to_view(page, rect)
        view = QRectF(self.viewport().rect()).adjusted(0, 20, 0, -20)
        if not view.contains(target):
            bar = self.verticalScrollBar()
            bar.setValue(int(bar.value() + target.top() - self.viewport().height() / 3))
            hbar = self.horizontalScrollBar()
            if target.left() < 0 or target.right() > self.viewport().width():
                hbar.setValue(int(hbar.value() + target.center().x() - self.viewport().width() / 2))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.fit is not None and self.sizes:
            self._zoom_keeping_place(self._fitted())
        else:
            self._relayout()

    def _fitted(self) -> float:
        before = self.zoom
        self._apply_fit()
        fitted, self.zoom = self.zoom, before
        return fitted

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self.viewport())
        paint_pages(self, painter, event.rect())
        painter.end()
        self.owner.schedule()

    # -- the mouse ----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self.setFocus()
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = event.position()
        place = self._point_at(point)
        self._press = point.toPoint()
        self._last_mouse = self._press
        if place is None:
            return
        page, x, y = place
        self._press_page = page
        owner = self.owner
        table = owner.toolbar.table_action.isChecked() or bool(
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if table:
            self._mode = "table"
            self.band = (page, QPointF(x, y), QPointF(x, y))
            return
        if owner.selection is not None and self._in_selection(page, x, y):
            self._mode = "drag"
            return
        caret = owner.pointer.caret(page, x, y)
        self._mode = "select"
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and owner.selection is not None:
            if self._anchor is None:
                self._anchor = owner.selection[0]
            self._extend(caret)
            return
        self._anchor = caret

    def _in_selection(self, page: int, x: float, y: float) -> bool:
        sel = self.owner.selection
        return sel is not None and any(
            r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in self.owner.rects_for(page, *sel)
        )

    def _extend(self, caret: int | None) -> None:
        if caret is None or self._anchor is None:
            return
        self.owner.pointer.set_selection(min(self._anchor, caret), max(self._anchor, caret))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        point = event.position()
        self._last_mouse = point.toPoint()
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            self._hover_cursor(point)
            return
        moved = (point.toPoint() - self._press).manhattanLength()
        if moved < QApplication.startDragDistance() and self._mode != "table":
            return
        if self._mode == "drag":
            self._start_drag()
            return
        self._drag_to(point)
        inside = self.viewport().rect().adjusted(0, 10, 0, -10)
        if not inside.contains(point.toPoint()):
            self._autoscroll.start()
        else:
            self._autoscroll.stop()

    def _drag_to(self, point: QPointF) -> None:
        place = self._point_at(point)
        if place is None:
            return
        page, x, y = place
        if self._mode == "table" and self.band is not None:
            band_page, start, _now = self.band
            origin = self.page_rect(band_page)
            x, y = (point.x() - origin.x()) / self.zoom, (point.y() - origin.y()) / self.zoom
            self.band = (band_page, start, QPointF(x, y))
            self.viewport().update()
        elif self._mode == "select":
            self._extend(self.owner.pointer.caret(page, x, y))

    def _autoscroll_tick(self) -> None:
        if self._press is None:
            self._autoscroll.stop()
            return
        y = self._last_mouse.y()
        height = self.viewport().height()
        step = y if y < 0 else y - height if y > height else 0
        if step:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + int(max(-60, min(60, step))))
            self._drag_to(QPointF(self._last_mouse))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self._autoscroll.stop()
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        point = event.position()
        moved = (point.toPoint() - self._press).manhattanLength()
        mode, self._mode = self._mode, ""
        self._press = None
        if mode == "table" and self.band is not None:
            page, a, b = self.band
            self.band = None
            self.viewport().update()
            if moved >= QApplication.startDragDistance():
                rect = (min(a.x(), b.x()), min(a.y(), b.y()), max(a.x(), b.x()), max(a.y(), b.y()))
                self.owner.pointer.take_table(page, rect)
            return
        if moved < QApplication.startDragDistance():
            place = self._point_at(point)
            if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                if self.owner.selection is not None:
                    self.owner.pointer.set_selection(0, 0)
                if place is not None:
                    self.owner.pointer.clicked(*place)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        place = self._point_at(event.position())
        word = self.owner.pointer.word_at(*place) if place else None
        if word is not None:
            self._anchor = word[0]
            self.owner.pointer.set_selection(*word)

    def _start_drag(self) -> None:
        self._mode = ""
        self._press = None
        mime = self.owner.document.selection_mime()
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)

    def _hover_cursor(self, point: QPointF) -> None:
        place = self._point_at(point)
        cursor = Qt.CursorShape.ArrowCursor
        if place is not None:
            page, x, y = place
            if self.owner.toolbar.table_action.isChecked():
                cursor = Qt.CursorShape.CrossCursor
            elif self.owner.marks.mark_at(page, x, y) is not None:
                cursor = Qt.CursorShape.PointingHandCursor
            elif self.owner.pointer.offset_at(page, x, y) is not None:
                cursor = Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(cursor)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                zoom = self.zoom * (1.1**steps)
                self.fit = None
                self._zoom_keeping_place(max(MIN_ZOOM, min(MAX_ZOOM, zoom)), event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        menu = self.owner.pointer.context_menu_at(QPointF(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ToolTip:
            help_event: QHelpEvent = event  # type: ignore[assignment]
            place = self._point_at(QPointF(help_event.pos()))
            offset = self.owner.pointer.offset_at(*place) if place else None
            tip = self.owner.document.tooltip_at(offset) if offset is not None else ""
            if tip:
                QToolTip.showText(help_event.globalPos(), plain_tooltip(tip), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # -- keys ---------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # keys the page view answers itself even where the window has the same shortcut
        # (Ctrl+F finds in the document here, as in any reader)
        if event.type() == QEvent.Type.ShortcutOverride and claims_shortcut(event):  # type: ignore[arg-type]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if not press_key(self, event):
            super().keyPressEvent(event)


def rect_of(rect: QRectF) -> Rect:
    return rect.left(), rect.top(), rect.right(), rect.bottom()
