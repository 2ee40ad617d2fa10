"""Review tables as an Excel workbook: a styled, frozen, filterable header, sensible
column widths, and (for extraction) sheets for provenance, screening decisions and
the event log of the same records.

Rows stream from the review into the file (``xlsx_stream``), so memory stays flat
at 100,000 records. Nothing is ever written as a formula or a link; text that a
spreadsheet could take for a formula is neutralised as in the CSV, and numbers
are written as numbers.
"""

from __future__ import annotations

from pathlib import Path

from reviewer.domain.cells import Cell
from reviewer.export.common import CancelFn, ExportReport, ProgressFn, Ticker, atomic_output
from reviewer.export.selection import explain
from reviewer.export.tables import Table, workbook_tables
from reviewer.export.xlsx_stream import Sheet, write_workbook
from reviewer.store import Store


def export_xlsx(
    store: Store,
    out_path: str | Path,
    table: str = "extraction",
    stage: str | None = None,
    decision: str | None = None,
    provenance: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    duplicates: bool = False,
) -> ExportReport:
    """Write ``table`` of the selected records (see ``export_csv``) as a workbook; the
    extraction table brings its Provenance, Screening and Events sheets along."""
    report = ExportReport(Path(out_path))
    tables = workbook_tables(store, table, stage, decision, provenance, duplicates)
    ticker = Ticker(sum(t.total for t in tables), progress, cancel)
    with atomic_output(out_path, report) as tmp:
        report.sheets = write_workbook(tmp, [_sheet(t) for t in tables], ticker.tick)
        ticker.finish()
        report.rows = report.sheets[tables[0].name]
    explain(store, report, table, stage, decision)
    return report


def _as_is(value: Cell) -> Cell:
    return value  # the writer neutralises formula-like text itself


def _sheet(table: Table) -> Sheet:
    return Sheet(table.name, table.header, table.rows(_as_is))
