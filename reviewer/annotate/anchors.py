"""Anchors that survive a change of the record's text.

A span is stored the way Hypothesis stores an annotation's target (the W3C Web
Annotation position and quote selectors): start and end offsets, the exact
quote, and 32 characters before and after it. When the text is replaced (a
corrected file imported again, a PDF's text extracted anew) offsets alone would
point at the wrong words, so each span is found again by its quote: at its old
place if the words are still there, else at the occurrence whose surroundings
match best, else fuzzily (a typo fixed inside the quote). A span that cannot be
found is never moved to a guess: it becomes an orphan, kept apart and listed for
the reviewer to re-attach or dismiss. Replacing a record's text, which moves its
spans by these rules and makes the orphans, is ``reviewer.annotate.text_replace``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from reviewer.annotate.spans import page_at, selection_span
from reviewer.domain import Event, Highlight, Span
from reviewer.domain.events import EventKind
from reviewer.store import Store

# A found quote is trusted when its surroundings look like the old ones at least
# this much (0-1), or when it is unique and long enough to speak for itself.
MIN_CONTEXT = 0.65
UNIQUE_QUOTE_CHARS = 16
# Fuzzy: how alike quote-plus-context must be to the text (0-100), and how alike
# the quote found there must be to the old quote (0-1).
MIN_ALIGNMENT = 70.0
MIN_QUOTE_SIMILARITY = 0.8
NEAR_WINDOW = 5000

Method = Literal["kept", "moved", "fuzzy"]


@dataclass(frozen=True)
class Anchoring:
    span: Span
    method: Method


# -- finding a span again ------------------------------------------------------------


def _similarity(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b)


def _context(old: Span, text: str, pos: int) -> float:
    """How alike the words around ``pos`` are to the span's old prefix and suffix (0-1)."""
    scores = []
    if old.prefix:
        scores.append(_similarity(old.prefix, text[max(0, pos - len(old.prefix)) : pos]))
    if old.suffix:
        after = pos + len(old.quote)
        scores.append(_similarity(old.suffix, text[after : after + len(old.suffix)]))
    return sum(scores) / len(scores) if scores else 1.0


def _occurrences(quote: str, text: str) -> list[int]:
    out, pos = [], text.find(quote)
    while pos != -1:
        out.append(pos)
        pos = text.find(quote, pos + 1)
    return out


def _exact(old: Span, text: str) -> int | None:
    """The occurrence of the quote whose surroundings match best, nearest the old place."""
    found = _occurrences(old.quote, text)
    if not found:
        return None
    scored = [(round(_context(old, text, p), 2), -abs(p - old.start), p) for p in found]
    context, _, pos = max(scored)
    unique_and_long = len(found) == 1 and len(old.quote) >= UNIQUE_QUOTE_CHARS
    return pos if context >= MIN_CONTEXT or unique_and_long else None


def _map(opcodes: Levenshtein.Opcodes, i: int, *, is_end: bool) -> int:
    """Where position ``i`` of the needle lands in the aligned text.

    Text inserted right at a quote's edge is kept outside the quote.
    """
    for op in opcodes:
        if op.tag == "insert":
            if op.src_start == i and is_end:
                return op.dest_start
            continue
        if op.src_start <= i < op.src_end:
            offset = i - op.src_start
            if op.tag == "equal":
                return op.dest_start + offset
            if op.tag == "delete":
                return op.dest_start
            return op.dest_start + min(offset, op.dest_end - op.dest_start)
    return opcodes[-1].dest_end if len(opcodes) else 0


def _region(needle: str, text: str, near: int) -> tuple[int, int] | None:
    """Where quote-plus-context aligns best: near the old place first, then anywhere."""
    if len(text) <= len(needle):
        return (0, len(text)) if fuzz.ratio(needle, text) >= MIN_ALIGNMENT else None
    lo = max(0, near - NEAR_WINDOW - len(needle))
    hi = min(len(text), near + NEAR_WINDOW + 2 * len(needle))
    for a, b in ((lo, hi), (0, len(text))):
        hit = fuzz.partial_ratio_alignment(needle, text[a:b], score_cutoff=MIN_ALIGNMENT)
        if hit is not None:
            margin = len(needle) // 4 + 8
            return max(0, a + hit.dest_start - margin), min(len(text), a + hit.dest_end + margin)
    return None


def _fuzzy(old: Span, text: str) -> tuple[int, int] | None:
    needle = old.prefix + old.quote + old.suffix
    region = _region(needle, text, max(0, old.start - len(old.prefix)))
    if region is None:
        return None
    a, b = region
    ops = Levenshtein.opcodes(needle, text[a:b])
    start = a + _map(ops, len(old.prefix), is_end=False)
    end = a + _map(ops, len(old.prefix) + len(old.quote), is_end=True)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or _similarity(old.quote, text[start:end]) < MIN_QUOTE_SIMILARITY:
        return None
    return start, end


