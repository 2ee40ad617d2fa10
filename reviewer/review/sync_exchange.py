"""The exchange of events between a copy and the server, and the report of a sync.

A server names records by uid, a copy by its own ids: events are translated both
ways (``to_local``, ``to_server``). A pulled batch is brought in through the same
replay a merge uses (``apply_pulled``), and ``pending_push`` chooses what this copy
may push under the server role. Apart from ``reviewer.review.sync``, which holds the
connection, publish, clone and the order of a sync's steps, because this is what
each step does to the events.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from reviewer.review import events as ev
from reviewer.review.replay import keys_of, replay
from reviewer.store import Store, pg
from reviewer.store import state as st
from reviewer.store import sync as local
from reviewer.store.state import EventRow, MergeConflict

# Kinds whose payload names records (translated between local ids and uids)
REF_KINDS = (
    ev.DUPLICATE_CONFIRM, ev.DUPLICATE_REJECT, ev.DUPLICATE_UNMERGE,
    ev.MERGE_CONFLICT, ev.MERGE_SETTLE,
)  # fmt: skip
SOURCE = "server"  # what sync conflicts name as the other side


class SyncError(Exception):
    """Publishing, cloning or syncing cannot go on; the message says why."""


@dataclass
class SyncReport:
    server: str
    pushed: int = 0  # events this copy sent that the server lacked
    pulled: int = 0  # others' events this copy lacked
    records_added: int = 0  # records other copies imported
    applied: int = 0  # pieces of state updated from others' events
    conflicts: list[MergeConflict] = field(default_factory=list)
    not_applied: dict[str, int] = field(default_factory=dict)
    held_back: int = 0  # events under another name than the server role: not pushed
    waiting: int = 0  # events logged here during the sync, for the next one
    server_events: int = 0
    user: str = ""
    time: str = ""
    records: list[int] = field(default_factory=list)  # records others' events changed here
    settings: list[str] = field(default_factory=list)  # review settings others' events set

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["conflicts"] = [asdict(c) for c in self.conflicts]
        return out

    def summary(self) -> str:
        text = (
            f"{self.pushed} events sent, {self.pulled} received"
            f" ({self.applied} changes applied, {self.records_added} records added), "
            f"{len(self.conflicts)} conflicts to settle"
        )
        if self.held_back:
            text += (
                f"; {self.held_back} events recorded under another name than "
                f"'{self.user}' stay in this copy"
            )
        return text


# -- a pulled batch, and what to push ------------------------------------------------


def apply_pulled(store: Store, batch: list[pg.ServerEvent], role: str, report: SyncReport) -> int:
    """Bring one batch of the server's events into this copy (one transaction); return
    the server seq it reached."""
    with local.write_lock(store):
        meta = local.sync_meta(store)
        assert meta is not None
        known = local.known_event_ids(store, (e.id for e in batch))
        batch_ids = {e.id for e in batch}
        pending = [row for _seq, row in local.pending_events(store)]
        # changes here the server lacks (one of them in this batch has reached it)
        changed_here = keys_of(row for row in pending if row.id not in batch_ids)
        for e in batch:
            if e.kind == ev.RECORDS_ADD and e.id not in known:
                report.records_added += local.add_shared_records(store, json.loads(e.payload))
        rows = to_local(store, batch)
        last_on_key: dict[tuple, tuple[EventRow, bool]] = {}
        for e, row in zip(batch, rows, strict=True):
            for key in ev.state_keys(
                row.kind, row.record_id, row.reviewer, json.loads(row.payload)
            ):
                last_on_key[key] = (row, e.id in known)

        def theirs(key: tuple) -> Any:
            row, ours = last_on_key[key]
            if ours and key in changed_here:
                return st.read_state(store.db.conn, key)  # a later change here stands
            return ev.state_after(key, row.kind, row.reviewer, row.time, json.loads(row.payload))

        incoming = [row for e, row in zip(batch, rows, strict=True) if e.id not in known]
        # this copy's own events may have to restore a state an earlier batch overwrote
        own_keys = [key for key, (_row, ours) in last_on_key.items() if ours]
        result = replay(store, incoming, theirs, changed_here, SOURCE, role, own_keys)
        report.pulled += len(incoming)
        touched = dict.fromkeys(report.records)
        touched.update(dict.fromkeys(r.record_id for r in incoming if r.record_id is not None))
        report.records = list(touched)
        names = dict.fromkeys(report.settings)
        names.update(dict.fromkeys(
            str(json.loads(r.payload).get("name", "")) for r in incoming if r.kind == ev.SETTING_SET
        ))  # fmt: skip
        report.settings = list(names)
        report.applied += result.applied
        report.conflicts += result.conflicts
        for kind, n in result.not_applied.items():
            report.not_applied[kind] = report.not_applied.get(kind, 0) + n
        cursor = batch[-1].seq
        local.set_sync_meta(store, cursor=cursor)
        if not pending and not result.conflicts:  # nothing here to send: all is on the server
            local.mark_pushed(store, local.last_event_seq(store))
        else:
            local.mark_pulled(store, (row.id for row in incoming))
    return cursor


def to_local(store: Store, batch: list[pg.ServerEvent]) -> list[EventRow]:
    uids = {e.record_uid for e in batch if e.record_uid}
    ids = local.ids_of(store, uids)

    def to_id(uid: Any) -> int | None:
        if uid is None:
            return None
        if uid not in ids:
            found = local.ids_of(store, [uid])
            if not found:
                raise SyncError(f"an event names record {uid}, which this copy does not have")
            ids.update(found)
        return ids[uid]

    out = []
    for e in batch:
        payload = e.payload
        if e.kind in REF_KINDS:
            mapped = ev.map_record_refs(e.kind, json.loads(payload), to_id)
            payload = json.dumps(mapped, ensure_ascii=False)
        out.append(EventRow(e.id, e.time, e.reviewer, e.kind, to_id(e.record_uid), payload))
    return out


def to_server(store: Store, rows: list[EventRow], base_seq: int) -> list[pg.ServerEvent]:
    refs: set[int] = {r.record_id for r in rows if r.record_id is not None}
    uids = local.uids_of(store, refs)

    def to_uid(rid: Any) -> str | None:
        if rid is None:
            return None
        rid = int(rid)
        if rid not in uids:
            uids.update(local.uids_of(store, [rid]))
            if rid not in uids:
                raise SyncError(f"record {rid} has no uid; open the review once to upgrade it")
        return uids[rid]

    out = []
    for r in rows:
        payload = r.payload
        if r.kind in REF_KINDS:
            payload = json.dumps(ev.map_record_refs(r.kind, json.loads(payload), to_uid))
        out.append(
            pg.ServerEvent(
                0, r.id, r.time, r.reviewer, r.kind, to_uid(r.record_id), payload, base_seq
            )
        )
    return out


def pending_push(
    store: Store, role: str, privileged: bool, cursor: int
) -> tuple[int, list[pg.ServerEvent], int]:
    """What to push: (the local seq it reaches, the events, how many are held back)."""
    last = local.last_event_seq(store)  # first: an event the window logs meanwhile stays
    rows = [row for seq, row in local.pending_events(store) if seq <= last]
    send = [row for row in rows if row.reviewer == role or privileged]
    return last, to_server(store, send, cursor), len(rows) - len(send)
