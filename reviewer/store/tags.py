"""Record tags as stored: reading the ``record_tags`` table.

The rules (a tag is on a record or not, compared without case; adding and removing are
events) live in ``reviewer.review.tags``; the events change the table through
``reviewer.store.apply``.
"""

from __future__ import annotations

from reviewer.store.store import Store


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
