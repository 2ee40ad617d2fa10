"""Many screening decisions written in one transaction, each with its event.

Deciding 100,000 records one ``Store.set_decision`` at a time costs a transaction
(and a flush to disk) each: about half an hour. Here the whole set is one
``BEGIN IMMEDIATE`` transaction, written with ``executemany`` in chunks, so it is
all or nothing (a cancel or an error keeps none of it) and takes seconds. Every
changed decision still gets its own event, of the kinds one decision at a time logs
(``decision.set``, ``decision.redo``; an undo ``decision.undo`` naming the event it
undoes), with the same payload, and the rows written are exactly what
``reviewer.store.apply`` makes of those events, so ``reviewer check``, merging, sync
and the history read them unchanged. (The rows are written here in bulk rather than
event by event through ``apply``, which costs a statement per record.)

The ``screening`` table is not kept by its per-row triggers here (half the time of a
100,000-record step): the transaction pauses them (migration m014) and rewrites the
screening rows of each chunk of records with one statement, the triggers' own
formula applied to the chunk.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from reviewer.domain.events import EventKind
from reviewer.domain.models import now_iso
from reviewer.store.store import Store

CHUNK = 2000  # ids per statement: under SQLite's 32,766 variables, and a progress step


# The screening rows of one stage's records (``:ids``, a JSON array), worked out as
# m003's triggers do for one record (the same counts, final decision and reason).
_SCREENING_ROWS = """insert into screening (record_id, stage, includes, maybes, excludes,
    resolution, final, reason, disagree, conflict)
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select k.value as record_id, :stage as stage,
    (select count(*) from decisions where record_id = k.value and +stage = :stage and decision != 'exclude') as i,
    (select count(*) from decisions where record_id = k.value and +stage = :stage and decision = 'maybe') as m,
    (select count(*) from decisions where record_id = k.value and +stage = :stage and decision = 'exclude') as e,
    (select decision from resolutions where record_id = k.value and +stage = :stage) as res,
    (select reason from resolutions where record_id = k.value and +stage = :stage) as res_reason,
    (select reason from decisions where record_id = k.value and +stage = :stage and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    from json_each(:ids) k)
where i + e > 0 or res is not null"""  # noqa: E501


@contextmanager
def _screening_paused(store: Store) -> Iterator[None]:
    """Inside a write transaction: the decisions' screening triggers skip their work
    (the caller rewrites the rows with ``_rewrite_screening``). The pause is a row of
    this transaction, taken out before it commits; a rollback takes it too."""
    conn = store.db.conn
    assert conn.in_transaction, "the screening triggers are paused inside a transaction only"
    conn.execute("insert into paused_triggers (name) values ('screening')")
    yield
    conn.execute("delete from paused_triggers where name = 'screening'")


def _rewrite_screening(store: Store, ids: Sequence[int], stage: str) -> None:
    """The screening rows of ``ids`` at ``stage``, as the triggers would leave them."""
    params = {"stage": stage, "ids": json.dumps(list(ids))}
    conn = store.db.conn
    conn.execute(
        "delete from screening where stage = :stage "
        "and record_id in (select value from json_each(:ids))",
        params,
    )
    conn.execute(_SCREENING_ROWS, params)


class Prior(NamedTuple):
    """A reviewer's decision on a record before a bulk change (what undo puts back)."""

    record_id: int
    decision: str
    reason: str
    note: str
    time: str


class BulkChange(NamedTuple):
    """What a bulk decision did: the records it changed, their decisions before, and
    the event that changed each (what an undo names)."""

    changed: list[int]
    before: dict[int, Prior]  # only the changed records that had a decision
    events: dict[int, str]  # record -> id of its event


ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The bulk change was cancelled; its transaction was rolled back."""


def priors(store: Store, ids: Sequence[int], stage: str, reviewer: str) -> dict[int, Prior]:
    """The reviewer's current decisions at ``stage`` on ``ids`` (those that have one)."""
    out: dict[int, Prior] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        marks = ",".join("?" * len(part))
        rows = store.db.execute(
            "select record_id, decision, reason, note, time from decisions "
            f"where stage = ? and reviewer = ? and record_id in ({marks})",
            [stage, reviewer, *part],
        )
        out.update((r[0], Prior(*r)) for r in rows)
    return out


