"""Record rows beyond what ``Store`` itself reads and writes: whether an id is taken,
titles by id, and the two columns a review rebuilt from its JSON export sets as they
were (``reviewer.export.json_import``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

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


# While a file's batches are written: commits are not flushed to disk one by one (in
# WAL mode a crash, even a power cut, still leaves the file whole, at worst without
# the last batches, which the next import of the file resumes; the commit that marks
# the source complete runs at FULL again and flushes them all), the WAL is copied back
# less often and more of the file stays in memory. About a quarter less work in SQLite.
_BULK_PRAGMAS = {"synchronous": "normal", "wal_autocheckpoint": "16000", "cache_size": "-32768"}


@contextmanager
def bulk_writing(store: Store) -> Iterator[None]:
    """Settings for writing many batches, restored afterwards (see ``_BULK_PRAGMAS``)."""
    if store.db.conn.in_transaction:  # the caller's transaction: its settings stay
        yield
        return
    before = {k: store.db.execute(f"pragma {k}").fetchone()[0] for k in _BULK_PRAGMAS}
    for key, value in _BULK_PRAGMAS.items():
        store.db.execute(f"pragma {key} = {value}")
    try:
        yield
    finally:
        for key, value in before.items():
            store.db.execute(f"pragma {key} = {value}")
