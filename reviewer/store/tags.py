"""Record tags as stored: the ``record_tags`` table, read and written here only.

The rules (a tag is on a record or not, compared without case; adding and removing are
events) live in ``reviewer.review.tags``; this module is the SQL under them.
"""

from __future__ import annotations

from reviewer.domain.models import now_iso
from reviewer.store.store import Store


def insert(store: Store, record_id: int, tag: str, reviewer: str) -> None:
    store.db.execute(
        "insert into record_tags (record_id, tag, reviewer, time) values (?, ?, ?, ?)",
        [record_id, tag, reviewer, now_iso()],
    )


def delete(store: Store, record_id: int, tag: str) -> None:
    store.db.execute("delete from record_tags where record_id = ? and tag = ?", [record_id, tag])


def has_tag(store: Store, record_id: int, tag: str) -> bool:
    row = store.db.execute(
        "select 1 from record_tags where record_id = ? and tag = ?", [record_id, tag]
    ).fetchone()
    return row is not None


def tags(store: Store, record_id: int) -> list[str]:
    rows = store.db.execute(
        "select tag from record_tags where record_id = ? order by tag", [record_id]
    )
    return [tag for (tag,) in rows]


def tag_counts(store: Store) -> dict[str, int]:
    """Every tag in the review with how many records carry it, alphabetically."""
    rows = store.db.execute(
        "select tag, count(*) from record_tags group by tag collate nocase order by tag"
    )
    return {tag: n for tag, n in rows}
