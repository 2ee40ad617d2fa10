"""The whole review as one JSON file, with every value's provenance.

This is the export for other tools and for the record: each value carries the
words it came from (offsets, quote, 32 characters either side, PDF page) and
who set it when, and ``text[start:end] == quote`` holds for every span, so a
reader can check each number against the text without this app.

It is also the review in full: every record's metadata, values, notes, decisions,
resolutions and tags, and in the ``review`` header the sources and screening
settings, so ``json_import.import_review_json`` rebuilds the same review from it.

It is written record by record, so a review of 100,000 records never sits in
memory as one dict, and into a temporary file renamed at the end, so a cancelled
or failed export leaves no half-written file behind.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from reviewer import __version__
from reviewer.domain import Highlight, Record
from reviewer.export.common import CancelFn, ProgressFn
from reviewer.store import Store
from reviewer.store.results import cells as result_cells
from reviewer.store.review_data import (
    field_order,
    resolutions_by_record,
    source_names,
    span_json,
    tags_by_record,
    values_by_record,
)
from reviewer.store.review_data import settings as stored_settings

__all__ = ["CancelFn", "JsonExportReport", "ProgressFn", "export_json", "record_json"]


@dataclass
class JsonExportReport:
    path: Path
    records: int = 0
    spans: int = 0
    cancelled: bool = False


def _note(h: Highlight) -> dict[str, Any]:
    return {"id": h.id, "note": h.note, "reviewer": h.reviewer, "time": h.time, **span_json(h.span)}


# Record metadata written after the first few keys, so that an export can be read
# back into a review with nothing lost (see ``json_import``).
_MORE_RECORD_KEYS = (
    "volume", "issue", "pages", "pmid", "pmcid", "trial_ids", "abstract", "keywords", "type",
    "url", "page_offsets", "extra", "source_index", "source_start", "source_end", "source_line",
    "duplicate_of", "created_at",
)  # fmt: skip
_ORPHAN_KEYS = (
    "kind", "field", "quote", "note", "reviewer", "time", "orphaned_at",
    "highlight_id", "start", "end", "prefix", "suffix", "page", "status",
)  # fmt: skip


def record_json(
    store: Store, record: Record, sources: dict[int, str], field_order: dict[str, int]
) -> dict[str, Any]:
    """One record as the export writes it: metadata, text, values, notes, decisions.

    Values follow the template's order; those of removed fields come last.
    """
    one = [record.id]
    return {
        "id": record.id,
        "title": record.title,
        "authors": record.authors,
        "journal": record.journal,
        "year": record.year,
        "doi": record.doi,
        "source": sources.get(record.source_id, "") if record.source_id else "",
        "source_id": record.source_id,
        "text": record.text,
        **{key: getattr(record, key) for key in _MORE_RECORD_KEYS},
        "values": values_by_record(store, one, field_order).get(record.id, []),
        "notes": [_note(h) for h in store.find_highlights(record.id, notes_only=True)],
        "decisions": [
            d.model_dump(mode="json", exclude={"record_id"}) for d in store.decisions(record.id)
        ],
        "resolutions": resolutions_by_record(store, one).get(record.id, []),
        "tags": tags_by_record(store, one).get(record.id, []),
        # spans not found again after the text changed: kept, but with no offsets to trust
        "orphans": [{k: o[k] for k in _ORPHAN_KEYS} for o in store.orphan_rows(record.id)],
        # arms, outcomes, results and comparisons: one entry per cell, with its words
        "results": [c.model_dump(mode="json", exclude={"record_id"})
                    for c in result_cells(store, record.id)],  # fmt: skip
    }


def _header(store: Store) -> dict[str, Any]:
    return {
        "name": store.name,
        "created_at": store.meta("created_at"),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app": f"reviewer {__version__}",
        "records": store.record_count(),
        "sources": [s.model_dump(mode="json") for s in store.sources()],
        "settings": stored_settings(store),
    }


def _write_records(
    store: Store,
    out: TextIO,
    report: JsonExportReport,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> None:
    total = store.record_count()
    sources = source_names(store)
    order = field_order(store)
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
