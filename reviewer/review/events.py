"""What each kind of event changes: the one place that knows the event vocabulary.

Undo walks back through a reviewer's decision events, the history panel turns
events into sentences and a merge decides which piece of current state an
incoming event touched. All three need to know, for an event, *which* piece of
state it changed (its key) and, for decisions, what the state was afterwards.
Keeping that here means a new kind of event is taught to all of them at once.
"""

from __future__ import annotations

from typing import Any

# Kinds written by the Store itself
DECISION_SET = "decision.set"
DECISION_CLEAR = "decision.clear"
TEMPLATE_SET = "template.set"
HIGHLIGHT_ADD = "highlight.add"
VALUE_PREFIX = "value."  # value.set, value.accept, value.clear
SUGGESTION_PREFIX = "suggestion."  # suggestion.accepted, suggestion.rejected
# Kinds written by reviewer.store.results: one per cell of an arm, outcome or result
RESULT_PREFIX = "result."  # result.set, result.clear, result.import, result.undo, ...

# Kinds written by the review package
DECISION_UNDO = "decision.undo"
RESOLUTION_SET = "resolution.set"
RESOLUTION_CLEAR = "resolution.clear"
TAG_ADD = "tag.add"
TAG_REMOVE = "tag.remove"
SETTING_SET = "setting.set"
FULLTEXT_ATTACH = "fulltext.attach"
MERGE_CONFLICT = "merge.conflict"
MERGE_SETTLE = "merge.settle"
MERGE_DONE = "merge.done"

# Records imported into a published review, with their uids, so every copy gets them
# (reviewer.store.sync); payload: {"source": {...}, "records": [{"uid": ..., ...}, ...]}
RECORDS_ADD = "records.add"

# Kinds written by the deduplication (reviewer.store.duplicates)
DUPLICATE_CONFIRM = "duplicate.confirm"
DUPLICATE_REJECT = "duplicate.reject"
DUPLICATE_UNMERGE = "duplicate.unmerge"

DECISION_KINDS = (DECISION_SET, DECISION_CLEAR, DECISION_UNDO)

Key = tuple[Any, ...]

# Keys whose second element is a record id (the rest name review-wide state)
RECORD_STATE_KINDS = (
    "decision", "resolution", "value", "tag", "fulltext", "duplicate_of", "candidate", "result",
)  # fmt: skip


class NotReplayable(Exception):
    """The event does not carry the state it left (a full text: the PDF's text stays on
    the machine that attached it)."""


def state_key(
    kind: str, record_id: int | None, reviewer: str, payload: dict[str, Any]
) -> Key | None:
    """The piece of current state an event changed, or ``None`` for additive events.

    Keys: ``("decision", record, stage, reviewer)``, ``("resolution", record, stage)``,
    ``("value", record, field)``, ``("result", record, item, field)``, ``("tag", record, tag)``, ``("setting", name)``,
    ``("fulltext", record)``, ``("template",)``. Decisions by different reviewers have
    different keys, which is why dual screening never produces a merge conflict.
    """
    if kind in DECISION_KINDS:
        return ("decision", record_id, payload.get("stage"), payload.get("reviewer", reviewer))
    if kind in (RESOLUTION_SET, RESOLUTION_CLEAR):
        return ("resolution", record_id, payload.get("stage"))
    if kind.startswith(VALUE_PREFIX):
        return ("value", record_id, payload.get("field"))
    if kind.startswith(RESULT_PREFIX):
        return ("result", record_id, payload.get("item"), payload.get("field"))
    if kind in (TAG_ADD, TAG_REMOVE):
        return ("tag", record_id, str(payload.get("tag", "")).casefold())
    if kind == SETTING_SET:
        return ("setting", payload.get("name"))
    if kind == FULLTEXT_ATTACH:
        return ("fulltext", record_id)
    if kind == TEMPLATE_SET:
        return ("template",)
    if kind == MERGE_SETTLE:
        return tuple(payload["key"])
    return None


def state_keys(
    kind: str, record_id: int | None, reviewer: str, payload: dict[str, Any]
) -> list[Key]:
    """Every piece of state an event changed (one, except for a duplicate merge, which
    moves a whole group): ``state_key``'s keys, and ``("duplicate_of", record)`` and
    ``("candidate", record, candidate_of)`` for the deduplication events."""
    if kind == DUPLICATE_CONFIRM:
        moved = [("duplicate_of", int(rid)) for rid in payload.get("before", {})]
        return [*moved, ("candidate", record_id, payload.get("candidate_of"))]
    if kind == DUPLICATE_REJECT:
        return [("candidate", record_id, payload.get("candidate_of"))]
    if kind == DUPLICATE_UNMERGE:
        return [("duplicate_of", record_id)]
    key = state_key(kind, record_id, reviewer, payload)
    return [] if key is None else [key]


