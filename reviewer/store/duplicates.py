"""Duplicate groups and the candidates a person confirms or rejects.

A group is a kept record (``duplicate_of`` null), the first of its group to be
imported, and the records whose ``duplicate_of`` names it; every record of a group
stays stored with its source, since PRISMA counts records per source as well as the
duplicates removed. Automatic merges happen on import (``reviewer.ingest.dedup``);
titles that are only similar wait here as candidates. Confirming, rejecting and
unmerging are a person's decisions: each is an event that ``Store.commit`` applies
(``reviewer.store.apply``) and logs in one transaction, so ``reviewer check`` can
replay them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from reviewer.domain import Event, Record
from reviewer.domain.events import EventKind
from reviewer.domain.models import now_iso
from reviewer.store.store import Store


class DuplicateError(ValueError):
    """A change to duplicates that makes no sense (the message says why)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record whose title is much like that of an earlier kept record."""

    id: int
    record_id: int  # the later record
    candidate_of: int  # the kept record it may repeat
    score: float  # title similarity, 0-100
    status: str
    created_at: str
    reviewer: str = ""
    decided_at: str | None = None


_CANDIDATE_COLUMNS = "id, record_id, candidate_of, score, status, created_at, reviewer, decided_at"


def next_record_id(store: Store) -> int:
    """The id the next stored record gets (call inside the transaction that stores it).

    Deduplication of a batch needs the ids before the rows exist, so that a record
    can be the duplicate of an earlier one in the same batch.
    """
    return store.db.execute("select coalesce(max(id), 0) + 1 from records").fetchone()[0]


def add_candidates(store: Store, pairs: Iterable[tuple[int, int, float]]) -> int:
    """Store (record, kept record, score) candidates found on import; return how many are new.

    Part of an import, not a person's decision, so no event; a pair stored before is
    left as it is (a rejection stays a rejection).
    """
    created = now_iso()
    rows = [(rid, of, score, created) for rid, of, score in pairs]
    if not rows:
        return 0
    before = store.db.conn.total_changes
    with store.atomic():
        store.db.conn.executemany(
            "insert or ignore into duplicate_candidates "
            "(record_id, candidate_of, score, created_at) values (?, ?, ?, ?)",
            rows,
        )
    return store.db.conn.total_changes - before


def candidates(store: Store, status: str | None = "pending") -> list[Candidate]:
    """Candidates with a status (all when ``None``), in the order the records were imported."""
    sql = f"select {_CANDIDATE_COLUMNS} from duplicate_candidates"
    params: list[str] = []
    if status is not None:
        sql += " where status = ?"
        params.append(status)
    rows = store.db.execute(sql + " order by record_id, score desc, candidate_of", params)
    return [Candidate(*row) for row in rows]


def candidate(store: Store, candidate_id: int) -> Candidate:
    row = store.db.execute(
        f"select {_CANDIDATE_COLUMNS} from duplicate_candidates where id = ?", [candidate_id]
    ).fetchone()
    if row is None:
        raise KeyError(f"no duplicate candidate {candidate_id}")
    return Candidate(*row)


def kept_record(store: Store, record_id: int) -> int:
    """The id of the record ``record_id``'s group keeps (itself when it is kept)."""
    row = store.db.execute("select duplicate_of from records where id = ?", [record_id]).fetchone()
    if row is None:
        raise KeyError(f"no record {record_id}")
    return row[0] or record_id


def group(store: Store, record_id: int) -> list[int]:
    """Every record of ``record_id``'s group, the kept one first, in import order."""
    keep = kept_record(store, record_id)
    rows = store.db.execute(
        "select id from records where id = ? or duplicate_of = ? order by id", [keep, keep]
    )
    return [r[0] for r in rows]


def duplicate_map(store: Store) -> dict[int, int | None]:
    """Each record's ``duplicate_of`` (null for kept records), in import order."""
    return dict(store.db.execute("select id, duplicate_of from records order by id").fetchall())


class Identity(NamedTuple):
    """What identifies a record outside the review, and the record its group keeps."""

    id: int
    keep: int  # the record screened for it: itself, or the kept record of its group
    doi: str
    title: str


