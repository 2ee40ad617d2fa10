"""``reviewer check``'s comparison: the stored state and the one rebuilt from the log
(``reviewer.store.check_replay``), each table walked side by side in key order, every
disagreement named as a ``Difference`` (table, record, field).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reviewer.store.check_replay import BATCH, Table, has_table, key_text, text_hash


@dataclass
class Difference:
    """One row, or one field of a row, where the stored state and the log disagree."""

    table: str
    key: dict[str, Any]  # the row's key columns
    field: str  # the column that differs, or "(row)" when the row is on one side only
    stored: Any
    rebuilt: Any

    @property
    def record_id(self) -> int | None:
        if self.table in ("records", "fulltexts"):
            return self.key.get("id", self.key.get("record_id"))
        return self.key.get("record_id")

    def describe(self) -> str:
        key = ", ".join(f"{k}={v}" for k, v in self.key.items())
        if self.field == "(row)":
            where = "stored but not in the log" if self.rebuilt is None else "in the log only"
            return f"{self.table} [{key}]: row {where}"
        return (
            f"{self.table} [{key}] {self.field}: stored {self.stored!r}, "
            f"the log gives {self.rebuilt!r}"
        )


Row = tuple[tuple, tuple]  # (key, fields)


def _rows(conn: sqlite3.Connection, table: Table) -> Iterator[Row]:
    """The table's rows in key order (binary: the order ``_order`` gives in Python)."""
    if not has_table(conn, table.name):
        return
    cols = ", ".join(f'"{c}"' for c in (*table.key, *table.fields))
    order = ", ".join(f'"{c}" collate binary' for c in table.key)
    sql = f"select {cols} from {table.name} where {table.where or '1'} order by {order}"
    n = len(table.key)
    cursor = conn.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        for r in batch:
            yield tuple(r[:n]), tuple(r[n:])


def _order(key: tuple) -> tuple:
    """A key as SQLite orders it: null, then numbers, then text, then blobs."""
    return tuple(
        (0, 0) if v is None else (1, v) if isinstance(v, int | float)
        else (2, v.encode()) if isinstance(v, str) else (3, v)
        for v in key
    )  # fmt: skip


def _side_by_side(a: Iterator[Row], b: Iterator[Row]) -> Iterator[tuple[tuple, Any, Any]]:
    """Two key-ordered row streams joined on their keys: (key, fields or None, fields or None)."""
    x, y = next(a, None), next(b, None)
    while x is not None or y is not None:
        if y is None or (x is not None and _order(x[0]) < _order(y[0])):
            yield x[0], x[1], None  # type: ignore[index]
            x = next(a, None)
        elif x is None or _order(y[0]) < _order(x[0]):
            yield y[0], None, y[1]
            y = next(b, None)
        else:
            yield x[0], x[1], y[1]
            x, y = next(a, None), next(b, None)


def _stamped(
    scratch: sqlite3.Connection, table: Table, key: tuple, stored: tuple, differ: list[str]
) -> bool:
    """Whether only who and when differ, and the stored time is one the log gave this
    piece of state: a merge that finds both copies made the same change (or a state
    the same but for its author and time) keeps this copy's, as it should."""
    if not table.stamps or not set(differ) <= set(table.stamps):
        return False
    seen = set(scratch.execute(
        "select who, time from check_times where key = ?", [key_text((table.state, *key))]
    ).fetchall())  # fmt: skip
    stamp = tuple(stored[table.fields.index(f)] for f in table.stamps)
    if len(stamp) == 1:  # the key names who (a reviewer's decision): when is enough
        return stamp[0] in {when for _who, when in seen}
    return stamp in seen


def compare(
    stored_conn: sqlite3.Connection, scratch: sqlite3.Connection, table: Table,
    legacy: set[int],
) -> Iterator[Difference]:  # fmt: skip
    for key, mine, theirs in _side_by_side(_rows(stored_conn, table), _rows(scratch, table)):
        named = dict(zip(table.key, key, strict=True))
        record = named.get("record_id")
        if record is None and "record_id" in table.fields:
            record = (mine or theirs)[table.fields.index("record_id")]
        if table.whole_rows and record in legacy:
            continue
        if mine is None or theirs is None:
            yield Difference(table.name, named, "(row)", mine, theirs)
            continue
        differ = [
            name
            for name, a, b in zip(table.fields, mine, theirs, strict=True)
            if a != b and not (record in legacy and name in table.positions)
        ]
        if differ and _stamped(scratch, table, key, mine, differ):
            continue
        for name in differ:
            i = table.fields.index(name)
            yield Difference(table.name, named, name, mine[i], theirs[i])


def compare_fulltexts(
    stored_conn: sqlite3.Connection, scratch: sqlite3.Connection
) -> Iterator[Difference]:
    """Each stored full text is one the log attached to its record: the same PDF (its
    hash), path and pages, and the same words (their hash, where the event has it). A
    full text the log attached but not stored here is not a difference: a team sync
    brings the event, never the words."""
    if not has_table(stored_conn, "fulltexts"):
        return
    cursor = stored_conn.execute(
        "select record_id, sha256, path, pages, text from fulltexts order by record_id"
    )
    while batch := cursor.fetchmany(100):
        for rid, sha, path, pages, text in batch:
            key = {"record_id": rid}
            logged = scratch.execute(
                "select path, pages, text_sha256 from check_fulltexts "
                "where record_id = ? and sha256 = ? order by rowid desc limit 1",
                [rid, sha],
            ).fetchone()
            if logged is None:
                yield Difference("fulltexts", key, "(row)", sha, None)
                continue
            if path != logged[0]:
                yield Difference("fulltexts", key, "path", path, logged[0])
            if pages != logged[1]:
                yield Difference("fulltexts", key, "pages", pages, logged[1])
            if logged[2] is not None and text_hash(text) != logged[2]:
                yield Difference("fulltexts", key, "text", f"sha256 {text_hash(text)}",
                                 f"sha256 {logged[2]}")  # fmt: skip
