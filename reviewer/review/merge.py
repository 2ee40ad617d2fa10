"""Teams without a server: merging another copy of the same review into this one.

Two reviewers copy a review file to their machines, screen independently, then
``reviewer merge OTHER`` brings the other copy's work in. A merge is a union of
events by id: every event of the other copy that this one lacks is copied, so
merging twice changes nothing and nothing is lost. The current state is then
brought up to date, one piece of state (an event's *key*, see ``events``) at a time:

* a key only the other copy changed since the two last shared it takes the other
  copy's state (decisions by different reviewers have different keys, so dual
  screening never conflicts);
* a key both copies changed, to different states, is a **merge conflict**: this
  copy keeps its state, and the conflict (both states) is stored, and logged as an
  event so that the other copy learns of it when it merges back, for a reviewer to
  settle with ``settle_conflict``. Nothing is silently overwritten;
* records are matched by id and checked by title. Records the other copy imported
  after the copy was made are reported, and their events are not copied (they
  would name records this copy does not have); import the same file here first.

What is brought up to date: decisions, resolutions, field values (with their
provenance), the cells of arms, outcomes and results, tags, settings, full texts, the template, which records are duplicates
and the verdicts on duplicate candidates; highlights added on the other side are
added here. Events whose effect cannot be replayed safely (edits to highlights,
whose ids differ between copies; orphan and template-field edits; kinds this
version does not know) are still copied into the log, and counted in the report's
``not_applied`` by kind, so the reviewer knows to redo them.

The copying and bringing up to date is ``reviewer.review.replay``, which syncing
through a shared server uses too; this module adds what is particular to a file:
matching its records, and reading its state.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reviewer.domain import Event
from reviewer.review import events as ev
from reviewer.review.replay import conflicts_on, keys_of, replay
from reviewer.store import Store, records
from reviewer.store import state as st
from reviewer.store.state import MergeConflict, merge_conflicts

__all__ = [
    "MergeConflict",
    "MergeError",
    "MergeReport",
    "merge",
    "merge_conflicts",
    "settle_conflict",
]


class MergeError(Exception):
    """The other file cannot be merged; the message says why."""


@dataclass
class MergeReport:
    source: str
    copied: int = 0  # events copied into this review
    applied: int = 0  # pieces of state updated from the other copy
    conflicts: list[MergeConflict] = field(default_factory=list)  # raised by this merge
    records_only_there: list[dict[str, Any]] = field(default_factory=list)
    records_mismatched: list[dict[str, Any]] = field(default_factory=list)
    skipped_events: int = 0  # about those records, not copied
    not_applied: dict[str, int] = field(default_factory=dict)  # copied, kinds not replayed

    @property
    def changed(self) -> bool:
        return bool(self.copied or self.conflicts)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["conflicts"] = [asdict(c) for c in self.conflicts]
        return out


# -- merging ---------------------------------------------------------------------------------


def merge(store: Store, other_path: str | Path, reviewer: str = "merge") -> MergeReport:
    """Bring the other copy's events and their effects into ``store`` (see module docs)."""
    other_path = Path(other_path)
    _check_other(store, other_path)
    other = _open_readonly(other_path)
    try:
        with store.atomic():
            return _merge(store, other, str(other_path), reviewer)
    finally:
        other.close()


def _check_other(store: Store, other_path: Path) -> None:
    if not other_path.is_file():
        raise MergeError(f"{other_path}: no such review")
    if other_path.resolve() == store.path.resolve():
        raise MergeError(f"{other_path}: this is the open review itself")


def _open_readonly(path: Path) -> sqlite3.Connection:
    """The other copy, read only: a merge must not change the file it reads, nor leave
    files beside it. A read-only connection to a WAL database creates ``-wal`` and
    ``-shm`` files it cannot remove; so a copy that has no ``-wal`` (nobody has it
    open, all its work is in the file) is read as immutable, which creates nothing.
    One that has a ``-wal`` (open in another window, or not closed cleanly) is read
    with it, so its latest work is merged too."""
    live = Path(f"{path}-wal").exists()
    mode = "mode=ro" if live else "immutable=1"
    try:
        return records.open_other_copy(f"{path.resolve().as_uri()}?{mode}")
    except sqlite3.DatabaseError as exc:
        raise MergeError(f"{path}: not a review file ({exc})") from exc


def _merge(store: Store, other: sqlite3.Connection, source: str, reviewer: str) -> MergeReport:
    report = MergeReport(source)
    bad_records = _check_records(store, other, report)
    local_ids = st.event_ids(store)
    theirs = [row for _seq, row in st.event_rows(other)]
    their_ids = {r.id for r in theirs}
    # changes made here since the two copies last shared their logs
    changed_here = _keys_changed_here(store, their_ids)
    incoming = []
    for row in theirs:
        if row.id in local_ids:
            continue
        if row.record_id is not None and row.record_id in bad_records:
            report.skipped_events += 1
            continue
        incoming.append(row)
    result = replay(
        store, incoming, lambda key: st.read_state(other, key), changed_here, source, reviewer
    )
    report.copied, report.applied = result.copied, result.applied
    report.conflicts, report.not_applied = result.conflicts, result.not_applied
    if result.changes or report.conflicts:
        store.commit(
            Event(
                reviewer=reviewer,
                kind=ev.MERGE_DONE,
                payload={
                    "source": source,
                    "copied": report.copied,
                    "applied": report.applied,
                    "conflicts": len(report.conflicts),
                    "skipped": report.skipped_events,
                },
            )
        )
    return report


def _check_records(store: Store, other: sqlite3.Connection, report: MergeReport) -> set[int]:
    """Ids of the other copy's records that are not the same record here."""
    here = records.titles(store.db.conn)
    bad: set[int] = set()
    for rid, title in records.titles(other).items():
        if rid not in here:
            report.records_only_there.append({"id": rid, "title": title})
            bad.add(rid)
        elif _same_title(here[rid], title) is False:
            report.records_mismatched.append(
                {"id": rid, "title_here": here[rid], "title_there": title}
            )
            bad.add(rid)
    return bad


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _keys_changed_here(store: Store, their_ids: set[str]) -> set[tuple]:
    """Keys of the events this copy has and the other lacks."""
    return keys_of(row for _seq, row in st.event_rows(store.db.conn) if row.id not in their_ids)


# -- settling merge conflicts -------------------------------------------------------------------


def settle_conflict(store: Store, conflict_id: str, choice: str, reviewer: str) -> None:
    """Settle a merge conflict: ``"kept"`` keeps this copy's current state, ``"other"``
    takes the other copy's. Every open conflict on the same state is settled with it,
    and the settlement is an event, so the other copy follows when it merges."""
    if choice not in ("kept", "other"):
        raise MergeError("a merge conflict is settled by choosing 'kept' or 'other'")
    with store.atomic():
        found = [c for c in merge_conflicts(store, open_only=False) if c.id == conflict_id]
        if not found:
            raise MergeError(f"there is no merge conflict {conflict_id}")
        conflict = found[0]
        key = tuple(conflict.key)
        state = st.read_state(store.db.conn, key) if choice == "kept" else conflict.other
        open_ids = [c.id for c in conflicts_on(store, conflict.key, True)]
        # the state chosen is written and the conflicts marked settled by applying the event
        store.commit(
            Event(
                reviewer=reviewer,
                kind=ev.MERGE_SETTLE,
                record_id=conflict.record_id,
                payload={
                    "key": conflict.key,
                    "conflicts": open_ids,
                    "choice": choice,
                    "state": state,
                },
            )
        )
