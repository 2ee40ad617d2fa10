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
in the record's, the selection) and talks to the document view;
``page_canvas`` draws the pages and takes the mouse and keys; ``page_chrome`` holds
the thumbnails, the find bar and the Text | Pages switch; ``page_toolbar`` the bar
above the pages; ``page_marks`` works out the marks' boxes, ``page_pointer`` what the
mouse points at (a selection, a word, a table) and ``page_find`` the find hits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QImage,
)
from PySide6.QtWidgets import (
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Record
from reviewer.ingest.pdf_layout import PageLayout, Rect, locate_page, page_starts
from reviewer.ingest.pdf_pages import PdfInfo
from reviewer.ingest.pdf_tables import PdfTable
from reviewer.review.pdf_files import PdfFile
from reviewer.ui.page_canvas import REST_MS, PageCanvas
from reviewer.ui.page_chrome import (
    THUMB_WIDTH,
    FindBar,
    Thumbnails,
    ViewSwitch,
)
from reviewer.ui.page_find import PageFind
from reviewer.ui.page_marks import PageMarks
from reviewer.ui.page_pointer import PagePointer
from reviewer.ui.page_toolbar import PageToolbar
from reviewer.ui.pdf_render import PAGE_CACHE_BYTES, THUMB_CACHE_BYTES, ImageCache, PageRenderer

if TYPE_CHECKING:
    from reviewer.ui.document_view import DocumentView

FindPdf = Callable[[int], PdfFile | None]

LAYOUT_CACHE = 48  # pages whose character boxes are kept
_SETTING_MODE = "document/view"  # "pages" or "text": the reviewer's last choice


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
        self._reveal: tuple[int, int] | None = None
        self._goto_page: int | None = None
        self._opening = False
        self._mode_now = ""  # a mode set without remembering it (screenshots)
        self._opened_stat: tuple[int, int] | None = None
        self.results_target: Callable[[PdfTable], None] | None = None
        # its parts: what is found, what the mouse points at, the marks drawn
        self.find = PageFind(self)
        self.pointer = PagePointer(self)

        self.canvas = PageCanvas(self)
        self.thumbnails = Thumbnails(self)
        self.toolbar = PageToolbar(self)
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

        r = self.renderer
        r.opened.connect(self._opened)
        r.open_failed.connect(self._open_failed)
        r.layout_read.connect(self._layout_read)
        r.rendered.connect(self._rendered)
        r.page_failed.connect(self._page_failed)
        document.record_shown.connect(lambda: self.load(document.record))
        self.marks = PageMarks(self)  # follows the document's marks, focus and flashes
        document.selection_changed.connect(self.pointer.text_selection_changed)
        worker = self.renderer.worker  # not the Qt object: it is going when this runs
        self.destroyed.connect(lambda *_a: worker.shutdown(0.5))

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
            self.pointer.text_selection_changed()
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
        self.marks.clear()
        self.selection = None
        self._reveal = None
        self._goto_page = None
        self.pointer.last_table = None
        self.expected = []
        if self.record is not None and self.record.page_offsets:
            self.expected = page_starts(self.record.text, self.record.page_offsets)
        self.find.changed(self.find_bar.text())
        self.canvas.set_pages([])
        self.thumbnails.set_pages([])
        self.toolbar.update_page_label()

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
        self.toolbar.update_page_label()
        if self.expected and len(self.expected) != len(info.sizes):
            self.expected = []  # not this PDF's pages: each page's text is looked for
        self.pointer.text_selection_changed()
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
            self.marks.forget(old)
        if page not in self.bases:
            expected = self.expected[page] if page < len(self.expected) else None
            self.bases[page] = locate_page(self.record.text, layout, expected)
            if self.bases[page] is None:
                self.mode_changed.emit(self.mode())  # the notice names the page
        self.marks.forget(page)
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
            self.pointer.follow_text()
        elif before == "pages" and after == "text":
            self.pointer.lead_text()
        self.mode_changed.emit(after)

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

    def _scrolled(self) -> None:
        self.canvas.viewport().update()
        self.toolbar.update_page_label()
        self.thumbnails.sync(self.current_page())
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
