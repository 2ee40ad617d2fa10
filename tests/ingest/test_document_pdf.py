"""PDF import: text per page with page offsets, titles, and a clear word for every PDF
that cannot be read (no text layer, password, damage)."""

from __future__ import annotations

import bisect
import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.domain import ParsedRecord
from reviewer.ingest import import_paths
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.formats import pdf
from reviewer.review.project import create_review
from tests.conftest import CORPUS as DATA_CORPUS

CORPUS = DATA_CORPUS / "pdf"

Line = tuple[int, str]  # font size, text


def make_pdf(pages: list[list[Line]], image_pages: frozenset[int] = frozenset()) -> bytes:
    """A small valid PDF: each page draws its lines top-down in Helvetica at the given
    sizes; pages in ``image_pages`` also draw a 2x2 grey image."""
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in at the end
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    font = len(objects)
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    image = len(objects)
    kids = []
    for index, lines in enumerate(pages):
        ops, y = [], 740
        for size, text in lines:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"BT /F1 {size} Tf 72 {y} Td ({escaped}) Tj ET")
            y -= size + 10
        if index in image_pages:
            ops.append("q 200 0 0 200 100 200 cm /Im1 Do Q")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R"
                f" /Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>"
            ).encode()
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects[1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TWO_PAGES = [
    [
        (24, "A tiny trial of lenalidomide"),
        (11, "Jane Smith, Omar Haddad"),
        (11, "doi: 10.5555/tiny.2024.7"),
        (11, "We randomised 40 patients to lenalidomide or placebo."),
    ],
    [
        (11, "Results"),
        (11, "Median PFS was 52.8 months on page two."),
    ],
]


def _parse_bytes(data: bytes, name: str = "doc.pdf") -> list[ParsedRecord | RecordError]:
    return list(pdf.parse(io.BytesIO(data), Path(name)))


def _page_of(rec: ParsedRecord, offset: int) -> int:
    """The 0-based page a character offset of the record's text falls on."""
    return bisect.bisect_right(rec.page_offsets, offset) - 1


def test_pages_and_offsets():
    (rec,) = _parse_bytes(make_pdf(TWO_PAGES))
    assert isinstance(rec, ParsedRecord)
    assert len(rec.page_offsets) == 2 and rec.page_offsets[0] == 0
    assert rec.text[rec.page_offsets[1] :].startswith("Results")
    span = rec.text.index("Median PFS was 52.8 months")
    assert _page_of(rec, span) == 1
    assert _page_of(rec, rec.text.index("We randomised 40 patients")) == 0
    assert rec.text[: rec.page_offsets[1]].endswith(pdf.PAGE_JOIN)


def test_title_is_the_largest_type_and_doi_from_the_first_page():
    (rec,) = _parse_bytes(make_pdf(TWO_PAGES))
    assert rec.title == "A tiny trial of lenalidomide"
    assert rec.doi == "10.5555/tiny.2024.7"
    assert rec.extra["pages"] == 2


def test_title_falls_back_to_the_first_line():
    (rec,) = _parse_bytes(make_pdf([[(11, "Same size title line"), (11, "Body text here.")]]))
    assert rec.title == "Same size title line"


def test_a_scan_without_text_layer_needs_ocr():
    data = make_pdf([[]], image_pages=frozenset({0}))
    with pytest.raises(ImportFailure) as err:
        _parse_bytes(data)
    assert "no text layer" in str(err.value)
    assert "OCR" in str(err.value)
    assert "scan" in str(err.value)


def test_blank_pdf_has_no_text_layer():
    with pytest.raises(ImportFailure, match="no text layer"):
        _parse_bytes(make_pdf([[]]))


def test_a_page_without_text_is_noted():
    data = make_pdf([TWO_PAGES[0], [], TWO_PAGES[1]], image_pages=frozenset({1}))
    (rec,) = _parse_bytes(data)
    assert rec.extra["pages_without_text"] == [2]
    assert len(rec.page_offsets) == 3
    assert _page_of(rec, rec.text.index("Median PFS")) == 2


def test_damaged_and_misnamed_files():
    with pytest.raises(ImportFailure, match="damaged"):
        _parse_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> trailer garbage")
    with pytest.raises(ImportFailure, match="not a PDF"):
        _parse_bytes(b"<html>this was saved with the wrong name</html>")
    with pytest.raises(ImportFailure, match="empty"):
        _parse_bytes(b"")


def test_sniff_by_magic_and_by_name(tmp_path):
    real = tmp_path / "paper.bin"
    real.write_bytes(make_pdf(TWO_PAGES))
    misnamed = tmp_path / "notes.pdf"
    misnamed.write_text("just text")
    text = tmp_path / "notes.txt"
    text.write_text("just text")
    assert pdf.sniff("", real) == 1.0
    assert 0 < pdf.sniff("", misnamed) < 1.0
    assert pdf.sniff("", text) == 0.0
    assert pdf.sniff("", tmp_path / "missing.pdf") == 0.0


def test_import_keeps_page_offsets_and_reports_failures(tmp_path):
    good = tmp_path / "good.pdf"
    good.write_bytes(make_pdf(TWO_PAGES))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[]], image_pages=frozenset({0})))
    broken = tmp_path / "broken.pdf"
    broken.write_text("broken pdf...")
    store = create_review(tmp_path / "r.review")
    try:
        report = import_paths(store, [good, scan, broken])
        by_name = {Path(f.path).name: f for f in report.files}
        assert by_name["good.pdf"].added == 1 and by_name["good.pdf"].format == "pdf"
        assert "no text layer" in " ".join(by_name["scan.pdf"].errors)
        assert "not a PDF" in " ".join(by_name["broken.pdf"].errors)
        (rec,) = list(store.records())
        assert rec.page_offsets == _parse_bytes(good.read_bytes())[0].page_offsets  # type: ignore[union-attr]
    finally:
        store.close()


