"""The audit trail read by people: a record's history in sentences, and the whole log
exported for a methods appendix or a journal's request.

The events table already holds who changed what, when, from what to what; this
module only words it. Export streams the log, so a large one does not fill memory.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reviewer.domain import FieldSpec
from reviewer.domain.events import EventKind
from reviewer.review import events as ev
from reviewer.review.screening import STAGE_LABELS
from reviewer.store import Store
from reviewer.store.history import all_events, record_events

EXPORT_FORMATS = ("csv", "json")
CSV_COLUMNS = (
    "seq",
    "id",
    "time",
    "reviewer",
    "kind",
    "record_id",
    "summary",
    "before",
    "after",
    "payload",
)


@dataclass(frozen=True)
class HistoryRow:
    """One change, as the history panel shows it."""

    seq: int
    id: str
    time: str
    reviewer: str
    kind: str
    record_id: int | None
    summary: str
    before: str
    after: str


def history(store: Store, record_id: int, viewer: str | None = None) -> list[HistoryRow]:
    """Every change to a record, oldest first. For a ``viewer`` of a blinded review, the
    other reviewers' screening decisions (and conflicts about them) are left out: they
    are in the log, from a merge or a sync, but not to be seen until unblinding."""
    from reviewer.review.settings import is_blinded

    rows = record_events(store, record_id)
    specs = _specs(store)
    hide = viewer is not None and is_blinded(store)
    out = []
    for r in rows:
        if hide and _others_decision(
            r.reviewer, r.kind, r.record_id, json.loads(r.payload), viewer
        ):
            continue
        out.append(_row(*r, specs=specs))
    return out


def _others_decision(who: str, kind: str, rid: int | None, payload: dict, viewer: str) -> bool:
    keys = ev.state_keys(kind, rid, who, payload)
    return any(k[0] == "decision" and k[3] != viewer for k in keys)


def _specs(store: Store) -> dict[str, FieldSpec]:
    """The template's fields by key: events name fields by key, people read labels."""
    return {f.key: f for f in store.template().fields}


def _row(
    seq: int,
    eid: str,
    time: str,
    reviewer: str,
    kind: str,
    rid: int | None,
    raw: str,
    specs: dict[str, FieldSpec] | None = None,
) -> HistoryRow:
    payload = json.loads(raw)
    spec = (specs or {}).get(payload.get("field", "")) if kind.startswith(ev.VALUE_PREFIX) else None
    before, after = payload.get("before"), payload.get("after")
    if spec is not None:
        before, after = spec.display(before), spec.display(after)
    return HistoryRow(
        seq,
        eid,
        time,
        reviewer,
        kind,
        rid,
        describe(kind, payload, specs),
        show(before),
        show(after),
    )


def export_log(store: Store, path: str | Path, format: str | None = None) -> int:
    """Write the whole event log as CSV or JSON (by ``format`` or the file's suffix);
    return how many events were written."""
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown log format {fmt!r}; formats: {', '.join(EXPORT_FORMATS)}")
    rows = all_events(store)
    specs = _specs(store)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        return _write_csv(fh, rows, specs) if fmt == "csv" else _write_json(fh, rows, specs)


def _write_csv(fh: Any, rows: Any, specs: dict[str, FieldSpec]) -> int:
    writer = csv.writer(fh)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for r in rows:
        writer.writerow([*asdict(_row(*r, specs=specs)).values(), r.payload])
        n += 1
    return n


def _write_json(fh: Any, rows: Any, specs: dict[str, FieldSpec]) -> int:
    fh.write("[")
    n = 0
    for r in rows:
        item = asdict(_row(*r, specs=specs))
        item["payload"] = json.loads(r.payload)
        fh.write(("," if n else "") + "\n  " + json.dumps(item, ensure_ascii=False))
        n += 1
    fh.write("\n]\n")
    return n


# -- wording -------------------------------------------------------------------------------


