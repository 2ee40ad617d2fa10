"""Included (or any selected) records as RIS, for EndNote, Zotero and Mendeley.

The reference manager is where the paper's bibliography is written, so each
record goes there with its screening history: one ``N1`` (notes) line per stage
saying the final decision, its reason, and each reviewer's decision, reason and
note. EndNote shows ``N1`` as the Notes field and Zotero makes each one a note.

RIS is line-based (``TAG  - value``, a record ends at ``ER  -``), so every value
is written on one line: a title holding a line break and ``ER  -`` cannot end a
record early or smuggle in another one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reviewer.export.common import CancelFn, ExportReport, ProgressFn, Ticker, atomic_output
from reviewer.export.selection import explain, select_record_ids
from reviewer.review.screening import STAGE_LABELS
from reviewer.store import Store
from reviewer.store.review_data import (
    chunks,
    decisions_by_record,
    finals_by_record,
    record_columns,
    resolutions_by_record,
)

RIS_TYPES = {
    "JOUR", "BOOK", "CHAP", "CONF", "CPAPER", "RPRT", "THES", "ELEC", "NEWS", "MGZN",
    "ABST", "GEN", "EJOUR", "DATA", "PAT", "STAT", "UNPB", "SER", "STAND", "WEB",
}  # fmt: skip
_COLUMNS = (
    "id", "type", "title", "authors", "journal", "year", "volume", "issue", "pages", "doi",
    "pmid", "abstract", "keywords", "url",
)  # fmt: skip


def export_ris(
    store: Store,
    out_path: str | Path,
    stage: str | None = None,
    decision: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    duplicates: bool = False,
) -> ExportReport:
    """Write the selected records (default: the included studies) to ``out_path``."""
    ids = select_record_ids(store, stage, decision or "include", duplicates)
    report = ExportReport(Path(out_path))
    ticker = Ticker(len(ids), progress, cancel)
    with (
        atomic_output(out_path, report) as tmp,
        open(tmp, "w", encoding="utf-8", newline="") as out,
    ):
        for entry in ris_entries(store, ids):
            out.write(entry)
            ticker.tick()
        ticker.finish()
        report.rows = ticker.done
    explain(store, report, "extraction", stage, decision)
    return report


def ris_entries(store: Store, ids: Sequence[int]) -> Iterator[str]:
    """Each record of ``ids`` as one RIS entry (CRLF line ends), in id order."""
    for chunk in chunks(ids):
        decisions = decisions_by_record(store, chunk)
        resolutions = resolutions_by_record(store, chunk)
        finals = finals_by_record(store, chunk)
        for rec in record_columns(store, chunk, _COLUMNS):
            notes = screening_notes(
                decisions.get(rec["id"], []),
                resolutions.get(rec["id"], []),
                finals.get(rec["id"], {}),
            )
            yield "".join(f"{tag}  - {value}\r\n" for tag, value in ris_lines(rec, notes))


def ris_lines(rec: dict[str, Any], notes: list[str]) -> Iterator[tuple[str, str]]:
    """The (tag, value) lines of one record, ``TY`` first and ``ER`` last."""
    kind = (rec["type"] or "").strip().upper()
    yield "TY", kind if kind in RIS_TYPES else "JOUR"
    yield "ID", str(rec["id"])
    yield from _tagged("TI", [rec["title"]])
    yield from _tagged("AU", json.loads(rec["authors"]))
    yield from _tagged("JO", [rec["journal"]])
    yield from _tagged("PY", [str(rec["year"]) if rec["year"] else ""])
    yield from _tagged("VL", [rec["volume"]])
    yield from _tagged("IS", [rec["issue"]])
    yield from _pages(rec["pages"])
    yield from _tagged("DO", [rec["doi"]])
    yield from _tagged("AN", [rec["pmid"]])
    yield from _tagged("AB", [rec["abstract"]])
    yield from _tagged("KW", json.loads(rec["keywords"]))
    yield from _tagged("UR", [rec["url"]])
    yield from _tagged("N1", notes)
    yield "ER", ""


def one_line(value: str) -> str:
    """``value`` with every run of whitespace, line breaks included, made one space."""
    return " ".join(str(value).split())


def _tagged(tag: str, values: Sequence[str]) -> Iterator[tuple[str, str]]:
    for value in values:
        text = one_line(value)
        if text:
            yield tag, text


def _pages(pages: str) -> Iterator[tuple[str, str]]:
    first, _, last = one_line(pages).replace("\u2013", "-").partition("-")
    yield from _tagged("SP", [first])
    yield from _tagged("EP", [last])


def screening_notes(
    decisions: list[dict[str, Any]],
    resolutions: list[dict[str, Any]],
    finals: dict[str, tuple[str, str]],
) -> list[str]:
    """One note per screened stage, e.g. ``Screening, full text: exclude (wrong outcomes).
    alice: exclude (wrong outcomes); bob: include, note: small sample.``"""
    notes = []
    for stage, label in STAGE_LABELS.items():
        mine = [d for d in decisions if d["stage"] == stage]
        res = next((r for r in resolutions if r["stage"] == stage), None)
        if mine or res:
            notes.append(_stage_note(label, finals.get(stage, ("undecided", "")), mine, res))
    return notes


def _stage_note(
    label: str,
    final: tuple[str, str],
    decisions: list[dict[str, Any]],
    res: dict[str, Any] | None,
) -> str:
    decision, reason = final
    head = f"Screening, {label}: {decision}" + (f" ({reason})" if reason else "")
    parts = [f"{d['reviewer']}: {_said(d)}" for d in decisions]
    if res:
        parts.append(f"resolved by {res['resolver']}: {_said(res)}")
    return f"{head}. " + "; ".join(parts) + "."


def _said(d: dict[str, Any]) -> str:
    text = d["decision"] + (f" ({d['reason']})" if d["reason"] else "")
    return text + (f", note: {d['note']}" if d["note"] else "")
