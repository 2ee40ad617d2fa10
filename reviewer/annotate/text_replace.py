"""Replacing a record's text, with every span on it found again or kept as an orphan.

A corrected file imported again or a PDF's text extracted anew gives a record new
text. Its value provenance, highlights and pending suggestions are moved by
``reviewer.annotate.anchors.locate`` in the same transaction, and one
``record.text_replace`` event carries the old text and every move, so a rebuild from
the log moves the same spans. Apart from ``anchors`` because this is a write to the
review, the other a question about two texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from reviewer.annotate.anchors import Anchoring, Method, locate, reanchor
from reviewer.domain import Event, FieldValue, Highlight, Span, Suggestion
from reviewer.domain.events import EventKind
from reviewer.domain.models import now_iso
from reviewer.store import Store
from reviewer.store.projection import next_orphan_id


@dataclass
class ReanchorReport:
    """What replacing a record's text did to its spans."""

    record_id: int
    kept: int = 0
    moved: int = 0
    fuzzy: list[dict] = field(default_factory=list)  # {"what", "old", "new"}: check these
    orphans: list[int] = field(default_factory=list)  # anchor_orphans ids
    suggestions_dropped: int = 0

    def count(self, method: Method) -> None:
        if method == "kept":
            self.kept += 1
        elif method == "moved":
            self.moved += 1

    def as_json(self) -> dict:
        return {
            "record_id": self.record_id,
            "kept": self.kept,
            "moved": self.moved,
            "fuzzy": self.fuzzy,
            "orphans": self.orphans,
            "suggestions_dropped": self.suggestions_dropped,
        }


def replace_record_text(
    store: Store,
    record_id: int,
    new_text: str,
    reviewer: str,
    page_offsets: Sequence[int] = (),
) -> ReanchorReport:
    """Give a record new text and re-anchor every span on it, in one transaction.

    Value provenance and highlights are found again in ``new_text``; those that
    cannot be are taken out and kept as orphans. Pending suggestions are moved
    with their quote or dropped (the suggesters can run again). One event records
    the old text (so the change can be undone by hand) and what happened.
    """
    record = store.record(record_id)
    report = ReanchorReport(record_id)
    with store.atomic():
        found = _Reanchored(report, next_orphan_id(store.db))
        for value in store.values(record_id).values():
            _reanchor_value(value, new_text, page_offsets, found)
        for highlight in store.highlights(record_id):
            _reanchor_highlight(store, highlight, new_text, page_offsets, reviewer, found)
        _reanchor_suggestions(store, record_id, record.text, new_text, report)
        store.set_record_text(record_id, new_text, page_offsets)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.RECORD_TEXT_REPLACE,
                record_id=record_id,
                payload={
                    "old_text": record.text,
                    "old_page_offsets": record.page_offsets,
                    "new_sha256": hashlib.sha256(new_text.encode()).hexdigest(),
                    **report.as_json(),
                    "reanchored": found.payload(),
                },
            )
        )
    return report


@dataclass
class _Reanchored:
    """What re-anchoring found, carried by the ``record.text_replace`` event that
    ``apply`` turns into the moves (so a rebuild from the log moves the same spans)."""

    report: ReanchorReport
    next_orphan: int  # the id the next orphan gets
    values: dict[str, list[dict]] = field(default_factory=dict)  # field: its spans now
    highlights: dict[str, dict] = field(default_factory=dict)  # highlight id: its span now
    orphans: list[dict] = field(default_factory=list)  # anchor_orphans rows

    def orphan(self, record_id: int, kind: str, span: Span, reviewer: str, time: str,
               **extra) -> None:  # fmt: skip
        row = {
            "id": self.next_orphan,
            "record_id": record_id,
            "kind": kind,
            **span.model_dump(),
            "reviewer": reviewer,
            "time": time,
            "orphaned_at": now_iso(),
            "status": "open",
            **extra,
        }
        self.orphans.append(row)
        self.report.orphans.append(self.next_orphan)
        self.next_orphan += 1

    def payload(self) -> dict:
        return {"values": self.values, "highlights": self.highlights, "orphans": self.orphans}


def _reanchor_value(
    value: FieldValue, text: str, page_offsets: Sequence[int], found: _Reanchored
) -> None:
    spans = []
    for old in value.provenance:
        anchoring = locate(old, text, page_offsets)
        if anchoring is None:
            found.orphan(value.record_id, "provenance", old, value.reviewer, value.time,
                         field=value.field)  # fmt: skip
            continue
        _note_method(found.report, anchoring, old, value.field)
        spans.append(anchoring.span)
    if spans != value.provenance:
        found.values[value.field] = [s.model_dump() for s in spans]


def _reanchor_highlight(
    store: Store,
    highlight: Highlight,
    text: str,
    page_offsets: Sequence[int],
    reviewer: str,
    found: _Reanchored,
) -> None:
    assert highlight.id is not None
    anchoring = locate(highlight.span, text, page_offsets)
    if anchoring is None:
        store.delete_highlight(highlight.id, reviewer, kind=EventKind.HIGHLIGHT_ORPHAN)
        found.orphan(
            highlight.record_id,
            "highlight",
            highlight.span,
            highlight.reviewer,
            highlight.time,
            field=highlight.field,
            highlight_id=highlight.id,
            note=highlight.note,
        )
        return
    _note_method(found.report, anchoring, highlight.span, highlight.field or "note")
    if anchoring.span != highlight.span:
        found.highlights[str(highlight.id)] = anchoring.span.model_dump()


def _note_method(report: ReanchorReport, found: Anchoring, old: Span, what: str) -> None:
    report.count(found.method)
    if found.method == "fuzzy":
        report.fuzzy.append({"what": what, "old": old.quote, "new": found.span.quote})


def _reanchor_suggestions(
    store: Store, record_id: int, old_text: str, text: str, report: ReanchorReport
) -> None:
    """Move pending suggestions by their quote, so accepting one later quotes the new text.

    Suggestions store no context, so it is taken from the old text to tell twins apart.
    """
    pending = [s for s in store.suggestions(record_id) if s.status == "pending"]
    if not pending:
        return
    kept: list[Suggestion] = []
    for s in pending:
        old = Span(start=s.start, end=s.end, quote=s.quote)
        if old_text[s.start : s.end] == s.quote:
            old = Span.from_text(old_text, s.start, s.end)
        span = reanchor(old, text)
        if span is None or span.quote != s.quote:
            report.suggestions_dropped += 1
            continue
        kept.append(s.model_copy(update={"start": span.start, "end": span.end}))
    store.replace_suggestions(record_id, kept)
