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

import contextlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from reviewer.domain import Event
from reviewer.ingest.merged import complete_groups
from reviewer.review import events as ev
from reviewer.store import Store
from reviewer.store import state as st
from reviewer.store.apply import apply
from reviewer.store.duplicates import kept_record
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
    groups = _groups_of(store, touched)
    for key in touched:
        _bring_up_to_date(store, key, theirs, key in changed_here, source, reviewer, result)
    # the duplicate groups a record joined or left are completed again, as in the other copy
    complete_groups(store, groups | _groups_of(store, touched), reviewer)
    return result


def _groups_of(store: Store, keys: dict[tuple, None]) -> set[int]:
    """The kept records of the records whose ``duplicate_of`` the keys name."""
    kept = set()
    for key in keys:
        if key[0] == "duplicate_of":
            with contextlib.suppress(KeyError):  # a record only the other copy has
                kept.add(kept_record(store, key[1]))
    return kept


def keys_of(rows: Iterable[EventRow]) -> set[tuple]:
    """Every piece of state these events changed."""
    keys: set[tuple] = set()
    for row in rows:
        keys.update(ev.state_keys(row.kind, row.record_id, row.reviewer, json.loads(row.payload)))
    return keys


# Additive effects replayed from elsewhere: a highlight added there is added here (under a
# new id: ids differ between copies), verdicts on suggestions and conflict bookkeeping
# follow; edits to highlights by id are not, as the ids would name other highlights.
_REPLAYED = (ev.HIGHLIGHT_ADD, ev.MERGE_CONFLICT, ev.MERGE_SETTLE)


def _apply_additive(
    store: Store, row: EventRow, payload: dict[str, Any], result: ReplayResult
) -> None:
    """Effects that add rather than replace, through the store's one ``apply`` (the keyed
    state is brought up to date key by key afterwards)."""
    eid, time, who, kind, rid, _raw = row
    if kind in _REPLAYED or kind.startswith(ev.SUGGESTION_PREFIX):
        if kind == ev.HIGHLIGHT_ADD:
            payload = {**payload, "id": None}
        apply(store.db, Event(id=eid, time=time, reviewer=who, kind=kind, record_id=rid,
                              payload=payload), keyed=False)  # fmt: skip
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
    event = Event(
        reviewer=reviewer,
        kind=ev.MERGE_CONFLICT,
        record_id=key[1] if kind in ev.RECORD_STATE_KINDS else None,
        payload={"key": list(key), "kept": ours, "other": other, "source": source},
    )
    store.commit(event)  # the conflict is stored and this copy keeps its state
    result.conflicts.append(
        conflict_from_event(event.id, event.record_id, reviewer, event.time, event.payload)
    )


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
