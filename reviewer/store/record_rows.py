"""Parsed records made into ``records`` rows, and those rows written: the insert path of
an import (``Store.add_records``), kept apart so that an import can make its rows as it
reads, without a database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reviewer.domain import ParsedRecord
from reviewer.domain.models import now_iso
from reviewer.domain.record_keys import key_row
from reviewer.store.records_added import RECORD_COLUMNS

_WIDTH = 1 + len(RECORD_COLUMNS)  # id, then RECORD_COLUMNS
_DUPLICATE_OF_AT = 1 + RECORD_COLUMNS.index("duplicate_of")
_to_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class RecordRows:
    """Parsed records made into ``records`` rows ahead of ``Store.add_records``.

    An import makes them as it reads, so that the writing only hands ready parameters
    to SQLite. The source id is filled in when the rows are written.
    """

    first_id: int
    count: int
    # ``record_row``'s: the id, source id, duplicate and time are filled in as written
    rows: list[tuple[Any, ...]]
    duplicate_of: list[int | None]
    created_at: str
    keys: list[Any]  # the records' duplicate keys: flat ``dedup_keys`` rows


def record_rows(
    records: Sequence[ParsedRecord],
    first_id: int,
    duplicate_of: Sequence[int | None] | None = None,
    keys: Sequence[tuple[str, str, str, str, str]] | None = None,
) -> RecordRows:
    """The rows of ``records``, with ids from ``first_id`` (no database needed).

    ``keys`` are the records' duplicate keys when deduplication has worked them out
    already; otherwise they are worked out here (``reviewer.domain.record_keys.key_row``).
    """
    if keys is None:
        keys = [key_row(rec.title, rec.doi) for rec in records]
    return rows_of([record_row(rec) for rec in records], first_id, duplicate_of, keys)


def rows_of(
    rows: Sequence[tuple[Any, ...]],
    first_id: int,
    duplicate_of: Sequence[int | None] | None,
    keys: Sequence[tuple[str, str, str, str, str]],
) -> RecordRows:
    """``record_rows`` of rows made by ``record_row``, as a record was read: an import
    keeps the row, not the record, until its batch is written (a batch of
    ``ParsedRecord`` objects outlived the collector's young generations and made it
    scan the whole heap every batch or two; rows of strings it stops scanning)."""
    flat_keys: list[Any] = []
    for rid, row in enumerate(keys, start=first_id):
        flat_keys.append(rid)
        flat_keys.extend(row)
    dups = list(duplicate_of) if duplicate_of else [None] * len(rows)
    return RecordRows(first_id, len(rows), list(rows), dups, now_iso(), flat_keys)


def _insert_rows(conn: sqlite3.Connection, rows: RecordRows, source_id: int | None) -> None:
    """Insert the rows with one prepared statement, given row after row (``executemany``):
    for rows this wide, a third quicker than several hundred rows to a statement."""
    end, created = _DUPLICATE_OF_AT, rows.created_at
    conn.executemany(
        _INSERT_SQL,
        (
            (rid, source_id, *row[2:end], dup, created)
            for rid, row, dup in zip(
                range(rows.first_id, rows.first_id + rows.count), rows.rows, rows.duplicate_of,
                strict=True,
            )  # fmt: skip
        ),
    )


_INSERT_SQL = (
    f"insert into records (id, {', '.join(RECORD_COLUMNS)}) "
    f"values ({', '.join('?' * _WIDTH)})"
)


def _names_json(names: list[str]) -> str:
    """``json.dumps(names, ensure_ascii=False)``, without the encoder for plain names.

    Names with nothing to escape (nearly all) are joined directly: the encoder took most
    of the time it costs to turn a parsed record into a row.
    """
    raw = "".join(names)
    if '"' in raw or "\\" in raw or not raw.isprintable():
        return _to_json(names)
    return '["' + '", "'.join(names) + '"]' if names else "[]"


def record_row(rec: ParsedRecord) -> tuple[Any, ...]:
    """The ``records`` row of a parsed record (``id`` first, then ``RECORD_COLUMNS``).

    Read attribute by attribute: ``model_dump`` per record cost more than the insert.
    The id, source id, duplicate and creation time are left empty, to be filled in
    when the batch's rows are made (``rows_of``) and written.
    """
    return (
        None, None, rec.source_index, rec.source_start, rec.source_end, rec.source_line,
        rec.title, _names_json(rec.authors), rec.journal, rec.year, rec.volume, rec.issue,
        rec.pages, rec.doi, rec.pmid, rec.pmcid,
        _to_json(rec.trial_ids) if rec.trial_ids else "[]", rec.abstract,
        _to_json(rec.keywords) if rec.keywords else "[]", rec.type, rec.url, rec.text,
        _to_json(rec.page_offsets) if rec.page_offsets else "[]",
        _to_json(rec.extra) if rec.extra else "{}", None, None,
    )  # fmt: skip
