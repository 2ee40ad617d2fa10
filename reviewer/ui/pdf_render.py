"""The page view's link to its PDF worker, and the memory its rendered pages take.

``PageRenderer`` wraps ``reviewer.ingest.pdf_pages.PageWorker`` (the thread that
does all PDFium work) in Qt signals: results arrive on the main thread, and a
rendered bitmap becomes a ``QImage`` on the worker's thread (a QImage, unlike a
QPixmap, may be made off the main thread), so the main thread only paints.

``ImageCache`` keeps rendered pages up to a size in bytes, least recently used
first out: a 300-page PDF never holds more than the pages near where the reader
is. Thumbnails have a cache of their own, so reading never evicts them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from reviewer.ingest.pdf_pages import (
    LayoutRead,
    Opened,
    OpenFailed,
    PageFailed,
    PageWorker,
    Rendered,
    Result,
    Task,
)

PAGE_CACHE_BYTES = 128 * 1024 * 1024
THUMB_CACHE_BYTES = 24 * 1024 * 1024


class PageRenderer(QObject):
    """Opens, reads and renders PDFs on a worker thread; results come as signals."""

    opened = Signal(int, object)  # token, PdfInfo
    open_failed = Signal(int, str)  # token, message
    layout_read = Signal(int, object)  # token, PageLayout
    rendered = Signal(int, str, int, float, QImage)  # token, kind, page, scale, image
    page_failed = Signal(int, int, str, str)  # token, page, kind, message

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = PageWorker(self._arrived)

    def open(self, path: str | Path) -> int:
        return self.worker.open(path)

    def close(self) -> int:
        return self.worker.close()

    def want(self, token: int, tasks: Sequence[Task]) -> None:
        self.worker.want(token, tasks)

    def busy(self) -> bool:
        return self.worker.pending() > 0

    def shutdown(self) -> None:
        self.worker.shutdown()

    def _arrived(self, result: Result) -> None:
        """On the worker's thread: pass the result on as a signal."""
        if isinstance(result, Rendered):
            b = result.bitmap
            image = QImage(b.data, b.width, b.height, b.stride, QImage.Format.Format_RGB32).copy()
            self.rendered.emit(result.token, b.kind, b.page, b.scale, image)
        elif isinstance(result, LayoutRead):
            self.layout_read.emit(result.token, result.layout)
        elif isinstance(result, Opened):
            self.opened.emit(result.token, result.info)
        elif isinstance(result, OpenFailed):
            self.open_failed.emit(result.token, result.message)
        elif isinstance(result, PageFailed):
            self.page_failed.emit(result.token, result.page, result.kind, result.message)


class ImageCache:
    """Images up to ``limit`` bytes, the least recently used dropped first."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.peak = 0
        self._items: OrderedDict[Hashable, QImage] = OrderedDict()

    def get(self, key: Hashable) -> QImage | None:
        image = self._items.get(key)
        if image is not None:
            self._items.move_to_end(key)
        return image

    def put(self, key: Hashable, image: QImage) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= old.sizeInBytes()
        self._items[key] = image
        self.size += image.sizeInBytes()
        while self.size > self.limit and len(self._items) > 1:
            _key, dropped = self._items.popitem(last=False)
            self.size -= dropped.sizeInBytes()
        self.peak = max(self.peak, self.size)

    def any_of(self, match: Callable[[Hashable], bool]) -> QImage | None:
        """The most recent image whose key ``match`` accepts (a stand-in while the
        right one renders)."""
        for key in reversed(self._items):
            if match(key):
                return self._items[key]
        return None

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Hashable]:
        return iter(list(self._items))

    def clear(self) -> None:
        self._items.clear()
        self.size = 0

    def __len__(self) -> int:
        return len(self._items)
