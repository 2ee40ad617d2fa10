"""The event vocabulary: every kind of event a review logs, what each carries, and which
piece of current state it changes.

A review's current-state tables (decisions, values, resolutions, tags, notes...) are
a projection of its append-only event log: ``reviewer.store.apply`` turns one event
into its table changes, and every way state changes (a live edit, undo and redo,
merging another copy, a team sync, reading a JSON export back) goes through it. This
module is what they all agree on: the kinds as one enum (the stored strings, which
other copies and the shared PostgreSQL log exchange, never change), a typed payload
model per kind, and for an event the piece of state it changed (its *key*) and the
state it left. Nothing here knows about SQL or Qt.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from reviewer.domain.models import Event


class EventKind(StrEnum):
    """Every kind of event; the value is the string stored in ``events.kind``."""

    # screening
    DECISION_SET = "decision.set"
    DECISION_CLEAR = "decision.clear"
    DECISION_UNDO = "decision.undo"
    DECISION_REDO = "decision.redo"
    RESOLUTION_SET = "resolution.set"
    RESOLUTION_CLEAR = "resolution.clear"
    # extraction: field values (every "value." kind sets or clears one value)
    VALUE_SET = "value.set"
    VALUE_CLEAR = "value.clear"
    VALUE_ACCEPT = "value.accept"
    VALUE_IMPORT = "value.import"
    VALUE_UNDO = "value.undo"
    VALUE_REDO = "value.redo"
    VALUE_SPAN_ADD = "value.span_add"
    VALUE_SPAN_REMOVE = "value.span_remove"
    SUGGESTION_ACCEPTED = "suggestion.accepted"
    SUGGESTION_REJECTED = "suggestion.rejected"
    # the cells of arms, outcomes and results (every "result." kind sets or clears one cell)
    RESULT_SET = "result.set"
    RESULT_CLEAR = "result.clear"
    RESULT_IMPORT = "result.import"
    RESULT_UNDO = "result.undo"
    RESULT_REDO = "result.redo"
    RESULT_SPAN_ADD = "result.span_add"
    # notes and highlights
    HIGHLIGHT_ADD = "highlight.add"
    HIGHLIGHT_NOTE = "highlight.note"
    HIGHLIGHT_DELETE = "highlight.delete"
    HIGHLIGHT_ORPHAN = "highlight.orphan"
    HIGHLIGHT_RESTORE = "highlight.restore"
    # re-anchoring after a record's text changed
    RECORD_TEXT_REPLACE = "record.text_replace"
    ORPHAN_REATTACH = "orphan.reattach"
    ORPHAN_DISMISS = "orphan.dismiss"
    # records, review-wide settings, template
    TAG_ADD = "tag.add"
    TAG_REMOVE = "tag.remove"
    SETTING_SET = "setting.set"
    TEMPLATE_SET = "template.set"
    FIELD_RENAME = "field.rename"
    SOURCE_LABEL = "source.label"
    FULLTEXT_ATTACH = "fulltext.attach"
    RECORDS_ADD = "records.add"
    REVIEW_IMPORT = "review.import"
    # deduplication
    DUPLICATE_CONFIRM = "duplicate.confirm"
    DUPLICATE_REJECT = "duplicate.reject"
    DUPLICATE_UNMERGE = "duplicate.unmerge"
    # merging copies
    MERGE_CONFLICT = "merge.conflict"
    MERGE_SETTLE = "merge.settle"
    MERGE_DONE = "merge.done"


K = EventKind

VALUE_PREFIX = "value."
RESULT_PREFIX = "result."
SUGGESTION_PREFIX = "suggestion."

DECISION_KINDS = (K.DECISION_SET, K.DECISION_CLEAR, K.DECISION_UNDO, K.DECISION_REDO)
RESOLUTION_KINDS = (K.RESOLUTION_SET, K.RESOLUTION_CLEAR)
HIGHLIGHT_GONE_KINDS = (K.HIGHLIGHT_DELETE, K.HIGHLIGHT_ORPHAN)


def known(kind: str) -> EventKind | None:
    """The kind as an ``EventKind``, or ``None`` for a kind this version does not know
    (a newer copy's: such events are kept and copied, never applied)."""
    try:
        return EventKind(kind)
    except ValueError:
        return None


# -- payloads ---------------------------------------------------------------------------------


class Payload(BaseModel):
    """Base of the payload models: extra keys are kept (older and newer copies add some)."""

    model_config = ConfigDict(extra="allow")


class DecisionPayload(Payload):
    stage: str
    before: str | None = None
    after: str | None = None
    reason: str = ""
    note: str = ""
    undoes: str | None = None  # decision.undo: the event undone
    reviewer: str | None = None  # whose decision, when not the event's reviewer
    time: str | None = None  # the state's time, when not the event's


class ResolutionPayload(Payload):
    stage: str
    before: str | None = None
    after: str | None = None
    reason: str = ""
    note: str = ""
    time: str | None = None


class ValuePayload(Payload):
    field: str
    before: Any = None
    after: Any = None
    provenance: list[dict[str, Any]] = []
    time: str | None = None


class ResultPayload(ValuePayload):
    item: str


class SuggestionPayload(Payload):
    field: str
    value: Any = None
    suggestion_id: int | None = None


class HighlightAddPayload(Payload):
    id: int | None = None
    field: str | None = None
    span: dict[str, Any]
    note: str = ""
    time: str | None = None


class HighlightNotePayload(Payload):
    id: int
    before: str = ""
    after: str = ""


class HighlightGonePayload(Payload):
    highlight: dict[str, Any]


class HighlightRestorePayload(Payload):
    id: int | None = None
    highlight: dict[str, Any]


class TagPayload(Payload):
    tag: str


class SettingPayload(Payload):
    name: str
    before: Any = None
    after: Any = None


class TemplatePayload(Payload):
    template: dict[str, Any]


class FieldRenamePayload(Payload):
    old: str
    new: str
    values: int = 0


class SourceLabelPayload(Payload):
    source_id: int
    name: str = ""
    before: str | None = None
    after: str = ""


class DuplicateConfirmPayload(Payload):
    candidate_of: int | None = None
    duplicate_of: int | None = None
    before: dict[str, int | None] = {}


class DuplicateRejectPayload(Payload):
    candidate_of: int | None = None


class DuplicateUnmergePayload(Payload):
    before: int | None = None


class MergeConflictPayload(Payload):
    key: list[Any]
    kept: Any = None
    other: Any = None
    source: str = ""


class MergeSettlePayload(Payload):
    key: list[Any]
    conflicts: list[str] = []
    choice: str | None = None
    state: Any = None


PAYLOADS: dict[EventKind, type[Payload]] = {
    **dict.fromkeys(DECISION_KINDS, DecisionPayload),
    **dict.fromkeys(RESOLUTION_KINDS, ResolutionPayload),
    **{k: ValuePayload for k in EventKind if k.startswith(VALUE_PREFIX)},
    **{k: ResultPayload for k in EventKind if k.startswith(RESULT_PREFIX)},
    **{k: SuggestionPayload for k in EventKind if k.startswith(SUGGESTION_PREFIX)},
    K.HIGHLIGHT_ADD: HighlightAddPayload,
    K.HIGHLIGHT_NOTE: HighlightNotePayload,
    **dict.fromkeys(HIGHLIGHT_GONE_KINDS, HighlightGonePayload),
    K.HIGHLIGHT_RESTORE: HighlightRestorePayload,
    K.TAG_ADD: TagPayload,
    K.TAG_REMOVE: TagPayload,
    K.SETTING_SET: SettingPayload,
    K.TEMPLATE_SET: TemplatePayload,
    K.FIELD_RENAME: FieldRenamePayload,
    K.SOURCE_LABEL: SourceLabelPayload,
    K.DUPLICATE_CONFIRM: DuplicateConfirmPayload,
    K.DUPLICATE_REJECT: DuplicateRejectPayload,
    K.DUPLICATE_UNMERGE: DuplicateUnmergePayload,
    K.MERGE_CONFLICT: MergeConflictPayload,
    K.MERGE_SETTLE: MergeSettlePayload,
}


def payload_of(event: Event) -> Payload:
    """The event's payload as its kind's model (``Payload`` for kinds without one).

    Raises pydantic's ``ValidationError`` when the payload lacks what its kind needs."""
    kind = known(event.kind)
    model = PAYLOADS.get(kind, Payload) if kind is not None else Payload
    return model.model_validate(event.payload)


def make(
    kind: EventKind, reviewer: str, record_id: int | None = None, *, time: str | None = None,
    **payload: Any,
) -> Event:  # fmt: skip
    """A new event of ``kind`` whose payload is checked against its kind's model."""
    model = PAYLOADS.get(kind)
    if model is not None:
        model.model_validate(payload)
    extra = {} if time is None else {"time": time}
    return Event(reviewer=reviewer, kind=kind, record_id=record_id, payload=payload, **extra)


# -- which piece of state an event changed ------------------------------------------------

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
    ``("value", record, field)``, ``("result", record, item, field)``, ``("tag", record, tag)``,
    ``("setting", name)``, ``("fulltext", record)``, ``("template",)``,
    ``("source_label", source)``. Decisions by different reviewers have
    different keys, which is why dual screening never produces a merge conflict.
    """
    if kind in DECISION_KINDS:
        return ("decision", record_id, payload.get("stage"), payload.get("reviewer", reviewer))
    if kind in RESOLUTION_KINDS:
        return ("resolution", record_id, payload.get("stage"))
    if kind.startswith(VALUE_PREFIX):
        return ("value", record_id, payload.get("field"))
    if kind.startswith(RESULT_PREFIX):
        return ("result", record_id, payload.get("item"), payload.get("field"))
    if kind in (K.TAG_ADD, K.TAG_REMOVE):
        return ("tag", record_id, str(payload.get("tag", "")).casefold())
    if kind == K.SETTING_SET:
        return ("setting", payload.get("name"))
    if kind == K.FULLTEXT_ATTACH:
        return ("fulltext", record_id)
    if kind == K.TEMPLATE_SET:
        return ("template",)
    if kind == K.SOURCE_LABEL:
        return ("source_label", payload.get("source_id"))
    if kind == K.MERGE_SETTLE:
        return tuple(payload["key"])
    return None


def state_keys(
    kind: str, record_id: int | None, reviewer: str, payload: dict[str, Any]
) -> list[Key]:
    """Every piece of state an event changed (one, except for a duplicate merge, which
    moves a whole group): ``state_key``'s keys, and ``("duplicate_of", record)`` and
    ``("candidate", record, candidate_of)`` for the deduplication events."""
    if kind == K.DUPLICATE_CONFIRM:
        moved = [("duplicate_of", int(rid)) for rid in payload.get("before", {})]
        return [*moved, ("candidate", record_id, payload.get("candidate_of"))]
    if kind == K.DUPLICATE_REJECT:
        return [("candidate", record_id, payload.get("candidate_of"))]
    if kind == K.DUPLICATE_UNMERGE:
        return [("duplicate_of", record_id)]
    key = state_key(kind, record_id, reviewer, payload)
    return [] if key is None else [key]


def decision_after(kind: str, payload: dict[str, Any]) -> dict[str, str] | None:
    """A decision event's resulting state (``decision``, ``reason``, ``note``), or ``None``
    when it left no decision."""
    if kind == K.MERGE_SETTLE:
        state = payload.get("state")
        return None if state is None else _decision_fields(state)
    if kind == K.DECISION_CLEAR or payload.get("after") is None:
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
    """The state of ``key`` after this event, in the shape ``reviewer.store.projection``
    reads it from a review (``None``: the event left no such state).

    The state's time is the payload's ``time`` when it carries one (a value read back
    from a JSON export keeps when it was set), else the event's. Raises
    ``NotReplayable`` when the event does not carry its state.
    """
    if kind == K.MERGE_SETTLE:
        return payload.get("state")
    time = payload.get("time") or time
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
            {"tag": payload["tag"], "reviewer": reviewer, "time": time}
            if kind == K.TAG_ADD
            else None
        )
    if what == "setting":
        return payload.get("after")
    if what == "template":
        template = payload["template"]
        return {"name": template.get("name", ""), "json": template}
    if what == "duplicate_of":
        dup = payload.get("duplicate_of") if kind == K.DUPLICATE_CONFIRM else None
        return {"duplicate_of": dup}
    if what == "candidate":
        status = "confirmed" if kind == K.DUPLICATE_CONFIRM else "rejected"
        return {"status": status, "reviewer": reviewer, "decided_at": time}
    raise NotReplayable(kind)


def map_record_refs(kind: str, payload: dict[str, Any], to: Any) -> dict[str, Any]:
    """A copy of ``payload`` with the record ids inside it passed through ``to`` (one
    record reference to another: local id to uid when an event leaves for the server,
    uid to local id when it arrives). ``to`` takes ids as numbers or as the strings of
    JSON object keys, and ``to(None)`` must be ``None``."""
    p = dict(payload)
    if kind == K.DUPLICATE_CONFIRM:
        p["candidate_of"] = to(p.get("candidate_of"))
        p["duplicate_of"] = to(p.get("duplicate_of"))
        p["before"] = {str(to(k)): to(v) for k, v in p.get("before", {}).items()}
        p.pop("candidate", None)  # a local candidate row id: meaningless elsewhere
    elif kind == K.DUPLICATE_REJECT:
        p["candidate_of"] = to(p.get("candidate_of"))
        p.pop("candidate", None)
    elif kind == K.DUPLICATE_UNMERGE:
        p["before"] = to(p.get("before"))
    elif kind in (K.MERGE_CONFLICT, K.MERGE_SETTLE) and "key" in p:
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