def identities(store: Store) -> list[Identity]:
    """Every record's DOI and title with its kept record, kept records first."""
    rows = store.db.execute(
        "select id, coalesce(duplicate_of, id), doi, title from records "
        "order by duplicate_of is not null, id"
    )
    return [Identity(*row) for row in rows]


def merged_ids(store: Store) -> list[int]:
    """The merged duplicates (records whose group keeps another), in import order."""
    rows = store.db.execute("select id from records where duplicate_of is not null order by id")
    return [r[0] for r in rows]


# -- a kept record completed from its duplicates -------------------------------------------

# The bibliographic fields a kept record may take from its duplicates (its title and
# where it came from stay its own).
COMPLETED_FIELDS = (
    "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "pmcid",
    "trial_ids", "abstract", "keywords", "type", "url",
)  # fmt: skip
_JSON_FIELDS = ("authors", "trial_ids", "keywords")


def group_members(store: Store, keep_ids: Iterable[int]) -> dict[int, list[Record]]:
    """For each kept record, its group's records as stored, the kept one first."""
    keeps = sorted(set(keep_ids))
    if not keeps:
        return {}
    ids = json.dumps(keeps)
    rows = store.db.execute(
        "select id from records where id in (select value from json_each(?)) "
        "union select id from records where duplicate_of in (select value from json_each(?)) "
        "order by 1",
        [ids, ids],
    )
    out: dict[int, list[Record]] = {k: [] for k in keeps}
    for record in store.records([r[0] for r in rows]):
        keep = record.duplicate_of if record.duplicate_of in out else record.id
        if keep in out:
            out[keep].append(record)
    for members in out.values():
        members.sort(key=lambda r: (r.duplicate_of is not None, r.id or 0))
    return {k: v for k, v in out.items() if v and v[0].id == k}


def originals(store: Store, records: Iterable[Record]) -> dict[int, Record]:
    """Records as imported: for those completed since, their saved original fields and
    text over the stored row; the others as they are."""
    records = list(records)
    ids = json.dumps([r.id for r in records])
    saved = {
        rid: (json.loads(fields), text, json.loads(offsets))
        for rid, fields, text, offsets in store.db.execute(
            "select record_id, fields, text, page_offsets from record_originals "
            "where record_id in (select value from json_each(?))",
            [ids],
        )
    }
    out = {}
    for r in records:
        if r.id in saved:
            fields, text, offsets = saved[r.id]
            r = r.model_copy(update={**fields, "text": text, "page_offsets": offsets})
        out[r.id] = r  # type: ignore[index]
    return out


def has_original(store: Store, record_id: int) -> bool:
    row = store.db.execute("select 1 from record_originals where record_id = ?", [record_id])
    return row.fetchone() is not None


def save_original(store: Store, record: Record) -> None:
    """Keep a record's fields and text as imported, before it is first completed
    (once: a later completion must not overwrite the original with a completed copy)."""
    fields = {f: getattr(record, f) for f in COMPLETED_FIELDS}
    store.db.execute(
        "insert or ignore into record_originals (record_id, fields, text, page_offsets, "
        "saved_at) values (?, ?, ?, ?, ?)",
        [record.id, json.dumps(fields, ensure_ascii=False), record.text,
         json.dumps(record.page_offsets), now_iso()],
    )  # fmt: skip


def set_fields(store: Store, record_id: int, fields: dict[str, Any]) -> None:
    """Write bibliographic fields of a record (the search index follows by trigger)."""
    unknown = set(fields) - set(COMPLETED_FIELDS)
    if unknown:
        raise ValueError(f"not a field a record is completed in: {', '.join(sorted(unknown))}")
    if not fields:
        return
    names = list(fields)
    values = [
        json.dumps(fields[n], ensure_ascii=False) if n in _JSON_FIELDS else fields[n] for n in names
    ]
    assignments = ", ".join(f"{n} = ?" for n in names)
    store.db.execute(f"update records set {assignments} where id = ?", [*values, record_id])
    if "trial_ids" in fields:
        store.db.execute("delete from record_trial_ids where record_id = ?", [record_id])
        store.db.conn.executemany(
            "insert or ignore into record_trial_ids (trial_id, record_id) values (?, ?)",
            [(t, record_id) for t in fields["trial_ids"]],
        )


