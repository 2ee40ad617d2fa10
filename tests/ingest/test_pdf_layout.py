"""The link between a PDF record's text and PDFium's characters, and the geometry on it.

Boxes are checked against PDFium itself: the expected box of a character is read
here with PDFium's own calls (its loose character box, mapped to the page as shown
by ``FPDF_PageToDevice``), never with the module under test.
"""

from __future__ import annotations

import ctypes
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.ingest.formats import pdf
from reviewer.ingest.formats.pdf import PDFIUM_LOCK
from reviewer.ingest.pdf_layout import locate_page, page_starts
from reviewer.ingest.pdf_read import read_layout
from reviewer.ingest.pdf_text import map_clean

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "pdf"
USSHER = DATA / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"


# -- the cleaned text and its map -----------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("ab fi.\n\r\t") + ["\r\n", "\ufb01", "\ufb03", "\u00ad", "\ufffe", "\x02", "\x0c", "\x7f"]
    + ["e\u0301", "\u0301", "\u1100\u1161\u11a8", "\u2126", "\u00a0", " \n", "\u2028"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_the_mapped_text_is_the_importers_text(raw):
    mapped = map_clean(raw)
    assert mapped.text == pdf.clean_page_text(raw)
    assert len(mapped.chars) == len(mapped.text)
    assert mapped.chars == sorted(mapped.chars)  # order is kept
    assert all(0 <= k < len(raw) for k in mapped.chars)


def test_each_character_points_at_the_one_it_came_from():
    raw = "of\ufb01ce\u00ad\r\nwork  \r\ncaf\u0065\u0301"
    mapped = map_clean(raw)
    assert mapped.text == "office\nwork\ncafé"
    fi = raw.index("\ufb01")
    assert mapped.chars[2:4] == [fi, fi]  # both letters of the ligature
    assert mapped.chars[mapped.text.index("w")] == raw.index("w")
    assert mapped.chars[mapped.text.index("é")] == raw.index("e\u0301")


# -- a real article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc():
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(USSHER))
    yield document
    with PDFIUM_LOCK:
        document.close()


def pdfium_box(doc, page_index: int, char_index: int) -> tuple[float, float, float, float]:
    """PDFium's loose box of a character on the page as shown, read independently."""
    with PDFIUM_LOCK:  # a page view's worker may be using PDFium
        page = doc[page_index]
        textpage = page.get_textpage()
        try:
            rect = pdfium_c.FS_RECTF()
            assert pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, char_index, rect)
            width, height = page.get_size()
            scale = 1000
            dx, dy = ctypes.c_int(), ctypes.c_int()
            xs, ys = [], []
            for x, y in ((rect.left, rect.bottom), (rect.right, rect.top)):
                pdfium_c.FPDF_PageToDevice(
                    page.raw, 0, 0, round(width * scale), round(height * scale), 0, x, y, dx, dy
                )
                xs.append(dx.value / scale)
                ys.append(dy.value / scale)
            return min(xs), min(ys), max(xs), max(ys)
        finally:
            textpage.close()
            page.close()


def raw_index(doc, page_index: int, words: str) -> int:
    with PDFIUM_LOCK:
        page = doc[page_index]
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            assert len(raw) == textpage.count_chars()  # one text character per PDFium character
            return raw.index(words)
        finally:
            textpage.close()
            page.close()


def test_every_page_reads_as_the_importer_stored_it(doc):
    with open(USSHER, "rb") as fh:
        record = next(pdf.parse(fh, USSHER))
    spans = page_starts(record.text, record.page_offsets)
    assert len(spans) == len(doc)
    for index in range(len(doc)):
        layout = read_layout(doc, index)
        start, end = spans[index]
        assert record.text[start:end] == layout.text
        assert locate_page(record.text, layout, spans[index]) == start