def show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def describe(kind: str, payload: dict[str, Any], specs: dict[str, FieldSpec] | None = None) -> str:
    """One line saying what an event did (fields by their label when ``specs`` knows them)."""
    stage = STAGE_LABELS.get(payload.get("stage", ""), payload.get("stage", ""))
    if kind in (ev.DECISION_SET, ev.DECISION_UNDO, ev.RESOLUTION_SET):
        what = {ev.DECISION_SET: "", ev.DECISION_UNDO: "undo: ", ev.RESOLUTION_SET: "resolved: "}
        after = payload.get("after") or "no decision"
        text = f"{stage}: {what[kind]}{after}{_was(payload)}{_because(payload)}"
        return text
    if kind == ev.DECISION_CLEAR:
        return f"{stage}: decision withdrawn{_was(payload)}"
    if kind == ev.RESOLUTION_CLEAR:
        return f"{stage}: resolution withdrawn{_was(payload)}"
    if kind.startswith(ev.VALUE_PREFIX):
        verb = {EventKind.VALUE_CLEAR: "cleared", EventKind.VALUE_ACCEPT: "set from a suggestion"}
        return f"{_field(payload, specs)}: {verb.get(kind, 'set')}"
    if kind.startswith(ev.RESULT_PREFIX):
        item = str(payload.get("item", "")).split(":", 1)[0]
        verb = {EventKind.RESULT_CLEAR: "cleared", EventKind.RESULT_IMPORT: "imported",
                EventKind.RESULT_UNDO: "undone", EventKind.RESULT_REDO: "redone",
                EventKind.RESULT_SPAN_ADD: "support added"}  # fmt: skip
        return f"{item} {payload.get('field')}: {verb.get(kind, 'set')}"
    return _describe_other(kind, payload, specs)


def _field(payload: dict[str, Any], specs: dict[str, FieldSpec] | None) -> str:
    key = str(payload.get("field", ""))
    spec = (specs or {}).get(key)
    return spec.label if spec is not None else key


def _describe_other(
    kind: str, payload: dict[str, Any], specs: dict[str, FieldSpec] | None = None
) -> str:
    simple = {
        ev.TAG_ADD: f"tagged {payload.get('tag')!r}",
        ev.TAG_REMOVE: f"tag {payload.get('tag')!r} removed",
        ev.SETTING_SET: f"setting {payload.get('name')!r} changed",
        ev.FULLTEXT_ATTACH: (
            f"full text attached: {Path(str(payload.get('path', ''))).name} "
            f"({payload.get('pages')} pages)"
        ),
        ev.TEMPLATE_SET: "extraction template replaced",
        ev.SOURCE_LABEL: (
            f"source {payload.get('name')!r} named {payload.get('after')!r}"
            if payload.get("after")
            else f"source {payload.get('name')!r} unnamed"
        ),
        ev.HIGHLIGHT_ADD: "highlight added",
        ev.MERGE_CONFLICT: f"merge conflict on {_key_words(payload.get('key'), specs)}",
        ev.MERGE_SETTLE: (
            f"merge conflict on {_key_words(payload.get('key'), specs)} settled: "
            f"{payload.get('choice')} copy kept"
        ),
        ev.DUPLICATE_CONFIRM: f"confirmed a duplicate of record {payload.get('duplicate_of')}",
        ev.DUPLICATE_REJECT: f"not a duplicate of record {payload.get('candidate_of')}",
        ev.DUPLICATE_UNMERGE: f"no longer a duplicate of record {payload.get('before')}",
        ev.MERGE_DONE: (
            f"merged {payload.get('copied', 0)} changes from {payload.get('source', '')}"
        ),
    }
    if kind in simple:
        return simple[kind]
    if kind.startswith(ev.SUGGESTION_PREFIX):
        return f"suggestion for {_field(payload, specs)} {kind.split('.', 1)[1]}"
    return kind


def _was(payload: dict[str, Any]) -> str:
    before = payload.get("before")
    return f" (was {before})" if before else ""


def _because(payload: dict[str, Any]) -> str:
    parts = [p for p in (payload.get("reason"), payload.get("note")) if p]
    return f" — {'; '.join(parts)}" if parts else ""


def _key_words(key: Any, specs: dict[str, FieldSpec] | None = None) -> str:
    if not key:
        return "?"
    kind, *rest = key
    if kind == "decision":
        _rid, stage, reviewer = rest
        return f"{reviewer}'s {STAGE_LABELS.get(stage, stage)} decision"
    if kind == "resolution":
        return f"the {STAGE_LABELS.get(rest[1], rest[1])} resolution"
    if kind == "value":
        return f"the value of {_field({'field': rest[1]}, specs)}"
    if kind == "result":
        return f"the {str(rest[1]).split(':', 1)[0]} cell {rest[2]}"
    if kind == "setting":
        return f"the setting {rest[0]}"
    return kind
