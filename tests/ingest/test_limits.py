"""Size limits: a huge line, document, field or author list is cut, reported, and imported.

A 200 MB one-line file took 140 s and 2.5 GB; a 200 MB RIS title 1.9 GB. Lines are read
at most ``MAX_LINE_CHARS`` at a time, a one-document file at most ``MAX_DOCUMENT_CHARS``,
and fields are cut to their limits: the report names the line or record of each cut
and the record is still stored. The limits are made small here so the files are too.
NUL bytes never reach a stored field (they cut author cells short in exports).
"""

from __future__ import annotations

import csv

import pytest

from reviewer.domain import ParsedRecord
from reviewer.export.formats import export
from reviewer.ingest import import_paths, limits
from reviewer.review.project import create_review


def _import(tmp_path, path):
    store = create_review(tmp_path / "r.review")
    report = import_paths(store, [path]).files[0]
    return store, report


def test_a_one_line_document_too_long_is_cut_and_said_so(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCUMENT_CHARS", 50_000)
    path = tmp_path / "huge.txt"
    path.write_text("A title\n\n" + "word " * 40_000, encoding="utf-8")  # 200,009 characters
    store, report = _import(tmp_path, path)
    with store:
        (rec,) = store.records()
        assert len(rec.text) <= 50_000
    assert report.added == 1
    assert any("200,009 characters; only the first 50,000" in e for e in report.errors)


def test_a_line_too_long_is_cut_where_it_is_and_the_title_to_its_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 100_000)
    path = tmp_path / "long-title.ris"
    path.write_text(
        "TY  - JOUR\nTI  - Short one\nER  - \n\n"
        f"TY  - JOUR\nTI  - {'x' * 300_000}\nAU  - Smith, J\nPY  - 2020\nER  - \n\n"
        "TY  - JOUR\nTI  - After it\nER  - \n",
        encoding="utf-8",
    )
    store, report = _import(tmp_path, path)
    with store:
        titles = [r.title for r in store.records()]
        second = store.record(2)
    assert titles[0] == "Short one" and titles[2] == "After it"  # the file reads on
    assert len(titles[1]) == limits.MAX_TITLE_CHARS
    assert second.authors == ["Smith, J"] and second.year == 2020
    assert len(second.text) < limits.MAX_TITLE_CHARS + 100  # made again from the cut title
    assert any("line 6: a line of 300,006 characters was cut to 100,000" in e
               for e in report.errors)  # fmt: skip
    assert any("record 2: the title had 99,994 characters; it was cut to 4,000" in e
               for e in report.errors)  # fmt: skip


def test_too_many_authors_are_cut_to_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_AUTHORS", 50)
    path = tmp_path / "authors.ris"
    authors = "".join(f"AU  - Author{i}, A\n" for i in range(70))
    path.write_text(f"TY  - JOUR\nTI  - Consortium paper\n{authors}ER  - \n", encoding="utf-8")
    store, report = _import(tmp_path, path)
    with store:
        (rec,) = store.records()
    assert rec.authors == [f"Author{i}, A" for i in range(50)]
    assert any("70 authors; the first 50 were kept" in e for e in report.errors)


def test_limits_leave_every_real_record_as_it_is():
    rec = ParsedRecord(title="A trial\tof x", authors=["Smith, J"], abstract="Line\nline", text="t")
    assert limits.limit_record(rec) == (rec, [])


def test_nul_bytes_never_reach_a_stored_field_or_an_export(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(
        b"Title,Authors,Abstract\n"
        b'"A trial\x00 of lenalidomide","Smith\x00, J; Jones, K","Some\x00 words"\n'
    )
    store, report = _import(tmp_path, path)
    with store:
        (rec,) = store.records()
        assert rec.title == "A trial of lenalidomide"
        assert rec.authors == ["Smith, J", "Jones, K"]
        assert rec.abstract == "Some  words"  # a space: offsets into the text stay put
        assert "\x00" not in rec.text
        out = tmp_path / "out.csv"
        export(store, "csv", out, table="extraction", decision="any")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert "Smith, J; Jones, K" in rows[0].values()


@pytest.mark.parametrize("size", [300_000])
def test_the_document_view_copes_with_a_long_line_without_spaces(qtbot, size):
    from reviewer.domain import Record
    from reviewer.ui.document_text import LONG_BLOCK
    from reviewer.ui.document_view import DocumentView

    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    text = "Title\n" + "".join(chr(0x61 + i % 26) for i in range(size)) + "\nThe end."
    view.show_record(Record(id=1, title="Title", text=text))
    view.grab()
    doc = view.text.document()
    lengths = [doc.findBlockByNumber(i).length() for i in range(doc.blockCount())]
    assert max(lengths) <= LONG_BLOCK + 1
    start = 6 + size // 2
    view.select(start, start + 40)  # across the inserted breaks, offsets are the record's
    assert view.selection() == (start, start + 40)
    assert view.selection_mime().text() == text[start : start + 40]


def test_bounded_lines_read_a_line_longer_than_any_chunk_without_holding_it(monkeypatch):
    import io

    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 100_000)
    text = "first\n" + "x" * 2_500_000 + "\nafter\n" + "y" * 150_000 + "\nlast"
    stream = limits.BoundedText(io.StringIO(text))
    lines = list(stream)
    assert lines == ["first\n", "x" * 100_000 + "\n", "after\n", "y" * 100_000 + "\n", "last"]
    assert stream.cuts == [
        (2, "a line of 2,500,000 characters was cut to 100,000"),
        (4, "a line of 150,000 characters was cut to 100,000"),
    ]
    assert stream.line == 5
    plain = limits.BoundedText(io.StringIO("a\nb\r\nc"))
    assert list(plain) == ["a\n", "b\r\n", "c"] and plain.cuts == []