def set_decisions(
    store: Store,
    ids: Sequence[int],
    stage: str,
    reviewer: str,
    decision: str,
    reason: str = "",
    note: str = "",
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    kind: str = EventKind.DECISION_SET,
) -> BulkChange:
    """Give every record of ``ids`` the same decision, in one transaction.

    Records whose decision is already exactly this are left alone (no event). The
    caller checks the records are at the stage and the reason is allowed. ``kind``:
    ``decision.redo`` when an undone bulk decision is made again.
    """
    events: dict[int, str] = {}
    with store.atomic(), _screening_paused(store):
        before = priors(store, ids, stage, reviewer)
        todo = [
            rid
            for rid in ids
            if (p := before.get(rid)) is None
            or (p.decision, p.reason, p.note) != (decision, reason, note)
        ]
        time = now_iso()
        for start in range(0, len(todo), CHUNK):
            if cancelled is not None and cancelled():
                raise Cancelled(f"cancelled after {start:,} of {len(todo):,} records")
            part = todo[start : start + CHUNK]
            store.db.conn.executemany(
                "insert into decisions (record_id, stage, reviewer, decision, reason, note, "
                "time) values (?, ?, ?, ?, ?, ?, ?) on conflict(record_id, stage, reviewer) "
                "do update set decision = excluded.decision, reason = excluded.reason, "
                "note = excluded.note, time = excluded.time",
                [(rid, stage, reviewer, decision, reason, note, time) for rid in part],
            )
            _rewrite_screening(store, part, stage)
            _log_events(
                store,
                reviewer,
                time,
                [
                    (
                        kind,
                        rid,
                        {
                            "stage": stage,
                            "before": p.decision if (p := before.get(rid)) else None,
                            "after": decision,
                            "reason": reason,
                            "note": note,
                        },
                    )
                    for rid in part
                ],
                events,
            )
            if progress is not None:
                progress(start + len(part), len(todo))
    return BulkChange(todo, {rid: before[rid] for rid in todo if rid in before}, events)


def restore_decisions(
    store: Store,
    change: BulkChange,
    stage: str,
    reviewer: str,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> None:
    """Undo a ``set_decisions``: put each changed record's previous decision back (or
    clear it), in one transaction, logging the ``decision.undo`` events a one-by-one
    undo would, each naming the event it undoes. A cancel keeps none of it."""
    with store.atomic(), _screening_paused(store):
        now = now_iso()
        current = priors(store, change.changed, stage, reviewer)
        ids = change.changed
        for start in range(0, len(ids), CHUNK):
            if cancelled is not None and cancelled():
                raise Cancelled(f"cancelled after {start:,} of {len(ids):,} records")
            part = ids[start : start + CHUNK]
            back = [change.before[r] for r in part if r in change.before]
            gone = [r for r in part if r not in change.before]
            if back:
                store.db.conn.executemany(
                    "insert into decisions (record_id, stage, reviewer, decision, reason, "
                    "note, time) values (?, ?, ?, ?, ?, ?, ?) "
                    "on conflict(record_id, stage, reviewer) do update set "
                    "decision = excluded.decision, reason = excluded.reason, "
                    "note = excluded.note, time = excluded.time",
                    [
                        (p.record_id, stage, reviewer, p.decision, p.reason, p.note, now)
                        for p in back
                    ],
                )
            if gone:
                store.db.conn.executemany(
                    "delete from decisions where record_id = ? and stage = ? and reviewer = ?",
                    [(r, stage, reviewer) for r in gone],
                )
            _rewrite_screening(store, part, stage)
            undo = EventKind.DECISION_UNDO
            events = [
                (
                    undo,
                    p.record_id,
                    {
                        "stage": stage,
                        "before": c.decision if (c := current.get(p.record_id)) else None,
                        "after": p.decision,
                        "reason": p.reason,
                        "note": p.note,
                        "undoes": change.events.get(p.record_id),
                    },
                )
                for p in back
            ]
            events += [
                (
                    undo,
                    r,
                    {
                        "stage": stage,
                        "before": current[r].decision,
                        "after": None,
                        "undoes": change.events.get(r),
                    },
                )
                for r in gone
                if r in current
            ]
            _log_events(store, reviewer, now, events)
            if progress is not None:
                progress(start + len(part), len(ids))


def _log_events(
    store: Store,
    reviewer: str,
    time: str,
    events: list[tuple[str, int, dict]],
    ids: dict[int, str] | None = None,
) -> None:
    """Insert the events (their ids by record into ``ids``); most payloads repeat (one
    decision, a few befores), so each distinct one is encoded once."""
    encoded: dict[tuple, str] = {}

    def payload(p: dict) -> str:
        key = tuple(p.items())
        if key not in encoded:
            encoded[key] = json.dumps(p, ensure_ascii=False)
        return encoded[key]

    rows = [
        (str(uuid.uuid4()), time, reviewer, str(kind), rid, payload(p)) for kind, rid, p in events
    ]
    if ids is not None:
        ids.update((row[4], row[0]) for row in rows)
    store.db.conn.executemany(
        "insert into events (id, time, reviewer, kind, record_id, payload) "
        "values (?, ?, ?, ?, ?, ?)",
        rows,
    )
