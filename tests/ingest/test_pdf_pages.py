"""Opening a PDF for the page view: a clear word for every PDF that cannot be shown,
and one worker thread that renders and reads what is asked, most wanted first."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from reviewer.ingest import pdf_pages
from reviewer.ingest.pdf_pages import (
    LayoutRead,
    Opened,
    OpenFailed,
    PageFailed,
    PageWorker,
    PdfViewError,
    Rendered,
    open_pdf,
    render,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "pdf"
USSHER = DATA / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
BROKEN = DATA / "edge_cases" / "broken-pdf.pdf"


def test_open_reads_page_sizes_only():
    doc, info = open_pdf(USSHER)
    try:
        assert len(info.sizes) == 10
        assert info.sizes[1] == pytest.approx((595.276, 793.701), abs=0.01)
    finally:
        pdf_pages.close_pdf(doc)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda d: d / "gone.pdf", "not at"),
        (lambda d: _write(d / "empty.pdf", b""), "empty"),
        (lambda d: shutil.copy(BROKEN, d / "broken.pdf"), "not a PDF"),
        (lambda d: _write(d / "cut.pdf", USSHER.read_bytes()[:900]), "damaged"),
    ],
)
def test_pdfs_that_cannot_be_shown_say_why(tmp_path, make, says):
    path = Path(make(tmp_path))
    with pytest.raises(PdfViewError) as err:
        open_pdf(path)
    assert says in str(err.value) and path.name in str(err.value)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_render_gives_bgrx_pixels_at_the_scale_asked():
    doc, _info = open_pdf(USSHER)
    try:
        bitmap = render(doc, 0, 0.5)
        assert (bitmap.width, bitmap.height) == (round(595.276 * 0.5), round(793.701 * 0.5))
        assert bitmap.stride >= bitmap.width * 4
        assert len(bitmap.data) == bitmap.stride * bitmap.height
        assert bitmap.data[:4] == b"\xff\xff\xff\xff"  # a white corner
    finally:
        pdf_pages.close_pdf(doc)


def test_a_huge_bitmap_is_rendered_smaller(monkeypatch):
    monkeypatch.setattr(pdf_pages, "MAX_BITMAP_PIXELS", 100_000)
    doc, _info = open_pdf(USSHER)
    try:
        bitmap = render(doc, 0, 4.0)
        assert bitmap.width * bitmap.height <= 100_000 * 1.01
        assert bitmap.scale == 4.0  # what was asked, so the view knows which request it is
    finally:
        pdf_pages.close_pdf(doc)


class Collector:
    def __init__(self):
        self.results = []
        self.event = threading.Event()

    def __call__(self, result):
        self.results.append(result)
        self.event.set()

    def wait_for(self, kind, count=1, timeout=10.0):
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = [r for r in self.results if isinstance(r, kind)]
            if len(found) >= count:
                return found
            self.event.wait(0.05)
            self.event.clear()
        raise AssertionError(f"no {kind.__name__} within {timeout} s: {self.results}")


def test_the_worker_opens_renders_reads_and_reports_bad_pages():
    got = Collector()
    worker = PageWorker(got)
    try:
        token = worker.open(USSHER)
        (opened,) = got.wait_for(Opened)
        assert opened.token == token and len(opened.info.sizes) == 10
        worker.want(token, [("layout", 1, 0.0), ("page", 1, 0.25), ("page", 99, 0.25)])
        (layout,) = got.wait_for(LayoutRead)
        (rendered,) = got.wait_for(Rendered)
        (failed,) = got.wait_for(PageFailed)
        assert layout.layout.index == 1 and "Study population" in layout.layout.text
        assert rendered.bitmap.page == 1 and rendered.bitmap.kind == "page"
        assert failed.page == 99 and "page 100" in failed.message
    finally:
        worker.shutdown()


def test_a_new_pdf_drops_what_was_asked_of_the_old(tmp_path):
    got = Collector()
    worker = PageWorker(got)
    try:
        first = worker.open(USSHER)
        got.wait_for(Opened)
        worker.want(first, [("page", p, 0.3) for p in range(10)])
        second = worker.open(tmp_path / "missing.pdf")
        (failed,) = got.wait_for(OpenFailed)
        assert failed.token == second and "not at" in failed.message
        worker.want(first, [("page", 0, 0.3)])  # an old token asks nothing any more
        assert worker.pending() == 0
    finally:
        worker.shutdown()
