"""The results of each study (arms, outcomes, per-arm results and comparisons), stored.

Every cell is a row of ``result_cells`` (migration m011): a value with its
provenance, who set it and when, as a template field's value is. Every change a
person makes writes the rows and one ``result.*`` event per cell in the same
transaction, so the history panel, undo and merging treat a cell like a field:
the event's key is ``("result", record, item, field)`` (``reviewer.review.events``).

An item has no row of its own: it exists while it has cells. Deleting an arm or an
outcome clears the results and comparisons that name it too, each cell logged with
what it held, so nothing is lost that the log cannot give back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer.domain import Event, Span, events
from reviewer.domain.events import EventKind
from reviewer.domain.results import (
    COLUMNS,
    ResultCell,
    StudyResults,
    column,
    kind_of,
    validate_cell,
)
from reviewer.store import projection
from reviewer.store.store import Store

RESULT_PREFIX = events.RESULT_PREFIX  # result.set, result.clear, result.import, ...

_CELL_COLUMNS = "record_id, item, field, value, reviewer, time, provenance"
CellKey = tuple[str, str]  # (item, field)


@dataclass(frozen=True, slots=True)
class CellChange:
    """One cell to set (``value`` None clears it), with the words it came from."""

    item: str
    field: str
    value: Any
    provenance: Sequence[Span] = ()


def _cell_from_row(r: Sequence[Any]) -> ResultCell:
    return ResultCell(
        record_id=r[0],
        item=r[1],
        field=r[2],
        value=json.loads(r[3]),
        reviewer=r[4],
        time=r[5],
        provenance=[Span(**s) for s in json.loads(r[6])],
    )


# -- reading -----------------------------------------------------------------------------


def cells(store: Store, record_id: int) -> list[ResultCell]:
    rows = store.db.execute(
        f"select {_CELL_COLUMNS} from result_cells where record_id = ? order by item, field",
        [record_id],
    )
    return [_cell_from_row(r) for r in rows]


def study_results(store: Store, record_id: int) -> StudyResults:
    return StudyResults.from_cells(record_id, cells(store, record_id))


def records_with_results(store: Store) -> list[int]:
    return [
        r[0]
        for r in store.db.execute("select distinct record_id from result_cells order by record_id")
    ]


def all_results(store: Store, record_ids: Iterable[int] | None = None) -> Iterator[StudyResults]:
    """Each record's results, in record order (only records that have any)."""
    wanted = None if record_ids is None else set(record_ids)
    rows = store.db.execute(
        f"select {_CELL_COLUMNS} from result_cells order by record_id, item, field"
    )
    current: list[ResultCell] = []
    rid: int | None = None
    for r in rows:
        if wanted is not None and r[0] not in wanted:
            continue
        if r[0] != rid and current:
            yield StudyResults.from_cells(rid, current)  # type: ignore[arg-type]
            current = []
        rid = r[0]
        current.append(_cell_from_row(r))
    if current:
        yield StudyResults.from_cells(rid, current)  # type: ignore[arg-type]


# -- writing -----------------------------------------------------------------------------


def set_cell(
    store: Store,
    record_id: int,
    item: str,
    field: str,
    value: Any,
    reviewer: str,
    provenance: Sequence[Span] = (),
    kind: str = EventKind.RESULT_SET,
) -> ResultCell | None:
    """Set (or with ``None`` clear) one cell; return what it now holds."""
    return set_cells(store, record_id, [CellChange(item, field, value, provenance)], reviewer,
                     kind)[0]  # fmt: skip


def set_cells(
    store: Store,
    record_id: int,
    changes: Sequence[CellChange],
    reviewer: str,
    kind: str = EventKind.RESULT_SET,
) -> list[ResultCell | None]:
    """Set several cells of one record in one transaction, each logged as an event.

    Every value is checked before anything is written (``ValueError`` names the cell),
    and a result or comparison may only name arms and outcomes of the same record
    (existing ones, or ones made by the same call).
    """
    checked = [_checked(c) for c in changes]
    with store.atomic():
        _require_record(store, record_id)
        _check_refs(store, record_id, checked)
        return [_write(store, record_id, c, reviewer, kind) for c in checked]


def delete_item(store: Store, record_id: int, item: str, reviewer: str) -> int:
    """Clear every cell of an item, and of the results and comparisons that name it;
    return how many cells were cleared (each logged with what it held)."""
    with store.atomic():
        results = study_results(store, record_id)
        doomed = [results.items[item]] if item in results.items else []
        doomed += results.dependants(item)
        n = 0
        for it in doomed:
            for field in list(it.cells):
                _write(
                    store,
                    record_id,
                    CellChange(it.id, field, None),
                    reviewer,
                    EventKind.RESULT_CLEAR,
                )
                n += 1
        return n


def set_state(
    store: Store,
    record_id: int,
    state: Mapping[CellKey, ResultCell],
    reviewer: str,
    kind: str,
) -> int:
    """Make a record's cells exactly ``state`` (value and provenance per cell), writing
    only the cells that differ; return how many changed. Used by undo and redo."""
    with store.atomic():
        now = {(c.item, c.field): c for c in cells(store, record_id)}
        n = 0
        for key in sorted(set(now) | set(state)):
            want, have = state.get(key), now.get(key)
            if _same(want, have):
                continue
            change = CellChange(key[0], key[1], want.value if want else None,
                                want.provenance if want else ())  # fmt: skip
            _write(store, record_id, change, reviewer, kind)
            n += 1
        return n


