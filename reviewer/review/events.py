"""The event vocabulary as the review package has always named it.

The kinds, their payloads and what each changes live in ``reviewer.domain.events``
(the store applies events and may not import this package); this module keeps the
names the review code and its callers use, bound to the same ``EventKind`` members.
"""

from __future__ import annotations

from reviewer.domain.events import (
    DECISION_KINDS,
    RECORD_STATE_KINDS,
    RESULT_PREFIX,
    SUGGESTION_PREFIX,
    VALUE_PREFIX,
    EventKind,
    Key,
    NotReplayable,
    decision_after,
    map_record_refs,
    state_after,
    state_key,
    state_keys,
)

DECISION_SET = EventKind.DECISION_SET
DECISION_CLEAR = EventKind.DECISION_CLEAR
DECISION_UNDO = EventKind.DECISION_UNDO
DECISION_REDO = EventKind.DECISION_REDO
TEMPLATE_SET = EventKind.TEMPLATE_SET
HIGHLIGHT_ADD = EventKind.HIGHLIGHT_ADD
RESOLUTION_SET = EventKind.RESOLUTION_SET
RESOLUTION_CLEAR = EventKind.RESOLUTION_CLEAR
TAG_ADD = EventKind.TAG_ADD
TAG_REMOVE = EventKind.TAG_REMOVE
SETTING_SET = EventKind.SETTING_SET
FULLTEXT_ATTACH = EventKind.FULLTEXT_ATTACH
SOURCE_LABEL = EventKind.SOURCE_LABEL
MERGE_CONFLICT = EventKind.MERGE_CONFLICT
MERGE_SETTLE = EventKind.MERGE_SETTLE
MERGE_DONE = EventKind.MERGE_DONE
RECORDS_ADD = EventKind.RECORDS_ADD
DUPLICATE_CONFIRM = EventKind.DUPLICATE_CONFIRM
DUPLICATE_REJECT = EventKind.DUPLICATE_REJECT
DUPLICATE_UNMERGE = EventKind.DUPLICATE_UNMERGE

__all__ = [
    "DECISION_CLEAR",
    "DECISION_KINDS",
    "DECISION_REDO",
    "DECISION_SET",
    "DECISION_UNDO",
    "DUPLICATE_CONFIRM",
    "DUPLICATE_REJECT",
    "DUPLICATE_UNMERGE",
    "FULLTEXT_ATTACH",
    "HIGHLIGHT_ADD",
    "MERGE_CONFLICT",
    "MERGE_DONE",
    "MERGE_SETTLE",
    "RECORDS_ADD",
    "RECORD_STATE_KINDS",
    "RESOLUTION_CLEAR",
    "RESOLUTION_SET",
    "RESULT_PREFIX",
    "SETTING_SET",
    "SOURCE_LABEL",
    "SUGGESTION_PREFIX",
    "TAG_ADD",
    "TAG_REMOVE",
    "TEMPLATE_SET",
    "VALUE_PREFIX",
    "EventKind",
    "Key",
    "NotReplayable",
    "decision_after",
    "map_record_refs",
    "state_after",
    "state_key",
    "state_keys",
]
