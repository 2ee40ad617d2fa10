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
"""

from __future__ import annotations

import html
import re
import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QPoint,
    QPointF,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDrag,
    QHelpEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Record
from reviewer.ingest.pdf_layout import PageLayout, Rect, locate_page, page_starts
from reviewer.ingest.pdf_pages import PdfInfo
from reviewer.ingest.pdf_tables import PdfTable, table_in
from reviewer.review.pdf_files import PdfFile
from reviewer.ui.legend import (
    FLASH_COLOUR,
    GROUP_ACCENTS,
    KEYWORD_COLOURS,
    NOTE_ACCENT,
    NOTE_FILL,
    group_colour,
)
from reviewer.ui.pdf_render import PAGE_CACHE_BYTES, THUMB_CACHE_BYTES, ImageCache, PageRenderer

if TYPE_CHECKING:
    from reviewer.ui.document_view import DocumentView, HighlightItem

FindPdf = Callable[[int], PdfFile | None]

MARGIN = 12  # around the pages, in pixels
GAP = 12  # between pages
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
LAYOUT_CACHE = 48  # pages whose character boxes are kept
THUMB_WIDTH = 96
MAX_FIND_HITS = 5000
REST_MS = 150  # the view rests when it has not moved for this long
_FLASH_STEPS = (True, True, False, True, True, False)  # 150 ms each, as the text view
_SETTING_MODE = "document/view"  # "pages" or "text": the reviewer's last choice
_LAYER = {"keyword_include": 0, "keyword_exclude": 0, "note": 1, "suggestion": 2, "value": 3}
FIND_FILL = "#ffeb3b"
FIND_CURRENT = "#ff9800"


def known_pdf_location(sha256: str) -> str | None:
    """Where the reviewer showed this PDF to be on this computer, if they did."""
    value = QSettings().value(f"pdf_locations/{sha256}", "")
    return str(value) if value else None


def remember_pdf_location(sha256: str, path: str) -> None:
    QSettings().setValue(f"pdf_locations/{sha256}", path)


def plain_tooltip(text: str) -> str:
    """Tooltip text that Qt shows as it is, never as markup."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def _rgba(colour: str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


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

        self.canvas = _Canvas(self)
        self.thumbnails = _Thumbnails(self)
        self.toolbar = self._make_toolbar()
        self.find_bar = _FindBar(self)
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
            out.append((_rect(rect), m.kind, m.field))
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
        if self.flash is not None and _FLASH_STEPS[self._flash_step]:
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
        if self._flash_step >= len(_FLASH_STEPS):
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


class _Canvas(QAbstractScrollArea):
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
        self._band: tuple[int, QPointF, QPointF] | None = None  # page, press, now (points)
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
        self.owner._zoomed()

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
            rect = _rect(rect)
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
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Mid))
        owner = self.owner
        if not self.sizes:
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            text = "Opening the PDF…" if owner.pdf is not None and not owner.open_error else ""
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, text)
            return
        scale = owner.scale_key()
        dpr = self.devicePixelRatioF()
        for page in self.visible_pages():
            rect = self.page_rect(page)
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
                stand_in = owner.images.any_of(lambda k, p=page: k[0] == p) or owner.thumbs.get(
                    page
                )
                if stand_in is not None:
                    painter.drawImage(rect, stand_in)
                failed = owner.failed.get((page, "page"))
                painter.setPen(QColor("#555"))
                painter.drawText(
                    rect,
                    Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                    failed or ("" if stand_in is not None else f"Page {page + 1}"),
                )
            self._paint_marks(painter, page)
        if self._band is not None:
            page, a, b = self._band
            band = self.to_view(
                page, (min(a.x(), b.x()), min(a.y(), b.y()), max(a.x(), b.x()), max(a.y(), b.y()))
            )
            painter.setPen(
                QPen(palette.color(QPalette.ColorRole.Highlight), 1.5, Qt.PenStyle.DashLine)
            )
            painter.setBrush(_rgba(palette.color(QPalette.ColorRole.Highlight).name(), 40))
            painter.drawRect(band)
        painter.end()
        self.owner.schedule()

    def _paint_marks(self, painter: QPainter, page: int) -> None:
        """Marks as a highlighter draws them: multiplied with the page, so the printed
        words stay black under any colour."""
        owner = self.owner
        painter.save()
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.setPen(Qt.PenStyle.NoPen)
        for rect, m in owner.overlays(page):
            view = self.to_view(page, rect)
            _paint_mark(painter, view, m.kind, m.group)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        current = owner.hits[owner.hit] if 0 <= owner.hit < len(owner.hits) else None
        for kind, spans in owner._layers():
            for span in spans:
                colour = None
                if kind == "focus":
                    colour = next(
                        (c for s, e, c in owner.document.focused() if (s, e) == span), None
                    )
                for r in owner.rects_for(page, *span):
                    view = self.to_view(page, r)
                    if kind == "selection":
                        painter.fillRect(view, _rgba(highlight.name(), 140))
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
        table = owner.table_action.isChecked() or bool(
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if table:
            self._mode = "table"
            self._band = (page, QPointF(x, y), QPointF(x, y))
            return
        if owner.selection is not None and self._in_selection(page, x, y):
            self._mode = "drag"
            return
        caret = owner.caret(page, x, y)
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
        self.owner.set_selection(min(self._anchor, caret), max(self._anchor, caret))

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
        if self._mode == "table" and self._band is not None:
            band_page, start, _now = self._band
            origin = self.page_rect(band_page)
            x, y = (point.x() - origin.x()) / self.zoom, (point.y() - origin.y()) / self.zoom
            self._band = (band_page, start, QPointF(x, y))
            self.viewport().update()
        elif self._mode == "select":
            self._extend(self.owner.caret(page, x, y))

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
        if mode == "table" and self._band is not None:
            page, a, b = self._band
            self._band = None
            self.viewport().update()
            if moved >= QApplication.startDragDistance():
                rect = (min(a.x(), b.x()), min(a.y(), b.y()), max(a.x(), b.x()), max(a.y(), b.y()))
                self.owner.take_table(page, rect)
            return
        if moved < QApplication.startDragDistance():
            place = self._point_at(point)
            if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                if self.owner.selection is not None:
                    self.owner.set_selection(0, 0)
                if place is not None:
                    self.owner.clicked(*place)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        place = self._point_at(event.position())
        word = self.owner.word_at(*place) if place else None
        if word is not None:
            self._anchor = word[0]
            self.owner.set_selection(*word)

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
            if self.owner.table_action.isChecked():
                cursor = Qt.CursorShape.CrossCursor
            elif self.owner.mark_at(page, x, y) is not None:
                cursor = Qt.CursorShape.PointingHandCursor
            elif self.owner.offset_at(page, x, y) is not None:
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
        menu = self.owner.context_menu_at(QPointF(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.ToolTip:
            help_event: QHelpEvent = event  # type: ignore[assignment]
            place = self._point_at(QPointF(help_event.pos()))
            offset = self.owner.offset_at(*place) if place else None
            tip = self.owner.document.tooltip_at(offset) if offset is not None else ""
            if tip:
                QToolTip.showText(help_event.globalPos(), plain_tooltip(tip), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # -- keys ---------------------------------------------------------------------------

    _OWN_KEYS = (
        QKeySequence.StandardKey.Find,
        QKeySequence.StandardKey.Copy,
        QKeySequence.StandardKey.SelectAll,
        QKeySequence.StandardKey.ZoomIn,
        QKeySequence.StandardKey.ZoomOut,
        QKeySequence.StandardKey.FindNext,
        QKeySequence.StandardKey.FindPrevious,
    )

    def event(self, event: QEvent) -> bool:
        # keys the page view answers itself even where the window has the same shortcut
        # (Ctrl+F finds in the document here, as in any reader)
        if event.type() == QEvent.Type.ShortcutOverride:
            key: QKeyEvent = event  # type: ignore[assignment]
            if (
                any(key.matches(k) for k in self._OWN_KEYS)
                or key.key()
                in (
                    Qt.Key.Key_Escape,
                    Qt.Key.Key_Space,
                )
                or (
                    key.modifiers() & Qt.KeyboardModifier.ControlModifier
                    and key.key()
                    in (Qt.Key.Key_G, Qt.Key.Key_Equal, Qt.Key.Key_Plus, Qt.Key.Key_Minus)
                )
            ):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        owner = self.owner
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        bar = self.verticalScrollBar()
        page_step = max(40, self.viewport().height() - 40)
        if ctrl and key == Qt.Key.Key_G:  # go to page, as in Okular (before FindNext's Ctrl+G)
            owner.page_spin.setFocus()
            owner.page_spin.selectAll()
        elif event.matches(QKeySequence.StandardKey.Find):
            owner.open_find()
        elif event.matches(QKeySequence.StandardKey.FindNext):
            owner.find_next(1)
        elif event.matches(QKeySequence.StandardKey.FindPrevious):
            owner.find_next(-1)
        elif event.matches(QKeySequence.StandardKey.Copy):
            owner.document.text.copy()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            owner.document.text.selectAll()
        elif ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            owner.zoom_in()
        elif ctrl and key == Qt.Key.Key_Minus:
            owner.zoom_out()
        elif key == Qt.Key.Key_Escape:
            if owner.find_bar.isVisible():
                owner.close_find()
            elif owner.selection is not None:
                owner.set_selection(0, 0)
        elif key == Qt.Key.Key_Space:
            bar.setValue(bar.value() + (-page_step if shift else page_step))
        elif key == Qt.Key.Key_PageDown:
            bar.setValue(bar.value() + page_step)
        elif key == Qt.Key.Key_PageUp:
            bar.setValue(bar.value() - page_step)
        elif key == Qt.Key.Key_Down:
            bar.setValue(bar.value() + bar.singleStep())
        elif key == Qt.Key.Key_Up:
            bar.setValue(bar.value() - bar.singleStep())
        elif key == Qt.Key.Key_Home:
            owner.go_to_page(0)
        elif key == Qt.Key.Key_End:
            owner.go_to_page(len(self.sizes) - 1)
        else:
            super().keyPressEvent(event)


def _paint_mark(painter: QPainter, view: QRectF, kind: str, group: str) -> None:
    """One mark's box, in the look ``legend`` gives its kind in the text."""
    accent = QColor(GROUP_ACCENTS.get(group or "other", GROUP_ACCENTS["other"]))
    if kind == "value":
        painter.fillRect(view, QColor(group_colour(group)))
        painter.fillRect(QRectF(view.left(), view.bottom() - 1.5, view.width(), 1.5), accent)
    elif kind == "suggestion":
        painter.fillRect(view, _rgba(group_colour(group), 110))
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


def _stat(pdf: PdfFile | None) -> tuple[int, int] | None:
    """The PDF file's modification time and size: a changed file is opened anew."""
    try:
        st = pdf.path.stat() if pdf is not None else None
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if st is not None else None


def _rect(rect: QRectF) -> Rect:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


class _Thumbnails(QListWidget):
    """Small pages down the side: a click goes to the page."""

    def __init__(self, owner: PageView):
        super().__init__()
        self.owner = owner
        self.setObjectName("page_thumbnails_list")
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setFlow(QListWidget.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListWidget.Movement.Static)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setSpacing(4)
        self.setFixedWidth(THUMB_WIDTH + 36)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.itemClicked.connect(lambda item: owner.go_to_page(self.row(item)))
        self.verticalScrollBar().valueChanged.connect(lambda _v: owner.schedule())
        self._placeholders: dict[tuple[int, int], QIcon] = {}

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        self.clear()
        for i, (w, h) in enumerate(sizes):
            item = QListWidgetItem(self._placeholder(w, h), str(i + 1))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)

    def _placeholder(self, w: float, h: float) -> QIcon:
        size = (THUMB_WIDTH, max(1, int(THUMB_WIDTH * h / max(1.0, w))))
        if size not in self._placeholders:
            pixmap = QPixmap(*size)
            pixmap.fill(Qt.GlobalColor.white)
            self._placeholders[size] = QIcon(pixmap)
        return self._placeholders[size]

    def set_image(self, page: int, image: QImage) -> None:
        item = self.item(page)
        if item is not None:
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def visible_pages(self) -> list[int]:
        if not self.count():
            return []
        first = self.indexAt(QPoint(10, 5)).row()
        last = self.indexAt(QPoint(10, self.viewport().height() - 5)).row()
        first = max(0, first)
        last = self.count() - 1 if last < 0 else last
        return list(range(first, last + 1))

    def sync(self, page: int) -> None:
        if self.isVisible() and 0 <= page < self.count() and self.currentRow() != page:
            self.blockSignals(True)
            self.setCurrentRow(page)
            self.scrollToItem(self.item(page))
            self.blockSignals(False)


class _FindBar(QWidget):
    """Find in the document: Enter next, Shift+Enter previous, Escape closes."""

    def __init__(self, owner: PageView):
        super().__init__()
        self.owner = owner
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self.edit = QLineEdit()
        self.edit.setObjectName("page_find_text")
        self.edit.setPlaceholderText("Find in the document")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("page_find_count")
        row.addWidget(self.edit, 1)
        row.addWidget(self.count)
        for text, tip, step in (("↑", "Previous (Shift+Enter)", -1), ("↓", "Next (Enter)", 1)):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, s=step: owner.find_next(s))
            row.addWidget(button)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Escape)")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(owner.close_find)
        row.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(lambda: owner._find_changed(self.edit.text()))
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        self.edit.installEventFilter(self)

    def text(self) -> str:
        return self.edit.text()

    def show_count(self, hit: int, total: int, searched: bool) -> None:
        if not searched:
            self.count.setText("")
        elif total == 0:
            self.count.setText("not found")
        else:
            more = "+" if total >= MAX_FIND_HITS else ""
            self.count.setText(f"{hit + 1} of {total}{more}")

    def eventFilter(self, obj, event: QEvent) -> bool:  # noqa: N802, ANN001 (Qt API)
        if event.type() == QEvent.Type.KeyPress:
            key: QKeyEvent = event  # type: ignore[assignment]
            if key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self.owner._find_changed(self.edit.text())
                    return True
                shift = key.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.owner.find_next(-1 if shift else 1)
                return True
            if key.key() == Qt.Key.Key_Escape:
                self.owner.close_find()
                return True
        return False


class ViewSwitch(QWidget):
    """Text | Pages above a record that has a PDF, and what to know about that PDF."""

    def __init__(self, pages: PageView):
        super().__init__()
        self.pages = pages
        self.setObjectName("view_switch")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 2)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        for mode, label, tip in (
            ("text", "Text", "The record's text (Ctrl+Shift+T toggles)"),
            ("pages", "Pages", "The PDF as pages (Ctrl+Shift+T toggles)"),
        ):
            button = QToolButton()
            button.setObjectName(f"view_{mode}")
            button.setText(label)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, m=mode: pages.set_mode(m))
            self.group.addButton(button)
            self.buttons[mode] = button
            row.addWidget(button)
        self.message = QLabel()
        self.message.setObjectName("view_notice")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b26a00;")
        row.addWidget(self.message, 1)
        self.locate = QToolButton()
        self.locate.setObjectName("locate_pdf")
        self.locate.setText("Locate PDF…")
        self.locate.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.locate.clicked.connect(self._locate)
        row.addWidget(self.locate)
        toggle = QAction("Toggle text and pages", pages.document)
        toggle.setObjectName("toggle_pages")
        toggle.setShortcut(QKeySequence("Ctrl+Shift+T"))
        toggle.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        toggle.triggered.connect(
            lambda: pages.set_mode("text" if pages.mode() == "pages" else "pages")
        )
        pages.document.addAction(toggle)
        pages.mode_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, _mode: str = "") -> None:
        pages = self.pages
        self.setVisible(pages.has_pdf())
        mode = pages.mode()
        usable = pages.pdf is not None and pages.pdf.found and not pages.open_error
        self.buttons["pages"].setEnabled(usable)
        self.buttons["pages"].setToolTip(
            "The PDF as pages (Ctrl+Shift+T toggles)" if usable else pages.notice()
        )
        self.buttons[mode].setChecked(True)
        self.message.setText(pages.notice())
        self.locate.setVisible(pages.pdf is not None and not pages.pdf.found)
        stack = pages.document.stack
        target = pages if mode == "pages" else pages.document.text
        if stack.currentWidget() is not target:
            had_focus = stack.currentWidget().hasFocus() or pages.canvas.hasFocus()
            stack.setCurrentWidget(target)
            if had_focus:
                (pages.canvas if mode == "pages" else pages.document.text).setFocus()
            if mode == "pages":
                pages.schedule()

    def _locate(self) -> None:
        pdf = self.pages.pdf
        if pdf is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, f"Where is {pdf.name}?", str(pdf.path.parent), "PDF files (*.pdf)"
        )
        if not path:
            return
        from reviewer.ingest.importer import sha256_of

        if sha256_of(path) != pdf.sha256:
            answer = QMessageBox.question(
                self,
                "A different PDF",
                "This file is not the PDF the record's text was read from (its content "
                "differs). Show it anyway? Marks are drawn only on pages whose text is "
                "the record's.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        remember_pdf_location(pdf.sha256, path)
        self.pages.load(self.pages.record)


def install_page_view(document: DocumentView, find_pdf: FindPdf) -> PageView:
    """Give ``document`` a page view of its records' PDFs (and the switch above it)."""
    pages = PageView(document, find_pdf)
    document.stack.addWidget(pages)
    switch = ViewSwitch(pages)
    pages.switch = switch
    layout = document.layout()
    layout.insertWidget(layout.indexOf(document.stack), switch)
    return pages
