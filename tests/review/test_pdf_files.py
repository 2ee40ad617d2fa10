"""Finding the PDF behind a record's text: the one it was imported from, or its
attached full text, where it is now."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest import import_paths
from reviewer.review.fulltext import attach_fulltext
from reviewer.review.pdf_files import find_record_pdf
from reviewer.review.project import create_review
from reviewer.store.pdfs import record_pdf

USSHER = (
    Path(__file__).resolve().parents[1]
    / "data" / "corpus" / "pdf" / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
)  # fmt: skip


@pytest.fixture
def store(tmp_path):
    s = create_review(tmp_path / "review" / "r.review", "pdfs")
    yield s
    s.close()


def test_an_imported_pdf_and_an_attached_one(store, tmp_path):
    here = tmp_path / "articles"
    here.mkdir()
    pdf = shutil.copy(USSHER, here / "ussher.pdf")
    import_paths(store, [Path(pdf)])
    imported = max(store.record_ids())
    (plain,) = _add(store, ParsedRecord(title="Physical activity in pregnancy", text="x"))
    assert record_pdf(store, plain) is None
    attach_fulltext(store, plain, pdf, "ann")
    for rid, origin in ((imported, "import"), (plain, "fulltext")):
        found = find_record_pdf(store, rid)
        assert found is not None and found.found and found.origin == origin
        assert found.path == Path(pdf).resolve()


def _add(store, record):
    from reviewer.domain import Source

    with store.atomic():
        sid = store.add_source(Source(name="x.ris", sha256="1" * 64, size=1, format="ris"))
        return store.add_records(sid, [record])


def test_a_moved_pdf_is_found_beside_the_review_by_its_content(store, tmp_path):
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    pdf = Path(shutil.copy(USSHER, elsewhere / "ussher.pdf"))
    import_paths(store, [pdf])
    rid = max(store.record_ids())
    pdf.unlink()
    missing = find_record_pdf(store, rid)
    assert missing is not None and not missing.found and missing.path == pdf.resolve()

    beside = store.path.parent / "fulltexts"
    beside.mkdir()
    (beside / "ussher.pdf").write_bytes(b"%PDF-1.4 another article with the same name")
    assert not find_record_pdf(store, rid).found  # same name, other content: not it
    shutil.copy(USSHER, beside / "ussher.pdf")
    assert find_record_pdf(store, rid).path == beside / "ussher.pdf"


def test_a_place_the_reviewer_showed(store, tmp_path):
    pdf = Path(shutil.copy(USSHER, tmp_path / "ussher.pdf"))
    import_paths(store, [pdf])
    rid = max(store.record_ids())
    moved = tmp_path / "renamed.pdf"
    pdf.rename(moved)
    where = record_pdf(store, rid)
    found = find_record_pdf(store, rid, known=lambda sha: str(moved) if sha == where.sha256 else None)
    assert found.found and found.path == moved
