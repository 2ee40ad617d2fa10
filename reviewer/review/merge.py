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
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reviewer.domain import Event
from reviewer.domain.models import now_iso
from reviewer.review import events as ev
from reviewer.review.screening import write_decision_row
from reviewer.review.settings import setting_key
from reviewer.store import Store
from reviewer.store import results as result_cells

Reader = Callable[[sqlite3.Connection, tuple], Any]


class MergeError(Exception):
    """The other file cannot be merged; the message says why."""


@dataclass
class MergeConflict:
    """One piece of state both copies changed differently."""

    id: str
    key: list[Any]
    record_id: int | None
    kept: Any  # the state the merging copy kept (and has)
    other: Any  # the other copy's state
    source: str
    reviewer: str
    time: str
    settled_by: str | None = None
    settled_at: str | None = None
    choice: str | None = None


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
    """The other copy, read only: a merge must not change the file it reads."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("select id, kind, record_id, payload from events limit 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise MergeError(f"{path}: not a review file ({exc})") from exc
    return conn


_EventRow = tuple[int, str, str, str, str, int | None, str]


def _merge(store: Store, other: sqlite3.Connection, source: str, reviewer: str) -> MergeReport:
    report = MergeReport(source)
    bad_records = _check_records(store, other, report)
    local_ids = {r[0] for r in store.db.execute("select id from events")}
    theirs: list[_EventRow] = other.execute(
        "select seq, id, time, reviewer, kind, record_id, payload from events order by seq"
    ).fetchall()
    their_ids = {r[1] for r in theirs}
    changed_here = _keys_changed_here(store, their_ids)
    touched: dict[tuple, None] = {}  # ordered set of keys the incoming events changed
    real_changes = 0
    for row in theirs:
        if row[1] in local_ids:
            continue
        if row[5] is not None and row[5] in bad_records:
            report.skipped_events += 1
            continue
        _copy_event(store, row)
        report.copied += 1
        real_changes += row[4] != ev.MERGE_DONE
        payload = json.loads(row[6])
        for key in ev.state_keys(row[4], row[5], row[3], payload):
            touched[key] = None
        _apply_additive(store, row, payload, report)
    for key in touched:
        _bring_up_to_date(store, other, key, key in changed_here, source, reviewer, report)
    if real_changes or report.conflicts:
        store._log(
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
    here = dict(store.db.execute("select id, title from records").fetchall())
    bad: set[int] = set()
    for rid, title in other.execute("select id, title from records order by id"):
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
    """Keys of the events this copy has and the other lacks: changes made here since
    the two copies last shared their logs."""
    keys = set()
    rows = store.db.execute("select id, reviewer, kind, record_id, payload from events")
    for eid, who, kind, rid, raw in rows:
        if eid not in their_ids:
            keys.update(ev.state_keys(kind, rid, who, json.loads(raw)))
    return keys


def _copy_event(store: Store, row: _EventRow) -> None:
    _seq, eid, time, who, kind, rid, payload = row
    store.db.execute(
        "insert into events (id, time, reviewer, kind, record_id, payload) "
        "values (?, ?, ?, ?, ?, ?)",
        [eid, time, who, kind, rid, payload],
    )


def _apply_additive(
    store: Store, row: _EventRow, payload: dict[str, Any], report: MergeReport
) -> None:
    """Effects that add rather than replace: highlights, conflict bookkeeping."""
    _seq, eid, time, who, kind, rid, _raw = row
    if kind == ev.HIGHLIGHT_ADD:
        _add_highlight(store, rid, who, time, payload)
    elif kind == ev.MERGE_CONFLICT:
        _insert_conflict(store, _conflict_from_event(eid, rid, who, time, payload))
    elif kind == ev.MERGE_SETTLE:
        _mark_settled(store, payload.get("conflicts", []), who, time, payload.get("choice"))
    elif kind.startswith(ev.SUGGESTION_PREFIX):
        _set_suggestion_status(store, rid, kind.split(".", 1)[1], payload)
    elif kind != ev.MERGE_DONE and not ev.state_keys(kind, rid, who, payload):
        report.not_applied[kind] = report.not_applied.get(kind, 0) + 1


def _add_highlight(store: Store, rid: int | None, who: str, time: str, p: dict) -> None:
    s = p.get("span") or {}
    store.db.execute(
        'insert into highlights (record_id, field, start, "end", quote, prefix, suffix, page, '
        "note, reviewer, time) values (?,?,?,?,?,?,?,?,?,?,?)",
        [
            rid,
            p.get("field"),
            s.get("start", 0),
            s.get("end", 0),
            s.get("quote", ""),
            s.get("prefix", ""),
            s.get("suffix", ""),
            s.get("page"),
            p.get("note", ""),
            who,
            time,
        ],
    )


def _set_suggestion_status(store: Store, rid: int | None, status: str, p: dict) -> None:
    store.db.execute(
        "update suggestions set status = ? where record_id = ? and field = ? and value = ?",
        [status, rid, p.get("field"), json.dumps(p.get("value"), ensure_ascii=False)],
    )


def _bring_up_to_date(
    store: Store,
    other: sqlite3.Connection,
    key: tuple,
    changed_here: bool,
    source: str,
    reviewer: str,
    report: MergeReport,
) -> None:
    kind = key[0]
    if kind not in _STATE:
        return
    read, _write, same = _STATE[kind]
    theirs, ours = read(other, key), read(store.db.conn, key)
    if same(ours, theirs):
        return
    if not changed_here:
        _write_state(store, key, theirs)
        report.applied += 1
        return
    if _open_conflict_exists(store, key, ours, theirs):
        return
    event = store._log(
        Event(
            reviewer=reviewer,
            kind=ev.MERGE_CONFLICT,
            record_id=key[1] if kind in _RECORD_STATE else None,
            payload={"key": list(key), "kept": ours, "other": theirs, "source": source},
        )
    )
    conflict = _conflict_from_event(event.id, event.record_id, reviewer, event.time, event.payload)
    _insert_conflict(store, conflict)
    report.conflicts.append(conflict)


# -- the pieces of state, read and written the same way on both copies -------------------------


def _read_decision(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, stage, reviewer = key
    return _row(
        conn,
        ("decision", "reason", "note", "time"),
        "decisions where record_id = ? and stage = ? and reviewer = ?",
        [rid, stage, reviewer],
    )


def _read_resolution(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, stage = key
    return _row(
        conn,
        ("decision", "reason", "note", "resolver", "time"),
        "resolutions where record_id = ? and stage = ?",
        [rid, stage],
    )


def _read_value(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, fld = key
    state = _row(
        conn,
        ("value", "reviewer", "time", "provenance"),
        "field_values where record_id = ? and field = ?",
        [rid, fld],
    )
    if state is not None:
        state["value"] = json.loads(state["value"])
        state["provenance"] = json.loads(state["provenance"])
    return state


def _read_tag(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, tag = key
    return _row(
        conn, ("tag", "reviewer", "time"), "record_tags where record_id = ? and tag = ?", [rid, tag]
    )


def _read_setting(conn: sqlite3.Connection, key: tuple) -> Any:
    state = _row(conn, ("value",), "review_meta where key = ?", [setting_key(key[1])])
    return None if state is None else json.loads(state["value"])


_FULLTEXT_COLUMNS = ("path", "sha256", "pages", "text", "page_offsets", "reviewer", "time")


def _read_fulltext(conn: sqlite3.Connection, key: tuple) -> dict | None:
    return _row(conn, _FULLTEXT_COLUMNS, "fulltexts where record_id = ?", [key[1]])


def _read_template(conn: sqlite3.Connection, key: tuple) -> dict | None:
    state = _row(conn, ("name", "json"), "templates order by id desc limit 1", [])
    if state is not None:
        state["json"] = json.loads(state["json"])
    return state


def _read_duplicate_of(conn: sqlite3.Connection, key: tuple) -> dict | None:
    return _row(conn, ("duplicate_of",), "records where id = ?", [key[1]])


def _read_candidate(conn: sqlite3.Connection, key: tuple) -> dict | None:
    _k, rid, candidate_of = key
    return _row(
        conn,
        ("status", "reviewer", "decided_at"),
        "duplicate_candidates where record_id = ? and candidate_of = ?",
        [rid, candidate_of],
    )


def _row(
    conn: sqlite3.Connection, cols: tuple[str, ...], rest: str, params: list[Any]
) -> dict[str, Any] | None:
    """``select cols from {rest}`` as a dict, or ``None`` when there is no such row."""
    try:
        row = conn.execute(f"select {', '.join(cols)} from {rest}", params).fetchone()
    except sqlite3.OperationalError:
        return None  # an older copy without this table has none of this state
    return None if row is None else dict(zip(cols, row, strict=True))


def _write_decision(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, stage, reviewer = key
    write_decision_row(store, rid, stage, reviewer, state)


def _write_resolution(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, stage = key
    store.db.execute("delete from resolutions where record_id = ? and stage = ?", [rid, stage])
    if state is not None:
        store.db.execute(
            "insert into resolutions (record_id, stage, decision, reason, note, resolver, time) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            [
                rid,
                stage,
                state["decision"],
                state["reason"],
                state["note"],
                state["resolver"],
                state["time"],
            ],
        )


def _write_value(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, fld = key
    store.db.execute("delete from field_values where record_id = ? and field = ?", [rid, fld])
    if state is not None:
        store.db.execute(
            "insert into field_values (record_id, field, value, reviewer, time, provenance) "
            "values (?, ?, ?, ?, ?, ?)",
            [
                rid,
                fld,
                json.dumps(state["value"], ensure_ascii=False),
                state["reviewer"],
                state["time"],
                json.dumps(state["provenance"], ensure_ascii=False),
            ],
        )


def _write_tag(store: Store, key: tuple, state: dict | None) -> None:
    _k, rid, tag = key
    store.db.execute("delete from record_tags where record_id = ? and tag = ?", [rid, tag])
    if state is not None:
        store.db.execute(
            "insert into record_tags (record_id, tag, reviewer, time) values (?, ?, ?, ?)",
            [rid, state["tag"], state["reviewer"], state["time"]],
        )


def _write_setting(store: Store, key: tuple, state: Any) -> None:
    if state is None:
        store.db.execute("delete from review_meta where key = ?", [setting_key(key[1])])
    else:
        store._set_meta(setting_key(key[1]), json.dumps(state, ensure_ascii=False))


def _write_fulltext(store: Store, key: tuple, state: dict | None) -> None:
    store.db.execute("delete from fulltexts where record_id = ?", [key[1]])
    if state is not None:
        store.db.execute(
            f"insert into fulltexts (record_id, {', '.join(_FULLTEXT_COLUMNS)}) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [key[1], *(state[c] for c in _FULLTEXT_COLUMNS)],
        )


def _write_template(store: Store, key: tuple, state: dict | None) -> None:
    if state is not None:
        store.db.execute(
            "insert into templates (name, json, created_at) values (?, ?, ?)",
            [state["name"], json.dumps(state["json"], ensure_ascii=False), now_iso()],
        )


def _write_duplicate_of(store: Store, key: tuple, state: dict | None) -> None:
    if state is not None:
        store.db.execute(
            "update records set duplicate_of = ? where id = ?", [state["duplicate_of"], key[1]]
        )


def _write_candidate(store: Store, key: tuple, state: dict | None) -> None:
    """A candidate found here too takes the other copy's verdict (one found only
    there has no row here to update: its records' ``duplicate_of`` still travels)."""
    if state is not None:
        _k, rid, candidate_of = key
        store.db.execute(
            "update duplicate_candidates set status = ?, reviewer = ?, decided_at = ? "
            "where record_id = ? and candidate_of = ?",
            [state["status"], state["reviewer"], state["decided_at"], rid, candidate_of],
        )


