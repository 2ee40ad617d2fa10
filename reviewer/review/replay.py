"""Bringing events made elsewhere into this review: the one replay that merging another
copy (``merge``) and syncing through a shared server (``sync``) both use.

The events are added to this review's log as they were, and the current state is
brought up to date one piece of state (an event's *key*, see ``events``) at a time:

* a key only the other side changed takes the other side's state;
* a key both sides changed, to different states, is a **conflict**: this review
  keeps its state, and the conflict (both states) is stored and logged as an event,
  so the other side learns of it, for a reviewer to settle. Nothing is silently
  overwritten.

The caller says what "the other side's state" of a key is (merge reads the other
file; sync folds the server's events) and which keys changed here since the two
sides last shared their logs. Additive effects (highlights, conflict bookkeeping,
suggestion verdicts) are applied event by event. How each piece of state is read
and written is ``reviewer.store.state``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from reviewer.domain import Event
from reviewer.review import events as ev
from reviewer.store import Store
from reviewer.store import state as st
from reviewer.store.state import EventRow, MergeConflict

Theirs = Callable[[tuple], Any]  # a key's state on the other side (may raise NotReplayable)


@dataclass
class ReplayResult:
    copied: int = 0  # events added to this review's log
    changes: int = 0  # of them, those that are more than a merge's own bookkeeping
    applied: int = 0  # pieces of state updated from the other side
    conflicts: list[MergeConflict] = field(default_factory=list)  # raised by this replay
    not_applied: dict[str, int] = field(default_factory=dict)  # copied, effect not replayed


def replay(
    store: Store,
    incoming: Iterable[EventRow],
    theirs: Theirs,
    changed_here: set[tuple],
    source: str,
    reviewer: str,
    also_keys: Iterable[tuple] = (),
) -> ReplayResult:
    """Copy ``incoming`` (events this review lacks) into the log and bring the state up
    to date with them; ``also_keys`` are brought up to date too, though no incoming
    event changed them. Runs inside the caller's transaction."""
    result = ReplayResult()
    touched: dict[tuple, None] = dict.fromkeys(also_keys)  # ordered set of keys to bring up to date
    for row in incoming:
        st.copy_event(store, row)
        result.copied += 1
        result.changes += row.kind != ev.MERGE_DONE
        payload = json.loads(row.payload)
        for key in ev.state_keys(row.kind, row.record_id, row.reviewer, payload):
            touched[key] = None
        _apply_additive(store, row, payload, result)
    for key in touched:
        _bring_up_to_date(store, key, theirs, key in changed_here, source, reviewer, result)
    return result


def keys_of(rows: Iterable[EventRow]) -> set[tuple]:
    """Every piece of state these events changed."""
    keys: set[tuple] = set()
    for row in rows:
        keys.update(ev.state_keys(row.kind, row.record_id, row.reviewer, json.loads(row.payload)))
    return keys


def _apply_additive(
    store: Store, row: EventRow, payload: dict[str, Any], result: ReplayResult
) -> None:
    """Effects that add rather than replace: highlights, conflict bookkeeping."""
    eid, time, who, kind, rid, _raw = row
    if kind == ev.HIGHLIGHT_ADD:
        st.add_highlight(store, rid, who, time, payload)
    elif kind == ev.MERGE_CONFLICT:
        st.insert_conflict(store, conflict_from_event(eid, rid, who, time, payload))
    elif kind == ev.MERGE_SETTLE:
        st.mark_settled(store, payload.get("conflicts", []), who, time, payload.get("choice"))
    elif kind.startswith(ev.SUGGESTION_PREFIX):
        st.set_suggestion_status(store, rid, kind.split(".", 1)[1], payload)
    elif kind not in (ev.MERGE_DONE, ev.RECORDS_ADD) and not ev.state_keys(kind, rid, who, payload):
        result.not_applied[kind] = result.not_applied.get(kind, 0) + 1


def _bring_up_to_date(
    store: Store,
    key: tuple,
    theirs: Theirs,
    changed_here: bool,
    source: str,
    reviewer: str,
    result: ReplayResult,
) -> None:
    kind = key[0]
    if kind not in st.STATE:
        return
    try:
        other = theirs(key)
    except ev.NotReplayable:
        result.not_applied[kind] = result.not_applied.get(kind, 0) + 1
        return
    ours = st.read_state(store.db.conn, key)
    if st.STATE[kind].same(ours, other):
        return
    if not changed_here:
        st.write_state(store, key, other)
        result.applied += 1
        return
    if _open_conflict_exists(store, key, ours, other):
        return
    event = store._log(
        Event(
            reviewer=reviewer,
            kind=ev.MERGE_CONFLICT,
            record_id=key[1] if kind in ev.RECORD_STATE_KINDS else None,
            payload={"key": list(key), "kept": ours, "other": other, "source": source},
        )
    )
    conflict = conflict_from_event(event.id, event.record_id, reviewer, event.time, event.payload)
    st.insert_conflict(store, conflict)
    result.conflicts.append(conflict)


def conflict_from_event(
    eid: str, rid: int | None, who: str, time: str, payload: dict[str, Any]
) -> MergeConflict:
    return MergeConflict(
        id=eid,
        key=list(payload["key"]),
        record_id=rid,
        kept=payload.get("kept"),
        other=payload.get("other"),
        source=payload.get("source", ""),
        reviewer=who,
        time=time,
    )


def _open_conflict_exists(store: Store, key: tuple, kept: Any, other: Any) -> bool:
    return any(c.kept == kept and c.other == other for c in conflicts_on(store, list(key), True))


def conflicts_on(store: Store, key: list[Any], open_only: bool) -> list[MergeConflict]:
    return st.merge_conflicts(store, open_only, key)