def has_spans(store: Store, record_id: int) -> bool:
    """Whether anything points into the record's text (values, highlights, suggestions)."""
    return any(
        store.db.execute(f"select exists (select 1 from {table} where record_id = ?)",
                         [record_id]).fetchone()[0]
        for table in ("field_values", "highlights", "suggestions")
    )  # fmt: skip


def group_sources(store: Store, record_id: int) -> list[tuple[int, str]]:
    """(record id, source name) of every record of the group, the kept one first: where
    a merged record came from."""
    keep = kept_record(store, record_id)
    rows = store.db.execute(
        "select r.id, coalesce(nullif(s.label, ''), s.name, '') from records r "
        "left join sources s on s.id = r.source_id where r.id = ? or r.duplicate_of = ? "
        "order by r.duplicate_of is not null, r.id",
        [keep, keep],
    )
    return [(rid, name) for rid, name in rows]


def counts_by_source(store: Store) -> dict[int | None, tuple[int, int]]:
    """Per source: records identified and how many of them are duplicates (for PRISMA)."""
    rows = store.db.execute(
        "select source_id, count(*), count(duplicate_of) from records "
        "group by source_id order by source_id"
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def confirm(store: Store, candidate_id: int, reviewer: str) -> int:
    """Merge a candidate's two groups; return the id of the record the merged group keeps.

    The group keeps its first-imported record, so when the candidate's record was
    itself kept, its duplicates follow it into the merged group. The change is made
    by the event (``Store.commit``): every record that moves, with its ``duplicate_of``
    before, and the candidate's verdict.
    """
    with store.atomic():
        cand = _pending(store, candidate_id)
        keep, moved = _merging(store, cand.record_id, cand.candidate_of)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.DUPLICATE_CONFIRM,
                record_id=cand.record_id,
                payload={
                    "candidate": cand.id,
                    "candidate_of": cand.candidate_of,
                    "score": cand.score,
                    "duplicate_of": keep,
                    "before": moved,
                },
            )
        )
    return keep


def reject(store: Store, candidate_id: int, reviewer: str) -> None:
    """Record that a candidate's two records are different articles."""
    with store.atomic():
        cand = _pending(store, candidate_id)
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.DUPLICATE_REJECT,
                record_id=cand.record_id,
                payload={
                    "candidate": cand.id,
                    "candidate_of": cand.candidate_of,
                    "score": cand.score,
                },
            )
        )


def unmerge(store: Store, record_id: int, reviewer: str) -> None:
    """Take a duplicate out of its group: it becomes a kept record of its own."""
    with store.atomic():
        keep = kept_record(store, record_id)
        if keep == record_id:
            raise DuplicateError(
                f"record {record_id} is the record its group keeps; "
                "unmerge the duplicates of it instead"
            )
        store.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.DUPLICATE_UNMERGE,
                record_id=record_id,
                payload={"before": keep, "after": None},
            )
        )


def _pending(store: Store, candidate_id: int) -> Candidate:
    cand = candidate(store, candidate_id)
    if cand.status != "pending":
        raise DuplicateError(f"duplicate candidate {candidate_id} is {cand.status} already")
    return cand


def _merging(store: Store, a: int, b: int) -> tuple[int, dict[str, int | None]]:
    """What joining the groups of records ``a`` and ``b`` moves (nothing is written):
    the earlier kept record stays kept.

    Returns the kept id and, for every record that moves, its ``duplicate_of``
    before (JSON keys are strings), so the event says how to undo it.
    """
    keep_a, keep_b = kept_record(store, a), kept_record(store, b)
    keep, other = min(keep_a, keep_b), max(keep_a, keep_b)
    if keep == other:
        return keep, {}
    rows = store.db.execute(
        "select id, duplicate_of from records where id = ? or duplicate_of = ?", [other, other]
    )
    return keep, {str(rid): dup for rid, dup in rows}
