"""A PDF opened for reading as pages: one background thread does all PDFium work.

The page view must never wait for PDFium: a page takes 10-100 ms to render and a
text page 20-60 ms to read, and PDFium may not be used from two threads at once.
So ``PageWorker`` owns the open document on a thread of its own and works through
what the view wants *now*, most wanted first (the page in view, its layout, the
pages either side, thumbnails); the view replaces that list whenever it scrolls,
so pages scrolled past are never rendered. Results go to a callback on the
worker's thread (the Qt side turns them into signals).

Opening reads only the file's head and the page sizes (PDFium's cross-reference
table, not the pages), so a 300-page PDF shows its first page as soon as that
page is rendered. A bitmap is capped in pixels, so zooming a poster-sized page
cannot take the memory.

Nothing in a PDF is followed or run: the form environment (where PDFium would run
a document's JavaScript and draw its form fields) is never set up, links and
embedded files are never read, and rendering draws the page's own content and
annotation appearances only.
"""

from __future__ import annotations

import atexit
import ctypes
import threading
import traceback
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from reviewer.ingest.formats.pdf import _MAGIC, _MAGIC_WINDOW, PDFIUM_LOCK
from reviewer.ingest.pdf_layout import PageLayout
from reviewer.ingest.pdf_read import read_layout

MAX_BITMAP_PIXELS = 24_000_000  # about 96 MB at 4 bytes a pixel: beyond, the scale is reduced
_WORKERS: weakref.WeakSet[PageWorker] = weakref.WeakSet()


class PdfViewError(Exception):
    """A PDF cannot be shown as pages; the message says which file and why."""


@dataclass(frozen=True)
class PdfInfo:
    path: str
    sizes: list[tuple[float, float]]  # each page's size as shown, in points


@dataclass(frozen=True)
class Bitmap:
    """A rendered page: BGRx pixels, 4 bytes each, rows ``stride`` bytes apart."""

    page: int
    kind: str  # "page" or "thumb"
    scale: float  # the scale asked for (pixels per point)
    width: int
    height: int
    stride: int
    data: bytes


# -- what the worker reports ----------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    token: int
    info: PdfInfo


@dataclass(frozen=True)
class OpenFailed:
    token: int
    message: str


@dataclass(frozen=True)
class LayoutRead:
    token: int
    layout: PageLayout


@dataclass(frozen=True)
class Rendered:
    token: int
    bitmap: Bitmap


@dataclass(frozen=True)
class PageFailed:
    token: int
    page: int
    kind: str
    message: str


Task = tuple[str, int, float]  # ("layout" | "page" | "thumb", page, scale)
Result = Opened | OpenFailed | LayoutRead | Rendered | PageFailed


# -- one document -------------------------------------------------------------------------------


def open_pdf(path: str | Path) -> tuple[pdfium.PdfDocument, PdfInfo]:
    """Open a PDF for viewing, or raise ``PdfViewError`` saying what is wrong with it."""
    path = Path(path)
    name = path.name
    try:
        with open(path, "rb") as fh:
            head = fh.read(_MAGIC_WINDOW)
    except FileNotFoundError as exc:
        raise PdfViewError(f"{name}: the PDF is not at {path} (moved or deleted?)") from exc
    except OSError as exc:
        raise PdfViewError(f"{name}: the PDF cannot be read ({exc.strerror or exc})") from exc
    if not head:
        raise PdfViewError(f"{name}: the file is empty")
    if _MAGIC not in head:
        raise PdfViewError(f"{name}: this is not a PDF (it lacks the %PDF- header): damaged?")
    try:
        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(str(path))
            sizes = [doc.get_page_size(i) for i in range(len(doc))]
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfViewError(f"{name}: the PDF is protected by a password") from exc
        raise PdfViewError(f"{name}: the PDF is damaged and cannot be read ({exc})") from exc
    if not sizes:
        close_pdf(doc)
        raise PdfViewError(f"{name}: the PDF has no pages")
    return doc, PdfInfo(str(path), sizes)


def close_pdf(doc: pdfium.PdfDocument) -> None:
    with PDFIUM_LOCK:
        doc.close()


