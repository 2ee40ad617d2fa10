"""The page view of a real article: words selected on page 2 become a field's value
with page and span, and its box is drawn where PDFium prints those characters.

Expected boxes are read here with PDFium's own calls (``pdfium_boxes``), never
through the code under test; the mouse is real mouse events on the canvas.
"""

from __future__ import annotations

import ctypes
import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QApplication

from reviewer.domain import ParsedRecord, Source
from reviewer.export.json_export import export_json
from reviewer.ingest import import_paths
from reviewer.ingest.formats.pdf import PDFIUM_LOCK
from reviewer.review.project import create_review
from reviewer.store import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "pdf"
USSHER = DATA / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
WAIT = 15000


@pytest.fixture(scope="module")
def _master(tmp_path_factory):
    """A review holding the article (imported from its PDF, suggestions computed) and
    a record without a PDF; built once, copied for each test with the PDF beside it."""
    from reviewer.suggest.runner import compute_suggestions

    folder = tmp_path_factory.mktemp("pages")
    pdf = Path(shutil.copy(USSHER, folder / "ussher.pdf"))
    store = create_review(folder / "pages.review", "pages")
    import_paths(store, [pdf])
    with store.atomic():
        sid = store.add_source(Source(name="x.ris", sha256="2" * 64, size=1, format="ris"))
        store.add_records(sid, [ParsedRecord(title="An abstract only", text="Abstract text.")])
    compute_suggestions(store)
    store.close()
    return folder


@pytest.fixture
def copy(tmp_path, _master):
    for name in ("ussher.pdf", "pages.review"):
        shutil.copy(_master / name, tmp_path / name)
    with Store(tmp_path / "pages.review") as store:  # the PDF now beside this copy
        store.db.execute("update sources set path = ? where format = 'pdf'",
                         [str(tmp_path / "ussher.pdf")])  # fmt: skip
    return tmp_path


@pytest.fixture
def win(qtbot, copy, sync_jobs):
    from reviewer.ui.main_window import MainWindow

    w = MainWindow(Store(copy / "pages.review"))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)  # keyboard focus moves as for a reviewer
    w.rid = article_id(w.store)
    w.go_to_record(w.rid)
    qtbot.waitUntil(lambda: w.pages.is_open() and w.pages.idle(), timeout=WAIT)
    yield w
    w.close()
    w.store.close()


def article_id(store) -> int:
    return next(r.id for r in store.records() if r.page_offsets)


# -- PDFium, read here independently --------------------------------------------------------


def pdfium_boxes(pdf: Path, page: int, words: str) -> list[tuple[float, float, float, float]]:
    """PDFium's loose box of each character of ``words`` on ``page`` (as shown).

    PDFium serves one thread at a time: the page view's worker may be rendering, so
    this takes the same lock, and closes what it opened before letting go."""
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(pdf))
        p = doc[page]
        textpage = p.get_textpage()
        try:
            raw = textpage.get_text_range()
            assert len(raw) == textpage.count_chars()
            first = raw.index(words)
            width, height = p.get_size()
            out = []
            for k in range(len(words)):
                rect = pdfium_c.FS_RECTF()
                pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, first + k, rect)
                xs, ys = [], []
                for x, y in ((rect.left, rect.bottom), (rect.right, rect.top)):
                    dx, dy = ctypes.c_int(), ctypes.c_int()
                    pdfium_c.FPDF_PageToDevice(
                        p.raw, 0, 0, round(width * 1000), round(height * 1000), 0, x, y, dx, dy
                    )
                    xs.append(dx.value / 1000)
                    ys.append(dy.value / 1000)
                out.append((min(xs), min(ys), max(xs), max(ys)))
            return out
        finally:
            textpage.close()
            p.close()
            doc.close()


def union(boxes):
    boxes = [b for b in boxes if b[2] > b[0]]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


# -- the mouse --------------------------------------------------------------------------------


