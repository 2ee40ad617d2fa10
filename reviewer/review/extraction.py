"""Turning suggestions into values: accept, reject, accept all.

Accepting stores the value with the suggestion's span as its provenance and
writes an event; rejecting marks the suggestion so it is not offered again for
that record. The UI, the command line (``suggest --apply``) and tests share
these functions.
"""

from __future__ import annotations

from reviewer.domain import FieldType, Span, Suggestion
from reviewer.domain.events import EventKind
from reviewer.store import Store
from reviewer.store import suggestions as stored


def pending_by_field(store: Store, record_id: int) -> dict[str, list[Suggestion]]:
    """Pending suggestions of a record, per field, best first."""
    out: dict[str, list[Suggestion]] = {}
    for s in store.suggestions(record_id):
        if s.status == "pending":
            out.setdefault(s.field, []).append(s)
    for items in out.values():
        items.sort(key=lambda s: -s.confidence)
    return out


def _find(store: Store, suggestion_id: int) -> Suggestion:
    return stored.suggestion(store, suggestion_id)


def accept(store: Store, suggestion_id: int, reviewer: str) -> None:
    """Store the suggestion's value with its span as provenance.

    For a list field the suggestion's items are added to what the field holds
    (one suggestion per arm adds up); other fields take the suggested value.
    """
    s = _find(store, suggestion_id)
    assert s.record_id is not None
    spec = store.template().field(s.field)
    text = store.record(s.record_id).text
    from reviewer.suggest import concept_of  # not at import: the window starts without it

    span = Span.from_text(
        text, s.start, s.end, page=_page_of(store, s.record_id, s.start), concept=concept_of(s)
    )
    current = store.values(s.record_id).get(s.field)
    with store.atomic():
        if spec.type is FieldType.LIST and current is not None:
            items = list(current.value)
            for item in s.value if isinstance(s.value, list) else [s.value]:
                if item not in items:
                    items.append(item)
            store.set_value(
                s.record_id,
                s.field,
                items,
                reviewer,
                provenance=[*current.provenance, span],
                kind=EventKind.VALUE_ACCEPT,
            )
        else:
            store.set_value(
                s.record_id,
                s.field,
                s.value,
                reviewer,
                provenance=[span],
                kind=EventKind.VALUE_ACCEPT,
            )
        store.set_suggestion_status(suggestion_id, "accepted", reviewer)


def reject(store: Store, suggestion_id: int, reviewer: str) -> None:
    store.set_suggestion_status(suggestion_id, "rejected", reviewer)


def accept_all_plan(store: Store, record_id: int) -> list[Suggestion]:
    """What "accept all" takes: for every field without a value, its best suggestion
    (every one, for a list field)."""
    template = store.template()
    values = store.values(record_id)
    chosen: list[Suggestion] = []
    for field, items in pending_by_field(store, record_id).items():
        if field in values or field not in template.keys:
            continue
        chosen += items if template.field(field).type is FieldType.LIST else items[:1]
    return chosen


def accept_all(store: Store, record_id: int, reviewer: str) -> int:
    """Accept every suggestion of ``accept_all_plan`` in one transaction."""
    plan = accept_all_plan(store, record_id)
    with store.atomic():
        for s in plan:
            assert s.id is not None
            accept(store, s.id, reviewer)
    return len(plan)


def _page_of(store: Store, record_id: int, offset: int) -> int | None:
    offsets = store.record(record_id).page_offsets
    if not offsets:
        return None
    page = 0
    for i, start in enumerate(offsets):
        if start <= offset:
            page = i
    return page + 1


def adopt_fulltext(store: Store, record_id: int, reviewer: str) -> int:
    """Make a record's attached full text its working text, so that the document view,
    suggestions and highlights work on the article itself.

    Spans are found again in the new text (or listed as orphans, never moved
    silently); the abstract stays in the record and the old text in the event.
    Pending suggestions are dropped so the suggesters run on the full text.
    Returns the number of orphaned spans.
    """
    from reviewer.annotate.text_replace import replace_record_text
    from reviewer.review.fulltext import fulltext

    ft = fulltext(store, record_id)
    if ft is None:
        raise ValueError(f"record {record_id} has no full text attached")
    with store.atomic():
        report = replace_record_text(store, record_id, ft.text, reviewer, ft.page_offsets)
        stored.drop_pending(store, record_id)
    return len(report.orphans)
