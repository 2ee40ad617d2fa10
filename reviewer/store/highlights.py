"""Highlights and notes as stored: the ``highlights`` table (a note is a highlight of
no field), changed only by events; the table gives a new highlight its id, which its
event then records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from reviewer.domain import Event, Highlight, Span
from reviewer.domain.events import EventKind
from reviewer.store.apply import apply

if TYPE_CHECKING:
    from reviewer.store.store import Store

_HIGHLIGHT_COLUMNS = (
    'id, record_id, field, start, "end", quote, prefix, suffix, page, note, reviewer, time'
)


def add_highlight(store: Store, highlight: Highlight) -> int:
    """Add a highlight or note; the event's time is the highlight's."""
    event = Event(
        reviewer=highlight.reviewer,
        kind=EventKind.HIGHLIGHT_ADD,
        record_id=highlight.record_id,
        time=highlight.time,
        payload={
            "id": None,
            "field": highlight.field,
            "span": highlight.span.model_dump(),
            "note": highlight.note,
        },
    )
    with store.atomic():
        hid = apply(store.db, event)
        assert hid is not None
        event.payload["id"] = hid  # the id is the table's to give
        store._log(event)
    return hid


def highlights(store: Store, record_id: int) -> list[Highlight]:
    rows = store.db.execute(
        'select id, field, start, "end", quote, prefix, suffix, page, note, reviewer, time '
        "from highlights where record_id = ? order by start",
        [record_id],
    )
    return [
        Highlight(
            id=r[0],
            record_id=record_id,
            field=r[1],
            span=Span(start=r[2], end=r[3], quote=r[4], prefix=r[5], suffix=r[6], page=r[7]),
            note=r[8],
            reviewer=r[9],
            time=r[10],
        )
        for r in rows
    ]


def highlight(store: Store, highlight_id: int) -> Highlight:
    row = store.db.execute(
        f"select {_HIGHLIGHT_COLUMNS} from highlights where id = ?", [highlight_id]
    ).fetchone()
    if row is None:
        raise KeyError(f"no highlight {highlight_id}")
    return _highlight_from_row(row)


def find_highlights(
    store: Store, record_id: int | None = None, *, notes_only: bool = False
) -> Iterator[Highlight]:
    """Highlights of one record or of all, in text order; ``notes_only``: those of no field."""
    where, params = [], []
    if record_id is not None:
        where.append("record_id = ?")
        params.append(record_id)
    if notes_only:
        where.append("field is null")
    sql = f"select {_HIGHLIGHT_COLUMNS} from highlights"
    if where:
        sql += " where " + " and ".join(where)
    for row in store.db.execute(sql + " order by record_id, start, id", params):
        yield _highlight_from_row(row)


def set_highlight_note(store: Store, highlight_id: int, note: str, reviewer: str) -> None:
    with store.atomic():
        before = store.highlight(highlight_id)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.HIGHLIGHT_NOTE,
                record_id=before.record_id,
                payload={"id": highlight_id, "before": before.note, "after": note},
            )
        )


def delete_highlight(
    store: Store, highlight_id: int, reviewer: str, kind: str = EventKind.HIGHLIGHT_DELETE
) -> Highlight:
    """Delete a highlight; the event keeps all of it, so it can be restored."""
    with store.atomic():
        before = store.highlight(highlight_id)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=kind,
                record_id=before.record_id,
                payload={"highlight": before.model_dump(mode="json")},
            )
        )
    return before


def restore_highlight(store: Store, highlight: Highlight, reviewer: str) -> int:
    """Put a deleted highlight back, under its old id when that is still free."""
    event = Event(
        reviewer=reviewer,
        kind=EventKind.HIGHLIGHT_RESTORE,
        record_id=highlight.record_id,
        payload={"id": highlight.id, "highlight": highlight.model_dump(mode="json")},
    )
    with store.atomic():
        hid = apply(store.db, event)  # under its old id when that is still free
        assert hid is not None
        event.payload["id"] = hid
        store._log(event)
    return hid


def _highlight_from_row(r: Sequence[Any]) -> Highlight:
    return Highlight(
        id=r[0],
        record_id=r[1],
        field=r[2],
        span=Span(start=r[3], end=r[4], quote=r[5], prefix=r[6], suffix=r[7], page=r[8]),
        note=r[9],
        reviewer=r[10],
        time=r[11],
    )