def locate(old: Span, new_text: str, page_offsets: Sequence[int] | None = None) -> Anchoring | None:
    """Find ``old`` in ``new_text``; say how (kept, moved, fuzzy), or None for an orphan."""
    if not old.quote:
        return None

    def anchored(start: int, end: int, method: Method) -> Anchoring:
        page = old.page if page_offsets is None else page_at(page_offsets, start)
        return Anchoring(Span.from_text(new_text, start, end, page=page), method)

    n = len(old.quote)
    if new_text[old.start : old.end] == old.quote and _context(old, new_text, old.start) >= 0.9:
        return anchored(old.start, old.end, "kept")
    pos = _exact(old, new_text)
    if pos is not None:
        return anchored(pos, pos + n, "kept" if pos == old.start else "moved")
    found = _fuzzy(old, new_text)
    return anchored(*found, "fuzzy") if found else None


def reanchor(
    old_span: Span, new_text: str, page_offsets: Sequence[int] | None = None
) -> Span | None:
    """``old_span`` anchored in ``new_text``, or None when it cannot be found there.

    ``page_offsets`` of the new text give the span its page; without them the old
    page is kept.
    """
    found = locate(old_span, new_text, page_offsets)
    return found.span if found else None


# -- orphans -------------------------------------------------------------------------


class Orphan(BaseModel):
    """A span that was not found in its record's new text."""

    id: int
    record_id: int
    kind: Literal["provenance", "highlight"]
    field: str | None = None
    highlight_id: int | None = None  # the highlight it was, for kind 'highlight'
    span: Span  # where it was in the old text
    note: str = ""
    reviewer: str  # who made the value or highlight
    time: str
    orphaned_at: str
    status: Literal["open", "reattached", "dismissed"] = "open"


def _orphan(row: dict) -> Orphan:
    span = Span(**{k: row[k] for k in ("start", "end", "quote", "prefix", "suffix", "page")})
    return Orphan(span=span, **{k: v for k, v in row.items() if k not in Span.model_fields})


def orphans(
    store: Store, record_id: int | None = None, include_closed: bool = False
) -> list[Orphan]:
    """Spans waiting for the reviewer, of one record or all (and re-attached or dismissed ones)."""
    rows = store.orphan_rows(record_id, status=None if include_closed else "open")
    return [_orphan(r) for r in rows]


def _open_orphan(store: Store, orphan_id: int) -> Orphan:
    for o in orphans(store, include_closed=True):
        if o.id == orphan_id:
            if o.status != "open":
                raise ValueError(f"orphan {orphan_id} is {o.status} already")
            return o
    raise KeyError(f"no orphan {orphan_id}")


def reattach_orphan(store: Store, orphan_id: int, start: int, end: int, reviewer: str) -> None:
    """Anchor an orphan at the text the reviewer selected for it in the new text."""
    orphan = _open_orphan(store, orphan_id)
    span = selection_span(store, orphan.record_id, start, end)
    with store.atomic():
        if orphan.kind == "highlight":
            store.restore_highlight(_highlight_of(orphan, span), reviewer)
        else:
            _add_provenance(store, orphan, span, reviewer)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.ORPHAN_REATTACH,
                record_id=orphan.record_id,
                payload=_orphan_payload(orphan, span),
            )
        )


def _highlight_of(orphan: Orphan, span: Span) -> Highlight:
    return Highlight(
        id=orphan.highlight_id,
        record_id=orphan.record_id,
        field=orphan.field,
        span=span,
        note=orphan.note,
        reviewer=orphan.reviewer,
        time=orphan.time,
    )


def _add_provenance(store: Store, orphan: Orphan, span: Span, reviewer: str) -> None:
    assert orphan.field is not None
    current = store.values(orphan.record_id).get(orphan.field)
    if current is None:
        raise ValueError(f"{orphan.field} has no value any more to attach the span to")
    store.set_value(
        orphan.record_id,
        orphan.field,
        current.value,
        reviewer,
        provenance=[*current.provenance, span],
        kind=EventKind.VALUE_SPAN_ADD,
    )


def dismiss_orphan(store: Store, orphan_id: int, reviewer: str) -> None:
    """The reviewer has seen the orphan and lets it go (it stays in the file, closed)."""
    orphan = _open_orphan(store, orphan_id)
    with store.atomic():
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.ORPHAN_DISMISS,
                record_id=orphan.record_id,
                payload=_orphan_payload(orphan),
            )
        )


def _orphan_payload(orphan: Orphan, span: Span | None = None) -> dict:
    payload = {"orphan_id": orphan.id, "kind": orphan.kind, "field": orphan.field}
    if span is not None:
        payload["span"] = span.model_dump()
    return payload
