"""Reading a review for export, a few hundred records at a time.

(The SQL of every export lives here, in the store; ``reviewer.export`` shapes files.)

Every export (JSON, the tables, RIS) writes the same facts: a record's metadata,
its values with the spans they came from and who set them when, its decisions.
They are assembled here once, in the shape the JSON export writes, so the CSV
cell showing a quote and the JSON span it came from cannot drift apart.

Reads go by chunks of ids (``json_each``), one query per chunk and table, not one
per record: 100,000 records cost a few hundred queries, and only the columns a
table needs are read (a record's full text stays in the database).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from reviewer.domain import STAGES, Span
from reviewer.domain.cells import BLANKS, FORMULA_SIGNS, FORMULA_STARTS
from reviewer.domain.screening import UNSPECIFIED
from reviewer.store.state import setting_key
from reviewer.store.store import Store

CHUNK = 500
IDS_IN = "(select value from json_each(?))"


def chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def span_json(span: Span | dict[str, Any]) -> dict[str, Any]:
    """A span as exported: offsets, quote, 32 characters either side, PDF page."""
    s = span.model_dump() if isinstance(span, Span) else span
    return {
        "start": s["start"],
        "end": s["end"],
        "quote": s["quote"],
        "prefix": s.get("prefix", ""),
        "suffix": s.get("suffix", ""),
        "page": s.get("page"),
    }


def field_order(store: Store) -> dict[str, int]:
    return {key: i for i, key in enumerate(store.template().keys)}


def export_fields(store: Store) -> list[str]:
    """The template's field keys in order, then keys that still hold values but are no
    longer in the template (a removed field's values are exported, not lost)."""
    keys = store.template().keys
    known = set(keys)
    return keys + sorted(k for k in store.value_field_counts() if k not in known)


def sort_values(values: list[dict[str, Any]], order: dict[str, int]) -> list[dict[str, Any]]:
    """Values in the template's order; those of removed fields last, by key."""
    return sorted(values, key=lambda v: (order.get(v["field"], len(order)), v["field"]))


def values_by_record(
    store: Store, ids: Sequence[int], order: dict[str, int], provenance: bool = True
) -> dict[int, list[dict[str, Any]]]:
    """The values of the records ``ids`` (one chunk), each as the JSON export writes it:
    ``field``, ``value``, ``reviewer``, ``time`` and ``provenance`` (the stored spans:
    offsets, quote, 32 characters either side, page).

    SQLite assembles the chunk into one JSON array, decoded with one ``json.loads``:
    per-row decoding of each value and its spans cost more than the query.
    ``provenance=False`` leaves the spans out (an empty list), for tables that do
    not show them.
    """
    spans = "json(provenance)" if provenance else "json('[]')"
    row = store.db.execute(
        "select json_group_array(json_array(record_id, field, json(value), reviewer, time, "
        f"{spans})) from field_values where record_id in {IDS_IN}",
        [json.dumps(list(ids))],
    ).fetchone()
    out: dict[int, list[dict[str, Any]]] = {}
    for rid, field, value, reviewer, time, prov in json.loads(row[0]):
        out.setdefault(rid, []).append(
            {"field": field, "value": value, "reviewer": reviewer, "time": time,
             "provenance": prov}
        )  # fmt: skip
    return {rid: sort_values(values, order) for rid, values in out.items()}


def decisions_by_record(store: Store, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Reviewers' decisions of the records ``ids``, by stage then reviewer."""
    return _rows_by_record(
        store,
        "decisions",
        ("stage", "reviewer", "decision", "reason", "note", "time"),
        "stage, reviewer",
        ids,
    )


def resolutions_by_record(store: Store, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Resolvers' final decisions of the records ``ids``, by stage."""
    return _rows_by_record(
        store,
        "resolutions",
        ("stage", "decision", "reason", "note", "resolver", "time"),
        "stage",
        ids,
    )


def _rows_by_record(
    store: Store, table: str, columns: tuple[str, ...], order: str, ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """The rows of ``table`` about the records ``ids`` as dicts of ``columns``, per record."""
    out: dict[int, list[dict[str, Any]]] = {}
    rows = store.db.execute(
        f"select record_id, {', '.join(columns)} from {table} "
        f"where record_id in {IDS_IN} order by record_id, {order}",
        [json.dumps(list(ids))],
    )
    for rid, *values in rows:
        out.setdefault(rid, []).append(dict(zip(columns, values, strict=True)))
    return out


def tags_by_record(store: Store, ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = store.db.execute(
        f"select record_id, tag from record_tags where record_id in {IDS_IN} "
        "order by record_id, tag collate nocase",
        [json.dumps(list(ids))],
    )
    for rid, tag in rows:
        out.setdefault(rid, []).append(tag)
    return out


def source_names(store: Store) -> dict[int, str]:
    return {s.id: s.name for s in store.sources() if s.id is not None}


def finals_by_record(store: Store, ids: Sequence[int]) -> dict[int, dict[str, tuple[str, str]]]:
    """Each record's final decision and final exclusion reason per stage, as the
    screening core keeps them (``screening`` table): ``{rid: {stage: (final, reason)}}``
    with final include, exclude or conflict, and the reason (``unspecified`` when an
    excluded record has none, as ``reviewer stats`` counts it) only for excludes.
    Stages nobody screened are absent."""
    out: dict[int, dict[str, tuple[str, str]]] = {}
    # Naming every stage lets SQLite look rows up by the (stage, record_id) key;
    # by record_id alone it scans an index of the whole table for every chunk.
    rows = store.db.execute(
        "select record_id, stage, case when final is not null then final "
        "when conflict = 1 then 'conflict' else 'undecided' end, reason from screening "
        f"where stage in (select value from json_each(?)) and record_id in {IDS_IN}",
        [json.dumps(list(STAGES)), json.dumps(list(ids))],
    )
    for rid, stage, final, reason in rows:
        why = (reason or UNSPECIFIED) if final == "exclude" else ""
        out.setdefault(rid, {})[stage] = (final, why)
    return out


def settings(store: Store) -> dict[str, Any]:
    """The review's screening settings (exclusion reasons, blinding...) as stored."""
    prefix = setting_key("")
    rows = store.db.execute(
        "select key, value from review_meta where key like ? order by key", [prefix + "%"]
    )
    return {key.removeprefix(prefix): json.loads(value) for key, value in rows}


def record_columns(
    store: Store, ids: Sequence[int], columns: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """``columns`` of the records ``ids`` (one chunk) as dicts, in id order; columns as
    stored (authors still JSON text)."""
    rows = store.db.execute(
        f"select {', '.join(columns)} from records where id in {IDS_IN} order by id",
        [json.dumps(list(ids))],
    )
    for row in rows:
        yield dict(zip(columns, row, strict=True))


def sql_safe_text(column: str) -> str:
    """SQL giving ``safe_text`` of a text ``column``, for tables read straight from the
    database (SQLite does per cell in C what Python would do per call)."""
    starts = ", ".join(f"char({ord(c)})" for c in FORMULA_STARTS)
    signs = ", ".join(f"char({ord(c)})" for c in FORMULA_SIGNS)
    blanks = " || ".join(f"char({ord(c)})" for c in BLANKS)
    firsts = ", ".join(f"char({ord(c)})" for c in BLANKS)
    quote = "''''"  # SQL for the text "'"
    first = f"substr({column}, 1, 1)"
    return (
        f"case when {first} in ({starts}) or ({first} in ({firsts}) and "
        f"substr(ltrim({column}, {blanks}), 1, 1) in ({signs})) "
        f"then {quote} || {column} else {column} end"
    )


_META_SQL = (
    "select id, {title}, {authors}, {journal}, year, {volume}, {issue}, {pages}, {doi}, "
    "{pmid}, {source} from (select r.id, r.title, r.journal, r.year, r.volume, r.issue, "
    "r.pages, r.doi, r.pmid, (select group_concat(value, '; ') from json_each(r.authors)) "
    "as author_list, coalesce(nullif(s.label, ''), s.name, '') as source_name "
    "from records r left join sources s "
    "on s.id = r.source_id where r.id in {ids}) order by id"
)


class RecordMeta(NamedTuple):
    """A record's metadata cells as the tables export them (text already neutralised)."""

    id: int
    title: str | None
    authors: str | None  # joined with "; "
    journal: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    pmid: str | None
    source: str


def record_meta(store: Store, ids: Sequence[int]) -> Iterator[RecordMeta]:
    """The metadata of the records ``ids`` (one chunk), in id order, text already
    neutralised and authors joined with ``; `` by SQLite: this is most of the cells of
    a large table, and per-cell Python calls were most of its time."""
    columns = ("title", "journal", "volume", "issue", "pages", "doi", "pmid")
    safe = {c: sql_safe_text(c) for c in columns}
    sql = _META_SQL.format(
        **safe,
        authors=sql_safe_text("author_list"),
        source=sql_safe_text("source_name"),
        ids=IDS_IN,
    )
    for row in store.db.execute(sql, [json.dumps(list(ids))]):
        yield RecordMeta._make(row)


def value_count(store: Store, ids: Sequence[int]) -> int:
    """How many field values the records ``ids`` hold."""
    total = 0
    for chunk in chunks(ids, 20_000):
        total += store.db.execute(
            f"select count(*) from field_values where record_id in {IDS_IN}",
            [json.dumps(chunk)],
        ).fetchone()[0]
    return total


def reviewers_at(store: Store, stages: Sequence[str]) -> list[str]:
    """Everyone who decided a record at one of ``stages``, alphabetically."""
    rows = store.db.execute(
        f"select distinct reviewer from decisions where stage in {IDS_IN} order by reviewer",
        [json.dumps(list(stages))],
    )
    return [reviewer for (reviewer,) in rows]


def stages_in_use(store: Store) -> list[str]:
    """Stages with at least one decision or resolution (title/abstract always)."""
    used = {
        stage
        for (stage,) in store.db.execute(
            "select distinct stage from decisions union select distinct stage from resolutions"
        )
    }
    return [s for s in STAGES if s in used or s == STAGES[0]]