def test_corpus_span_is_located_on_its_page():
    import pypdfium2 as pdfium

    path = CORPUS / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
    with open(path, "rb") as fh:
        (rec,) = list(pdf.parse(fh, path))
    assert len(rec.page_offsets) == 10
    phrase = "assessed the levels of carbon monoxide weekly"
    page = _page_of(rec, rec.text.index(phrase))
    doc = pdfium.PdfDocument(str(path))
    try:
        own = pdf.clean_page_text(doc[page].get_textpage().get_text_range())
    finally:
        doc.close()
    assert page == 2
    assert phrase in own
    assert rec.text[rec.page_offsets[page] :].startswith(own[:200])


@pytest.mark.parametrize(
    ("name", "title", "doi"),
    [
        (
            "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf",
            "Physical activity for smoking cessation in pregnancy: randomised controlled trial",
            "10.1136/bmj.h2145",
        ),
        (
            "Tully2010_RehabResPract_heart_failure_programmes.pdf",
            "Patient Experiences of Structured Heart Failure Programmes",
            "10.1155/2010/157939",
        ),
        (
            "Datta2010_TraumaMgmtOutcomes_DVT_prophylaxis_SR.pdf",
            "Complications related to deep venous thrombosis prophylaxis in trauma: "
            "a systematic review of the literature",
            "10.1186/1752-2897-4-1",
        ),
        (
            "AgyemanDuah2014_BMC_HSR_quality_improvement_Malawi.pdf",
            "Understanding the barriers to setting up a healthcare quality improvement process "
            "in resource-limited settings: a situational analysis at the Medical Department of "
            "Kamuzu Central Hospital in Lilongwe, Malawi",
            "10.1186/1472-6963-14-1",
        ),
    ],
)
def test_corpus_titles_and_dois(name, title, doi):
    path = CORPUS / "clinical_oa" / name
    with open(path, "rb") as fh:
        (rec,) = list(pdf.parse(fh, path))
    assert rec.title == title
    assert rec.doi == doi
    if name.startswith("Ussher"):
        assert rec.trial_ids == ["ISRCTN48600346"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("scanned-image-only.pdf", "no text layer"),
        ("write-protected.pdf", "no text layer"),
        ("empty.pdf", "no text layer"),
        ("encrypted.pdf", "password"),
        ("broken-pdf.pdf", "not a PDF"),
        ("zero-size-pdf.pdf", "empty"),
    ],
)
def test_corpus_edge_cases(name, message):
    path = CORPUS / "edge_cases" / name
    with open(path, "rb") as fh, pytest.raises(ImportFailure, match=message):
        list(pdf.parse(fh, path))


def _only_records_or_failure(data: bytes) -> None:
    try:
        items = _parse_bytes(data)
    except ImportFailure:
        return
    assert all(isinstance(i, ParsedRecord | RecordError) for i in items)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(data):
    _only_records_or_failure(data)
    _only_records_or_failure(b"%PDF-1.7\n" + data)


VALID = make_pdf(TWO_PAGES)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=12
    ),
    st.integers(10, len(VALID)),
)
def test_mutated_pdfs_never_crash(edits, cut):
    data = bytearray(VALID)
    for pos, value in edits:
        data[pos] = value
    _only_records_or_failure(bytes(data))
    _only_records_or_failure(bytes(data[:cut]))


def test_shuffled_objects_never_crash():
    rng = random.Random(7)
    for _ in range(20):
        chunks = VALID.split(b"endobj")
        rng.shuffle(chunks)
        _only_records_or_failure(b"endobj".join(chunks))