def _fields(*names: str) -> Callable[[Any, Any], bool]:
    """Two states are the same when these fields agree (times and authors aside)."""

    def same(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return a is b
        return all(a.get(n) == b.get(n) for n in names)

    return same


def _equal(a: Any, b: Any) -> bool:
    return a == b


_STATE: dict[str, tuple[Reader, Callable[[Store, tuple, Any], None], Callable]] = {
    "decision": (_read_decision, _write_decision, _fields("decision", "reason", "note")),
    "resolution": (_read_resolution, _write_resolution, _fields("decision", "reason", "note")),
    "value": (_read_value, _write_value, _fields("value", "provenance")),
    "tag": (_read_tag, _write_tag, lambda a, b: (a is None) == (b is None)),
    "setting": (_read_setting, _write_setting, _equal),
    "fulltext": (_read_fulltext, _write_fulltext, _fields("sha256")),
    "template": (_read_template, _write_template, _fields("json")),
    "duplicate_of": (_read_duplicate_of, _write_duplicate_of, _equal),
    "candidate": (_read_candidate, _write_candidate, _fields("status")),
    "result": (result_cells.read_state, result_cells.write_state, _fields("value", "provenance")),
}


_RECORD_STATE = (
    "decision", "resolution", "value", "tag", "fulltext", "duplicate_of", "candidate", "result",
)  # fmt: skip


def _write_state(store: Store, key: tuple, state: Any) -> None:
    _STATE[key[0]][1](store, key, state)


# -- merge conflicts ----------------------------------------------------------------------------


def _conflict_from_event(
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


def _insert_conflict(store: Store, c: MergeConflict) -> None:
    store.db.execute(
        "insert or ignore into merge_conflicts (id, key, record_id, kept, other, source, "
        "reviewer, time) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            c.id,
            json.dumps(c.key),
            c.record_id,
            json.dumps(c.kept),
            json.dumps(c.other),
            c.source,
            c.reviewer,
            c.time,
        ],
    )


def _open_conflict_exists(store: Store, key: tuple, kept: Any, other: Any) -> bool:
    return any(c.kept == kept and c.other == other for c in _conflicts_on(store, list(key), True))


def _conflicts_on(store: Store, key: list[Any], open_only: bool) -> list[MergeConflict]:
    return [c for c in merge_conflicts(store, open_only) if c.key == key]


def _mark_settled(store: Store, ids: list[str], who: str, time: str, choice: str | None) -> None:
    for cid in ids:
        store.db.execute(
            "update merge_conflicts set settled_by = ?, settled_at = ?, choice = ? "
            "where id = ? and settled_at is null",
            [who, time, choice, cid],
        )


def merge_conflicts(store: Store, open_only: bool = True) -> list[MergeConflict]:
    """Merge conflicts, oldest first; only those not yet settled unless ``open_only`` is off."""
    sql = (
        "select id, key, record_id, kept, other, source, reviewer, time, settled_by, "
        "settled_at, choice from merge_conflicts"
    )
    if open_only:
        sql += " where settled_at is null"
    rows = store.db.execute(sql + " order by time, id").fetchall()
    return [
        MergeConflict(r[0], json.loads(r[1]), r[2], json.loads(r[3]), json.loads(r[4]), *r[5:])
        for r in rows
    ]


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
        state = _STATE[key[0]][0](store.db.conn, key) if choice == "kept" else conflict.other
        _write_state(store, key, state)
        open_ids = [c.id for c in _conflicts_on(store, conflict.key, True)]
        event = store._log(
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
        _mark_settled(store, open_ids, reviewer, event.time, choice)
