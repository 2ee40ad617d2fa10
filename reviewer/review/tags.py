"""Tags on records: free labels a reviewer attaches ("pediatric", "ask author", "RCT").

A tag is on a record or not, whoever added it; tags compare without case. Adding
and removing are events, keyed by (record, tag) for merging.
"""

from __future__ import annotations

from reviewer.domain import Event
from reviewer.review import events as ev
from reviewer.store import Store
from reviewer.store import tags as stored


def clean_tag(tag: str) -> str:
    tag = " ".join(tag.split())
    if not tag:
        raise ValueError("a tag cannot be empty")
    return tag


def add_tag(store: Store, record_id: int, tag: str, reviewer: str) -> bool:
    """Tag a record; ``False`` when it already had the tag (nothing is written)."""
    tag = clean_tag(tag)
    with store.atomic():
        if has_tag(store, record_id, tag):
            return False
        store.commit(
            Event(reviewer=reviewer, kind=ev.TAG_ADD, record_id=record_id, payload={"tag": tag})
        )
    return True


def remove_tag(store: Store, record_id: int, tag: str, reviewer: str) -> bool:
    """Untag a record; ``False`` when it did not have the tag."""
    tag = clean_tag(tag)
    with store.atomic():
        if not has_tag(store, record_id, tag):
            return False
        store.commit(
            Event(reviewer=reviewer, kind=ev.TAG_REMOVE, record_id=record_id, payload={"tag": tag})
        )
    return True


def has_tag(store: Store, record_id: int, tag: str) -> bool:
    return stored.has_tag(store, record_id, tag)


def tags(store: Store, record_id: int) -> list[str]:
    return stored.tags(store, record_id)


def all_tags(store: Store) -> dict[str, int]:
    """Every tag in the review with how many records carry it, alphabetically."""
    return stored.tag_counts(store)
