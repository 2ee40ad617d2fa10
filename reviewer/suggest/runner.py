"""Computing and storing suggestions for a whole review, as a background job.

``compute_suggestions`` is the job the UI runs and ``reviewer suggest`` calls: it
takes plain arguments, reports progress through a callback, stops when asked, and
only redoes records whose suggestions are missing or were made by another version
of the rules. ``predictions`` yields the scorer's lines for every record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from reviewer.domain import Suggestion
from reviewer.suggest import SUGGESTER_VERSION, prediction, suggest

Progress = Callable[[int, int], None]  # (records done, records to do)
Cancel = Callable[[], bool]
_BATCH = 50


def stale_record_ids(store: Any, version: str = SUGGESTER_VERSION) -> list[int]:
    """Records with no suggestions, or with suggestions another version of the rules made."""
    rows = store.db.execute(
        "select r.id from records r where not exists "
        "(select 1 from suggestions s where s.record_id = r.id) "
        "or exists (select 1 from suggestions s where s.record_id = r.id and s.version != ?) "
        "order by r.id",
        [version],
    )
    return [r[0] for r in rows]


def compute_suggestions(
    store: Any,
    record_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Suggest and store values for stale records (or for ``record_ids``, limited to the
    stale ones); return how many records were done."""
    stale = stale_record_ids(store)
    if record_ids is not None:
        wanted = set(record_ids)
        stale = [i for i in stale if i in wanted]
    done = 0
    for batch_start in range(0, len(stale), _BATCH):
        if cancel is not None and cancel():
            break
        batch = stale[batch_start : batch_start + _BATCH]
        with store.atomic():
            for rid in batch:
                if cancel is not None and cancel():
                    break
                _store_record(store, rid)
                done += 1
        if progress is not None:
            progress(done, len(stale))
    return done


def _store_record(store: Any, record_id: int) -> None:
    record = store.record(record_id)
    decided = {
        (s.field, json.dumps(s.value))
        for s in store.suggestions(record_id)
        if s.status == "accepted"
    }
    fresh: list[Suggestion] = [
        s for s in suggest(record) if (s.field, json.dumps(s.value)) not in decided
    ]
    store.replace_suggestions(record_id, fresh)
    if not fresh and not decided:
        return
    # older suggestions that survive (accepted, rejected) now count as seen by this version
    store.db.execute(
        "update suggestions set version = ? where record_id = ? and status != 'pending'",
        [SUGGESTER_VERSION, record_id],
    )


def predictions(store: Any) -> Iterator[dict[str, Any]]:
    """The predictions line of every record, in import order."""
    keys = RecordKeys(store)
    for record in store.records():
        yield prediction(record, keys.key(record))


class RecordKeys:
    """Names records as the gold files do; a source holding many records adds the title."""

    def __init__(self, store: Any):
        self._names = {s.id: s.name for s in store.sources()}
        self._counts = {
            row[0]: row[1]
            for row in store.db.execute(
                "select source_id, count(*) from records group by source_id"
            )
        }

    def key(self, record: Any) -> str:
        name = self._names.get(record.source_id, "")
        if self._counts.get(record.source_id, 0) > 1:
            return f"{name}#{record.title}"
        return name
