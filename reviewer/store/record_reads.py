"""Reading records one by one or by id: a whole ``Record``, the ids a search or an
identifier finds, and the rows the record list shows; and a record's text replaced.

Writing new records is ``Store.add_records`` (rows made by ``reviewer.store.record_rows``);
reading them in bulk as a stream is ``reviewer.store.record_queries``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

from reviewer.domain import Record
from reviewer.domain.identifiers import (
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    normalise_trial_ids,
)
from reviewer.store.records_added import RECORD_COLUMNS

if TYPE_CHECKING:
    from reviewer.store.store import Store

_JSON_RECORD_COLUMNS = ("authors", "trial_ids", "keywords", "page_offsets", "extra")


class ListRow(NamedTuple):
    """A record as the record list shows it."""

    title: str
    year: int | None
    decision: str | None  # the reviewer's own decision at the stage
    final: str | None  # include, exclude, maybe, conflict or None (nobody has screened it)


def records_with_identifier(store: Store, identifier: str) -> list[int]:
    """Records carrying a DOI, PMID, PMCID or trial registry id (normalised first)."""
    text = identifier.strip()
    queries: list[tuple[str, str]] = []
    if doi := normalise_doi(text):
        queries.append(("select id from records where doi = ?", doi))
    if text.lower().startswith("pmc") and (pmcid := normalise_pmcid(text)):
        queries.append(("select id from records where pmcid = ?", pmcid))
    elif pmid := normalise_pmid(text):
        queries.append(("select id from records where pmid = ?", pmid))
    for trial in normalise_trial_ids([text]):
        queries.append(("select record_id from record_trial_ids where trial_id = ?", trial))
    ids: set[int] = set()
    for sql, value in queries:
        ids.update(r[0] for r in store.db.execute(sql, [value]))
    return sorted(ids)


def record(store: Store, record_id: int) -> Record:
    cur = store.db.execute(
        f"select id, {', '.join(RECORD_COLUMNS)} from records where id = ?", [record_id]
    )
    row = cur.fetchone()
    if row is None:
        raise KeyError(record_id)
    return _record_from_row(("id", *RECORD_COLUMNS), row)


def records(store: Store, ids: Iterable[int] | None = None) -> Iterator[Record]:
    cols = ("id", *RECORD_COLUMNS)
    if ids is None:
        cur = store.db.execute(f"select {', '.join(cols)} from records order by id")
        for row in cur:
            yield _record_from_row(cols, row)
    else:  # read several hundred to a query (a merge reads thousands of groups)
        sql = (
            f"select {', '.join(cols)} from records "
            "where id in (select value from json_each(?))"
        )
        it = iter(ids)
        while chunk := list(islice(it, 500)):
            rows = {r[0]: r for r in store.db.execute(sql, [json.dumps(chunk)])}
            for rid in chunk:
                row = rows.get(rid)
                if row is None:
                    raise KeyError(rid)
                yield _record_from_row(cols, row)


def record_count(store: Store) -> int:
    return store.db.execute("select count(*) from records").fetchone()[0]


def record_ids(store: Store, search: str = "") -> list[int]:
    """All record ids in import order, or those matching a full-text search."""
    if not search.strip():
        return [r[0] for r in store.db.execute("select id from records order by id")]
    query = fts_query(search)
    if not query:
        return []
    return [
        r[0]
        for r in store.db.execute(
            "select rowid from records_fts where records_fts match ? order by rowid", [query]
        )
    ]


def list_rows(store: Store, ids: Sequence[int], stage: str, reviewer: str) -> dict[int, ListRow]:
    """Display rows for a page of ids: what a list view needs. ``decision`` is the
    reviewer's own; ``final`` the stage's final decision, ``conflict`` when the
    reviewers disagree and nobody has resolved it, ``maybe`` when every reviewer
    who screened it said so, else ``None``."""
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    rows = store.db.execute(
        f"select r.id, r.title, r.year, d.decision, s.final, s.conflict, s.maybes, "
        f"s.includes, s.excludes, s.resolution from records r "
        f"left join decisions d on d.record_id = r.id and d.stage = ? and d.reviewer = ? "
        f"left join screening s on s.record_id = r.id and s.stage = ? "
        f"where r.id in ({marks})",
        [stage, reviewer, stage, *ids],
    )
    out = {}
    for rid, title, year, mine, final, conflict, maybes, includes, excludes, res in rows:
        if conflict:
            final = "conflict"
        elif res is None and maybes and maybes == includes and not excludes:
            final = "maybe"
        out[rid] = ListRow(title, year, mine, final)
    return out


def set_record_text(store: Store, record_id: int, text: str, page_offsets: Sequence[int]) -> None:
    """Replace a record's text (no event; full-text search follows by trigger)."""
    store.db.execute(
        "update records set text = ?, page_offsets = ? where id = ?",
        [text, json.dumps(list(page_offsets)), record_id],
    )


def _record_from_row(cols: Sequence[str], row: Sequence[Any]) -> Record:
    data = dict(zip(cols, row, strict=True))
    for key in _JSON_RECORD_COLUMNS:
        data[key] = json.loads(data[key])
    for key in ("source_start", "source_end", "source_line"):
        if data[key] is None:
            data.pop(key)
    return Record(**data)


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word must match, as a prefix.

    Quotes and operators typed by the user are treated as literal words, so no input
    can make the query fail to parse.
    """
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)
