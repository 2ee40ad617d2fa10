"""One review table as CSV: UTF-8, comma-separated, CRLF, every cell formula-safe.

CSV is what statistics software reads without asking, so it is the table handed
over first. Excel reads UTF-8 only when the file starts with a byte-order mark,
hence the ``bom`` option; R and Python read it with or without. Rows are
streamed from the review to the file: memory stays flat however many records
there are.
"""

from __future__ import annotations

import csv
from pathlib import Path

from reviewer.domain.cells import csv_text
from reviewer.export.common import (
    CancelFn,
    ExportReport,
    ProgressFn,
    Ticker,
    atomic_output,
)
from reviewer.export.selection import explain
from reviewer.export.tables import Table, main_table
from reviewer.store import Store


def export_csv(
    store: Store,
    out_path: str | Path,
    table: str = "extraction",
    stage: str | None = None,
    decision: str | None = None,
    bom: bool = False,
    provenance: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    duplicates: bool = False,
) -> ExportReport:
    """Write ``table`` (extraction, screening or log) of the selected records to
    ``out_path``; see ``reviewer.export.tables`` for the columns and
    ``select_record_ids`` for ``stage``/``decision``."""
    report = ExportReport(Path(out_path))
    with atomic_output(out_path, report) as tmp:
        chosen = main_table(store, table, stage, decision, provenance, duplicates)
        report.rows = write_csv(chosen, tmp, bom, Ticker(0, progress, cancel))
    explain(store, report, table, stage, decision)
    return report


def write_csv(table: Table, path: Path, bom: bool, ticker: Ticker) -> int:
    """Stream ``table`` to ``path``; return the number of data rows."""
    ticker.total = table.total
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([csv_text(h) for h in table.header])
        for row in table.rows(csv_text):
            writer.writerow(row)
            ticker.tick()
    ticker.finish()
    return ticker.done
