"""Filling a study's results from the text, and undoing any change to them.

A reviewer selects words in the document and puts them on a results cell (by the
context menu, Alt+number or a drop on the grid): the cell takes the value the words
state and keeps them as its provenance, like a template field. Where the words state
more than the one cell, the neighbours are filled too, each with the same words:
"12/120 (10%)" on Events sets events 12 and n 120; "12.3 ± 4.5" on Mean sets mean and
SD; "0.62 (95% CI 0.48–0.80)" on Estimate sets the estimate and both limits.

``ResultsChange`` is the undo command for any change to one record's results: it
keeps every cell as it was before and after, so undo and redo are ordinary logged
changes (``result.undo``, ``result.redo``), never a rewrite of the history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.annotate.selection import parse_selection
from reviewer.annotate.spans import selection_span
from reviewer.domain import FieldSpec, FieldType
from reviewer.domain.events import EventKind
from reviewer.domain.results import COLUMNS, ResultCell, column, kind_of
from reviewer.store import Store
from reviewer.store import results as rs
from reviewer.store.results import CellChange
from reviewer.suggest.result_patterns import read_statement

_SPEC_TYPE = {"integer": FieldType.INTEGER, "number": FieldType.NUMBER, "text": FieldType.TEXT,
              "choice": FieldType.CHOICE}  # fmt: skip


def values_from_words(kind: str, field: str, text: str) -> dict[str, Any]:
    """The cells of a ``kind`` item that ``text`` sets when put on ``field`` (see module
    docs), or ``ValueError`` saying why none."""
    col = column(kind, field)
    if col.type == "ref":
        raise ValueError(f"choose the {col.ref} in the grid; words cannot name it")
    own = {c.key for c in COLUMNS[kind]}
    if col.type in ("integer", "number"):
        stated = {k: v for k, v in read_statement(text, field).items() if k in own}
        if field in stated:
            return stated
    spec = FieldSpec(key="cell", label=col.label, type=_SPEC_TYPE[col.type],
                     choices=list(col.choices))  # fmt: skip
    return {field: parse_selection(spec, text)}


def set_from_selection(
    store: Store,
    record_id: int,
    item: str,
    field: str,
    start: int,
    end: int,
    reviewer: str,
    append: bool = False,
) -> list[str]:
    """Set a cell (and the neighbours the words state) from the text at ``start:end``,
    with that text as provenance; with ``append``, add the words as further support for
    the cell's value. Return the cells set."""
    span = selection_span(store, record_id, start, end)
    if append:
        rs.add_span(store, record_id, item, field, span, reviewer)
        return [field]
    values = values_from_words(kind_of(item), field, span.quote)
    rs.set_cells(store, record_id, [CellChange(item, f, v, [span]) for f, v in values.items()],
                 reviewer)  # fmt: skip
    return list(values)


Snapshot = dict[tuple[str, str], ResultCell]


def snapshot(store: Store, record_id: int) -> Snapshot:
    return {(c.item, c.field): c for c in rs.cells(store, record_id)}


class ResultsChange:
    """Any change to one record's results (an undo command, ``reviewer.annotate.undo``)."""

    def __init__(self, record_id: int, reviewer: str, change: Callable[[Store], Any], label: str):
        self.record_id = record_id
        self.reviewer = reviewer
        self.change = change
        self.label = label
        self._before: Snapshot = {}
        self._after: Snapshot = {}
        self._done_once = False

    def do(self, store: Store, renumber: Any) -> None:
        if self._done_once:
            rs.set_state(store, self.record_id, self._after, self.reviewer, EventKind.RESULT_REDO)
            return
        self._before = snapshot(store, self.record_id)
        self.change(store)
        self._after = snapshot(store, self.record_id)
        self._done_once = True

    def undo(self, store: Store, renumber: Any) -> None:
        rs.set_state(store, self.record_id, self._before, self.reviewer, EventKind.RESULT_UNDO)

    # the usual changes, as commands

    @classmethod
    def set(cls, record_id: int, item: str, field: str, value: Any, reviewer: str) -> ResultsChange:
        label = f"set {column(kind_of(item), field).label.lower()}"
        return cls(record_id, reviewer,
                   lambda s: rs.set_cell(s, record_id, item, field, value, reviewer), label)  # fmt: skip

    @classmethod
    def set_many(cls, record_id: int, changes: list[CellChange], reviewer: str,
                 label: str) -> ResultsChange:  # fmt: skip
        return cls(record_id, reviewer, lambda s: rs.set_cells(s, record_id, changes, reviewer),
                   label)  # fmt: skip

    @classmethod
    def from_selection(cls, record_id: int, item: str, field: str, start: int, end: int,
                       reviewer: str, append: bool = False) -> ResultsChange:  # fmt: skip
        label = f"set {column(kind_of(item), field).label.lower()} from the text"
        return cls(record_id, reviewer,
                   lambda s: set_from_selection(s, record_id, item, field, start, end, reviewer,
                                                append), label)  # fmt: skip

    @classmethod
    def delete(cls, record_id: int, item: str, reviewer: str) -> ResultsChange:
        return cls(record_id, reviewer, lambda s: rs.delete_item(s, record_id, item, reviewer),
                   f"delete {kind_of(item)}")  # fmt: skip
