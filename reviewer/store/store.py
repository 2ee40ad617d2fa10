"""A review is one SQLite file; ``Store`` is the only code that reads or writes it.

Everything a person changes goes through a method here that writes the
current-state row and its event in one transaction, so the audit trail and the
state can never disagree, and a crash leaves either both or neither.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import sqlite_utils

from reviewer.domain import (
    Decision,
    Event,
    FieldValue,
    Highlight,
    ParsedRecord,
    Record,
    Source,
    Span,
    Suggestion,
    Template,
)
from reviewer.domain.events import EventKind
from reviewer.domain.identifiers import (
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    normalise_trial_ids,
)
from reviewer.domain.models import now_iso
from reviewer.store import connection, dedup_keys, migrations
from reviewer.store.apply import apply
from reviewer.store.errors import (
    BUSY_TIMEOUT_SECONDS,
    NewerReviewError,
    ReadOnlyError,
    StoreError,
    explain,
    read_only_message,
)
from reviewer.store.record_rows import RecordRows, _insert_rows, record_row, record_rows, rows_of
from reviewer.store.records_added import RECORD_COLUMNS, log_records_added

# also asked for here: by the importer (the record rows)
__all__ = ["RecordRows", "record_row", "record_rows", "rows_of"]

_SOURCE_KEYS = (
    "id", "name", "path", "sha256", "size", "format", "imported_at", "status", "label",
)  # fmt: skip
_JSON_RECORD_COLUMNS = ("authors", "trial_ids", "keywords", "page_offsets", "extra")


# review_meta key naming the shared server's review once this one is published or cloned
PUBLISHED_META = "sync.review"


class _Database(sqlite_utils.Database):
    """sqlite-utils' ``Database`` whose transactions take the write lock first.

    A transaction that begins with a plain ``BEGIN`` and reads before it writes
    fails at once with "database is locked" when another connection wrote meanwhile:
    waiting cannot help it, so the busy timeout does not apply. ``BEGIN IMMEDIATE``
    takes the write lock before the first read, so a second writer waits its turn
    (up to the busy timeout) instead. Nested blocks are savepoints.
    """

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        conn = self.conn
        if conn.in_transaction:
            with super().atomic():
                yield self
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:  # a full disk can refuse the commit itself
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


class ListRow(NamedTuple):
    """A record as the record list shows it."""

    title: str
    year: int | None
    decision: str | None  # the reviewer's own decision at the stage
    final: str | None  # include, exclude, maybe, conflict or None (nobody has screened it)


class Store:
    """One open review file.

    ``read_only`` opens it without writing anything (no migrations, no change to its
    journal mode); every change then raises ``ReadOnlyError``. Without it, a file that
    cannot be written raises ``ReadOnlyError`` and one made by a newer Reviewer raises
    ``NewerReviewError``, both saying that it can be opened read-only.
    """

    def __init__(self, path: str | Path, *, create: bool = False, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self.closed = False
        if not create:
            connection.check_review_file(self.path)
            if not read_only and not connection.writable(self.path):
                raise ReadOnlyError(read_only_message(self.path))
        conn: sqlite3.Connection | None = None
        try:
            if read_only:
                conn = connection.connect_read_only(self.path)
            else:
                # autocommit: no transaction is ever opened behind our back (a temporary
                # table's rows would otherwise hold one open); ``atomic`` opens them
                conn = sqlite3.connect(
                    str(self.path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
                )
            self.db = _Database(conn)
            connection.opened_here(self.path)
            self._counted = True
            self._configure()
            newer = migrations.newer_than_this_version(self.db)
            if newer:
                if not read_only:
                    raise NewerReviewError(
                        f"{self.path}: made by a newer version of Reviewer (its file format "
                        f"has {newer}, which this version does not know), so this version "
                        "will not change it; open it read-only (reviewer --read-only, or "
                        "File → Open review read-only…), or update Reviewer"
                    )
            elif read_only:
                if migrations.pending(self.db):
                    raise StoreError(
                        f"{self.path}: made by an older version of Reviewer; it must be "
                        "updated before it can be read, which needs write access (copy it "
                        "somewhere you can write and open the copy)"
                    )
            else:
                migrations.apply(self.db)
        except StoreError:
            if conn is not None:
                conn.close()
                self._uncount()
            raise
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
                self._uncount()
            error = explain(self.path, exc)
            if type(error) is StoreError and "not a review file" not in str(error):
                error = StoreError(f"{self.path}: not a review file ({exc})")
            raise error from exc

    # -- opening and closing -------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, name: str, template: Template) -> Store:
        path = Path(path)
        if path.exists():
            raise StoreError(f"{path}: already exists")
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path, create=True)
        with store.atomic():
            store._set_meta("name", name)
            store._set_meta("created_at", now_iso())
            store._insert_template(template)
        return store

    def opener(self) -> Callable[[], Store]:
        """Opens this review again, the same way (for a job on another thread)."""
        return partial(Store, self.path, read_only=self.read_only)

    def _configure(self) -> None:
        self.db.execute(f"pragma busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        self.db.execute("pragma foreign_keys=on")
        if self.read_only:  # the connection cannot write the file (temporary tables it can)
            return
        # 16 KB pages (for new files; an existing file keeps its own): the records and
        # their search index are large rows, and a 100,000-record import writes
        # about 15% faster than with 4 KB pages.
        self.db.execute("pragma page_size=16384")
        self.db.execute("pragma journal_mode=wal")
        # FULL makes each committed edit durable on power loss, not only on a crash.
        self.db.execute("pragma synchronous=full")

    def close(self) -> None:
        """Close the connection; ``closed`` tells timers still running that it is gone."""
        self.closed = True
        self.db.close()
        self._uncount()

    def _uncount(self) -> None:
        if getattr(self, "_counted", False):
            self._counted = False
            connection.closed_here(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[Store]:
        """One write transaction (a savepoint when nested), begun with the write lock.

        SQLite's errors (a full disk, a lock held too long, a read-only file) come out
        as ``StoreError``s that say what happened; nothing of the block is kept.
        """
        if self.read_only:
            raise ReadOnlyError(
                f"{self.path}: the review is open read-only, so nothing can be changed"
            )
        outer = not self.db.conn.in_transaction
        try:
            with self.db.atomic():
                yield self
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
            if not outer or isinstance(exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError)):
                raise
            raise explain(self.path, exc) from exc

    def integrity_check(self) -> str:
        return self.db.execute("pragma integrity_check").fetchone()[0]

    # -- review metadata and template ---------------------------------------

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "insert into review_meta (key, value) values (?, ?) "
            "on conflict(key) do update set value = excluded.value",
            [key, value],
        )

    def meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("select value from review_meta where key = ?", [key]).fetchone()
        return row[0] if row else default

    @property
    def name(self) -> str:
        return self.meta("name", self.path.stem)

    def _insert_template(self, template: Template) -> None:
        self.db.execute(
            "insert into templates (name, json, created_at) values (?, ?, ?)",
            [template.name, template.model_dump_json(), now_iso()],
        )

    def template(self) -> Template:
        row = self.db.execute("select json from templates order by id desc limit 1").fetchone()
        if row is None:
            raise StoreError(f"{self.path}: the review has no extraction template")
        return Template.model_validate_json(row[0])

    def set_template(self, template: Template, reviewer: str) -> None:
        self.commit(
            Event(
                reviewer=reviewer,
                kind=EventKind.TEMPLATE_SET,
                payload={"template": template.model_dump(mode="json")},
            )
        )

    # -- events ----------------------------------------------------------------

    def commit(self, event: Event) -> int | None:
        """Make the event's change to the current state (``reviewer.store.apply``) and
        log it, in one transaction: the one way a change is written. Returns the id of
        a highlight the event added, else ``None``."""
        with self.atomic():
            result = apply(self.db, event)
            self._log(event)
        return result

    def _log(self, event: Event) -> Event:
        self.db.execute(
            "insert into events (id, time, reviewer, kind, record_id, payload) "
            "values (?, ?, ?, ?, ?, ?)",
            [
                event.id,
                event.time,
                event.reviewer,
                event.kind,
                event.record_id,
                json.dumps(event.payload, ensure_ascii=False),
            ],
        )
        return event

    def events(self, record_id: int | None = None) -> list[Event]:
        sql = "select id, time, reviewer, kind, record_id, payload from events"
        params: list[Any] = []
        if record_id is not None:
            sql += " where record_id = ?"
            params.append(record_id)
        sql += " order by seq"
        return [
            Event(
                id=r[0],
                time=r[1],
                reviewer=r[2],
                kind=r[3],
                record_id=r[4],
                payload=json.loads(r[5]),
            )
            for r in self.db.execute(sql, params)
        ]

    # -- sources and records ---------------------------------------------------

    def source_by_sha256(self, sha256: str) -> Source | None:
        row = self.db.execute(
            f"select {', '.join(_SOURCE_KEYS)} from sources where sha256 = ? limit 1",
            [sha256],
        ).fetchone()
        if row is None:
            return None
        return Source(**dict(zip(_SOURCE_KEYS, row, strict=True)))

    def add_source(self, source: Source) -> int:
        cur = self.db.execute(
            "insert into sources (name, path, sha256, size, format, imported_at, status, label) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source.name,
                source.path,
                source.sha256,
                source.size,
                source.format,
                source.imported_at,
                source.status,
                source.label,
            ],
        )
        return int(cur.lastrowid)

    def sources(self) -> list[Source]:
        rows = self.db.execute(f"select {', '.join(_SOURCE_KEYS)} from sources order by id")
        return [Source(**dict(zip(_SOURCE_KEYS, r, strict=True))) for r in rows]

    def set_source_label(self, source_id: int, label: str, reviewer: str) -> None:
        """Name the database or register a source came from (an event: a person's word)."""
        label = " ".join(label.split())
        with self.atomic():
            row = self.db.execute(
                "select name, label from sources where id = ?", [source_id]
            ).fetchone()
            if row is None:
                raise KeyError(f"no source {source_id}")
            if row[1] == label:
                return
            self.commit(
                Event(
                    reviewer=reviewer,
                    kind=EventKind.SOURCE_LABEL,
                    payload={"source_id": source_id, "name": row[0], "before": row[1],
                             "after": label},
                )
            )  # fmt: skip

    def set_source_status(self, source_id: int, status: str) -> None:
        self.db.execute("update sources set status = ? where id = ?", [status, source_id])

    def source_indexes(self, source_id: int) -> set[int]:
        """Which records of a source are stored already (to resume an interrupted import)."""
        return {
            r[0]
            for r in self.db.execute(
                "select source_index from records where source_id = ?", [source_id]
            )
        }

    def add_records(
        self,
        source_id: int | None,
        records: Iterable[ParsedRecord] | RecordRows,
        duplicate_of: Sequence[int | None] | None = None,
        first_id: int | None = None,
    ) -> list[int]:
        """Store records and index them for search, in one transaction; return their ids.

        Ids are consecutive, from ``first_id`` (what deduplication was told the batch
        would get: ``reviewer.store.duplicates.next_record_id``) or else the next free
        one. ``records`` may also be ``RecordRows`` made beforehand (which carry their
        ids and ``duplicate_of``). Rows go in several hundred to a statement, and the
        batch is added to the full-text index with one ``insert ... select`` (migration
        m002 replaced the per-row trigger), so a 100,000-record import spends its time
        in SQLite, not in Python.
        """
        with self.atomic():
            if not isinstance(records, RecordRows):
                if first_id is None:
                    first_id = self.db.execute(
                        "select coalesce(max(id), 0) + 1 from records"
                    ).fetchone()[0]
                records = record_rows(list(records), first_id, duplicate_of)
            if not records.count:
                return []
            _insert_rows(self.db.conn, records, source_id)
            dedup_keys.insert(self.db.conn, records.keys)
            last_id = records.first_id + records.count - 1
            self.index_records(records.first_id, last_id)
            self.db.execute(
                "insert into record_uids (record_id, uid) "
                "select id, lower(hex(randomblob(16))) from records where id between ? and ?",
                [records.first_id, last_id],
            )
            if self.meta(PUBLISHED_META):
                # A published review's copies learn of new records through the event log.
                log_records_added(self, records.first_id, last_id)
        return list(range(records.first_id, last_id + 1))

    def renumber_record(self, old: int, new: int) -> None:
        """Give a just-added record (nothing attached to it yet) another, free id; its
        search entry, duplicate keys, trial ids and uid follow it (no event)."""
        with self.atomic():
            uid = self.db.execute(
                "select uid from record_uids where record_id = ?", [old]
            ).fetchone()
            self.db.execute("delete from record_uids where record_id = ?", [old])
            keys = self.db.execute(
                "select title, marks, head, tail, doi from dedup_keys where record_id = ?",
                [old],
            ).fetchone()
            trials = [r[0] for r in self.db.execute(
                "select trial_id from record_trial_ids where record_id = ?", [old])]  # fmt: skip
            self.db.execute("delete from dedup_keys where record_id = ?", [old])
            self.db.execute("delete from record_trial_ids where record_id = ?", [old])
            self.db.execute(
                "insert into records_fts (records_fts, rowid, title, authors, text) "
                "select 'delete', id, title, authors, text from records where id = ?",
                [old],
            )
            self.db.execute("update records set id = ? where id = ?", [new, old])
            self.db.execute(
                "insert into records_fts (rowid, title, authors, text) "
                "select id, title, authors, text from records where id = ?",
                [new],
            )
            if keys is not None:
                dedup_keys.insert(self.db.conn, [new, *keys])
            self.db.conn.executemany(
                "insert into record_trial_ids (trial_id, record_id) values (?, ?)",
                [(t, new) for t in trials],
            )
            if uid is not None:
                self.db.execute(
                    "insert into record_uids (record_id, uid) values (?, ?)", [new, uid[0]]
                )

    def index_records(self, first_id: int, last_id: int) -> None:
        """Add records just inserted (ids ``first_id..last_id``) to the full-text index
        and the trial-id look-up."""
        self.db.execute(
            "insert into records_fts (rowid, title, authors, text) "
            "select id, title, authors, text from records where id between ? and ?",
            [first_id, last_id],
        )
        self.db.execute(
            "insert or ignore into record_trial_ids (trial_id, record_id) "
            "select j.value, r.id from records r, json_each(r.trial_ids) j "
            "where r.id between ? and ? and r.trial_ids != '[]'",
            [first_id, last_id],
        )

    def records_with_identifier(self, identifier: str) -> list[int]:
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
            ids.update(r[0] for r in self.db.execute(sql, [value]))
        return sorted(ids)

    def record(self, record_id: int) -> Record:
        cur = self.db.execute(
            f"select id, {', '.join(RECORD_COLUMNS)} from records where id = ?", [record_id]
        )
        row = cur.fetchone()
        if row is None:
            raise KeyError(record_id)
        return _record_from_row(("id", *RECORD_COLUMNS), row)

    def records(self, ids: Iterable[int] | None = None) -> Iterator[Record]:
        cols = ("id", *RECORD_COLUMNS)
        if ids is None:
            cur = self.db.execute(f"select {', '.join(cols)} from records order by id")
            for row in cur:
                yield _record_from_row(cols, row)
        else:  # read several hundred to a query (a merge reads thousands of groups)
            sql = (
                f"select {', '.join(cols)} from records "
                "where id in (select value from json_each(?))"
            )
            it = iter(ids)
            while chunk := list(islice(it, 500)):
                rows = {r[0]: r for r in self.db.execute(sql, [json.dumps(chunk)])}
                for rid in chunk:
                    row = rows.get(rid)
                    if row is None:
                        raise KeyError(rid)
                    yield _record_from_row(cols, row)

    def record_count(self) -> int:
        return self.db.execute("select count(*) from records").fetchone()[0]

    def record_ids(self, search: str = "") -> list[int]:
        """All record ids in import order, or those matching a full-text search."""
        if not search.strip():
            return [r[0] for r in self.db.execute("select id from records order by id")]
        query = fts_query(search)
        if not query:
            return []
        return [
            r[0]
            for r in self.db.execute(
                "select rowid from records_fts where records_fts match ? order by rowid", [query]
            )
        ]

    def list_rows(self, ids: Sequence[int], stage: str, reviewer: str) -> dict[int, ListRow]:
        """Display rows for a page of ids: what a list view needs. ``decision`` is the
        reviewer's own; ``final`` the stage's final decision, ``conflict`` when the
        reviewers disagree and nobody has resolved it, ``maybe`` when every reviewer
        who screened it said so, else ``None``."""
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        rows = self.db.execute(
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

    # -- field values ------------------------------------------------------------

    def values(self, record_id: int) -> dict[str, FieldValue]:
        rows = self.db.execute(
            "select field, value, reviewer, time, provenance from field_values where record_id = ?",
            [record_id],
        )
        return {
            r[0]: FieldValue(
                record_id=record_id,
                field=r[0],
                value=json.loads(r[1]),
                reviewer=r[2],
                time=r[3],
                provenance=[Span(**s) for s in json.loads(r[4])],
            )
            for r in rows
        }

    def set_value(
        self,
        record_id: int,
        field: str,
        value: Any,
        reviewer: str,
        provenance: Sequence[Span] = (),
        kind: str = EventKind.VALUE_SET,
    ) -> FieldValue | None:
        """Set (or with ``None`` clear) a field's value, validated by the review's template."""
        value = self.template().validate_value(field, value)
        with self.atomic():
            before = self.values(record_id).get(field)
            # what was typed is saved now: its draft goes (``reviewer.store.drafts``)
            self.db.execute(
                "delete from drafts where record_id = ? and field = ? and reviewer = ?",
                [record_id, field, reviewer],
            )
            if value is None and kind == EventKind.VALUE_SET:
                kind = EventKind.VALUE_CLEAR
            event = Event(
                reviewer=reviewer,
                kind=kind,
                record_id=record_id,
                payload={
                    "field": field,
                    "before": before.value if before else None,
                    "after": value,
                    "provenance": [s.model_dump() for s in provenance],
                },
            )
            self.commit(event)
        if value is None:
            return None
        return FieldValue(
            record_id=record_id,
            field=field,
            value=value,
            reviewer=reviewer,
            time=event.time,
            provenance=list(provenance),
        )

    # -- decisions -----------------------------------------------------------------

    def set_decision(
        self,
        decision: Decision,
        kind: str = EventKind.DECISION_SET,
        undoes: str | None = None,
    ) -> Event:
        """Set a reviewer's decision; the event's time is the decision's. ``kind`` is
        ``decision.undo`` (naming the event it ``undoes``) when an undo puts back an
        earlier decision, ``decision.redo`` when an undone decision is made again."""
        with self.atomic():
            before = self.decision(decision.record_id, decision.stage, decision.reviewer)
            payload: dict[str, Any] = {
                "stage": decision.stage,
                "before": before.decision if before else None,
                "after": decision.decision,
                "reason": decision.reason,
                "note": decision.note,
            }
            if undoes is not None:
                payload["undoes"] = undoes
            event = Event(
                reviewer=decision.reviewer,
                kind=kind,
                record_id=decision.record_id,
                time=decision.time,
                payload=payload,
            )
            self.commit(event)
        return event

    def clear_decision(
        self,
        record_id: int,
        stage: str,
        reviewer: str,
        kind: str = EventKind.DECISION_CLEAR,
        undoes: str | None = None,
    ) -> Event | None:
        """Take a reviewer's decision away (``kind``: ``decision.undo``, naming the event
        it ``undoes``, when the decision undone was the record's first); ``None`` when
        there was none."""
        with self.atomic():
            before = self.decision(record_id, stage, reviewer)
            if before is None:
                return None
            payload: dict[str, Any] = {"stage": stage, "before": before.decision, "after": None}
            if undoes is not None:
                payload["undoes"] = undoes
            event = Event(reviewer=reviewer, kind=kind, record_id=record_id, payload=payload)
            self.commit(event)
        return event

    def decision(self, record_id: int, stage: str, reviewer: str) -> Decision | None:
        row = self.db.execute(
            "select decision, reason, note, time from decisions "
            "where record_id = ? and stage = ? and reviewer = ?",
            [record_id, stage, reviewer],
        ).fetchone()
        if row is None:
            return None
        return Decision(
            record_id=record_id,
            stage=stage,
            reviewer=reviewer,  # type: ignore[arg-type]
            decision=row[0],
            reason=row[1],
            note=row[2],
            time=row[3],
        )

    def decisions(self, record_id: int | None = None) -> list[Decision]:
        sql = "select record_id, stage, reviewer, decision, reason, note, time from decisions"
        params: list[Any] = []
        if record_id is not None:
            sql += " where record_id = ?"
            params.append(record_id)
        keys = ("record_id", "stage", "reviewer", "decision", "reason", "note", "time")
        return [Decision(**dict(zip(keys, r, strict=True))) for r in self.db.execute(sql, params)]

    # -- suggestions -----------------------------------------------------------------

    def replace_suggestions(self, record_id: int, suggestions: Iterable[Suggestion]) -> None:
        """Store a fresh set of suggestions for a record, keeping what was rejected."""
        with self.atomic():
            rejected = {
                (s.field, json.dumps(s.value))
                for s in self.suggestions(record_id)
                if s.status == "rejected"
            }
            self.db.execute(
                "delete from suggestions where record_id = ? and status = 'pending'", [record_id]
            )
            for s in suggestions:
                if (s.field, json.dumps(s.value)) in rejected:
                    continue
                self.db.execute(
                    'insert into suggestions (record_id, field, value, start, "end", quote, '
                    "confidence, suggester, version, status, detail) "
                    "values (?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        record_id,
                        s.field,
                        json.dumps(s.value, ensure_ascii=False),
                        s.start,
                        s.end,
                        s.quote,
                        s.confidence,
                        s.suggester,
                        s.version,
                        s.status,
                        json.dumps(s.detail, ensure_ascii=False) if s.detail else None,
                    ],
                )

    def suggestions(self, record_id: int) -> list[Suggestion]:
        rows = self.db.execute(
            'select id, field, value, start, "end", quote, confidence, suggester, version, '
            "status, detail from suggestions where record_id = ? "
            "order by field, confidence desc",
            [record_id],
        )
        return [
            Suggestion(
                id=r[0],
                record_id=record_id,
                field=r[1],
                value=json.loads(r[2]),
                start=r[3],
                end=r[4],
                quote=r[5],
                confidence=r[6],
                suggester=r[7],
                version=r[8],
                status=r[9],
                detail=json.loads(r[10]) if r[10] else None,
            )
            for r in rows
        ]

    def set_suggestion_status(self, suggestion_id: int, status: str, reviewer: str) -> None:
        with self.atomic():
            row = self.db.execute(
                "select record_id, field, value from suggestions where id = ?", [suggestion_id]
            ).fetchone()
            if row is None:
                raise KeyError(suggestion_id)
            self.commit(
                Event(
                    reviewer=reviewer,
                    kind=EventKind(f"suggestion.{status}"),
                    record_id=row[0],
                    payload={
                        "field": row[1],
                        "value": json.loads(row[2]),
                        "suggestion_id": suggestion_id,
                    },
                )
            )

    # -- highlights and notes ------------------------------------------------------------

    def add_highlight(self, highlight: Highlight) -> int:
        """Add a highlight or note; the event's time is the highlight's."""
        event = Event(
            reviewer=highlight.reviewer,
            kind=EventKind.HIGHLIGHT_ADD,
            record_id=highlight.record_id,
            time=highlight.time,
            payload={
                "id": None,
                "field": highlight.field,
                "span": highlight.span.model_dump(),
                "note": highlight.note,
            },
        )
        with self.atomic():
            hid = apply(self.db, event)
            assert hid is not None
            event.payload["id"] = hid  # the id is the table's to give
            self._log(event)
        return hid

    def highlights(self, record_id: int) -> list[Highlight]:
        rows = self.db.execute(
            'select id, field, start, "end", quote, prefix, suffix, page, note, reviewer, time '
            "from highlights where record_id = ? order by start",
            [record_id],
        )
        return [
            Highlight(
                id=r[0],
                record_id=record_id,
                field=r[1],
                span=Span(start=r[2], end=r[3], quote=r[4], prefix=r[5], suffix=r[6], page=r[7]),
                note=r[8],
                reviewer=r[9],
                time=r[10],
            )
            for r in rows
        ]

    # -- annotation: notes, re-anchoring, orphans, field keys (reviewer.annotate) ----
    # Methods marked "no event" are steps of a larger change: the caller runs them
    # inside ``atomic()`` and logs one event for the whole, with ``log_event``.

    def log_event(
        self,
        reviewer: str,
        kind: str,
        record_id: int | None = None,
        payload: dict[str, Any] | None = None,
        time: str | None = None,
    ) -> Event:
        """Log an event whose change the caller has written (``time``: the change's own
        time, so the state and its event agree; now when not given)."""
        event = Event(reviewer=reviewer, kind=kind, record_id=record_id, payload=payload or {})
        return self._log(event.model_copy(update={"time": time}) if time else event)

    def highlight(self, highlight_id: int) -> Highlight:
        row = self.db.execute(
            f"select {_HIGHLIGHT_COLUMNS} from highlights where id = ?", [highlight_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no highlight {highlight_id}")
        return _highlight_from_row(row)

    def find_highlights(
        self, record_id: int | None = None, *, notes_only: bool = False
    ) -> Iterator[Highlight]:
        """Highlights of one record or of all, in text order; ``notes_only``: those of no field."""
        where, params = [], []
        if record_id is not None:
            where.append("record_id = ?")
            params.append(record_id)
        if notes_only:
            where.append("field is null")
        sql = f"select {_HIGHLIGHT_COLUMNS} from highlights"
        if where:
            sql += " where " + " and ".join(where)
        for row in self.db.execute(sql + " order by record_id, start, id", params):
            yield _highlight_from_row(row)

    def set_highlight_note(self, highlight_id: int, note: str, reviewer: str) -> None:
        with self.atomic():
            before = self.highlight(highlight_id)
            self.commit(
                Event(
                    reviewer=reviewer,
                    kind=EventKind.HIGHLIGHT_NOTE,
                    record_id=before.record_id,
                    payload={"id": highlight_id, "before": before.note, "after": note},
                )
            )

    def delete_highlight(
        self, highlight_id: int, reviewer: str, kind: str = EventKind.HIGHLIGHT_DELETE
    ) -> Highlight:
        """Delete a highlight; the event keeps all of it, so it can be restored."""
        with self.atomic():
            before = self.highlight(highlight_id)
            self.commit(
                Event(
                    reviewer=reviewer,
                    kind=kind,
                    record_id=before.record_id,
                    payload={"highlight": before.model_dump(mode="json")},
                )
            )
        return before

    def restore_highlight(self, highlight: Highlight, reviewer: str) -> int:
        """Put a deleted highlight back, under its old id when that is still free."""
        event = Event(
            reviewer=reviewer,
            kind=EventKind.HIGHLIGHT_RESTORE,
            record_id=highlight.record_id,
            payload={"id": highlight.id, "highlight": highlight.model_dump(mode="json")},
        )
        with self.atomic():
            hid = apply(self.db, event)  # under its old id when that is still free
            assert hid is not None
            event.payload["id"] = hid
            self._log(event)
        return hid

    def move_highlight(self, highlight_id: int, span: Span) -> None:
        """Re-anchor a highlight (no event)."""
        self.db.execute(
            'update highlights set start = ?, "end" = ?, quote = ?, prefix = ?, suffix = ?, '
            "page = ? where id = ?",
            [span.start, span.end, span.quote, span.prefix, span.suffix, span.page, highlight_id],
        )

    def set_provenance(self, record_id: int, field: str, spans: Sequence[Span]) -> None:
        """Re-anchor a value's spans, leaving who set it and when as they were (no event)."""
        self.db.execute(
            "update field_values set provenance = ? where record_id = ? and field = ?",
            [
                json.dumps([s.model_dump() for s in spans], ensure_ascii=False),
                record_id,
                field,
            ],
        )

    def set_record_text(self, record_id: int, text: str, page_offsets: Sequence[int]) -> None:
        """Replace a record's text (no event; full-text search follows by trigger)."""
        self.db.execute(
            "update records set text = ?, page_offsets = ? where id = ?",
            [text, json.dumps(list(page_offsets)), record_id],
        )

    def add_orphan(self, orphan: dict[str, Any]) -> int:
        """Keep a span that could not be found in a record's new text (no event)."""
        cols = [c for c in _ORPHAN_COLUMNS if c != "id" and c in orphan]
        cur = self.db.execute(
            f"insert into anchor_orphans ({', '.join(_quoted(c) for c in cols)}) "
            f"values ({', '.join('?' for _ in cols)})",
            [orphan[c] for c in cols],
        )
        return int(cur.lastrowid)

    def orphan_rows(
        self, record_id: int | None = None, status: str | None = "open"
    ) -> list[dict[str, Any]]:
        where, params = [], []
        if record_id is not None:
            where.append("record_id = ?")
            params.append(record_id)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        sql = f"select {', '.join(_quoted(c) for c in _ORPHAN_COLUMNS)} from anchor_orphans"
        if where:
            sql += " where " + " and ".join(where)
        rows = self.db.execute(sql + " order by record_id, id", params)
        return [dict(zip(_ORPHAN_COLUMNS, r, strict=True)) for r in rows]

    def set_orphan_status(self, orphan_id: int, status: str) -> None:
        """Mark an orphan 'reattached' or 'dismissed' (no event)."""
        self.db.execute("update anchor_orphans set status = ? where id = ?", [status, orphan_id])

    def value_field_counts(self) -> dict[str, int]:
        """How many records hold a value, per field key (keys no longer in the template too)."""
        rows = self.db.execute("select field, count(*) from field_values group by field")
        return {r[0]: r[1] for r in rows}

    def rename_field_values(self, old: str, new: str) -> int:
        """Move every value of field ``old`` to key ``new`` (no event)."""
        cur = self.db.execute("update field_values set field = ? where field = ?", [new, old])
        return cur.rowcount

    def delete_field_values(self, field: str, reviewer: str) -> int:
        """Delete every value of a field, each logged with what it was."""
        with self.atomic():
            rows = self.db.execute(
                "select record_id, value, provenance from field_values where field = ?", [field]
            ).fetchall()
            for record_id, value, provenance in rows:
                self.commit(
                    Event(
                        reviewer=reviewer,
                        kind=EventKind.VALUE_CLEAR,
                        record_id=record_id,
                        payload={
                            "field": field,
                            "before": json.loads(value),
                            "after": None,
                            "provenance": json.loads(provenance),
                        },
                    )
                )
        return len(rows)


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


_HIGHLIGHT_COLUMNS = (
    'id, record_id, field, start, "end", quote, prefix, suffix, page, note, reviewer, time'
)
_ORPHAN_COLUMNS = (
    "id", "record_id", "kind", "field", "highlight_id", "start", "end", "quote", "prefix",
    "suffix", "page", "note", "reviewer", "time", "orphaned_at", "status",
)  # fmt: skip


def _quoted(column: str) -> str:
    return f'"{column}"'


def _highlight_from_row(r: Sequence[Any]) -> Highlight:
    return Highlight(
        id=r[0],
        record_id=r[1],
        field=r[2],
        span=Span(start=r[3], end=r[4], quote=r[5], prefix=r[6], suffix=r[7], page=r[8]),
        note=r[9],
        reviewer=r[10],
        time=r[11],
    )
