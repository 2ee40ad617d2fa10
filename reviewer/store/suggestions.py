"""Suggestions as stored: the ``suggestions`` table, a record's suggested values tied
to exact words (replaced by each run, accepted or rejected by events), which records
the suggesters must (re)run on, one suggestion by its id, and the bookkeeping of a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from reviewer.domain import Event, Suggestion
from reviewer.domain.events import EventKind

if TYPE_CHECKING:
    from reviewer.store.store import Store


def stale_record_ids(store: Store, version: str, among: Iterable[int] | None = None) -> list[int]:
    """Records with no suggestions, or with suggestions another ``version`` of the rules
    made (of ``among`` only, when given: the record on screen is checked, not every
    record of the review, which took seconds per record shown at 1,000,000)."""
    stale = (
        "(not exists (select 1 from suggestions s where s.record_id = r.id) "
        "or exists (select 1 from suggestions s where s.record_id = r.id and s.version != ?))"
    )
    if among is None:
        rows = store.db.execute(
            f"select r.id from records r where {stale} order by r.id", [version]
        )
        return [rid for (rid,) in rows]
    out: list[int] = []
    ids = sorted(set(among))
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        rows = store.db.execute(
            f"select r.id from records r where r.id in ({','.join('?' * len(part))}) "
            f"and {stale} order by r.id",
            [*part, version],
        )
        out.extend(rid for (rid,) in rows)
    return out


def mark_seen(store: Store, record_id: int, version: str) -> None:
    """The record's accepted and rejected suggestions now count as seen by ``version``."""
    store.db.execute(
        "update suggestions set version = ? where record_id = ? and status != 'pending'",
        [version, record_id],
    )


def drop_pending(store: Store, record_id: int) -> None:
    """Forget the record's pending suggestions (its text changed: they run again)."""
    store.db.execute(
        "delete from suggestions where record_id = ? and status = 'pending'", [record_id]
    )


def suggestion(store: Store, suggestion_id: int) -> Suggestion:
    """The suggestion ``suggestion_id``; ``KeyError`` when there is none."""
    row = store.db.execute(
        "select record_id from suggestions where id = ?", [suggestion_id]
    ).fetchone()
    if row is not None:
        for s in store.suggestions(row[0]):
            if s.id == suggestion_id:
                return s
    raise KeyError(f"no suggestion {suggestion_id}")


def records_per_source(store: Store) -> dict[int | None, int]:
    """How many records each source holds (``None``: records of no source)."""
    rows = store.db.execute("select source_id, count(*) from records group by source_id")
    return {source_id: n for source_id, n in rows}


def replace_suggestions(store: Store, record_id: int, suggestions: Iterable[Suggestion]) -> None:
    """Store a fresh set of suggestions for a record, keeping what was rejected."""
    with store.atomic():
        rejected = {
            (s.field, json.dumps(s.value))
            for s in store.suggestions(record_id)
            if s.status == "rejected"
        }
        store.db.execute(
            "delete from suggestions where record_id = ? and status = 'pending'", [record_id]
        )
        for s in suggestions:
            if (s.field, json.dumps(s.value)) in rejected:
                continue
            store.db.execute(
                'insert into suggestions (record_id, field, value, start, "end", quote, '
                "confidence, suggester, version, status, detail) "
                "values (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    record_id,
                    s.field,
                    json.dumps(s.value, ensure_ascii=False),
                    s.start,
                    s.end,
                    s.quote,
                    s.confidence,
                    s.suggester,
                    s.version,
                    s.status,
                    json.dumps(s.detail, ensure_ascii=False) if s.detail else None,
                ],
            )


def suggestions(store: Store, record_id: int) -> list[Suggestion]:
    rows = store.db.execute(
        'select id, field, value, start, "end", quote, confidence, suggester, version, '
        "status, detail from suggestions where record_id = ? "
        "order by field, confidence desc",
        [record_id],
    )
    return [
        Suggestion(
            id=r[0],
            record_id=record_id,
            field=r[1],
            value=json.loads(r[2]),
            start=r[3],
            end=r[4],
            quote=r[5],
            confidence=r[6],
            suggester=r[7],
            version=r[8],
            status=r[9],
            detail=json.loads(r[10]) if r[10] else None,
        )
        for r in rows
    ]


def set_suggestion_status(store: Store, suggestion_id: int, status: str, reviewer: str) -> None:
    with store.atomic():
        row = store.db.execute(
            "select record_id, field, value from suggestions where id = ?", [suggestion_id]
        ).fetchone()
        if row is None:
            raise KeyError(suggestion_id)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind(f"suggestion.{status}"),
                record_id=row[0],
                payload={
                    "field": row[1],
                    "value": json.loads(row[2]),
                    "suggestion_id": suggestion_id,
                },
            )
        )
