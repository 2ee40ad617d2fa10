"""Orphaned spans as stored: the ``anchor_orphans`` table, where a highlight's or a
value's span goes when a record's new text no longer holds it, until someone
re-attaches or dismisses it (``reviewer.annotate.anchors``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewer.store.store import Store

_ORPHAN_COLUMNS = (
    "id", "record_id", "kind", "field", "highlight_id", "start", "end", "quote", "prefix",
    "suffix", "page", "note", "reviewer", "time", "orphaned_at", "status",
)  # fmt: skip


def _quoted(column: str) -> str:
    return f'"{column}"'


def add_orphan(store: Store, orphan: dict[str, Any]) -> int:
    """Keep a span that could not be found in a record's new text (no event)."""
    cols = [c for c in _ORPHAN_COLUMNS if c != "id" and c in orphan]
    cur = store.db.execute(
        f"insert into anchor_orphans ({', '.join(_quoted(c) for c in cols)}) "
        f"values ({', '.join('?' for _ in cols)})",
        [orphan[c] for c in cols],
    )
    return int(cur.lastrowid)


def orphan_rows(
    store: Store, record_id: int | None = None, status: str | None = "open"
) -> list[dict[str, Any]]:
    where, params = [], []
    if record_id is not None:
        where.append("record_id = ?")
        params.append(record_id)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    sql = f"select {', '.join(_quoted(c) for c in _ORPHAN_COLUMNS)} from anchor_orphans"
    if where:
        sql += " where " + " and ".join(where)
    rows = store.db.execute(sql + " order by record_id, id", params)
    return [dict(zip(_ORPHAN_COLUMNS, r, strict=True)) for r in rows]