def add_span(
    store: Store, record_id: int, item: str, field: str, span: Span, reviewer: str
) -> ResultCell | None:
    """Add words as further support for a cell's value, leaving the value as it is."""
    current = next((c for c in cells(store, record_id) if (c.item, c.field) == (item, field)), None)
    if current is None:
        raise ValueError(f"{column(kind_of(item), field).label} is empty: set it first")
    if any((s.start, s.end) == (span.start, span.end) for s in current.provenance):
        return current
    return set_cell(store, record_id, item, field, current.value, reviewer,
                    [*current.provenance, span], kind=EventKind.RESULT_SPAN_ADD)  # fmt: skip


def _same(a: ResultCell | None, b: ResultCell | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.value == b.value and a.provenance == b.provenance


def _checked(change: CellChange) -> CellChange:
    kind = kind_of(change.item)
    try:
        value = validate_cell(kind, change.field, change.value)
    except KeyError:
        raise ValueError(f"{kind} has no cell {change.field!r}") from None
    except ValueError as exc:
        raise ValueError(f"{column(kind, change.field).label}: {exc}") from None
    return CellChange(change.item, change.field, value, tuple(change.provenance))


def _require_record(store: Store, record_id: int) -> None:
    if store.db.execute("select 1 from records where id = ?", [record_id]).fetchone() is None:
        raise ValueError(f"no record {record_id}")


def _check_refs(store: Store, record_id: int, changes: Sequence[CellChange]) -> None:
    made = {c.item for c in changes if c.value is not None}
    for c in changes:
        col = column(kind_of(c.item), c.field)
        if col.type != "ref" or c.value is None or c.value in made:
            continue
        exists = store.db.execute(
            "select 1 from result_cells where record_id = ? and item = ? limit 1",
            [record_id, c.value],
        ).fetchone()
        if exists is None:
            raise ValueError(f"{col.label}: record {record_id} has no {col.ref} {c.value!r}")


def _write(
    store: Store, record_id: int, change: CellChange, reviewer: str, kind: str
) -> ResultCell | None:
    before = store.db.execute(
        "select value from result_cells where record_id = ? and item = ? and field = ?",
        [record_id, change.item, change.field],
    ).fetchone()
    spans = [s.model_dump() for s in change.provenance]
    if change.value is None and kind == EventKind.RESULT_SET:
        kind = EventKind.RESULT_CLEAR
    event = Event(
        reviewer=reviewer,
        kind=kind,
        record_id=record_id,
        payload={
            "item": change.item,
            "field": change.field,
            "before": json.loads(before[0]) if before else None,
            "after": change.value,
            "provenance": spans,
        },
    )
    store.commit(event)  # the cell is written by applying its event (reviewer.store.apply)
    if change.value is None:
        return None
    return ResultCell(
        record_id=record_id,
        item=change.item,
        field=change.field,
        value=change.value,
        reviewer=reviewer,
        time=event.time,
        provenance=list(change.provenance),
    )


def put_cells(store: Store, record_id: int, cells_: Sequence[ResultCell], kind: str) -> None:
    """Store cells as they were (who set them and when kept), each logged with ``kind``:
    a review rebuilt from its JSON export."""
    with store.atomic():
        for c in cells_:
            spans = [s.model_dump() for s in c.provenance]
            store.commit(Event(reviewer=c.reviewer, kind=kind, record_id=record_id,
                               payload={"item": c.item, "field": c.field, "before": None,
                                        "after": c.value, "provenance": spans,
                                        "time": c.time}))  # fmt: skip


def field_values_by_prefix(store: Store, prefix: str) -> dict[int, dict[str, Any]]:
    """Per record, the values of the fields whose keys start with ``prefix`` (the RoB 2
    answers of every record, say), read in one query."""
    out: dict[int, dict[str, Any]] = {}
    rows = store.db.execute(
        "select record_id, field, value from field_values where substr(field, 1, ?) = ? "
        "order by record_id",
        [len(prefix), prefix],
    )
    for rid, field, value in rows:
        out.setdefault(rid, {})[field] = json.loads(value)
    return out


# -- matching rows of a results file to records ---------------------------------------------


@dataclass
class RecordKeys:
    """What a results file may name a record by: its id, its DOI or its title."""

    ids: set[int]
    by_doi: dict[str, list[int]]
    by_title: dict[str, list[int]]


def record_keys(store: Store, normalise_title: Any) -> RecordKeys:
    """Every kept record's id, DOI and title (``normalise_title`` applied), read once.
    Records merged as duplicates answer to their kept record."""
    keys = RecordKeys(set(), {}, {})
    rows = store.db.execute("select id, coalesce(duplicate_of, id), doi, title from records")
    for rid, kept, doi, title in rows:
        keys.ids.add(rid)
        if doi:
            ids = keys.by_doi.setdefault(doi.lower(), [])
            if kept not in ids:
                ids.append(kept)
        if title:
            ids = keys.by_title.setdefault(normalise_title(title), [])
            if kept not in ids:
                ids.append(kept)
    return keys


# -- merging (reviewer.review.merge reads and writes a cell the same way on both copies) -----


def read_state(conn: sqlite3.Connection, key: tuple) -> dict[str, Any] | None:
    return projection.read_result(conn, key)


def write_state(store: Store, key: tuple, state: dict[str, Any] | None) -> None:
    """Put a cell as the other copy has it (no event: the other copy's event was copied)."""
    projection.write_result(store.db, key, state)


__all__ = [
    "COLUMNS",
    "CellChange",
    "RecordKeys",
    "add_span",
    "all_results",
    "cells",
    "delete_item",
    "put_cells",
    "field_values_by_prefix",
    "read_state",
    "record_keys",
    "records_with_results",
    "set_cell",
    "set_cells",
    "set_state",
    "study_results",
    "write_state",
]
