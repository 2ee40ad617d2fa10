"""Full texts as stored: the ``fulltexts`` table (a PDF's text beside a record, kept
apart from the record's own text), read and written here only.

What attaching means (reading the PDF, matching a folder, the event) is in
``reviewer.review.fulltext``.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from reviewer.store.store import Store


class FullText(NamedTuple):
    record_id: int
    path: str
    sha256: str
    pages: int
    text: str
    page_offsets: list[int]
    reviewer: str
    time: str


def write(store: Store, ft: FullText) -> None:
    """Store ``ft`` as its record's full text, replacing an earlier one."""
    store.db.execute(
        "insert into fulltexts (record_id, path, sha256, pages, text, page_offsets, reviewer, "
        "time) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict(record_id) do update set "
        "path = excluded.path, sha256 = excluded.sha256, pages = excluded.pages, "
        "text = excluded.text, page_offsets = excluded.page_offsets, "
        "reviewer = excluded.reviewer, time = excluded.time",
        [*ft[:5], json.dumps(ft.page_offsets), ft.reviewer, ft.time],
    )


def fulltext(store: Store, record_id: int) -> FullText | None:
    row = store.db.execute(
        "select path, sha256, pages, text, page_offsets, reviewer, time from fulltexts "
        "where record_id = ?",
        [record_id],
    ).fetchone()
    if row is None:
        return None
    path, sha, pages, text, offsets, reviewer, time = row
    return FullText(record_id, path, sha, pages, text, json.loads(offsets), reviewer, time)
