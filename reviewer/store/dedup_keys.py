"""The duplicate keys of stored records: what deduplication compares, kept indexed.

An import looks up only the stored records that share a key with the records it
adds (the same DOI, PMID or folded title, or a title starting or ending alike),
so it costs what it adds, not what the review holds. ``Store.add_records`` writes
each record's keys in the transaction that stores it. The keys are worked out by
``reviewer.domain.record_keys``; ``review_meta['dedup_keys']`` names the version of that
working-out the table is complete for, and ``ensure_complete`` (re)fills the table
when it is not (a review from before migration m008, or new key rules).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from reviewer.domain.record_keys import BLOCK_CHARS

if TYPE_CHECKING:  # the store imports this module to write keys with records
    from reviewer.store.store import Store

KEY_COLUMNS = ("record_id", "title", "marks", "head", "tail", "doi")
KeyFn = Callable[[str, str], tuple[str, str, str, str, str]]  # (title, doi) -> keys
_ROWS_PER_INSERT = 500
_META = "dedup_keys"


class StoredRecord(NamedTuple):
    """What deduplication needs of a stored record found under a key."""

    key: str  # the key it was found under
    id: int
    keep: int  # the record its group keeps (itself when it is kept)
    title: str  # folded
    marks: tuple[str, ...]
    year: int | None
    doi: str  # normalised
    authors: list[str]


def insert(conn: sqlite3.Connection, flat: list[Any]) -> None:
    """Insert key rows given as one flat list of ``KEY_COLUMNS`` values."""
    width = len(KEY_COLUMNS)
    for start in range(0, len(flat), _ROWS_PER_INSERT * width):
        part = flat[start : start + _ROWS_PER_INSERT * width]
        conn.execute(_insert_sql(len(part) // width), part)


@lru_cache(maxsize=4)
def _insert_sql(rows: int) -> str:
    marks = f"({', '.join('?' * len(KEY_COLUMNS))})"
    return f"insert or replace into dedup_keys ({', '.join(KEY_COLUMNS)}) values " + ", ".join(
        [marks] * rows
    )


def is_complete(store: Store, version: str) -> bool:
    return store.meta(_META) == version


def ensure_complete(store: Store, version: str, key_fn: KeyFn) -> int:
    """Fill the table for every record when it is not complete for ``version``; return
    how many records were keyed (0 when nothing was to do)."""
    if is_complete(store, version):
        return 0
    with store.atomic():
        if is_complete(store, version):  # another program did it meanwhile
            return 0
        store.db.execute("delete from dedup_keys")
        flat: list[Any] = []
        count = 0
        for rid, title, doi in store.db.execute("select id, title, doi from records").fetchall():
            flat.append(rid)
            flat.extend(key_fn(title or "", doi or ""))
            count += 1
            if len(flat) >= 50_000:
                insert(store.db.conn, flat)
                flat = []
        insert(store.db.conn, flat)
        store.db.execute(
            "insert into review_meta (key, value) values (?, ?) "
            "on conflict(key) do update set value = excluded.value",
            [_META, version],
        )
    return count


def move(store: Store, old: int, new: int) -> None:
    """A record's keys follow it to a new id (inside the caller's transaction)."""
    store.db.execute("update dedup_keys set record_id = ? where record_id = ?", [new, old])


class KeyReader:
    """Looks stored records up by key, on a connection of its own.

    An import checks duplicates on its reading thread, while its writing thread has a
    transaction open on the store's connection; this connection only reads, sees what
    is committed, and is used by one thread at a time.
    """

    def __init__(self, store: Store):
        uri = store.path.resolve().as_uri()
        self.conn = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
        )
        self.conn.execute("pragma busy_timeout=30000")

    def close(self) -> None:
        self.conn.close()

    def first_by_doi(self, dois: Iterable[str], below: int) -> list[tuple[str, int]]:
        """(DOI, kept record) of the stored records with these DOIs, earliest first."""
        return self._pairs(
            "select k.doi, coalesce(r.duplicate_of, r.id) from dedup_keys k "
            "join records r on r.id = k.record_id "
            "where k.doi in (select value from json_each(?)) and k.doi != '' and k.record_id < ? "
            "order by k.record_id",
            dois,
            below,
        )

    def first_by_pmid(self, pmids: Iterable[str], below: int) -> list[tuple[str, int]]:
        """(PMID, kept record) of the stored records with these PMIDs, earliest first."""
        return self._pairs(
            "select pmid, coalesce(duplicate_of, id) from records "
            "where pmid in (select value from json_each(?)) and pmid != '' and id < ? "
            "order by id",
            pmids,
            below,
        )

    def by_title(self, titles: Iterable[str], below: int) -> list[StoredRecord]:
        """Records with these folded titles, found through the index of their heads
        (an index of whole titles cost a second more on a 100,000-record import)."""
        wanted = sorted(set(titles))
        heads = sorted({"<" + t[:BLOCK_CHARS] for t in wanted})
        if not wanted:
            return []
        rows = self.conn.execute(
            f"{_SELECT.format(key='title')} where k.head in (select value from json_each(?)) and k.head != '' "
            "and k.title in (select value from json_each(?)) and k.record_id < ? "
            "order by k.record_id",
            [json.dumps(heads), json.dumps(wanted), below],
        )
        return [_stored(row) for row in rows]

    def by_block(self, blocks: Iterable[str], below: int) -> list[StoredRecord]:
        """Records whose title starts (``<`` keys) or ends (``>`` keys) alike."""
        heads = [b for b in blocks if b.startswith("<")]
        tails = [b for b in blocks if b.startswith(">")]
        return self._records("head", heads, below) + self._records("tail", tails, below)

    def _pairs(self, sql: str, keys: Iterable[str], below: int) -> list[tuple[str, int]]:
        wanted = list(keys)
        if not wanted:
            return []
        return self.conn.execute(sql, [json.dumps(wanted), below]).fetchall()

    def _records(self, column: str, keys: Sequence[str], below: int) -> list[StoredRecord]:
        wanted = list(keys)
        if not wanted:
            return []
        rows = self.conn.execute(
            f"{_SELECT.format(key=column)} where k.{column} in (select value from json_each(?)) "
            f"and k.{column} != '' and k.record_id < ? order by k.record_id",
            [json.dumps(wanted), below],
        )
        return [_stored(row) for row in rows]


_SELECT = (
    "select k.{key}, r.id, coalesce(r.duplicate_of, r.id), k.title, k.marks, r.year, k.doi, "
    "r.authors from dedup_keys k join records r on r.id = k.record_id"
)


def _stored(row: Sequence[Any]) -> StoredRecord:
    key, rid, keep, title, marks, year, doi, authors = row
    return StoredRecord(
        key, rid, keep, title, tuple(marks.split("|")) if marks else (), year, doi,
        json.loads(authors) if authors else [],
    )  # fmt: skip
