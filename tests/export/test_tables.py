"""Extraction, screening and log tables as CSV and XLSX, on a screened demo review."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from reviewer.export.csv_export import export_csv
from reviewer.export.selection import select_record_ids
from reviewer.export.tables import PROVENANCE_SUFFIXES, RECORD_HEADER
from reviewer.export.xlsx_export import export_xlsx
from reviewer.review import screening as sc
from reviewer.review.stats import stats
from reviewer.store import Store, duplicates


@pytest.fixture
def store(screened_review):
    s = Store(screened_review)
    yield s
    s.close()


def _read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_extraction_csv_has_a_row_per_included_record_and_every_field(store, tmp_path):
    out = tmp_path / "extraction.csv"
    seen = []
    report = export_csv(store, out, progress=lambda done, total: seen.append((done, total)))
    rows = _read_csv(out)

    included = sc.records_at_stage(store, "extraction")
    assert [int(r["record_id"]) for r in rows] == included
    assert report.rows == len(included) == stats(store)["prisma"]["included"]
    assert seen[-1] == (len(included), len(included))
    header = list(rows[0])
    assert header[: len(RECORD_HEADER)] == RECORD_HEADER
    for key in store.template().keys:
        column = f"{key}__value" if key in RECORD_HEADER else key
        assert column in header
        assert [f"{key}__{s}" for s in PROVENANCE_SUFFIXES] == header[
            header.index(column) + 1 : header.index(column) + 1 + len(PROVENANCE_SUFFIXES)
        ]


def test_extraction_values_carry_their_provenance(store, tmp_path):
    out = tmp_path / "extraction.csv"
    export_csv(store, out)
    row = _read_csv(out)[0]
    rid = int(row["record_id"])
    values = store.values(rid)
    size = values["sample_size"]
    assert row["sample_size"] == str(size.value)
    assert row["sample_size__quote"] == size.provenance[0].quote
    span = size.provenance[0]
    assert row["sample_size__location"] == f"{span.start}-{span.end}"
    assert row["sample_size__page"] == "1"
    assert row["sample_size__set_by"] == "alice"
    assert row["sample_size__set_at"] == size.time
    assert row["age"] == "61.5" and row["age__quote"] == "" and row["age__set_by"] == "bob"
    assert row["interventions"] == "lenalidomide; dexamethasone"
    assert row["interventions__quote"].count(" | ") == 1
    assert row["record_title"] == store.record(rid).title
    assert row["source"]


def test_removed_fields_and_custom_fields_are_columns_too(store, tmp_path, template):
    from reviewer.annotate.template_ops import remove_field

    rid = sc.records_at_stage(store, "extraction")[0]
    store.set_value(rid, "funding", "a public grant", "alice")
    remove_field(store, "funding", "carol")
    out = tmp_path / "extraction.csv"
    export_csv(store, out, provenance=False)
    rows = _read_csv(out)
    assert list(rows[0])[-1] == "funding"
    assert rows[0]["funding"] == "a public grant"
    assert not any(h.endswith("__quote") for h in rows[0])


def test_bom_option_for_excel(store, tmp_path):
    plain, bom = tmp_path / "plain.csv", tmp_path / "bom.csv"
    export_csv(store, plain)
    export_csv(store, bom, bom=True)
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert bom.read_bytes()[3:] == plain.read_bytes()


def test_stage_and_decision_choose_the_records(store, tmp_path):
    numbers = stats(store)
    out = tmp_path / "t.csv"
    report = export_csv(store, out, stage="title_abstract", decision="exclude")
    assert report.rows == numbers["stages"]["title_abstract"]["final"]["exclude"]
    report = export_csv(store, out, stage="title_abstract", decision="conflict")
    assert report.rows == numbers["stages"]["title_abstract"]["final"]["conflict"]
    report = export_csv(store, out, decision="any")  # every record, less merged duplicates
    assert report.rows == store.record_count() - len(duplicates.merged_ids(store))
    assert select_record_ids(store) == sc.records_at_stage(store, "extraction")
    with pytest.raises(ValueError):
        select_record_ids(store, decision="perhaps")


def test_screening_table_per_stage_with_final_decisions_and_reasons(store, tmp_path):
    out = tmp_path / "screening.csv"
    export_csv(store, out, table="screening")
    rows = _read_csv(out)
    numbers = stats(store)["stages"]
    for stage in ("title_abstract", "full_text"):
        mine = [r for r in rows if r["stage"] == stage]
        assert len(mine) == numbers[stage]["records"]
        finals = {k: sum(r["final"] == k for r in mine) for k in numbers[stage]["final"]}
        assert finals == numbers[stage]["final"]
        reasons: dict[str, int] = {}
        for r in mine:
            if r["final"] == "exclude":
                reasons[r["final_reason"]] = reasons.get(r["final_reason"], 0) + 1
        assert reasons == numbers[stage]["reasons"]
    first = next(r for r in rows if r["stage"] == "title_abstract")
    assert first["alice: decision"] == "exclude"
    assert first["alice: reason"] == "wrong population"
    assert first["bob: note"] == "n=1"
    resolved = [r for r in rows if r["resolved_by"]]
    assert resolved and all(r["resolved_by"] == "carol" for r in resolved)
    assert all(r["final"] == r["resolution"] for r in resolved)


def test_log_table_has_every_event(store, tmp_path):
    out = tmp_path / "log.csv"
    report = export_csv(store, out, table="log")
    rows = _read_csv(out)
    assert report.rows == len(rows) == len(store.events())
    decision = next(r for r in rows if r["kind"] == "decision.set")
    assert decision["stage"] == "title_abstract" and decision["after"] in ("include", "exclude")
    assert decision["detail"] == ""  # every part of a decision has its own column
    assert decision["summary"].startswith("title/abstract: ")
    value = next(r for r in rows if r["kind"] == "value.set" and r["field"] == "sample_size")
    assert value["after"].isdigit() and value["before"] == ""
    assert json.loads(value["detail"])["provenance"][0]["quote"]


def test_cancel_leaves_no_file(store, tmp_path, monkeypatch):
    import reviewer.export.common as common

    monkeypatch.setattr(common, "PROGRESS_EVERY", 1)
    folder = tmp_path / "out"
    folder.mkdir()
    for fmt in (export_csv, export_xlsx):
        report = fmt(store, folder / "cancelled", decision="any", cancel=lambda: True)
        assert report.cancelled
    assert list(folder.iterdir()) == []


def test_xlsx_sheets_header_filters_widths_and_numbers(store, tmp_path):
    out = tmp_path / "review.xlsx"
    report = export_xlsx(store, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Extraction", "Provenance", "Screening", "Events"]
    included = sc.records_at_stage(store, "extraction")
    assert report.rows == len(included) == report.sheets["Extraction"]

    sheet = book["Extraction"]
    assert sheet.freeze_panes == "A2"
    assert (
        sheet.auto_filter.ref
        == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{len(included) + 1}"
    )
    header = [c.value for c in sheet[1]]
    assert header[0] == "record_id" and sheet["A1"].font.b
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == included
    size = rows[0][header.index("sample_size")]
    assert isinstance(size, int) and size == store.values(included[0])["sample_size"].value
    assert isinstance(rows[0][header.index("age")], float)
    assert isinstance(rows[0][header.index("record_year")], int)
    title_width = sheet.column_dimensions["B"].width
    assert 20 < title_width <= 62 and sheet.column_dimensions["A"].width < title_width

    for name in ("Provenance", "Screening", "Events"):
        assert book[name].freeze_panes == "A2" and book[name].auto_filter.ref
    spans = list(book["Provenance"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in spans} == set(included)
    screening = list(book["Screening"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in screening} == set(included)
    events = list(book["Events"].iter_rows(min_row=2, values_only=True))
    assert {r[4] for r in events} - {None} <= set(included)
    assert any(r[3] == "value.set" for r in events)


def test_xlsx_screening_table_alone(store, tmp_path):
    out = tmp_path / "screening.xlsx"
    export_xlsx(store, out, table="screening", stage="full_text")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Screening"]
    rows = list(book["Screening"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == stats(store)["stages"]["full_text"]["records"]


# -- issue 10, bug 7: exports are never empty or padded without a word ------------------------


def test_an_all_records_export_leaves_merged_duplicates_out_unless_asked(store, tmp_path):
    dups = duplicates.merged_ids(store)
    assert dups  # the screened demo has two
    out = tmp_path / "all.csv"
    export_csv(store, out, decision="any")
    rows = _read_csv(out)
    assert not {int(r["record_id"]) for r in rows} & set(dups)
    assert "duplicate_of" not in rows[0]
    report = export_csv(store, out, decision="any", duplicates=True)
    rows = _read_csv(out)
    assert report.rows == store.record_count()
    marked = {int(r["record_id"]): r["duplicate_of"] for r in rows if r["duplicate_of"]}
    assert marked == {rid: str(store.record(rid).duplicate_of) for rid in dups}


def test_an_empty_export_says_0_records_and_why(demo_review, tmp_path):
    with Store(demo_review) as fresh:  # nothing screened: nothing is included yet
        report = export_csv(fresh, tmp_path / "e.csv")
        assert report.rows == 0
        assert report.summary().startswith("0 records: nothing is included at the last stage")
        assert "choose a stage" in report.summary()
        report = export_csv(fresh, tmp_path / "f.csv", stage="full_text", decision="include")
        assert "no record has reached full text yet" in report.empty_because
        report = export_csv(fresh, tmp_path / "g.csv", decision="any")
        assert report.empty_because == "" and report.summary() == "34 records"
