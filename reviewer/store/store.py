"""A review is one SQLite file; ``Store`` is the open file, and the store package the only
code that reads or writes it.

Here: opening (migrations, read-only, newer files), transactions that take the write
lock first, and ``commit``, the one way a change is written: the current-state row and
its event in one transaction, so the audit trail and the state can never disagree, and
a crash leaves either both or neither. Also the review's metadata and template, and the
insert path of an import (``add_records``). Each aggregate's SQL is in its repository
module (``sources``, ``record_reads``, ``values``, ``decisions``, ``suggestions``,
``highlights``, ``history``, ``orphans``), whose functions take the store first and are the
methods of the same names below.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import sqlite_utils

from reviewer.domain import Event, ParsedRecord, Template
from reviewer.domain.events import EventKind
from reviewer.domain.models import now_iso
from reviewer.store import connection, dedup_keys, migrations
from reviewer.store import decisions as _decisions
from reviewer.store import highlights as _highlights
from reviewer.store import history as _history
from reviewer.store import orphans as _orphans
from reviewer.store import record_reads as _records
from reviewer.store import sources as _sources
from reviewer.store import suggestions as _suggestions
from reviewer.store import values as _values
from reviewer.store.apply import apply
from reviewer.store.errors import (
    BUSY_TIMEOUT_SECONDS,
    NewerReviewError,
    ReadOnlyError,
    StoreError,
    explain,
    read_only_message,
)
from reviewer.store.record_reads import fts_query
from reviewer.store.record_rows import RecordRows, _insert_rows, record_row, record_rows, rows_of
from reviewer.store.records_added import log_records_added

# also asked for here: by ``reviewer.store`` and the importer (the record rows)
__all__ = ["RecordRows", "Store", "StoreError", "fts_query", "record_row", "record_rows", "rows_of"]


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

    # -- adding records: an import's insert path (rows: reviewer.store.record_rows) --

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
                "select id, ? || lower(hex(randomblob(10))) from records "
                "where id between ? and ?",
                [uid_prefix(), records.first_id, last_id],
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

    # -- the aggregates, each in its repository module, as methods ---------------
    # Methods marked "no event" there are steps of a larger change: the caller runs
    # them inside ``atomic()`` and logs one event for the whole, with ``log_event``.

    source_by_sha256 = _sources.source_by_sha256
    add_source = _sources.add_source
    sources = _sources.sources
    set_source_label = _sources.set_source_label
    set_source_status = _sources.set_source_status
    source_indexes = _sources.source_indexes

    records_with_identifier = _records.records_with_identifier
    record = _records.record
    records = _records.records
    record_count = _records.record_count
    record_ids = _records.record_ids
    list_rows = _records.list_rows
    set_record_text = _records.set_record_text

    values = _values.values
    set_value = _values.set_value
    value_field_counts = _values.value_field_counts
    delete_field_values = _values.delete_field_values

    set_decision = _decisions.set_decision
    clear_decision = _decisions.clear_decision
    decision = _decisions.decision
    decisions = _decisions.decisions

    replace_suggestions = _suggestions.replace_suggestions
    suggestions = _suggestions.suggestions
    set_suggestion_status = _suggestions.set_suggestion_status

    add_highlight = _highlights.add_highlight
    highlights = _highlights.highlights
    highlight = _highlights.highlight
    find_highlights = _highlights.find_highlights
    set_highlight_note = _highlights.set_highlight_note
    delete_highlight = _highlights.delete_highlight
    restore_highlight = _highlights.restore_highlight

    events = _history.events

    add_orphan = _orphans.add_orphan
    orphan_rows = _orphans.orphan_rows


def uid_prefix() -> str:
    """The first 12 of a new record uid's 32 hex digits: the milliseconds since 1970.

    The other 20 are random (80 bits, so two copies adding records in the same
    millisecond still never meet). A batch's uids thus sort after those already stored
    and go at the end of the uids' unique index instead of all over it: a
    100,000-record import spends about a third less on them (0.29 -> 0.17 s CPU).
    """
    return f"{time.time_ns() // 1_000_000:012x}"