def test_a_spans_boxes_are_pdfiums_character_boxes(doc):
    layout = read_layout(doc, 1)
    words = "13 hospital antenatal clinics"
    start = layout.text.index(words)
    first = raw_index(doc, 1, words)
    for k in range(len(words)):
        assert layout.chars[start + k] == first + k
        expected = pdfium_box(doc, 1, first + k)
        assert layout.box(start + k) == pytest.approx(expected, abs=0.01)
    (rect,) = layout.rects(start, start + len(words))
    union = [pdfium_box(doc, 1, first + k) for k in range(len(words))]
    assert rect == pytest.approx(
        (
            min(b[0] for b in union),
            min(b[1] for b in union),
            max(b[2] for b in union),
            max(b[3] for b in union),
        ),
        abs=0.01,
    )


def test_a_span_over_two_lines_has_a_box_on_each(doc):
    layout = read_layout(doc, 1)
    start = layout.text.index("age\n16-50 years")
    rects = layout.rects(start, start + len("age\n16-50 years"))
    assert len(rects) == 2
    assert rects[1][1] > rects[0][3] - 1  # the second line is below the first


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_keep_boxes_on_their_characters(tmp_path, rotation):
    turned = tmp_path / f"turned-{rotation}.pdf"
    shutil.copy(USSHER, turned)
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(turned))
        page = doc[1]
        page.set_rotation(rotation)
        page.close()
    layout = read_layout(doc, 1)
    words = "Methods"  # a heading: one line, however PDFium orders a turned page
    start = layout.text.index(words)
    first = raw_index(doc, 1, words)
    for k in range(len(words)):
        if not words[k].isspace():
            assert layout.box(start + k) == pytest.approx(pdfium_box(doc, 1, first + k), abs=0.01)
    rects = layout.rects(start, start + len(words))
    assert len(rects) == 1  # lines run along the rotated text
    box = layout.box(start)
    middle = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    assert layout.char_at(*middle) == start
    with PDFIUM_LOCK:
        doc.close()


# -- where a drag selects, in two columns ---------------------------------------------------


def middle(box):
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def right_column(layout) -> float:
    """Where the right column of page 2 begins."""
    return layout.box(layout.text.index("combining supervised exercise"))[0]


def test_a_drag_down_one_column_selects_only_that_column(doc):
    layout = read_layout(doc, 1)
    half = right_column(layout)
    a = layout.text.index("Between April 2009")
    b = layout.text.index("Pregnant smokers are")
    start = layout.caret_at(layout.box(a)[0] + 0.5, middle(layout.box(a))[1])
    end = layout.caret_at(layout.box(b)[0] + 0.5, middle(layout.box(b))[1])
    assert (start, end) == (a, b)
    boxes = [layout.box(i) for i in range(start, end) if layout.box(i)]
    assert boxes and all(box[2] < half for box in boxes)  # nothing from the right column


def test_a_drag_from_one_column_into_the_next_reads_on_in_order(doc):
    layout = read_layout(doc, 1)
    half = right_column(layout)
    a = layout.text.index("towards increasing their activity")
    b = layout.text.index("consultations. Fourteen")
    end_box = layout.box(b + len("consultations") - 1)
    start = layout.caret_at(layout.box(a)[0] + 0.1, middle(layout.box(a))[1])
    end = layout.caret_at(end_box[2] + 0.1, middle(end_box)[1])
    selected = layout.text[start:end]
    assert selected.startswith("towards increasing")
    assert "Study protocol and interventions" in selected  # the rest of the left column
    assert selected.endswith("consultations")  # then the top of the right column
    right = [layout.box(i) for i in range(start, end) if layout.box(i) and layout.box(i)[0] > half]
    assert right and max(box[3] for box in right) <= end_box[3] + 0.01  # nothing lower


def test_pointing_beside_the_text_takes_the_nearest_line_of_that_column(doc):
    layout = read_layout(doc, 1)
    a = layout.text.index("Between April 2009")
    box = layout.box(a)
    left_margin = layout.caret_at(box[0] - 20, middle(box)[1])
    assert left_margin == a
    below_everything = layout.caret_at(box[0] + 1, layout.height - 1)
    line = layout.lines[layout.line_of(below_everything)]  # the column's last line
    assert layout.text[line.start : line.end].startswith("cessation support plus")


def test_no_text_no_caret(tmp_path):
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument.new()
        doc.new_page(200, 200).close()
    layout = read_layout(doc, 0)
    assert layout.text == "" and layout.caret_at(10, 10) is None and layout.rects(0, 5) == []
