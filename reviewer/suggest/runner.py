"""Computing and storing suggestions for a whole review, as a background job.

``compute_suggestions`` is the job the UI runs and ``reviewer suggest`` calls: it
takes plain arguments, reports progress through a callback, stops when asked, and
only redoes records whose suggestions are missing or were made by another version
of the rules. ``predictions`` yields the scorer's lines for every record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reviewer.domain import Suggestion
from reviewer.store import suggestions as stored
from reviewer.suggest import BUILT_IN, SUGGESTER_VERSION, prediction, suggest

Progress = Callable[[int, int], None]  # (records done, records to do)
Cancel = Callable[[], bool]
_BATCH = 50


def _template(store: Any) -> Any:
    try:
        return store.template()
    except Exception:  # a review without a template: the built-in fields
        return None


def version_for(template: Any) -> str:
    """The rules' version plus a fingerprint of the template's fields: adding, removing or
    describing a field makes a record's suggestions stale."""
    if template is None or set(template.keys) == BUILT_IN:
        return SUGGESTER_VERSION  # the built-in fields, as the rules alone name them
    spec = [
        (f.key, str(f.type), f.item_type, f.choices, f.unit, f.label, f.help, f.keywords)
        if f.key not in BUILT_IN
        else f.key
        for f in template.fields
    ]
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:8]
    return f"{SUGGESTER_VERSION}+tpl.{digest}"


def stale_record_ids(
    store: Any, version: str | None = None, among: Iterable[int] | None = None
) -> list[int]:
    """Records with no suggestions, or with suggestions another version of the rules made
    (of ``among`` only, when given)."""
    return stored.stale_record_ids(store, version or version_for(_template(store)), among)


def compute_suggestions(
    store: Any,
    record_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Suggest and store values for stale records (or for ``record_ids``, limited to the
    stale ones); return how many records were done."""
    template = _template(store)
    version = version_for(template)
    stale = stale_record_ids(store, version, record_ids)
    done = 0
    for batch_start in range(0, len(stale), _BATCH):
        if cancel is not None and cancel():
            break
        batch = stale[batch_start : batch_start + _BATCH]
        with store.atomic():
            for rid in batch:
                if cancel is not None and cancel():
                    break
                _store_record(store, rid, template, version)
                done += 1
        if progress is not None:
            progress(done, len(stale))
    return done


def _store_record(store: Any, record_id: int, template: Any, version: str) -> None:
    record = store.record(record_id)
    decided = {
        (s.field, json.dumps(s.value))
        for s in store.suggestions(record_id)
        if s.status == "accepted"
    }
    fresh: list[Suggestion] = [
        s.model_copy(update={"version": version})
        for s in suggest(record, template)
        if (s.field, json.dumps(s.value)) not in decided
    ]
    store.replace_suggestions(record_id, fresh)
    if not fresh and not decided:
        return
    # older suggestions that survive (accepted, rejected) now count as seen by this version
    stored.mark_seen(store, record_id, version)


def predictions(store: Any) -> Iterator[dict[str, Any]]:
    """The predictions line of every record, in import order."""
    keys = RecordKeys(store)
    template = _template(store)
    for record in store.records():
        yield prediction(record, keys.key(record), template)


class RecordKeys:
    """Names records as the gold files do; a source holding many records adds the title."""

    def __init__(self, store: Any):
        self._names = {s.id: s.name for s in store.sources()}
        self._counts = stored.records_per_source(store)

    def key(self, record: Any) -> str:
        name = self._names.get(record.source_id, "")
        if self._counts.get(record.source_id, 0) > 1:
            return f"{name}#{record.title}"
        return name
