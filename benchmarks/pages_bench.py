"""How fast the page view opens and scrolls a 300-page PDF, and what memory it keeps.

The issue's targets: a 300-page PDF shows its first page in under 1 s, scrolls
without stalls, and memory stays bounded (a cache of rendered pages, not the whole
document). This concatenates the shared corpus's open-access articles (with
pypdfium2) into a 300-page PDF, imports it into a temporary review as a record,
and in the real main window (offscreen, real worker thread):

- first page: from selecting the record to its first page drawn with its text
  layer read, against the 1 s limit and against PDFium alone opening the file and
  rendering that page (the floor);
- flick: the scroll bar moved by a third of the view 600 times without waiting,
  each step repainted at once: the UI thread's time per step is the stall a
  reviewer would feel (limit: a 50 ms frame), since rendering happens elsewhere;
- page by page: "go to page" for every page, waiting until it is drawn: the time
  a reviewer waits for a page they jump to;
- memory: the page cache's peak against its limit, and the process's peak RSS.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/pages_bench.py [--pages 300]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pypdfium2 as pdfium  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reviewer.ingest.formats.pdf import PDFIUM_LOCK  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf" / "clinical_oa"
LOCAL = ROOT / "tests" / "data" / "corpus" / "pdf" / "clinical_oa"
FIRST_PAGE_LIMIT = 1.0
FRAME_LIMIT = 0.050


def build_pdf(out: Path, pages: int) -> Path:
    sources = sorted(CORPUS.glob("*.pdf")) or sorted(LOCAL.glob("*.pdf"))
    if not sources:
        sys.exit("no PDFs to build from (../shared/corpus/pdf/clinical_oa)")
    big = pdfium.PdfDocument.new()
    opened = [pdfium.PdfDocument(str(p)) for p in sources]
    while len(big) < pages:
        for doc in opened:
            if len(big) >= pages:
                break
            take = min(len(doc), pages - len(big))
            big.import_pages(doc, list(range(take)))
    big.save(str(out))
    for doc in (*opened, big):
        doc.close()
    return out


def wait(app: QApplication, done, timeout: float = 60.0) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the page view did not finish")
        time.sleep(0.001)
    return time.perf_counter() - start


def peer_first_page(pdf: Path, zoom: float) -> float:
    """PDFium alone: open the file, render page 1 at the view's scale, read its text."""
    start = time.perf_counter()
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(pdf))
        page = doc[0]
        page.render(scale=zoom, prefer_bgrx=True).close()
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
        doc.close()
    return time.perf_counter() - start


def flick(app: QApplication, pages) -> list[float]:  # noqa: ANN001 (PageView)
    """Scroll by a third of the view at a time, top to bottom, repainting each step at
    once: the UI thread's time per step, sorted."""
    canvas = pages.canvas
    bar = canvas.verticalScrollBar()
    step = canvas.viewport().height() // 3
    steps = []
    bar.setValue(0)
    app.processEvents()
    for _ in range(600):
        t = time.perf_counter()
        bar.setValue(bar.value() + step)
        canvas.viewport().repaint()
        app.processEvents()
        steps.append(time.perf_counter() - t)
        if bar.value() >= bar.maximum():
            break
    return sorted(steps)


def report(what: str, steps: list[float]) -> None:
    p95 = steps[int(len(steps) * 0.95)]
    print(
        f"{what}: {len(steps)} steps of a third of the view, UI thread per step median "
        f"{statistics.median(steps) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, worst "
        f"{steps[-1] * 1000:.1f} ms (frame limit {FRAME_LIMIT * 1000:.0f} ms: worst "
        f"{steps[-1] / FRAME_LIMIT:.2f}x of it)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()

    from reviewer.ingest import import_paths
    from reviewer.review.project import create_review
    from reviewer.ui.app import application
    from reviewer.ui.main_window import MainWindow

    app = application()
    os.environ.setdefault("REVIEWER_NAME", "bench")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REVIEWER_DATA_DIR"] = tmp
        pdf = build_pdf(Path(tmp) / "big.pdf", args.pages)
        size_mb = pdf.stat().st_size / 1e6
        store = create_review(Path(tmp) / "pages.review", "pages bench")
        t = time.perf_counter()
        import_paths(store, [pdf])
        imported = time.perf_counter() - t
        rid = max(store.record_ids())
        print(f"{args.pages}-page PDF, {size_mb:.1f} MB; imported as one record in {imported:.2f} s")

        peer = min(peer_first_page(pdf, 1.0) for _ in range(3))  # on a quiet machine
        window = MainWindow(store)
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        pages = window.pages
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        start = time.perf_counter()
        window.go_to_record(rid)
        drawn = wait(app, lambda: pages.is_open() and pages.images.get((0, pages.scale_key())))
        first = time.perf_counter() - start
        wait(app, lambda: pages.idle())
        boxed = time.perf_counter() - start
        assert pages.page_total() == args.pages, pages.page_total()
        print(
            f"first page: {first * 1000:.0f} ms from selecting the record to page 1 drawn "
            f"(limit {FIRST_PAGE_LIMIT * 1000:.0f} ms: {first / FIRST_PAGE_LIMIT:.2f}x of it; "
            f"PDFium alone opening and rendering it {peer * 1000:.0f} ms: {first / peer:.1f}x); "
            f"its characters' boxes read by {boxed * 1000:.0f} ms"
        )
        del drawn

        busy = window.jobs.jobs and not all(j.done for j in window.jobs.jobs)
        during = flick(app, pages)
        report("flick while the record's suggestions are first computed" if busy else "flick",
               during)
        window.jobs.wait(120000)
        app.processEvents()
        after = flick(app, pages)
        report("flick once they are", after)

        waits = []
        for page in range(args.pages):
            t = time.perf_counter()
            pages.go_to_page(page)
            wait(app, pages.idle)
            waits.append(time.perf_counter() - t)
        waits.sort()
        print(
            f"page by page: {len(waits)} jumps, waiting for the page drawn median "
            f"{statistics.median(waits) * 1000:.0f} ms, p95 "
            f"{waits[int(len(waits) * 0.95)] * 1000:.0f} ms, worst {waits[-1] * 1000:.0f} ms"
        )

        cache = pages.images
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"memory: page cache peak {cache.peak / 2**20:.0f} MB of its "
            f"{cache.limit / 2**20:.0f} MB limit ({cache.peak / cache.limit:.2f}x), "
            f"{len(cache)} pages kept of {args.pages}; character boxes kept for "
            f"{len(pages.layouts)} pages; process peak RSS {rss_before:.0f} MB before "
            f"opening, {rss_after:.0f} MB after visiting every page"
        )
        ok = first < FIRST_PAGE_LIMIT and cache.peak <= cache.limit and after[-1] < FRAME_LIMIT
        window.close()
        store.close()
    print("OK" if ok else "OVER A LIMIT")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
