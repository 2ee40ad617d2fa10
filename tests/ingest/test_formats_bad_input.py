"""Bad input gets a clear message naming the file and the line or record; the rest imports."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from reviewer.ingest import import_paths
from reviewer.review.project import create_review

GOOD_RIS = "TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - Second\nER  - \n"
GOOD_NBIB = "PMID- 1\nTI  - A MEDLINE record\n\nPMID- 2\nTI  - Another\n"
GOOD_XML = (
    "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>3</PMID><Article>"
    "<ArticleTitle>From XML</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    "</PubmedArticleSet>"
)


def junk_bytes(n: int = 4096) -> bytes:
    return random.Random(7).randbytes(n)


@pytest.fixture
def store(tmp_path):
    s = create_review(tmp_path / "r.review")
    yield s
    s.close()


def _one(store, path: Path):
    return import_paths(store, [path]).files[0]


def test_empty_file(store, tmp_path):
    path = tmp_path / "empty.ris"
    path.write_bytes(b"")
    report = _one(store, path)
    assert report.errors == ["empty.ris: the file is empty"] and store.record_count() == 0


@pytest.mark.parametrize("name", ["junk.ris", "junk.nbib", "junk.bin", "junk.csv"])
def test_binary_junk(store, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(junk_bytes())
    report = _one(store, path)
    assert store.record_count() == 0
    assert len(report.errors) >= 1 and all(e.startswith(name) for e in report.errors)


def test_truncated_ris_keeps_complete_records(store, tmp_path):
    path = tmp_path / "cut.ris"
    path.write_text(GOOD_RIS + "\nTY  - JOUR\nTI  - Third, cut off in the mid", encoding="utf-8")
    report = _one(store, path)
    assert store.record_count() == 2
    (error,) = report.errors
    assert error.startswith("cut.ris, line 9, record 3:") and "no 'ER  -' line" in error


def test_unknown_format(store, tmp_path):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("inside.txt", "x" * 1000)
    report = _one(store, path)
    assert store.record_count() == 0
    assert report.errors and report.errors[0].startswith("archive.zip:")
    assert "not a format Reviewer can read" in report.errors[0]


def test_mis_encoded_file_is_imported_and_flagged(store, tmp_path):
    path = tmp_path / "mixed.ris"
    # a UTF-8 BOM promises UTF-8, but the title was written in Windows-1252
    path.write_bytes(
        b"\xef\xbb\xbf"
        + GOOD_RIS.encode()
        + "TY  - JOUR\nTI  - Caf\xe9\nER  - \n".encode("latin-1")
    )
    report = _one(store, path)
    assert store.record_count() == 3
    (error,) = report.errors
    assert error.startswith("mixed.ris, line 8, record 3:") and "\ufffd" in error


def test_unknown_csv_columns(store, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Colour,Size\nred,3\n", encoding="utf-8")
    (error,) = _one(store, path).errors
    assert error.startswith("sheet.csv, line 1:") and "Colour, Size" in error and "--map" in error


def test_folder_of_mixed_files(store, tmp_path):
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a_good.ris").write_text(GOOD_RIS, encoding="utf-8")
    (folder / "b_empty.bib").write_bytes(b"")
    (folder / "c_junk.dat").write_bytes(junk_bytes())
    (folder / "d_cut.ris").write_text(GOOD_RIS + "TY  - JOUR\nTI  - cut", encoding="utf-8")
    (folder / "e_good.nbib").write_text(GOOD_NBIB, encoding="utf-8")
    (folder / "f_broken.xml").write_text("<PubmedArticleSet><PubmedArticle>", encoding="utf-8")
    (folder / "sub" / "g_good.xml").write_text(GOOD_XML, encoding="utf-8")
    (folder / ".hidden.ris").write_text(GOOD_RIS, encoding="utf-8")
    report = import_paths(store, [folder])
    by_name = {Path(f.path).name: f for f in report.files}
    assert sorted(by_name) == [
        "a_good.ris",
        "b_empty.bib",
        "c_junk.dat",
        "d_cut.ris",
        "e_good.nbib",
        "f_broken.xml",
        "g_good.xml",
    ]
    assert (by_name["a_good.ris"].added, by_name["a_good.ris"].errors) == (2, [])
    assert by_name["e_good.nbib"].added == 2 and by_name["g_good.xml"].added == 1
    assert by_name["d_cut.ris"].added + by_name["d_cut.ris"].duplicates == 2
    for bad in ("b_empty.bib", "c_junk.dat", "d_cut.ris", "f_broken.xml"):
        errors = by_name[bad].errors
        assert errors and all(e.startswith(bad) for e in errors), errors
    assert "line" in by_name["f_broken.xml"].errors[0]
    assert store.record_count() == 2 + 2 + 2 + 1
