"""Turning a selection in a record's text into a stored anchor.

Shared by values set from a selection, notes and re-attached orphans, so every
span in the review is made the same way: trimmed of the white space a mouse
drag takes along, with its quote, 32 characters either side and its PDF page.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from reviewer.domain import Span
from reviewer.store import Store


def page_at(page_offsets: Sequence[int], offset: int) -> int | None:
    """The 1-based PDF page holding ``offset``, or None for text without pages."""
    if not page_offsets:
        return None
    return max(1, bisect_right(page_offsets, offset))


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` without white space at either end; ``ValueError`` if nothing is left."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"the selection {start}-{end} is outside the text (0-{len(text)})")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("the selection is empty")
    return start, end


def selection_span(store: Store, record_id: int, start: int, end: int) -> Span:
    """The anchor of the text a reviewer selected in a record."""
    record = store.record(record_id)
    start, end = trimmed(record.text, start, end)
    return Span.from_text(record.text, start, end, page=page_at(record.page_offsets, start))
