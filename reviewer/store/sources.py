"""Sources as stored: the ``sources`` table, one row per file (or page) imported.

A source's label is a person's word, so it changes by an event
(``EventKind.SOURCE_LABEL``); its status is an import's bookkeeping, so it does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.domain import Event, Source
from reviewer.domain.events import EventKind

if TYPE_CHECKING:
    from reviewer.store.store import Store

_SOURCE_KEYS = (
    "id", "name", "path", "sha256", "size", "format", "imported_at", "status", "label",
)  # fmt: skip


def source_by_sha256(store: Store, sha256: str) -> Source | None:
    row = store.db.execute(
        f"select {', '.join(_SOURCE_KEYS)} from sources where sha256 = ? limit 1",
        [sha256],
    ).fetchone()
    if row is None:
        return None
    return Source(**dict(zip(_SOURCE_KEYS, row, strict=True)))


def add_source(store: Store, source: Source) -> int:
    cur = store.db.execute(
        "insert into sources (name, path, sha256, size, format, imported_at, status, label) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source.name,
            source.path,
            source.sha256,
            source.size,
            source.format,
            source.imported_at,
            source.status,
            source.label,
        ],
    )
    return int(cur.lastrowid)


def sources(store: Store) -> list[Source]:
    rows = store.db.execute(f"select {', '.join(_SOURCE_KEYS)} from sources order by id")
    return [Source(**dict(zip(_SOURCE_KEYS, r, strict=True))) for r in rows]


def set_source_label(store: Store, source_id: int, label: str, reviewer: str) -> None:
    """Name the database or register a source came from (an event: a person's word)."""
    label = " ".join(label.split())
    with store.atomic():
        row = store.db.execute(
            "select name, label from sources where id = ?", [source_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no source {source_id}")
        if row[1] == label:
            return
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.SOURCE_LABEL,
                payload={"source_id": source_id, "name": row[0], "before": row[1],
                         "after": label},
            )
        )  # fmt: skip


def set_source_status(store: Store, source_id: int, status: str) -> None:
    store.db.execute("update sources set status = ? where id = ?", [status, source_id])


def source_indexes(store: Store, source_id: int) -> set[int]:
    """Which records of a source are stored already (to resume an interrupted import)."""
    return {
        r[0]
        for r in store.db.execute(
            "select source_index from records where source_id = ?", [source_id]
        )
    }