def send(widget, kind, pos: QPoint, buttons, button=Qt.MouseButton.LeftButton, mods=None):
    mods = mods or Qt.KeyboardModifier.NoModifier
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, mods
    )
    QApplication.sendEvent(widget, event)


def drag(w, a: QPoint, b: QPoint, mods=None) -> None:
    viewport = w.pages.canvas.viewport()
    left = Qt.MouseButton.LeftButton
    send(viewport, QEvent.Type.MouseButtonPress, a, left, mods=mods)
    middle = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    for point in (middle, b):
        send(viewport, QEvent.Type.MouseMove, point, left, Qt.MouseButton.NoButton, mods)
    send(viewport, QEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton, mods=mods)


def click(w, point: QPoint) -> None:
    drag(w, point, point)


def at(w, page: int, box, fx: float = 0.5) -> QPoint:
    """A viewport point ``fx`` of the way across ``box`` (points) on ``page``."""
    rect = w.pages.canvas.to_view(page, box)
    return QPoint(int(rect.left() + fx * rect.width()), int(rect.center().y()))


def show(qtbot, w, page: int, box) -> None:
    w.pages.canvas.ensure_visible(page, box)
    qtbot.waitUntil(w.pages.idle, timeout=WAIT)


def select_words(qtbot, w, page: int, words: str, occurrence_text: str | None = None):
    """Drag over ``words`` on ``page`` as a reviewer would; returns the record span."""
    boxes = pdfium_boxes(w.pages.pdf.path, page, words)
    show(qtbot, w, page, boxes[0])
    drag(w, at(w, page, boxes[0], 0.2), at(w, page, boxes[-1], 0.8))
    text = w.store.record(w.rid).text
    start = text.index(occurrence_text or words) + (occurrence_text or words).index(words)
    return start, start + len(words), boxes


# -- the tests --------------------------------------------------------------------------------


def test_a_pdf_record_opens_as_pages(win):
    assert win.pages.mode() == "pages"
    assert win.document.stack.currentWidget() is win.pages
    assert win.pages.switch.isVisible()
    assert win.pages.page_total() == 10
    assert win.pages.notice() == ""


