"""One entry point for every export, so the command line and the window make the same
call: ``export(store, "xlsx", path, table=..., stage=..., decision=...)``.

Each format's own function stays the place that documents it; this module only
maps a format name to it and gives every result the same shape (``ExportReport``).
"""

from __future__ import annotations

from pathlib import Path

from reviewer.export.common import CancelFn, ExportReport, ProgressFn
from reviewer.store import Store

FORMATS = ("csv", "xlsx", "json", "ris", "prisma-svg", "prisma-png", "results-csv", "revman",
           "metafor", "rob2-png", "rob2-svg", "recall-svg", "recall-png")  # fmt: skip
RESULT_FORMATS = ("results-csv", "revman", "metafor", "rob2-png", "rob2-svg")


def export(
    store: Store,
    fmt: str,
    out_path: str | Path,
    table: str = "extraction",
    stage: str | None = None,
    decision: str | None = None,
    bom: bool = False,
    provenance: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    duplicates: bool = False,
    analysis: dict | None = None,
) -> ExportReport:
    """Export in ``fmt`` (one of ``FORMATS``) to ``out_path``.

    ``table``, ``stage``, ``decision``, ``bom`` and ``provenance`` apply where the
    format has them (tables: csv, xlsx; records: ris) and are ignored elsewhere:
    JSON is always the whole review, PRISMA always the review's numbers. ``duplicates``
    adds the merged duplicates (marked) to an "all records" selection. A report of no
    rows says why (``ExportReport.empty_because``). ``analysis`` (outcome, measure,
    model, method, timepoint) says which analysis ``metafor`` writes.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    if fmt == "csv":
        from reviewer.export.csv_export import export_csv

        return export_csv(store, out_path, table, stage, decision, bom, provenance, progress,
                          cancel, duplicates)  # fmt: skip
    if fmt == "xlsx":
        from reviewer.export.xlsx_export import export_xlsx

        return export_xlsx(
            store, out_path, table, stage, decision, provenance, progress, cancel, duplicates
        )
    if fmt == "ris":
        from reviewer.export.ris_export import export_ris

        return export_ris(store, out_path, stage, decision, progress, cancel, duplicates)
    if fmt == "json":
        return _json(store, out_path, progress, cancel)
    if fmt in RESULT_FORMATS:
        return _results(store, fmt, out_path, analysis or {})
    if fmt.startswith("recall-"):
        return _recall_curve(store, fmt, out_path, stage)
    return _prisma(store, fmt, out_path)


def _recall_curve(store: Store, fmt: str, out_path: str | Path, stage: str | None) -> ExportReport:
    """Includes found against records screened at a stage (title/abstract by default),
    with the stopping rule's verdict, as SVG or PNG."""
    from reviewer.rank import curve
    from reviewer.rank.session import stage_curve

    path = Path(out_path)
    figure = stage_curve(store, stage or "title_abstract")
    path.write_bytes(curve.render(figure, fmt.removeprefix("recall-")))
    return ExportReport(path)


def _json(
    store: Store, out_path: str | Path, progress: ProgressFn | None, cancel: CancelFn | None
) -> ExportReport:
    from reviewer.export.json_export import export_json

    done = export_json(store, out_path, progress, cancel)
    return ExportReport(done.path, rows=done.records, cancelled=done.cancelled)


def _prisma(store: Store, fmt: str, out_path: str | Path) -> ExportReport:
    from reviewer.export.prisma import export_prisma_png, export_prisma_svg

    write = export_prisma_svg if fmt == "prisma-svg" else export_prisma_png
    return ExportReport(write(store, out_path))


def _results(store: Store, fmt: str, out_path: str | Path, analysis: dict) -> ExportReport:
    from reviewer.export import results_export

    if fmt == "results-csv":
        return results_export.export_results_csv(store, out_path)
    if fmt == "revman":
        return results_export.export_revman(store, out_path)
    if fmt == "metafor":
        if not analysis.get("outcome") or not analysis.get("measure"):
            raise ValueError("metafor: name the analysis with --outcome and --measure")
        return results_export.export_metafor(
            store,
            out_path,
            analysis["outcome"],
            analysis["measure"],
            analysis.get("model") or "random",
            analysis.get("method") or "DL",
            analysis.get("timepoint"),
        )
    from reviewer.analysis import rob2

    suffix = "." + fmt.split("-", 1)[1]
    if Path(out_path).suffix.lower() != suffix:
        raise ValueError(f"{out_path}: {fmt} writes a {suffix} file")
    path = rob2.save_traffic_light(store, rob2.assessments(store), out_path)
    return ExportReport(Path(path))
