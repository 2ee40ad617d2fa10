"""The review's tables, row by row: extraction, provenance, screening and the event log.

A table is a header and a generator of rows, so the CSV and XLSX writers share
one definition of what each column holds and both stream: a row is built, written
and dropped. Rows are lists of cells (``None`` or ``""`` where there is nothing)
passed through the writer's ``convert`` (which neutralises formula-like text for
CSV) cell by filled cell: a 100,000-row extraction table has some 130 columns,
most of them empty. Record metadata, most of the filled cells, comes out of
SQLite already neutralised (``reviewer.store.review_data.record_meta``).

Column meanings:

* extraction: one row per record; record metadata, then per field its value and
  (``provenance=True``) ``FIELD__quote`` (the supporting words, `` | `` between
  spans), ``FIELD__location`` (character offsets ``start-end`` in the record's
  text), ``FIELD__page``, ``FIELD__set_by``, ``FIELD__set_at`` and ``FIELD__concept``
  (the MeSH or DrugBank id of each quoted term, where a suggestion carried one, so that
  "salbutamol" and "albuterol" can be grouped).
* provenance: one row per span of each value (a value with no span has one row).
* screening: one row per record and stage; each reviewer's decision, reason and
  note, the resolver's decision, and the final decision (include, exclude,
  conflict, undecided) with its final reason, as the screening core keeps them
  (what ``reviewer stats`` counts).
* log: one row per event (review-wide events and those of the exported records),
  with the sentence the history panel shows for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer.domain.cells import Cell, cell
from reviewer.export.selection import select_record_ids
from reviewer.review.audit import describe
from reviewer.review.screening import records_at_stage
from reviewer.store import Store
from reviewer.store.duplicates import duplicate_map
from reviewer.store.history import all_events, event_count
from reviewer.store.review_data import (
    chunks,
    decisions_by_record,
    export_fields,
    field_order,
    finals_by_record,
    record_columns,
    record_meta,
    resolutions_by_record,
    reviewers_at,
    stages_in_use,
    value_count,
    values_by_record,
)

Convert = Callable[[Cell], Any]
RowMaker = Callable[[Convert], Iterator[list[Any]]]

# The record as imported; a template field of the same name (the reviewer's checked
# title, say) has its own column, so these carry a prefix.
RECORD_HEADER = [
    "record_id", "record_title", "record_authors", "record_journal", "record_year",
    "record_volume", "record_issue", "record_pages", "record_doi", "record_pmid", "source",
]  # fmt: skip
PROVENANCE_SUFFIXES = ("quote", "location", "page", "set_by", "set_at", "concept")
SPAN_SEPARATOR = " | "


@dataclass
class Table:
    """A sheet: its name, column names, how many rows it will have, and its rows."""

    name: str
    header: list[str]
    total: int
    make_rows: RowMaker

    def rows(self, convert: Convert) -> Iterator[list[Any]]:
        return self.make_rows(convert)


# -- records ------------------------------------------------------------------------------


# -- extraction -----------------------------------------------------------------------------


def extraction_table(
    store: Store, ids: Sequence[int], provenance: bool = True, mark_duplicates: bool = False
) -> Table:
    """One row per record of ``ids``: metadata, then each field's value (and provenance).
    With ``mark_duplicates`` a ``duplicate_of`` column names, for a merged duplicate,
    the record its group keeps (empty for the others)."""
    fields = export_fields(store)
    per_field = 1 + (len(PROVENANCE_SUFFIXES) if provenance else 0)
    meta_header = [*RECORD_HEADER, *(["duplicate_of"] if mark_duplicates else [])]
    header = list(meta_header)
    for key in fields:
        header.append(f"{key}__value" if key in meta_header else key)
        if provenance:
            header.extend(f"{key}__{suffix}" for suffix in PROVENANCE_SUFFIXES)
    first = {key: len(meta_header) + i * per_field for i, key in enumerate(fields)}
    order = field_order(store)
    kept_by = duplicate_map(store) if mark_duplicates else {}

    def make_rows(convert: Convert) -> Iterator[list[Any]]:
        blank = [None] * (len(header) - len(meta_header))
        for chunk in chunks(ids):
            values = values_by_record(store, chunk, order, provenance)
            for meta in record_meta(store, chunk):
                if mark_duplicates:
                    meta = (*meta, kept_by.get(meta[0]))
                row = [*meta, *blank]
                for v in values.get(meta[0], ()):
                    _put_value(row, first[v["field"]], v, provenance, convert)
                yield row

    return Table("Extraction", header, len(ids), make_rows)


def _put_value(
    row: list[Any], at: int, v: dict[str, Any], provenance: bool, convert: Convert
) -> None:
    row[at] = convert(cell(v["value"]))
    if not provenance:
        return
    spans = v["provenance"]
    if len(spans) == 1:  # the usual case, kept cheap
        s = spans[0]
        row[at + 1] = convert(s["quote"])
        row[at + 2] = f"{s['start']}-{s['end']}"
        row[at + 3] = None if s.get("page") is None else convert(s["page"])
    elif spans:
        row[at + 1] = convert(SPAN_SEPARATOR.join(s["quote"] for s in spans))
        row[at + 2] = "; ".join(f"{s['start']}-{s['end']}" for s in spans)
        pages = sorted({s["page"] for s in spans if s.get("page") is not None})
        row[at + 3] = convert(cell(pages) if pages else None)
    row[at + 4] = convert(v["reviewer"])
    row[at + 5] = convert(v["time"])
    concepts = [s.get("concept") or "" for s in spans]
    if any(concepts):
        # one id per span, in the order of the quotes: "DRUGBANK:DB01001 | MESH:D001249"
        row[at + 6] = convert(SPAN_SEPARATOR.join(concepts))


# -- provenance ---------------------------------------------------------------------------------

PROVENANCE_HEADER = [
    "record_id", "field", "value", "quote", "start", "end", "page", "prefix", "suffix",
    "set_by", "set_at", "concept",
]  # fmt: skip


def provenance_table(store: Store, ids: Sequence[int]) -> Table:
    """One row per span of each value of the records ``ids``."""
    order = field_order(store)
    total = value_count(store, ids)

    def make_rows(convert: Convert) -> Iterator[list[Any]]:
        for chunk in chunks(ids):
            values = values_by_record(store, chunk, order)
            for rid in chunk:
                for v in values.get(rid, ()):
                    yield from _span_rows(rid, v, convert)

    return Table("Provenance", PROVENANCE_HEADER, total, make_rows)


def _span_rows(rid: int, v: dict[str, Any], convert: Convert) -> Iterator[list[Any]]:
    head = [convert(rid), convert(v["field"]), convert(cell(v["value"]))]
    tail = [convert(v["reviewer"]), convert(v["time"])]
    if not v["provenance"]:
        yield head + [None] * 6 + tail + [None]
    for s in v["provenance"]:
        span = [s["quote"], s["start"], s["end"], s["page"], s["prefix"], s["suffix"]]
        concept = s.get("concept")
        yield head + [convert(c) for c in span] + tail + [convert(concept) if concept else None]


# -- screening ------------------------------------------------------------------------------------

SCREENING_HEAD = ["record_id", "title", "year", "doi", "stage"]
SCREENING_TAIL = [
    "resolution", "resolution_reason", "resolution_note", "resolved_by", "final", "final_reason",
]  # fmt: skip
DECISION_PARTS = ("decision", "reason", "note")


def screening_table(store: Store, ids_by_stage: Sequence[tuple[str, Sequence[int]]]) -> Table:
    """One row per (stage, record) of ``ids_by_stage``: every reviewer's decision,
    the resolution, and the final decision with its reason."""
    reviewers = reviewers_at(store, [stage for stage, _ in ids_by_stage])
    header = list(SCREENING_HEAD)
    for name in reviewers:
        header.extend(f"{name}: {part}" for part in DECISION_PARTS)
    header.extend(SCREENING_TAIL)
    column = {name: len(SCREENING_HEAD) + 3 * i for i, name in enumerate(reviewers)}
    total = sum(len(ids) for _, ids in ids_by_stage)

    def make_rows(convert: Convert) -> Iterator[list[Any]]:
        for stage, ids in ids_by_stage:
            yield from _screening_rows(store, stage, ids, column, len(header), convert)

    return Table("Screening", header, total, make_rows)


def _screening_rows(
    store: Store,
    stage: str,
    ids: Sequence[int],
    column: dict[str, int],
    width: int,
    convert: Convert,
) -> Iterator[list[Any]]:
    tail_at = width - len(SCREENING_TAIL)
    for chunk in chunks(ids):
        decisions = decisions_by_record(store, chunk)
        resolutions = resolutions_by_record(store, chunk)
        finals = finals_by_record(store, chunk)
        for rec in record_columns(store, chunk, ("id", "title", "year", "doi")):
            rid = rec["id"]
            head = (rid, rec["title"], rec["year"], rec["doi"], stage)
            row = [convert(c) for c in head] + [None] * (width - len(head))
            mine = [d for d in decisions.get(rid, ()) if d["stage"] == stage]
            for d in mine:
                at = column[d["reviewer"]]
                row[at : at + 3] = [convert(d[p]) for p in DECISION_PARTS]
            res = next((r for r in resolutions.get(rid, ()) if r["stage"] == stage), None)
            final = finals.get(rid, {}).get(stage, ("undecided", ""))
            row[tail_at:] = [convert(c) for c in _tail(res, final)]
            yield row


def _tail(res: dict[str, Any] | None, final: tuple[str, str]) -> list[str]:
    resolved = [res["decision"], res["reason"], res["note"], res["resolver"]] if res else [""] * 4
    return [*resolved, *final]


def screening_ids(
    store: Store, select: Callable[[str], list[int]], stage: str | None
) -> list[tuple[str, list[int]]]:
    """``(stage, ids)`` for one stage, or for each stage where anyone has screened."""
    stages = [stage] if stage else stages_in_use(store)
    return [(s, select(s)) for s in stages]


# -- event log ---------------------------------------------------------------------------------

SHOWN = ("stage", "field", "before", "after", "reason", "note")
LOG_HEADER = ["seq", "time", "reviewer", "kind", "record_id", "summary", *SHOWN, "detail"]


def log_table(store: Store, ids: Sequence[int] | None = None) -> Table:
    """The event log in order: every event, or (``ids``) review-wide events and those
    of the records ``ids``. ``summary`` is the history panel's sentence
    (``audit.describe``); ``detail`` the JSON of what no other column shows (a
    value's spans, a highlight, a merge)."""
    wanted = None if ids is None else set(ids)
    total = event_count(store)
    specs = {f.key: f for f in store.template().fields}  # the summary names fields by label

    def make_rows(convert: Convert) -> Iterator[list[Any]]:
        for seq, _id, time, reviewer, kind, rid, raw in all_events(store):
            if wanted is not None and rid is not None and rid not in wanted:
                continue
            payload = json.loads(raw)
            head = [seq, time, reviewer, kind, rid, describe(kind, payload, specs)]
            shown = [cell(payload.pop(k, None)) for k in SHOWN]
            rest = {k: v for k, v in payload.items() if v not in ([], {}, None, "")}
            detail = json.dumps(rest, ensure_ascii=False) if rest else None
            yield [convert(c) for c in head] + [convert(c) for c in shown] + [convert(detail)]

    return Table("Events", LOG_HEADER, total, make_rows)


# -- which tables an export writes --------------------------------------------------------------

TABLE_CHOICES = ("extraction", "screening", "log")
DEFAULT_DECISION = {"extraction": "include", "screening": "any", "log": "any"}


def main_table(
    store: Store,
    table: str = "extraction",
    stage: str | None = None,
    decision: str | None = None,
    provenance: bool = True,
    duplicates: bool = False,
) -> Table:
    """The table ``--table`` names, of the records ``--stage``/``--decision`` select
    (``decision=None``: included records for extraction, every record otherwise;
    ``duplicates``: merged duplicates too, marked, where "every record" is asked for)."""
    if table not in TABLE_CHOICES:
        raise ValueError(f"unknown table {table!r}; choose from {', '.join(TABLE_CHOICES)}")
    decision = decision or DEFAULT_DECISION[table]
    if table == "screening":
        return screening_table(
            store, screening_ids(store, lambda s: select_record_ids(store, s, decision), stage)
        )
    everything = stage is None and decision == "any"
    if table == "log":
        return log_table(store, None if everything else select_record_ids(store, stage, decision))
    ids = select_record_ids(store, stage, decision, duplicates)
    return extraction_table(store, ids, provenance, mark_duplicates=duplicates)


def workbook_tables(
    store: Store,
    table: str = "extraction",
    stage: str | None = None,
    decision: str | None = None,
    provenance: bool = True,
    duplicates: bool = False,
) -> list[Table]:
    """The sheets of an XLSX export: the main table and, for extraction, the same
    records' provenance, screening decisions and event log."""
    if table != "extraction":
        return [main_table(store, table, stage, decision, provenance, duplicates)]
    ids = select_record_ids(store, stage, decision or DEFAULT_DECISION[table], duplicates)
    chosen = set(ids)
    by_stage = screening_ids(
        store, lambda s: [rid for rid in records_at_stage(store, s) if rid in chosen], None
    )
    return [
        extraction_table(store, ids, provenance, mark_duplicates=duplicates),
        provenance_table(store, ids),
        screening_table(store, by_stage),
        log_table(store, ids),
    ]
