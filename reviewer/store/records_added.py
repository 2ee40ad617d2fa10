"""A published review's new records, as the one event that carries them to other copies.

An import into a review published on a team server logs its records as a
``records.add`` event (their rows, uids and source), in the transaction that stores them
(``Store.add_records``); ``reviewer.store.sync`` adds another copy's such records here.
Kept apart from ``sync`` so the store can log it without importing the sync machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.domain import Event
from reviewer.domain.events import EventKind

if TYPE_CHECKING:  # the store calls this module while adding records
    from reviewer.store.store import Store

RECORD_COLUMNS = (
    "source_id", "source_index", "source_start", "source_end", "source_line",
    "title", "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid",
    "pmcid", "trial_ids", "abstract", "keywords", "type", "url", "text", "page_offsets",
    "extra", "duplicate_of", "created_at",
)  # fmt: skip
# what another copy needs of a record (its source and duplicate travel as uids)
SHARED_COLUMNS = tuple(c for c in RECORD_COLUMNS if c not in ("source_id", "duplicate_of"))
RECORDS_ADD = EventKind.RECORDS_ADD  # the kind (reviewer.review.events.RECORDS_ADD)
USER_META = "sync.user"  # the server role this copy syncs as


def log_records_added(store: Store, first_id: int, last_id: int) -> Event:
    """Log the records ``first_id..last_id`` (just imported) as one ``records.add`` event
    carrying everything another copy needs to add them: their rows, uids and source."""
    cols = ", ".join(f"r.{c}" for c in SHARED_COLUMNS)
    rows = store.db.execute(
        f"select u.uid, d.uid, r.source_id, {cols} from records r "
        "join record_uids u on u.record_id = r.id "
        "left join record_uids d on d.record_id = r.duplicate_of "
        "where r.id between ? and ? order by r.id",
        [first_id, last_id],
    ).fetchall()
    source_ids = {r[2] for r in rows if r[2] is not None}
    sources = {s.id: s for s in store.sources() if s.id in source_ids}
    source = sources[next(iter(source_ids))] if len(source_ids) == 1 else None
    records = [
        {"uid": r[0], "duplicate_of": r[1], **dict(zip(SHARED_COLUMNS, r[3:], strict=True))}
        for r in rows
    ]
    payload = {
        "source": source.model_dump(exclude={"id", "status"}) if source else None,
        "records": records,
    }
    # logged as this copy's server role: the server accepts only its own events from it
    return store.log_event(store.meta(USER_META) or "import", RECORDS_ADD, None, payload)