def decision_after(kind: str, payload: dict[str, Any]) -> dict[str, str] | None:
    """A decision event's resulting state (``decision``, ``reason``, ``note``), or ``None``
    when it left no decision."""
    if kind == MERGE_SETTLE:
        state = payload.get("state")
        return None if state is None else _decision_fields(state)
    if kind == DECISION_CLEAR or payload.get("after") is None:
        return None
    return {
        "decision": payload["after"],
        "reason": payload.get("reason", ""),
        "note": payload.get("note", ""),
    }


def _decision_fields(state: dict[str, Any]) -> dict[str, str]:
    return {
        "decision": state["decision"],
        "reason": state.get("reason", ""),
        "note": state.get("note", ""),
    }


def state_after(key: Key, kind: str, reviewer: str, time: str, payload: dict[str, Any]) -> Any:
    """The state of ``key`` after this event, in the shape ``reviewer.store.state``
    reads it from a review (``None``: the event left no such state).

    What a copy needs when it learns of another's events without seeing the other's
    file: a shared server's log (``reviewer.review.sync``). Raises ``NotReplayable``
    when the event does not carry its state.
    """
    if kind == MERGE_SETTLE:
        return payload.get("state")
    what = key[0]
    if what == "decision":
        after = decision_after(kind, payload)
        return None if after is None else {**after, "time": time}
    if what == "resolution":
        if payload.get("after") is None:
            return None
        return {
            "decision": payload["after"],
            "reason": payload.get("reason", ""),
            "note": payload.get("note", ""),
            "resolver": reviewer,
            "time": time,
        }
    if what in ("value", "result"):
        if payload.get("after") is None:
            return None
        return {
            "value": payload["after"],
            "reviewer": reviewer,
            "time": time,
            "provenance": payload.get("provenance", []),
        }
    if what == "tag":
        return (
            {"tag": payload["tag"], "reviewer": reviewer, "time": time} if kind == TAG_ADD else None
        )
    if what == "setting":
        return payload.get("after")
    if what == "template":
        template = payload["template"]
        return {"name": template.get("name", ""), "json": template}
    if what == "duplicate_of":
        return {"duplicate_of": payload.get("duplicate_of") if kind == DUPLICATE_CONFIRM else None}
    if what == "candidate":
        status = "confirmed" if kind == DUPLICATE_CONFIRM else "rejected"
        return {"status": status, "reviewer": reviewer, "decided_at": time}
    raise NotReplayable(kind)


def map_record_refs(kind: str, payload: dict[str, Any], to: Any) -> dict[str, Any]:
    """A copy of ``payload`` with the record ids inside it passed through ``to`` (one
    record reference to another: local id to uid when an event leaves for the server,
    uid to local id when it arrives). ``to`` takes ids as numbers or as the strings of
    JSON object keys, and ``to(None)`` must be ``None``."""
    p = dict(payload)
    if kind == DUPLICATE_CONFIRM:
        p["candidate_of"] = to(p.get("candidate_of"))
        p["duplicate_of"] = to(p.get("duplicate_of"))
        p["before"] = {str(to(k)): to(v) for k, v in p.get("before", {}).items()}
        p.pop("candidate", None)  # a local candidate row id: meaningless elsewhere
    elif kind == DUPLICATE_REJECT:
        p["candidate_of"] = to(p.get("candidate_of"))
        p.pop("candidate", None)
    elif kind == DUPLICATE_UNMERGE:
        p["before"] = to(p.get("before"))
    elif kind in (MERGE_CONFLICT, MERGE_SETTLE) and "key" in p:
        key = list(p["key"])
        if key and key[0] in RECORD_STATE_KINDS:
            key[1] = to(key[1])
            if key[0] == "candidate":
                key[2] = to(key[2])
        p["key"] = key
        for side in ("kept", "other", "state"):
            if key and key[0] == "duplicate_of" and isinstance(p.get(side), dict):
                p[side] = {"duplicate_of": to(p[side].get("duplicate_of"))}
    return p
