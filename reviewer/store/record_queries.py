"""Reading the records table in bulk, as a stream: what ``reviewer list`` prints.

``Store.records`` builds a full ``Record`` (abstract, text, page offsets, every JSON
column parsed and validated) for each row: right for one record, 28 s and the whole
list in memory for 1,000,000. A listing needs ten short columns; here they come
straight from one cursor, a row at a time, so the first line is printed at once and
memory does not grow with the review.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import NamedTuple

from reviewer.store.store import Store


class ListedRecord(NamedTuple):
    """A record as ``reviewer list`` shows it."""

    id: int
    title: str
    authors: list[str]
    journal: str
    year: int | None
    doi: str
    pmid: str
    source: str | None  # the source's name
    source_index: int
    duplicate_of: int | None


def listed_records(store: Store) -> Iterator[ListedRecord]:
    """Every record in import order, streamed from one query. ``duplicate_of`` comes
    from its own index (a few records have one): read from the row, it sits after the
    text, and reaching it took half the time."""
    duplicate_of = dict(
        store.db.execute("select id, duplicate_of from records where duplicate_of is not null")
    )
    cur = store.db.execute(
        "select r.id, r.title, r.authors, r.journal, r.year, r.doi, r.pmid, s.name, "
        "r.source_index from records r left join sources s on s.id = r.source_id order by r.id"
    )
    loads, dup = json.loads, duplicate_of.get
    for rid, title, authors, journal, year, doi, pmid, source, index in cur:
        yield ListedRecord(
            rid, title or "", loads(authors) if authors else [], journal or "", year,
            doi or "", pmid or "", source, index, dup(rid),
        )  # fmt: skip
