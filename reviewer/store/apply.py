"""One event into the current-state tables: the projection of the log, written once.

Every way a review's state changes is an event, and ``apply`` is the only code that
turns an event into table changes. The store's live edits build an event and hand it
to ``Store.commit`` (apply, then append to the log, in one transaction); undo and redo are
events of their own kinds (``decision.undo``, ``value.undo``...) applied the same way;
reading a JSON export back applies the events it logs; merging another copy and team
sync apply the events they bring in (their additive effects here, the keyed state
reconciled key by key with the same writers, ``reviewer.store.projection``); and
``reviewer check`` rebuilds the whole state from the log through ``apply`` to prove
the tables are its projection.

Events of kinds this version does not know, and those whose state does not travel in
the event (a full text's extracted words), change nothing here. Some kinds are local
to this review (re-anchoring after a record's text changed, orphans, a source's label):
they are applied here and rebuilt by ``reviewer check``, but a replay of another copy's
events (``keyed=False``) leaves them alone.
"""

from __future__ import annotations

from typing import Any

from reviewer.domain import Event
from reviewer.domain.events import (
    HIGHLIGHT_GONE_KINDS,
    SUGGESTION_PREFIX,
    EventKind,
    NotReplayable,
    known,
    state_after,
    state_keys,
)
from reviewer.store import projection as pj
from reviewer.store.projection import Db

K = EventKind


def apply(db: Db, event: Event, *, keyed: bool = True) -> int | None:
    """Make ``event``'s change to the current-state tables of ``db``.

    ``keyed=False`` applies only the effects that are not a piece of keyed state
    (highlights, suggestion verdicts, conflict bookkeeping): a replay of events made
    elsewhere reconciles keyed state itself. Returns the id of a highlight the event
    added, else ``None``. Does not log the event (``Store.commit`` does both).
    """
    kind = known(event.kind)
    if kind is None:
        return None
    p = event.payload
    additive = _apply_additive(db, kind, event, p)
    # the copy that raised a conflict kept its state: a rebuild from the log, which has
    # just applied the other copy's events, must keep it too (a template kept is the
    # latest row already, and writing it would add another)
    if kind == K.MERGE_CONFLICT and keyed and p["key"][0] in pj.STATE.keys() - {"template"}:
        pj.write_state(db, tuple(p["key"]), p.get("kept"))
    if additive is not _NOT_ADDITIVE:
        return additive
    if keyed:
        _apply_keyed(db, kind, event, p)
    return None


_NOT_ADDITIVE: Any = object()


def _apply_additive(db: Db, kind: EventKind, event: Event, p: dict[str, Any]) -> Any:
    if kind == K.HIGHLIGHT_ADD:
        return pj.insert_highlight(
            db, p.get("id"), event.record_id, p.get("field"), p.get("span") or {},
            p.get("note", ""), event.reviewer, p.get("time") or event.time,
        )  # fmt: skip
    if kind == K.HIGHLIGHT_RESTORE:
        h = p["highlight"]
        return pj.insert_highlight(
            db, p.get("id", h.get("id")), h["record_id"], h.get("field"), h["span"],
            h.get("note", ""), h["reviewer"], h["time"],
        )  # fmt: skip
    if kind == K.HIGHLIGHT_NOTE:
        pj.set_highlight_note(db, p["id"], p.get("after", ""))
    elif kind in HIGHLIGHT_GONE_KINDS:
        if p["highlight"].get("id") is not None:
            pj.delete_highlight(db, p["highlight"]["id"])
    elif kind.startswith(SUGGESTION_PREFIX):
        status = kind.split(".", 1)[1]
        pj.set_suggestion_status(
            db, event.record_id, status, p.get("field", ""), p.get("value"), p.get("suggestion_id")
        )
    elif kind == K.MERGE_CONFLICT:
        pj.insert_conflict(
            db, event.id, list(p["key"]), event.record_id, p.get("kept"), p.get("other"),
            p.get("source", ""), event.reviewer, event.time,
        )  # fmt: skip
    elif kind == K.MERGE_SETTLE:
        pj.mark_settled(db, p.get("conflicts", []), event.reviewer, event.time, p.get("choice"))
        return _NOT_ADDITIVE  # its state is keyed too
    else:
        return _NOT_ADDITIVE
    return None


def _apply_keyed(db: Db, kind: EventKind, event: Event, p: dict[str, Any]) -> None:
    if kind == K.FIELD_RENAME:
        pj.rename_field_values(db, p["old"], p["new"])
        return
    if kind == K.RECORD_TEXT_REPLACE:
        _apply_reanchored(db, event.record_id, p.get("reanchored"))
        return
    if kind in (K.ORPHAN_REATTACH, K.ORPHAN_DISMISS):
        status = "reattached" if kind == K.ORPHAN_REATTACH else "dismissed"
        pj.set_orphan_status(db, p["orphan_id"], status)
        return
    if kind == K.SOURCE_LABEL:
        # a source's label is keyed by a local source id: it never travels between
        # copies (sync leaves it alone), but it is a projection of this review's log
        db.execute("update sources set label = ? where id = ?", [p["after"], p["source_id"]])
        return
    for key in state_keys(kind, event.record_id, event.reviewer, p):
        try:
            state = state_after(key, kind, event.reviewer, event.time, p)
        except NotReplayable:
            continue  # the state stays on the machine that made it (a full text's words)
        pj.write_state(db, key, state)


def _apply_reanchored(db: Db, record_id: int | None, moved: dict[str, Any] | None) -> None:
    """What re-anchoring found when a record's text was replaced (``record.text_replace``,
    local to this review: the text does not travel, so neither does this): each value's
    spans as found again, highlights moved, and the spans not found, kept as orphans.
    (Highlights not found were taken out by ``highlight.orphan`` events before it.)
    Events logged before re-anchoring carried this leave the spans alone."""
    if not moved:
        return
    for fld, spans in moved.get("values", {}).items():
        pj.set_provenance(db, record_id, fld, spans)
    for hid, span in moved.get("highlights", {}).items():
        pj.move_highlight(db, int(hid), span)
    for orphan in moved.get("orphans", []):
        pj.insert_orphan(db, orphan)