def render(doc: pdfium.PdfDocument, index: int, scale: float, kind: str = "page") -> Bitmap:
    """Page ``index`` at ``scale`` pixels per point (less if that would be huge)."""
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            width, height = page.get_size()
            used = min(scale, (MAX_BITMAP_PIXELS / max(1.0, width * height)) ** 0.5)
            bitmap = page.render(scale=used, may_draw_forms=False, prefer_bgrx=True)
            try:
                size = bitmap.stride * bitmap.height
                data = ctypes.string_at(bitmap.buffer, size)
                return Bitmap(index, kind, scale, bitmap.width, bitmap.height, bitmap.stride, data)
            finally:
                bitmap.close()
        finally:
            page.close()


# -- the worker thread --------------------------------------------------------------------------


class PageWorker:
    """The thread that opens, reads and renders one PDF at a time for the page view."""

    def __init__(self, on_result: Callable[[Result], None]):
        self._on_result = on_result
        self._cond = threading.Condition()
        self._token = 0
        self._to_open: tuple[int, str] | None = None
        self._tasks: list[Task] = []
        self._busy: Task | None = None
        self._stop = False
        self._doc: pdfium.PdfDocument | None = None
        self._doc_token = -1
        self._thread: threading.Thread | None = None
        _WORKERS.add(self)

    def open(self, path: str | Path) -> int:
        """Open ``path`` (closing the PDF before); returns the token its results carry."""
        with self._cond:
            self._token += 1
            self._to_open = (self._token, str(path))
            self._tasks = []
            self._cond.notify()
            token = self._token
        self._ensure_thread()
        return token

    def close(self) -> int:
        """Close the open PDF; results still on their way are for an old token."""
        with self._cond:
            self._token += 1
            self._to_open = (self._token, "")
            self._tasks = []
            self._cond.notify()
            return self._token

    def want(self, token: int, tasks: Sequence[Task]) -> None:
        """What the view needs now, most wanted first; replaces what was asked before."""
        with self._cond:
            if token != self._token:
                return
            self._tasks = [t for t in dict.fromkeys(tasks) if t != self._busy]
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._tasks) + (self._busy is not None) + (self._to_open is not None)

    def shutdown(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._run, name="reviewer-pdf-pages", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and self._to_open is None and not self._tasks:
                    self._cond.wait()
                if self._stop:
                    break
                if self._to_open is not None:
                    opening, self._to_open = self._to_open, None
                    task = None
                else:
                    task = self._busy = self._tasks.pop(0)
                    token = self._token
            if task is None:
                self._open(*opening)
                continue
            try:
                self._do(token, task)
            finally:
                with self._cond:
                    self._busy = None
        self._close_doc()

    def _open(self, token: int, path: str) -> None:
        self._close_doc()
        if not path:
            return
        try:
            doc, info = open_pdf(path)
        except PdfViewError as exc:
            self._deliver(OpenFailed(token, str(exc)))
            return
        self._doc, self._doc_token = doc, token
        self._deliver(Opened(token, info))

    def _close_doc(self) -> None:
        if self._doc is not None:
            close_pdf(self._doc)
            self._doc, self._doc_token = None, -1

    def _do(self, token: int, task: Task) -> None:
        kind, page, scale = task
        if self._doc is None or token != self._doc_token:
            return
        try:
            if kind == "layout":
                self._deliver(LayoutRead(token, read_layout(self._doc, page)))
            else:
                self._deliver(Rendered(token, render(self._doc, page, scale, kind)))
        except Exception as exc:  # one bad page must not stop the others
            traceback.print_exc()
            self._deliver(PageFailed(token, page, kind, f"page {page + 1}: {exc}"))

    def _deliver(self, result: Result) -> None:
        if self._stop:  # the view is gone
            return
        try:
            self._on_result(result)
        except Exception:  # the receiver's fault, never the thread's end
            traceback.print_exc()


@atexit.register  # registered after pypdfium2's own, so it runs before PDFium is torn down
def _stop_workers() -> None:
    for worker in list(_WORKERS):
        worker.shutdown()
