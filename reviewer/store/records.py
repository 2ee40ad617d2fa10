"""Record rows beyond what ``Store`` itself reads and writes: whether an id is taken,
titles by id, and the two columns a review rebuilt from its JSON export sets as they
were (``reviewer.export.json_import``).
"""

from __future__ import annotations

import sqlite3

from reviewer.store.store import Store


def record_exists(store: Store, record_id: int) -> bool:
    row = store.db.execute("select 1 from records where id = ?", [record_id]).fetchone()
    return row is not None


def titles(conn: sqlite3.Connection) -> dict[int, str]:
    """Every record's title by id, of this review (``store.db.conn``) or another copy."""
    return {rid: title for rid, title in conn.execute("select id, title from records order by id")}


def set_duplicate_of(store: Store, record_id: int, duplicate_of: int | None) -> None:
    """Mark a record as a duplicate of another (no event: an import's bookkeeping)."""
    store.db.execute(
        "update records set duplicate_of = ? where id = ?", [duplicate_of, record_id]
    )


def set_created_at(store: Store, record_id: int, created_at: str) -> None:
    """Give a record the time it was first imported (no event: an import's bookkeeping)."""
    store.db.execute("update records set created_at = ? where id = ?", [created_at, record_id])


def open_other_copy(path_uri: str) -> sqlite3.Connection:
    """Another copy of a review, opened read-only at ``path_uri`` (a ``file:`` URI with its
    mode), checked to be a review file; ``sqlite3.DatabaseError`` when it is not."""
    conn = sqlite3.connect(path_uri, uri=True)
    try:
        conn.execute("select id, kind, record_id, payload from events limit 1").fetchall()
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn
