"""Extracted values as stored: the ``field_values`` table, one value per record and
field with the spans of text it came from, changed only by events.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reviewer.domain import Event, FieldValue, Span
from reviewer.domain.events import EventKind

if TYPE_CHECKING:
    from reviewer.store.store import Store


def values(store: Store, record_id: int) -> dict[str, FieldValue]:
    rows = store.db.execute(
        "select field, value, reviewer, time, provenance from field_values where record_id = ?",
        [record_id],
    )
    return {
        r[0]: FieldValue(
            record_id=record_id,
            field=r[0],
            value=json.loads(r[1]),
            reviewer=r[2],
            time=r[3],
            provenance=[Span(**s) for s in json.loads(r[4])],
        )
        for r in rows
    }


def set_value(
    store: Store,
    record_id: int,
    field: str,
    value: Any,
    reviewer: str,
    provenance: Sequence[Span] = (),
    kind: str = EventKind.VALUE_SET,
) -> FieldValue | None:
    """Set (or with ``None`` clear) a field's value, validated by the review's template."""
    value = store.template().validate_value(field, value)
    with store.atomic():
        before = store.values(record_id).get(field)
        # what was typed is saved now: its draft goes (``reviewer.store.drafts``)
        store.db.execute(
            "delete from drafts where record_id = ? and field = ? and reviewer = ?",
            [record_id, field, reviewer],
        )
        if value is None and kind == EventKind.VALUE_SET:
            kind = EventKind.VALUE_CLEAR
        event = Event(
            reviewer=reviewer,
            kind=kind,
            record_id=record_id,
            payload={
                "field": field,
                "before": before.value if before else None,
                "after": value,
                "provenance": [s.model_dump() for s in provenance],
            },
        )
        store.commit(event)
    if value is None:
        return None
    return FieldValue(
        record_id=record_id,
        field=field,
        value=value,
        reviewer=reviewer,
        time=event.time,
        provenance=list(provenance),
    )


def value_field_counts(store: Store) -> dict[str, int]:
    """How many records hold a value, per field key (keys no longer in the template too)."""
    rows = store.db.execute("select field, count(*) from field_values group by field")
    return {r[0]: r[1] for r in rows}


def delete_field_values(store: Store, field: str, reviewer: str) -> int:
    """Delete every value of a field, each logged with what it was."""
    with store.atomic():
        rows = store.db.execute(
            "select record_id, value, provenance from field_values where field = ?", [field]
        ).fetchall()
        for record_id, value, provenance in rows:
            store.commit(
                Event(
                    reviewer=reviewer,
                    kind=EventKind.VALUE_CLEAR,
                    record_id=record_id,
                    payload={
                        "field": field,
                        "before": json.loads(value),
                        "after": None,
                        "provenance": json.loads(provenance),
                    },
                )
            )
    return len(rows)
