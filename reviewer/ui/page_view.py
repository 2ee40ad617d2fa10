"""The page view: a record's PDF as pages beside the form, with every value's words
boxed where they are printed.

Reviewers read articles as pages (figures, tables, two columns), so a record whose
text came from a PDF (imported, or attached as its full text) can be shown as its
PDF. The page view is a second view of the same record as the document view: it
sits in the document view's stack and mirrors it. It draws the same marks
(values, suggestions, notes, keywords; ``legend`` says how each looks) as boxes
at the characters' positions, which ``reviewer.ingest.pdf_layout`` traces from the
record's text to PDFium's characters exactly; its selection *is* the document
view's selection (a drag on the page selects those characters of the text, in the
text's order), so the context menu, Ctrl+1…Ctrl+0, dragging onto a field, notes
and copying work as they do on the text, and switching views keeps it.

Pages are rendered on a worker thread (``pdf_render``) and only those near the
view are asked for; rendered pages are cached up to a memory limit. A rectangle
drawn with Alt held (or the Table tool) over a table gives its cells
(``reviewer.ingest.pdf_tables``) to copy or to send to the results grid.

Nothing in a PDF is followed or run: links are not links here, and forms and
scripts are never loaded (see ``reviewer.ingest.pdf_pages``).

This module keeps the state (the PDF, its pages' layouts and where their text sits
in the record's, the selection, find hits) and talks to the document view;
``page_canvas`` draws the pages and takes the mouse and keys; ``page_chrome`` holds
the thumbnails, the find bar and the Text | Pages switch.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QPointF,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QImage,
)
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMenu,
    QSpinBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Record
from reviewer.ingest.pdf_layout import PageLayout, Rect, locate_page, page_starts
from reviewer.ingest.pdf_pages import PdfInfo
from reviewer.ingest.pdf_tables import PdfTable, table_in
from reviewer.review.pdf_files import PdfFile
from reviewer.ui.page_canvas import FLASH_STEPS, MAX_ZOOM, MIN_ZOOM, REST_MS, PageCanvas, rect_of
from reviewer.ui.page_chrome import (
    MAX_FIND_HITS,
    THUMB_WIDTH,
    FindBar,
    Thumbnails,
    ViewSwitch,
    known_pdf_location,
    plain_tooltip,
)
from reviewer.ui.pdf_render import PAGE_CACHE_BYTES, THUMB_CACHE_BYTES, ImageCache, PageRenderer

__all__ = ["PageView", "install_page_view", "known_pdf_location", "plain_tooltip"]

if TYPE_CHECKING:
    from reviewer.ui.document_view import DocumentView
    from reviewer.ui.highlight_items import HighlightItem

FindPdf = Callable[[int], PdfFile | None]

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
LAYOUT_CACHE = 48  # pages whose character boxes are kept
_SETTING_MODE = "document/view"  # "pages" or "text": the reviewer's last choice
_LAYER = {"keyword_include": 0, "keyword_exclude": 0, "note": 1, "suggestion": 2, "value": 3}


class PageView(QWidget):
    """A record's PDF as pages, mirroring a ``DocumentView`` (see the module doc)."""

    table_selected = Signal(object)  # PdfTable, spans in the record's text
    mode_changed = Signal(str)  # "pages" or "text"

    def __init__(self, document: DocumentView, find_pdf: FindPdf):
        super().__init__()
        self.setObjectName("page_view")
        self.document = document
        self.find_pdf = find_pdf
        self.renderer = PageRenderer(self)
        self.images = ImageCache(PAGE_CACHE_BYTES)
        self.thumbs = ImageCache(THUMB_CACHE_BYTES)
        self.layouts: OrderedDict[int, PageLayout] = OrderedDict()
        self.bases: dict[int, int | None] = {}  # page -> where its text starts in record.text
        self.failed: dict[tuple[int, str], str] = {}
        self.record: Record | None = None
        self.pdf: PdfFile | None = None
        self.info: PdfInfo | None = None
        self.open_error = ""
        self.token = -1
        self.expected: list[tuple[int, int]] = []
        self.selection: tuple[int, int] | None = None
        self.hits: list[tuple[int, int]] = []
        self.hit = -1
        self.flash: tuple[int, int] | None = None
        self._flash_step = 0
        self._reveal: tuple[int, int] | None = None
        self._goto_page: int | None = None
        self._opening = False
        self._mode_now = ""  # a mode set without remembering it (screenshots)
        self._opened_stat: tuple[int, int] | None = None
        self._overlays: dict[int, list[tuple[QRectF, HighlightItem]]] = {}
        self.results_target: Callable[[PdfTable], None] | None = None
        self.last_table: PdfTable | None = None

        self.canvas = PageCanvas(self)
        self.thumbnails = Thumbnails(self)
        self.toolbar = self._make_toolbar()
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.thumbnails)
        split.addWidget(self.canvas)
        split.setStretchFactor(1, 1)
        split.setCollapsible(1, False)
        self.thumbnails.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(split, 1)
        layout.addWidget(self.find_bar)

        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(0)
        self._request_timer.timeout.connect(self._request)
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(150)
        self._flash_timer.timeout.connect(self._flash_tick)

        r = self.renderer
        r.opened.connect(self._opened)
        r.open_failed.connect(self._open_failed)
        r.layout_read.connect(self._layout_read)
        r.rendered.connect(self._rendered)
        r.page_failed.connect(self._page_failed)
        document.record_shown.connect(lambda: self.load(document.record))
        document.marks_changed.connect(self._marks_changed)
        document.focus_changed.connect(self._focus_changed)
        document.span_flashed.connect(self._span_flashed)
        document.selection_changed.connect(self._text_selection_changed)
        worker = self.renderer.worker  # not the Qt object: it is going when this runs
        self.destroyed.connect(lambda *_a: worker.shutdown(0.5))

    # -- toolbar ---------------------------------------------------------------------------

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setObjectName("page_toolbar")
        bar.setIconSize(QSize(16, 16))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.thumbs_action = bar.addAction("▤")
        self.thumbs_action.setObjectName("page_thumbnails")
        self.thumbs_action.setCheckable(True)
        self.thumbs_action.setToolTip("Page thumbnails")
        self.thumbs_action.toggled.connect(self._toggle_thumbnails)
        bar.addAction("‹", lambda: self.go_to_page(self.current_page() - 1)).setToolTip(
            "Previous page"
        )
        self.page_spin = QSpinBox()
        self.page_spin.setObjectName("page_number")
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.setMinimum(1)
        self.page_spin.setToolTip("Go to page (Ctrl+G)")
        self.page_spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.page_spin.valueChanged.connect(lambda v: self.go_to_page(v - 1))
        bar.addWidget(self.page_spin)
        self.page_count = QLabel(" / 0 ")
        bar.addWidget(self.page_count)
        bar.addAction("›", lambda: self.go_to_page(self.current_page() + 1)).setToolTip("Next page")
        bar.addSeparator()
        bar.addAction("−", self.zoom_out).setToolTip("Zoom out (Ctrl+-)")
        self.zoom_combo = QComboBox()
        self.zoom_combo.setObjectName("page_zoom")
        self.zoom_combo.addItem("Fit width", "width")
        self.zoom_combo.addItem("Fit page", "page")
        for z in ZOOMS:
            self.zoom_combo.addItem(f"{round(z * 100)}%", z)
        self.zoom_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.zoom_combo.activated.connect(lambda i: self._zoom_chosen(self.zoom_combo.itemData(i)))
        bar.addWidget(self.zoom_combo)
        bar.addAction("+", self.zoom_in).setToolTip("Zoom in (Ctrl++)")
        bar.addSeparator()
        self.table_action = bar.addAction("Table")
        self.table_action.setObjectName("page_table_tool")
        self.table_action.setCheckable(True)
        self.table_action.setToolTip(
            "Draw a rectangle over a table to take its rows (or drag with Alt held)"
        )
        self.find_action = bar.addAction("Find")
        self.find_action.setObjectName("page_find")
        self.find_action.setToolTip("Find in the document (Ctrl+F; F3 next, Shift+F3 previous)")
        self.find_action.triggered.connect(self.open_find)
        for button in bar.findChildren(QToolButton):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return bar

    def _toggle_thumbnails(self, shown: bool) -> None:
        self.thumbnails.setVisible(shown)
        if shown:
            self.thumbnails.sync(self.current_page())
        self.schedule()

    # -- the record and its PDF ------------------------------------------------------------

    def load(self, record: Record | None) -> None:
        """Show ``record``'s PDF (the document view has just shown its text)."""
        pdf = self.find_pdf(record.id) if record is not None else None
        same = (
            record is not None
            and self.record is not None
            and record.id == self.record.id
            and record.text == self.record.text
            and pdf == self.pdf
            and (self.info is not None or self._opening)
            and _stat(pdf) == self._opened_stat
        )
        self.record, self.pdf = record, pdf
        if same:  # the same record shown again (after an edit): keep the place and pages
            self._text_selection_changed()
            self.mode_changed.emit(self.mode())
            return
        self._reset()
        if self.pdf is not None and self.pdf.found and self.preferred_mode() == "pages":
            self._open()
        self.mode_changed.emit(self.mode())

    def _reset(self) -> None:
        self.token = self.renderer.close()
        self._opening = False
        self.info = None
        self.open_error = ""
        self.images.clear()
        self.thumbs.clear()
        self.layouts.clear()
        self.bases.clear()
        self.failed.clear()
        self._overlays.clear()
        self.selection = None
        self.flash = None
        self._reveal = None
        self._goto_page = None
        self.last_table = None
        self.expected = []
        if self.record is not None and self.record.page_offsets:
            self.expected = page_starts(self.record.text, self.record.page_offsets)
        self._find_changed(self.find_bar.text())
        self.canvas.set_pages([])
        self.thumbnails.set_pages([])
        self._update_page_label()

    def _open(self) -> None:
        assert self.pdf is not None
        self._opening = True
        self._opened_stat = _stat(self.pdf)
        self.token = self.renderer.open(self.pdf.path)
        self.canvas.update()

    def _ensure_open(self) -> None:
        pdf = self.pdf
        closed = self.info is None and not self.open_error and not self._opening
        if pdf is not None and pdf.found and closed:
            self._open()

    def has_pdf(self) -> bool:
        return self.pdf is not None

    def is_open(self) -> bool:
        return self.info is not None

    def _opened(self, token: int, info: PdfInfo) -> None:
        if token != self.token:
            return
        self._opening = False
        self.info = info
        self.open_error = ""
        self.canvas.set_pages(info.sizes)
        self.thumbnails.set_pages(info.sizes)
        self._update_page_label()
        if self.expected and len(self.expected) != len(info.sizes):
            self.expected = []  # not this PDF's pages: each page's text is looked for
        self._text_selection_changed()
        target = self._goto_page
        self._goto_page = None
        if self._reveal is not None:
            self._reveal_span(*self._reveal)
        elif target is not None:
            self.go_to_page(target)
        else:
            self.canvas.scroll_to_page(0)
        self.mode_changed.emit(self.mode())
        self.schedule()

    def _open_failed(self, token: int, message: str) -> None:
        if token != self.token:
            return
        self._opening = False
        self.open_error = f"{message}. Showing the text instead."
        self.mode_changed.emit(self.mode())

    def _layout_read(self, token: int, layout: PageLayout) -> None:
        if token != self.token or self.record is None:
            return
        page = layout.index
        self.layouts[page] = layout
        self.layouts.move_to_end(page)
        while len(self.layouts) > LAYOUT_CACHE:
            old, _ = self.layouts.popitem(last=False)
            self._overlays.pop(old, None)
        if page not in self.bases:
            expected = self.expected[page] if page < len(self.expected) else None
            self.bases[page] = locate_page(self.record.text, layout, expected)
            if self.bases[page] is None:
                self.mode_changed.emit(self.mode())  # the notice names the page
        self._overlays.pop(page, None)
        if self._reveal is not None and self.page_of(self._reveal[0]) == page:
            self._reveal_span(*self._reveal)
        self.canvas.update()
        self.schedule()

    def _rendered(self, token: int, kind: str, page: int, scale: float, image: QImage) -> None:
        if token != self.token:
            return
        if kind == "thumb":
            self.thumbs.put(page, image)
            self.thumbnails.set_image(page, image)
        else:
            self.images.put((page, scale), image)
            self.canvas.update()
            self.schedule()

    def _page_failed(self, token: int, page: int, kind: str, message: str) -> None:
        if token == self.token:
            self.failed[(page, kind)] = message
            self.canvas.update()

    def notice(self) -> str:
        """What the reviewer should know about this PDF now, or ""."""
        if self.pdf is None:
            return ""
        if not self.pdf.found:
            return f"The PDF {self.pdf.name} is not at {self.pdf.path}; showing the text."
        if self.open_error:
            return self.open_error
        lost = sorted(
            p + 1 for p, base in self.bases.items() if base is None and self.layouts.get(p)
        )
        lost = [p for p in lost if self.layouts[p - 1].text]
        if lost:
            pages = ", ".join(str(p) for p in lost[:5]) + ("…" if len(lost) > 5 else "")
            return (
                f"The text of page {pages} is not in the record's text (the PDF has changed "
                "since its text was read?): marks and selections cannot be shown there."
            )
        return ""

    # -- mode -------------------------------------------------------------------------------

    def preferred_mode(self) -> str:
        if self._mode_now:
            return self._mode_now
        return "text" if QSettings().value(_SETTING_MODE, "pages") == "text" else "pages"

    def mode(self) -> str:
        """ "pages" when the pages are shown, else "text"."""
        usable = self.pdf is not None and self.pdf.found and not self.open_error
        return "pages" if usable and self.preferred_mode() == "pages" else "text"

    def set_mode(self, mode: str, remember: bool = True) -> None:
        """Show the pages or the text (and remember the choice for other records)."""
        before = self.mode()
        if remember:
            QSettings().setValue(_SETTING_MODE, mode)
            self._mode_now = ""
        else:
            self._mode_now = mode
        if mode == "pages":
            self._ensure_open()
        after = self.mode()
        if before == "text" and after == "pages":
            self._follow_text()
        elif before == "pages" and after == "text":
            self._lead_text()
        self.mode_changed.emit(after)

    def _follow_text(self) -> None:
        """Coming from the text: show the selection, else where the text was."""
        sel = self.document.selection()
        if sel is not None:
            self.reveal(*sel)
            return
        first = self.document.text.firstVisibleBlock()
        if first.isValid():
            page = self.page_of(first.position())
            if page is not None:
                self.go_to_page(page)

    def _lead_text(self) -> None:
        """Going to the text: show the selection there, else the page's start."""
        sel = self.selection
        if sel is not None:
            self.document.select(*sel)
            self.document.text.centerCursor()
            return
        page = self.current_page()
        base = self.bases.get(page)
        if base is None and page < len(self.expected):
            base = self.expected[page][0]
        if base is not None:
            self.document.select(base, base)
            self.document.text.centerCursor()

    # -- pages, text offsets and requests --------------------------------------------------------

    def page_total(self) -> int:
        return len(self.info.sizes) if self.info else 0

    def page_of(self, offset: int) -> int | None:
        """The page whose text holds record offset ``offset``."""
        for page, base in self.bases.items():
            layout = self.layouts.get(page)
            if base is not None and layout is not None and base <= offset < base + len(layout.text):
                return page
        if self.expected:
            starts = [s for s, _e in self.expected]
            return max(0, bisect_right(starts, offset) - 1)
        return None

    def base(self, page: int) -> int | None:
        """Where page ``page``'s text starts in the record's text, once known."""
        return self.bases.get(page) if page in self.layouts else None

    def scale_key(self) -> float:
        return round(self.canvas.zoom * self.canvas.devicePixelRatioF(), 3)

    def schedule(self) -> None:
        """Ask the worker for what the view needs, once the current event is done."""
        self._request_timer.start(0)

    def _request(self) -> None:
        if self.info is None or not self.isVisible():
            return
        scale = self.scale_key()
        visible = self.canvas.visible_pages()
        # while the view moves, pages first (PDFium's C code, beside the UI thread);
        # their text is read (Python work, which takes turns with the UI) once it rests
        moving = self.canvas.moving()
        tasks: list[tuple[str, int, float]] = []
        for page in visible:
            if self.images.get((page, scale)) is None and (page, "page") not in self.failed:
                tasks.append(("page", page, scale))
        for page in [] if moving else visible:
            if page not in self.layouts and (page, "layout") not in self.failed:
                tasks.append(("layout", page, 0.0))
        if self.thumbnails.isVisible():
            for page in self.thumbnails.visible_pages():
                if self.thumbs.get(page) is None and (page, "thumb") not in self.failed:
                    width = self.info.sizes[page][0] or 1
                    tasks.append(("thumb", page, THUMB_WIDTH / width))
        if visible:
            for page in (visible[-1] + 1, visible[0] - 1):
                if 0 <= page < len(self.info.sizes):
                    if self.images.get((page, scale)) is None:
                        tasks.append(("page", page, scale))
                    if page not in self.layouts and not moving:
                        tasks.append(("layout", page, 0.0))
        self.renderer.want(self.token, tasks)
        if moving:
            self._request_timer.start(REST_MS)  # ask again once the view rests

    def idle(self) -> bool:
        """True when the pages on screen are drawn with their text (tests, screenshots)."""
        if self.info is None:
            return bool(self.open_error) or self.pdf is None or not self.pdf.found
        scale = self.scale_key()
        return all(
            (p in self.layouts or (p, "layout") in self.failed)
            and (self.images.get((p, scale)) is not None or (p, "page") in self.failed)
            for p in self.canvas.visible_pages()
        )

    # -- navigation ---------------------------------------------------------------------------

    def current_page(self) -> int:
        return self.canvas.current_page()

    def go_to_page(self, page: int) -> None:
        if self.info is None:
            self._goto_page = page
            return
        page = max(0, min(page, len(self.info.sizes) - 1))
        self.canvas.scroll_to_page(page)

    def _update_page_label(self) -> None:
        count = self.page_total()
        self.page_count.setText(f" / {count} ")
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, count))
        self.page_spin.setValue(self.current_page() + 1 if count else 1)
        self.page_spin.blockSignals(False)

    def _scrolled(self) -> None:
        self.canvas.viewport().update()
        self._update_page_label()
        self.thumbnails.sync(self.current_page())
        self.schedule()

    def zoom_in(self) -> None:
        self.canvas.set_zoom(next((z for z in ZOOMS if z > self.canvas.zoom + 1e-6), MAX_ZOOM))

    def zoom_out(self) -> None:
        smaller = [z for z in ZOOMS if z < self.canvas.zoom - 1e-6]
        self.canvas.set_zoom(smaller[-1] if smaller else MIN_ZOOM)

    def _zoom_chosen(self, data: object) -> None:
        if data in ("width", "page"):
            self.canvas.set_fit(str(data))
        else:
            self.canvas.set_zoom(float(data))  # type: ignore[arg-type]
        self.canvas.setFocus()

    def _zoomed(self) -> None:
        fit = self.canvas.fit
        index = self.zoom_combo.findData(fit) if fit else -1
        if index < 0:
            label = f"{round(self.canvas.zoom * 100)}%"
            index = self.zoom_combo.findText(label)
            if index < 0:
                self.zoom_combo.setEditable(False)
                self.zoom_combo.addItem(label, self.canvas.zoom)
                index = self.zoom_combo.count() - 1
        self.zoom_combo.setCurrentIndex(index)
        self.schedule()

    def reveal(self, start: int, end: int) -> None:
        """Bring record offsets ``start:end`` into view (once its page is known)."""
        self._reveal = (start, end)
        if self.info is not None:
            self._reveal_span(start, end)

    def _reveal_span(self, start: int, end: int) -> None:
        page = self.page_of(start)
        if page is None:
            self._reveal = None
            return
        rects = self.rects_for(page, start, end)
        if rects:
            self._reveal = None
            self.canvas.ensure_visible(page, rects[0])
        else:
            self.canvas.scroll_to_page(page)  # the layout will say where on it
            self.schedule()

    def rects_for(self, page: int, start: int, end: int) -> list[Rect]:
        """Where record offsets ``start:end`` are printed on ``page`` (points)."""
        base = self.base(page)
        if base is None:
            return []
        layout = self.layouts[page]
        lo, hi = max(start, base), min(end, base + len(layout.text))
        return layout.rects(lo - base, hi - base) if lo < hi else []

    # -- marks ---------------------------------------------------------------------------------

    def _marks_changed(self) -> None:
        self._overlays.clear()
        self.canvas.update()

    def overlays(self, page: int) -> list[tuple[QRectF, HighlightItem]]:
        """The document's marks on ``page``: ``(rectangle in points, mark)``, lowest layer
        first."""
        if page in self._overlays:
            return self._overlays[page]
        base = self.base(page)
        out: list[tuple[QRectF, HighlightItem]] = []
        if base is not None:
            layout = self.layouts[page]
            end = base + len(layout.text)
            marks = [m for m in self.document.highlights() if m.start < end and m.end > base]
            marks.sort(key=lambda m: (_LAYER.get(m.kind, 0), m.start))
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
        for kind, spans in self._layers():
            for start, end in spans:
                for r in self.rects_for(page, start, end):
                    out.append((r, kind, None))
        return out

    def _layers(self) -> list[tuple[str, list[tuple[int, int]]]]:
        layers = [("focus", [(s, e) for s, e, _c in self.document.focused()])]
        if self.hits:
            layers.append(("find", self.hits))
        if self.selection is not None:
            layers.append(("selection", [self.selection]))
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
        self.canvas.update()
        spans = self.document.focused()
        if not scroll or not spans or self.mode() != "pages":
            return
        for start, end, _colour in spans:
            page = self.page_of(start)
            if page is not None and self.canvas.shows(page, self.rects_for(page, start, end)):
                return  # one of the field's boxes is on screen already: stay
        self.reveal(spans[0][0], spans[0][1])

    def _span_flashed(self, start: int, end: int) -> None:
        self.flash = (start, end)
        self._flash_step = 0
        self._flash_timer.start()
        if self.mode() == "pages":
            self.reveal(start, end)
        self.canvas.update()

    def _flash_tick(self) -> None:
        self._flash_step += 1
        if self._flash_step >= len(FLASH_STEPS):
            self._flash_timer.stop()
            self.flash = None
        self.canvas.update()

    # -- selection ----------------------------------------------------------------------------

    def set_selection(self, start: int, end: int) -> None:
        """Select record offsets ``start:end`` here and in the text view."""
        if end <= start:
            self.selection = None
            self.document.select(start, start)
        else:
            self.selection = (start, end)
            self.document.select(start, end)
        self.canvas.update()

    def _text_selection_changed(self) -> None:
        sel = self.document.selection()
        if sel != self.selection:
            self.selection = sel
            self.canvas.update()

    def selected_text(self) -> str:
        if self.selection is None or self.record is None:
            return ""
        return self.record.text[self.selection[0] : self.selection[1]]

    def caret(self, page: int, x: float, y: float) -> int | None:
        """The record offset a selection dragged to point ``(x, y)`` of ``page`` reaches."""
        base = self.base(page)
        if base is None:
            return None
        local = self.layouts[page].caret_at(x, y)
        return None if local is None else base + local

    def offset_at(self, page: int, x: float, y: float) -> int | None:
        """The record offset of the character printed at ``(x, y)`` on ``page``."""
        base = self.base(page)
        if base is None:
            return None
        local = self.layouts[page].char_at(x, y, slack=0.5)
        return None if local is None else base + local

    def word_at(self, page: int, x: float, y: float) -> tuple[int, int] | None:
        base = self.base(page)
        if base is None:
            return None
        layout = self.layouts[page]
        local = layout.char_at(x, y, slack=0.5)
        if local is None:
            return None
        start, end = layout.word_at(local)
        return base + start, base + end

    def context_menu_at(self, point: QPointF) -> QMenu:
        """The document's menu (set a field from the selection, notes, copy) for a right
        click at ``point`` of the canvas, with the marks of the word under it."""
        place = self.canvas._point_at(point)
        offset = self.offset_at(*place) if place else None
        return self.document.context_menu(None, offset)

    def clicked(self, page: int, x: float, y: float) -> None:
        """A click (not a drag): a value's or suggestion's box focuses its field."""
        mark = self.mark_at(page, x, y)
        if mark is None:
            return
        if mark.kind in ("value", "suggestion") and mark.field:
            self.document.highlight_clicked.emit(mark.field)
        elif mark.kind == "note" and mark.ref is not None:
            self.document.note_clicked.emit(mark.ref)

    def table_at(self, page: int, rect: Rect) -> PdfTable | None:
        """The cells of a table under ``rect`` (points) on ``page``, spans in the record."""
        base = self.base(page)
        layout = self.layouts.get(page)
        if layout is None:
            return None
        table = table_in(layout, rect)
        if base is None:
            table.problems.append(
                "this page's text is not in the record's text, so the cells have no spans"
            )
            return table
        return table.shifted(base)

    def take_table(self, page: int, rect: Rect) -> None:
        table = self.table_at(page, rect)
        if table is None:
            return
        self.last_table = table
        self.table_selected.emit(table)
        from reviewer.ui.pdf_table_dialog import TableDialog

        dialog = TableDialog(table, self.results_target, self)
        dialog.show()
        self.table_dialog = dialog

    # -- find -----------------------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_bar.edit.setFocus()
        self.find_bar.edit.selectAll()

    def close_find(self) -> None:
        self.find_bar.hide()
        self.hits, self.hit = [], -1
        self.canvas.update()
        self.canvas.setFocus()

    def _find_changed(self, query: str) -> None:
        self.hits, self.hit = [], -1
        if query.strip() and self.record is not None:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            for m in pattern.finditer(self.record.text):
                self.hits.append((m.start(), m.end()))
                if len(self.hits) >= MAX_FIND_HITS:
                    break
        if self.hits:
            self.find_next(0)
        self.find_bar.show_count(self.hit, len(self.hits), bool(query.strip()))
        self.canvas.update()

    def find_next(self, step: int = 1) -> None:
        """Go to the next (``step`` 1), previous (-1) or first-from-here (0) hit."""
        if not self.hits:
            return
        if self.hit < 0 or step == 0:
            page = self.current_page()
            base = self.base(page)
            if base is None and page < len(self.expected):
                base = self.expected[page][0]
            starts = [s for s, _e in self.hits]
            self.hit = min(bisect_right(starts, (base or 0) - 1), len(self.hits) - 1)
        else:
            self.hit = (self.hit + step) % len(self.hits)
        self.find_bar.show_count(self.hit, len(self.hits), True)
        self.reveal(*self.hits[self.hit])
        self.canvas.update()


def _stat(pdf: PdfFile | None) -> tuple[int, int] | None:
    """The PDF file's modification time and size: a changed file is opened anew."""
    try:
        st = pdf.path.stat() if pdf is not None else None
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if st is not None else None


def install_page_view(document: DocumentView, find_pdf: FindPdf) -> PageView:
    """Give ``document`` a page view of its records' PDFs (and the switch above it)."""
    pages = PageView(document, find_pdf)
    document.stack.addWidget(pages)
    switch = ViewSwitch(pages)
    pages.switch = switch
    layout = document.layout()
    layout.insertWidget(layout.indexOf(document.stack), switch)
    return pages