def test_words_selected_on_page_2_become_a_value_with_page_span_and_box(qtbot, win, tmp_path):
    start, end, boxes = select_words(qtbot, win, 1, "Pregnant smokers")
    assert win.document.selection() == (start, end)  # the text view holds it too
    point = at(win, 1, boxes[3])
    menu = win.pages.pointer.context_menu_at(QPointF(point))
    action = menu.findChild(QAction, "set_condition")
    assert action is not None and action.isEnabled()
    action.trigger()

    value = win.store.values(win.rid)["condition"]
    assert value.value == "Pregnant smokers"
    span = value.provenance[0]
    assert (span.start, span.end, span.page) == (start, end, 2)

    export_json(win.store, tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    record = next(r for r in data["records"] if r["id"] == win.rid)
    exported = next(v for v in record["values"] if v["field"] == "condition")
    prov = exported["provenance"][0]
    assert (prov["start"], prov["end"], prov["page"], prov["quote"]) == (
        start, end, 2, "Pregnant smokers"
    )  # fmt: skip

    drawn = [r for r, kind, field in win.pages.marks.drawn(1) if kind == "value" and field == "condition"]
    assert len(drawn) == 1
    assert drawn[0] == pytest.approx(union(boxes), abs=0.01)

    # and it is on screen there: the box's pixels are tinted with the field group's colour
    win.pages.pointer.set_selection(0, 0)
    win.document.highlight([], scroll=False)  # no focused field drawn over it
    qtbot.waitUntil(win.pages.idle, timeout=WAIT)
    image = win.pages.canvas.viewport().grab().toImage()
    box = win.pages.canvas.to_view(1, drawn[0]).toRect()
    inside = [QColor(image.pixel(x, y)) for x in range(box.left() + 1, box.right())
              for y in range(box.top() + 1, box.bottom())]  # fmt: skip
    green = sum(1 for c in inside if c.green() > c.red() + 8 and c.green() > c.blue() + 8)
    assert green > 0.4 * len(inside)
    above = [QColor(image.pixel(x, box.top() - 3)) for x in range(box.left(), box.right())]
    assert sum(1 for c in above if c.green() > c.red() + 8) < 0.1 * len(above)


def test_a_drag_across_a_line_break_and_ctrl_0(qtbot, win):
    age = pdfium_boxes(win.pages.pdf.path, 1, "baseline visit, age")[-3]
    years = pdfium_boxes(win.pages.pdf.path, 1, "16-50 years")[-1]
    show(qtbot, win, 1, age)
    drag(win, at(win, 1, age, 0.1), at(win, 1, years, 0.9))
    text = win.store.record(win.rid).text
    start = text.index("age\n16-50 years")
    end = start + len("age\n16-50 years")
    assert win.document.selection() == (start, end)
    qtbot.keyClick(win.pages.canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    value = win.store.values(win.rid)["age"]
    assert value.provenance[0].page == 2
    assert (value.provenance[0].start, value.provenance[0].end) == (start, end)
    drawn = [r for r, kind, field in win.pages.marks.drawn(1) if kind == "value" and field == "age"]
    assert len(drawn) == 2  # one box on each line


def test_a_selection_dragged_from_the_page_onto_a_field(qtbot, win, monkeypatch):
    from PySide6.QtGui import QDrag, QDropEvent
    from PySide6.QtWidgets import QLineEdit

    start, end, boxes = select_words(qtbot, win, 1, "Pregnant smokers")
    dragged = []
    monkeypatch.setattr(QDrag, "exec", lambda self, *a: dragged.append(self.mimeData()) or 0)
    viewport = win.pages.canvas.viewport()
    left = Qt.MouseButton.LeftButton
    inside = at(win, 1, boxes[2])
    send(viewport, QEvent.Type.MouseButtonPress, inside, left)
    send(viewport, QEvent.Type.MouseMove, inside + QPoint(40, 30), left, Qt.MouseButton.NoButton)
    send(viewport, QEvent.Type.MouseButtonRelease, inside + QPoint(40, 30), Qt.MouseButton.NoButton)
    (mime,) = dragged
    assert mime.text() == "Pregnant smokers"
    target = win.findChild(QLineEdit, "field_condition")
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, left,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    win.form.editors["condition"].eventFilter(target, drop)
    span = win.store.values(win.rid)["condition"].provenance[0]
    assert (span.start, span.end, span.page) == (start, end, 2)


def test_tooltips_show_text_as_it_is():
    from reviewer.ui.page_chrome import plain_tooltip

    assert "&lt;b&gt;" in plain_tooltip("<b>not bold</b>")


def test_dragging_from_one_column_into_the_next_reads_on(qtbot, win):
    left = pdfium_boxes(win.pages.pdf.path, 1, "towards increasing")
    right = pdfium_boxes(win.pages.pdf.path, 1, "consultations. Fourteen")
    show(qtbot, win, 1, left[0])
    drag(win, at(win, 1, left[0], 0.1), at(win, 1, right[len("consultations") - 1], 0.9))
    start, end = win.document.selection()
    selected = win.store.record(win.rid).text[start:end]
    assert selected.startswith("towards increasing")
    assert "Study protocol and interventions" in selected
    assert selected.endswith("combining supervised exercise with physical activity\nconsultations")


def test_a_box_click_focuses_its_field_and_a_field_scrolls_to_its_box(qtbot, win):
    start, end, boxes = select_words(qtbot, win, 1, "Pregnant smokers")
    win.document.set_field_requested.emit("condition", start, end, False)
    win.pages.pointer.set_selection(0, 0)
    with qtbot.waitSignal(win.document.highlight_clicked, timeout=WAIT) as got:
        click(win, at(win, 1, boxes[4]))
    assert got.args == ["condition"]

    win.pages.go_to_page(9)
    qtbot.waitUntil(lambda: win.pages.current_page() == 9, timeout=WAIT)
    win.extraction.highlight_field("condition")  # what focusing the field does
    qtbot.waitUntil(lambda: win.pages.current_page() == 1, timeout=WAIT)
    qtbot.waitUntil(
        lambda: win.pages.canvas.shows(1, win.pages.rects_for(1, start, end)), timeout=WAIT
    )
    assert any(kind == "focus" for _r, kind, _f in win.pages.marks.drawn(1))


def test_switching_views_keeps_the_selection(qtbot, win):
    start, end, _boxes = select_words(qtbot, win, 1, "Pregnant smokers")
    win.pages.switch.buttons["text"].click()
    assert win.document.stack.currentWidget() is win.document.text
    assert win.document.text.textCursor().selectedText() == "Pregnant smokers"
    other = win.store.record(win.rid).text.index("13 hospital antenatal clinics")
    win.document.select(other, other + 11)
    win.pages.switch.buttons["pages"].click()
    assert win.document.stack.currentWidget() is win.pages
    assert win.pages.selection == (other, other + 11)
    qtbot.waitUntil(win.pages.idle, timeout=WAIT)
    assert any(kind == "selection" for _r, kind, _f in win.pages.marks.drawn(1))
    assert win.pages.preferred_mode() == "pages"


def test_find_marks_hits_on_the_page(qtbot, win):
    canvas = win.pages.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.pages.find_bar.isVisible()
    assert not win.search.hasFocus()  # the window's record search kept out of it
    qtbot.keyClicks(win.pages.find_bar.edit, "antenatal")
    qtbot.keyClick(win.pages.find_bar.edit, Qt.Key.Key_Return)
    text = win.store.record(win.rid).text
    assert len(win.pages.find.hits) == text.lower().count("antenatal")
    qtbot.waitUntil(win.pages.idle, timeout=WAIT)
    page = win.pages.page_of(win.pages.find.hits[win.pages.find.hit][0])
    assert any(kind == "find" for _r, kind, _f in win.pages.marks.drawn(page))
    first = win.pages.find.hit
    qtbot.keyClick(win.pages.find_bar.edit, Qt.Key.Key_Return)
    assert win.pages.find.hit == (first + 1) % len(win.pages.find.hits)
    assert win.pages.find_bar.count.text() == f"{win.pages.find.hit + 1} of {len(win.pages.find.hits)}"
    qtbot.keyClick(win.pages.find_bar.edit, Qt.Key.Key_Escape)
    assert not win.pages.find_bar.isVisible() and not win.pages.find.hits


def test_keyboard_navigation_and_go_to_page(qtbot, win):
    canvas = win.pages.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert win.pages.current_page() == 9
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    assert win.pages.current_page() == 0
    before = canvas.verticalScrollBar().value()
    qtbot.keyClick(canvas, Qt.Key.Key_PageDown)
    assert canvas.verticalScrollBar().value() > before
    qtbot.keyClick(canvas, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert win.pages.toolbar.page_spin.hasFocus()
    qtbot.keyClicks(win.pages.toolbar.page_spin, "3")  # a digit here is a page, not a decision
    qtbot.keyClick(win.pages.toolbar.page_spin, Qt.Key.Key_Return)
    assert win.pages.current_page() == 2
    assert win.store.decisions(win.rid) == []
    qtbot.keyClick(canvas, Qt.Key.Key_I)  # screening keys work on the pages too
    assert [d.decision for d in win.store.decisions(win.rid)] == ["include"]


def test_zoom_renders_anew_and_fit_page_shows_a_whole_page(qtbot, win):
    pages = win.pages
    zoom = pages.canvas.zoom
    qtbot.keyClick(pages.canvas, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert pages.canvas.zoom > zoom
    qtbot.waitUntil(pages.idle, timeout=WAIT)
    assert (pages.current_page(), pages.scale_key()) in pages.images
    pages.toolbar.zoom_chosen("page")
    qtbot.waitUntil(pages.idle, timeout=WAIT)
    rect = pages.canvas.page_rect(pages.current_page())
    assert rect.height() <= pages.canvas.viewport().height()
    assert pages.toolbar.zoom_combo.currentText() == "Fit page"


def test_thumbnails_render_and_take_you_to_a_page(qtbot, win):
    win.pages.toolbar.thumbs_action.setChecked(True)
    assert win.pages.thumbnails.isVisible()
    qtbot.waitUntil(lambda: len(win.pages.thumbs) >= 3, timeout=WAIT)
    item = win.pages.thumbnails.item(4)
    win.pages.thumbnails.itemClicked.emit(item)
    assert win.pages.current_page() == 4


def test_memory_stays_within_the_cache(qtbot, win):
    pages = win.pages
    one_page = max(img.sizeInBytes() for img in (pages.images.get(k) for k in pages.images))
    pages.images.limit = int(one_page * 3.5)
    for page in range(10):
        pages.go_to_page(page)
        qtbot.waitUntil(pages.idle, timeout=WAIT)
    assert pages.images.peak <= pages.images.limit
    assert len(pages.images) <= 3


def drag_over_table_3(qtbot, win) -> None:
    first = pdfium_boxes(win.pages.pdf.path, 6, "Outcomes")[0]
    last = pdfium_boxes(win.pages.pdf.path, 6, "1.66 (0.82 to 3.37)")[-1]
    show(qtbot, win, 6, first)
    canvas = win.pages.canvas
    top_left = canvas.to_view(6, (first[0] - 3, first[1] - 25, first[0], first[1])).topLeft()
    bottom_right = canvas.to_view(6, (last[2], last[3], last[2] + 30, last[3] + 3)).bottomRight()
    drag(win, top_left.toPoint(), bottom_right.toPoint(), Qt.KeyboardModifier.AltModifier)


def test_a_table_sent_to_the_results_tab(qtbot, win):
    drag_over_table_3(qtbot, win)
    assert win.pages.pointer.table_dialog.send_button.isEnabled()
    win.pages.pointer.table_dialog.send_button.click()
    mapping = win.results.table_dialog
    uses, rows, kind = mapping.choices()
    assert [u.use for u in uses] == ["skip", "arm", "arm", "comparison", "comparison"]
    assert len(rows) == 3 and kind == "dichotomous"
    mapping.accept()
    results = win.results.results
    assert {a.value("name") for a in results.arms} == {"Physical activity group", "Control group"}
    assert len(results.outcomes) == 3 and len(results.results) == 6
    assert win.results.tabs.currentWidget() is win.results.panel
    events = sorted(r.value("events") for r in results.results)
    assert events == [16, 24, 25, 30, 50, 61]
    win.undo()  # one change, undone at once
    assert not win.results.results.items


def test_a_table_becomes_rows_to_copy_or_send(qtbot, win):
    sent = []
    win.pages.results_target = sent.append
    drag_over_table_3(qtbot, win)
    table = win.pages.pointer.last_table
    assert table is not None and table.reliable, table and table.message()
    text = win.store.record(win.rid).text
    row = next(r for r in table.rows if r[0] and r[0].text.startswith("Self reported") and r[1]
               and r[1].text == "30 (8)")  # fmt: skip
    assert [c.text for c in row] == [
        "Self reported continuous abstinence‡ at end of pregnancy§",
        "30 (8)", "25 (6)", "1.21 (0.70 to 2.10)", "1.37 (0.78 to 2.41)",
    ]  # fmt: skip
    assert all(text[c.start : c.end] == c.text for c in row[1:])  # spans in the record's text
    dialog = win.pages.pointer.table_dialog
    assert not dialog.warning.isVisible()
    dialog.copy()
    assert "30 (8)\t25 (6)\t1.21 (0.70 to 2.10)" in QGuiApplication.clipboard().text()
    dialog.send_button.click()
    assert sent == [table]


def test_a_damaged_or_missing_pdf_falls_back_to_the_text(qtbot, win, copy):
    pdf = copy / "ussher.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    win.show_record(win.rid)
    qtbot.waitUntil(lambda: bool(win.pages.open_error), timeout=WAIT)
    assert win.pages.mode() == "text"
    assert win.document.stack.currentWidget() is win.document.text
    notice = win.pages.switch.message.text()
    assert "ussher.pdf" in notice and "damaged" in notice and "Showing the text" in notice
    assert not win.pages.switch.buttons["pages"].isEnabled()

    pdf.unlink()
    win.show_record(win.rid)
    assert win.pages.mode() == "text"
    assert "not at" in win.pages.switch.message.text()
    assert win.pages.switch.locate.isVisible()


def test_showing_the_same_record_again_keeps_the_place(qtbot, win):
    win.pages.go_to_page(5)
    qtbot.waitUntil(win.pages.idle, timeout=WAIT)
    win.show_record(win.rid)
    assert win.pages.current_page() == 5 and win.pages.is_open()
    assert len(win.pages.images) > 0


def test_a_record_without_a_pdf_shows_its_text_only(qtbot, win):
    other = next(r.id for r in win.store.records() if not r.page_offsets)
    win.go_to_record(other)
    assert not win.pages.switch.isVisible()
    assert win.document.stack.currentWidget() is win.document.text
    assert not win.pages.is_open()


def test_nothing_in_a_pdf_is_followed_or_run(qtbot, tmp_path, sync_jobs, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from reviewer.ui.main_window import MainWindow

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))

    def no_forms(*_a, **_k):
        raise AssertionError("the form environment (scripts, form fields) was set up")

    monkeypatch.setattr(pdfium.PdfDocument, "init_forms", no_forms)
    marker = tmp_path / "ran"
    pdf = tmp_path / "active.pdf"
    pdf.write_bytes(active_pdf(str(marker)))
    store = create_review(tmp_path / "active.review", "active")
    import_paths(store, [pdf])
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    w.go_to_record(max(store.record_ids()))
    qtbot.waitUntil(lambda: w.pages.is_open() and w.pages.idle(), timeout=WAIT)
    words = pdfium_boxes(pdf, 0, "Click here")
    click(w, at(w, 0, words[2]))  # on the link
    QApplication.processEvents()
    assert opened == [] and not marker.exists()
    assert "Click here" in w.pages.layouts[0].text
    w.close()
    store.close()


def active_pdf(marker: str) -> bytes:
    """One page of text under a link, with a script on opening, a Launch action and an
    embedded file: things a PDF may carry that a reader must never follow or run."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /AcroForm << /Fields [] >>"
        b" /Names << /EmbeddedFiles << /Names [(evil.sh) 8 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> /Annots [7 0 R]"
        b" /AA << /O << /S /Launch /F (/usr/bin/touch) /Win << /F (cmd.exe) >> >> >> >>",
        None,  # the content stream
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /S /JavaScript /JS (app.launchURL\\('https://example.invalid/'\\); "
        + marker.encode()
        + b") >>",
        b"<< /Type /Annot /Subtype /Link /Rect [40 90 200 120] /Border [0 0 0]"
        b" /A << /S /URI /URI (https://example.invalid/phish) >> >>",
        b"<< /Type /Filespec /F (evil.sh) /EF << /F 9 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length 9 >>\nstream\ntouch x\n\nendstream",
    ]
    content = b"BT /F1 14 Tf 50 100 Td (Click here to read the trial) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_screenshot_of_a_page_with_its_boxes(qtbot, copy):
    from reviewer.ui.app import screenshot

    with Store(copy / "pages.review") as store:
        rid = article_id(store)
        text = store.record(rid).text
        start = text.index("Pregnant smokers")
        from reviewer.annotate.selection import set_from_selection

        set_from_selection(store, rid, "condition", start, start + 16, "tester")
    out = screenshot(copy / "pages.review", copy / "shot.png", 1024, 700, record_id=rid, page=2)
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)
