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

# Kinds written by the deduplication (reviewer.store.duplicates)
DUPLICATE_CONFIRM = "duplicate.confirm"
DUPLICATE_REJECT = "duplicate.reject"
DUPLICATE_UNMERGE = "duplicate.unmerge"

DECISION_KINDS = (DECISION_SET, DECISION_CLEAR, DECISION_UNDO)

Key = tuple[Any, ...]


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
