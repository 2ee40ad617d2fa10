"""Exporting from the window, and the PRISMA diagram shown in the app."""

from __future__ import annotations

import openpyxl

from reviewer.review import screening
from reviewer.review.stats import stats
from reviewer.ui.export_dialog import ExportDialog, PrismaDialog


def test_export_dialog_options(qtbot):
    d = ExportDialog()
    qtbot.addWidget(d)
    d.fmt.setCurrentIndex(d.fmt.findData("csv"))
    d.bom.setChecked(True)
    assert d.options()["fmt"] == "csv" and d.options()["bom"] is True
    d.fmt.setCurrentIndex(d.fmt.findData("json"))
    assert not d.table.isEnabled() and not d.bom.isEnabled()


def test_export_runs_in_the_background_and_writes_a_workbook(qtbot, window, tmp_path):
    rid = window.model.ids[0]
    screening.decide(window.store, rid, "include", "tester")
    screening.decide(window.store, rid, "include", "tester", stage="full_text")
    window.store.set_value(rid, "sample_size", 42, "tester")
    out = tmp_path / "table.xlsx"
    window.exporter.start(
        str(out), "xlsx", table="extraction", stage=None, decision=None, bom=False, provenance=True
    )
    assert window.exporter.last_report.rows == 1
    wb = openpyxl.load_workbook(out, read_only=True)
    sheet = wb["Extraction"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    row = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert row[header.index("sample_size")] == 42  # a number stays a number


def test_prisma_dialog_draws_the_review_counts(qtbot, window):
    dialog = PrismaDialog(window.store, window, window.exporter)
    qtbot.addWidget(dialog)
    assert dialog.counts["included"] == stats(window.store)["prisma"]["included"]
    assert dialog.view.renderer().isValid()
    assert not dialog.grab().isNull()


def test_a_json_export_opens_as_a_new_review(qtbot, window, tmp_path):
    from reviewer.export.json_export import export_json

    window.store.set_value(window.current_id, "sample_size", 42, "tester")
    export_json(window.store, tmp_path / "r.json")
    dest = tmp_path / "copy.review"
    window.files.new_review_from_json(str(tmp_path / "r.json"), str(dest))
    assert window.store.path == dest
    assert window.model.rowCount() == 34
    assert window.store.values(window.model.ids[0])["sample_size"].value == 42
