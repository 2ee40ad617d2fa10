"""Arm-level and comparison-level results from a long CSV, matched to the review's records.

The layout is the one ``reviewer export --format results-csv`` writes, so a file can
go out to a colleague or a spreadsheet and come back:

``study_id, record_id, doi, outcome, timepoint, arm, role, n, events, mean, sd,
measure, estimate, ci_low, ci_high, quote, page``

and, optionally, ``title``, ``outcome_kind``, ``n_randomised``, ``n_analysed``,
``intervention``, ``median``, ``q1``, ``q3``, ``min``, ``max``, ``ci_level``, ``se``,
``p_value``, ``experimental_arm`` and ``control_arm``.

* A row with an ``arm`` and no ``estimate`` is that arm's result for the outcome at
  the time point (events and n; mean, SD and n; or a median with quartiles/range).
* A row with an ``estimate`` (and its ``measure``) is a comparison: between the arms
  named by ``experimental_arm``/``control_arm`` (or ``arm`` written "A vs B"), else
  between the study's experimental and control arms (made when the study has none).
* A row names its record by ``record_id``, else ``doi``, else ``title``.

The whole file is read and checked before anything is stored: a bad number or an
unknown measure is reported with its line and nothing is stored; rows that match no
record are reported too, and stop the import unless ``skip_unmatched``. What is
stored goes in one transaction, each cell an event (``result.import``) with the
row's quote as its provenance (anchored in the record's text where the words are
found there). Importing the same file again changes nothing.

This module reads the file and matches its rows to records; what one record's rows
set (arms, outcomes, results and comparisons, each matched to the items the record
already has) is ``reviewer.ingest.results_rows``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.domain.events import EventKind
from reviewer.domain.identifiers import normalise_doi
from reviewer.ingest.encoding import read_text
from reviewer.ingest.results_rows import RecordPlan
from reviewer.store import Store
from reviewer.store import results as result_store
from reviewer.store.results import CellChange, RecordKeys

LONG_COLUMNS = (
    "study_id", "record_id", "doi", "outcome", "timepoint", "arm", "role", "n", "events",
    "mean", "sd", "measure", "estimate", "ci_low", "ci_high", "quote", "page",
)  # fmt: skip
EXTRA_COLUMNS = (
    "title", "outcome_kind", "n_randomised", "n_analysed", "intervention", "median", "q1",
    "q3", "min", "max", "ci_level", "se", "p_value", "experimental_arm", "control_arm",
)  # fmt: skip


class ResultsImportError(ValueError):
    """The file cannot be imported; ``problems`` lists each with its line."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{path}: nothing imported:\n  " + "\n  ".join(problems[:20]) + more)


@dataclass
class ResultsImportReport:
    path: str
    rows: int = 0
    records: int = 0
    cells: int = 0  # cells set or changed
    unchanged: int = 0  # cells that already held the same value and quote
    unmatched: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "rows": self.rows,
            "records": self.records,
            "cells": self.cells,
            "unchanged": self.unchanged,
            "unmatched": self.unmatched,
        }


def normalise_title(title: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", title.casefold()).split())


def import_results(
    store: Store,
    path: str | Path,
    reviewer: str,
    skip_unmatched: bool = False,
) -> ResultsImportReport:
    """Read, check and store a long results CSV (see module docs)."""
    path = Path(path)
    rows = _read(path)
    report = ResultsImportReport(str(path), rows=len(rows))
    keys = result_store.record_keys(store, normalise_title)
    problems: list[str] = []
    by_record: dict[int, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        rid, why = _match(row, keys)
        if rid is None:
            report.unmatched.append(f"line {line}: {why}")
            continue
        by_record.setdefault(rid, []).append((line, row))
    plans: dict[int, list[CellChange]] = {}
    for rid, record_rows in by_record.items():
        plan = RecordPlan(store, rid)
        for line, row in record_rows:
            try:
                plan.add(row)
            except ValueError as exc:
                problems.append(f"{path.name}:{line}: {exc}")
        plans[rid] = plan.changes()
        report.unchanged += plan.unchanged
    if problems:
        raise ResultsImportError(path, problems)
    if report.unmatched and not skip_unmatched:
        raise ResultsImportError(
            path,
            [f"{path.name}:{u.removeprefix('line ')}" for u in report.unmatched]
            + ["(use --skip-unmatched to import the rows that match)"],
        )
    with store.atomic():
        for rid, changes in plans.items():
            if changes:
                result_store.set_cells(store, rid, changes, reviewer, kind=EventKind.RESULT_IMPORT)
                report.cells += len(changes)
    report.records = sum(1 for c in plans.values() if c)
    return report


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        text = read_text(path)
    except OSError as exc:
        raise ResultsImportError(path, [f"cannot read the file ({exc.strerror or exc})"]) from exc
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise ResultsImportError(path, ["the file is empty"]) from None
    names = [h.strip().lower().replace(" ", "_") for h in header]
    known = set(LONG_COLUMNS) | set(EXTRA_COLUMNS)
    unknown = [h for h in names if h and h not in known]
    problems = []
    if unknown:
        problems.append(f"line 1: unknown columns: {', '.join(unknown)}")
    if "outcome" not in names:
        problems.append("line 1: an 'outcome' column is needed")
    if not {"record_id", "doi", "title"} & set(names):
        problems.append("line 1: a 'record_id', 'doi' or 'title' column is needed")
    if problems:
        raise ResultsImportError(path, problems)
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            raise ResultsImportError(
                path, [f"line {reader.line_num}: {len(row)} cells, the header has {len(names)}"]
            )
        rows.append((reader.line_num, {n: v.strip() for n, v in zip(names, row, strict=False)}))
    return rows


def _match(row: dict[str, str], keys: RecordKeys) -> tuple[int | None, str]:
    rid_text = row.get("record_id", "")
    if rid_text:
        try:
            rid = int(float(rid_text))
        except ValueError:
            return None, f"record_id {rid_text!r} is not a number"
        return (rid, "") if rid in keys.ids else (None, f"no record {rid}")
    doi = normalise_doi(row.get("doi", ""))
    if doi:
        ids = keys.by_doi.get(doi, [])
        if len(ids) == 1:
            return ids[0], ""
        if len(ids) > 1:
            return None, f"DOI {doi} names records {', '.join(map(str, ids))}"
        if not row.get("title"):
            return None, f"no record has the DOI {doi}"
    title = row.get("title", "")
    if title:
        ids = keys.by_title.get(normalise_title(title), [])
        if len(ids) == 1:
            return ids[0], ""
        if len(ids) > 1:
            return None, f"the title names records {', '.join(map(str, ids))}"
        return None, f"no record has the title {title[:60]!r}"
    return None, "the row names no record (record_id, doi or title)"


__all__ = [
    "EXTRA_COLUMNS",
    "LONG_COLUMNS",
    "ResultsImportError",
    "ResultsImportReport",
    "import_results",
    "normalise_title",
]
