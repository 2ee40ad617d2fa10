"""The whole review as one JSON file, with every value's provenance.

This is the export for other tools and for the record: each value carries the
words it came from (offsets, quote, 32 characters either side, PDF page) and
who set it when, and ``text[start:end] == quote`` holds for every span, so a
reader can check each number against the text without this app.

It is written record by record, so a review of 100,000 records never sits in
memory as one dict, and into a temporary file renamed at the end, so a cancelled
or failed export leaves no half-written file behind.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from reviewer import __version__
from reviewer.domain import Highlight, Record, Span
from reviewer.store import Store

ProgressFn = Callable[[int, int], None]  # (records done, records in all)
CancelFn = Callable[[], bool]


@dataclass
class JsonExportReport:
    path: Path
    records: int = 0
    spans: int = 0
    cancelled: bool = False


def _span(span: Span) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "quote": span.quote,
        "prefix": span.prefix,
        "suffix": span.suffix,
        "page": span.page,
    }


def _note(h: Highlight) -> dict[str, Any]:
    return {"id": h.id, "note": h.note, "reviewer": h.reviewer, "time": h.time, **_span(h.span)}


def record_json(
    store: Store, record: Record, sources: dict[int, str], field_order: dict[str, int]
) -> dict[str, Any]:
    """One record as the export writes it: metadata, text, values, notes, decisions.

    Values follow the template's order; those of removed fields come last.
    """
    values = sorted(
        store.values(record.id).values(),
        key=lambda v: (field_order.get(v.field, len(field_order)), v.field),
    )
    return {
        "id": record.id,
        "title": record.title,
        "authors": record.authors,
        "journal": record.journal,
        "year": record.year,
        "doi": record.doi,
        "source": sources.get(record.source_id, "") if record.source_id else "",
        "text": record.text,
        "values": [
            {
                "field": v.field,
                "value": v.value,
                "reviewer": v.reviewer,
                "time": v.time,
                "provenance": [_span(s) for s in v.provenance],
            }
            for v in values
        ],
        "notes": [_note(h) for h in store.find_highlights(record.id, notes_only=True)],
        "decisions": [
            d.model_dump(mode="json", exclude={"record_id"}) for d in store.decisions(record.id)
        ],
        # spans not found again after the text changed: kept, but with no offsets to trust
        "orphans": [
            {k: o[k] for k in ("kind", "field", "quote", "note", "reviewer", "time", "orphaned_at")}
            for o in store.orphan_rows(record.id)
        ],
    }


def _header(store: Store) -> dict[str, Any]:
    return {
        "name": store.name,
        "created_at": store.meta("created_at"),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app": f"reviewer {__version__}",
        "records": store.record_count(),
    }


def _write_records(
    store: Store,
    out: TextIO,
    report: JsonExportReport,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> None:
    total = store.record_count()
    sources = {s.id: s.name for s in store.sources() if s.id is not None}
    order = {k: i for i, k in enumerate(store.template().keys)}
    for record in store.records():
        if cancel and cancel():
            report.cancelled = True
            return
        data = record_json(store, record, sources, order)
        out.write(",\n" if report.records else "\n")
        out.write(json.dumps(data, ensure_ascii=False))
        report.records += 1
        report.spans += sum(len(v["provenance"]) for v in data["values"]) + len(data["notes"])
        if progress and (report.records % 200 == 0 or report.records == total):
            progress(report.records, total)


def export_json(
    store: Store,
    out_path: str | Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> JsonExportReport:
    """Write ``{"review", "template", "records": [...]}`` to ``out_path``, one record at a time."""
    path = Path(out_path)
    report = JsonExportReport(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write('{"review": ' + json.dumps(_header(store), ensure_ascii=False))
            template = store.template().model_dump(mode="json")
            out.write(',\n"template": ' + json.dumps(template, ensure_ascii=False))
            out.write(',\n"records": [')
            _write_records(store, out, report, progress, cancel)
            out.write("\n]}\n")
        if report.cancelled:
            tmp.unlink()
        else:
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return report
