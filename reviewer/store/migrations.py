"""Numbered schema migrations, each applied once and inside its own transaction.

A review made by an older version of the app opens in a newer one: ``apply``
runs whatever migrations the file has not seen yet, in order, and records each
in ``_migrations``. A migration that fails rolls back whole, leaving the file as
it was. (sqlite-utils' own migration plugin does not wrap each step in a
transaction, which is the property we need, so this small runner does.)

Each step's SQL is frozen in ``reviewer.store.migration_sql`` under its own number:
once released, a migration never changes and depends on no other code.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from reviewer.domain.models import now_iso
from reviewer.store import migration_sql as sql

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def applied(db: sqlite_utils.Database) -> list[str]:
    if not db["_migrations"].exists():
        return []
    return [r["name"] for r in db.query("select name from _migrations order by rowid")]


def number(name: str) -> int:
    """``m008_dedup_keys`` -> 8: the schema version a migration brings a file to."""
    digits = name[1:].split("_", 1)[0]
    return int(digits) if name.startswith("m") and digits.isdigit() else 0


def schema_version() -> int:
    """The highest schema version this Reviewer knows (stored in ``pragma user_version``)."""
    return max(number(name) for name, _fn in MIGRATIONS)


def pending(db: sqlite_utils.Database) -> list[str]:
    """Migrations this version has that the file has not had yet."""
    done = set(applied(db))
    return [name for name, _fn in MIGRATIONS if name not in done]


def newer_than_this_version(db: sqlite_utils.Database) -> str:
    """What in the file says a newer Reviewer made it ("" when nothing does): migrations
    this version does not know, or a higher ``user_version``."""
    known = {name for name, _fn in MIGRATIONS}
    unknown = [name for name in applied(db) if name not in known]
    if unknown:
        return "changes " + ", ".join(unknown)
    version = db.execute("pragma user_version").fetchone()[0]
    if version > schema_version():
        return f"version {version} (this one knows up to {schema_version()})"
    return ""


def apply(db: sqlite_utils.Database, upto: str | None = None) -> list[str]:
    """Apply pending migrations (all, or up to and including ``upto``); return their names.

    Each runs in its own transaction begun with the write lock, and checks again that
    no other program applied it meanwhile (two windows opening an old file at once).
    """
    if not db["_migrations"].exists():
        with db.atomic():
            db.execute(
                "create table if not exists _migrations "
                "(name text primary key, applied_at text not null)"
            )
    done = set(applied(db))
    ran = []
    for name, fn in MIGRATIONS:
        if name not in done:
            with db.atomic():
                again = db.execute("select 1 from _migrations where name = ?", [name])
                if again.fetchone() is None:
                    fn(db)
                    db.execute(
                        "insert into _migrations (name, applied_at) values (?, ?)",
                        [name, now_iso()],
                    )
                    version = db.execute("pragma user_version").fetchone()[0]
                    if number(name) > version:
                        db.execute(f"pragma user_version = {number(name)}")
                    ran.append(name)
        if name == upto:
            break
    return ran


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    run_script(db, sql.M001)


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run a multi-statement script inside the current transaction.

    ``executescript`` would commit first, so statements are split with
    ``sqlite3.complete_statement`` (which understands trigger bodies) and run one by one.
    """
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        db.execute(buf)


@migration
def m002_annotation(db: sqlite_utils.Database) -> None:
    """Spans that could not be found again when a record's text was replaced.

    They leave the value's provenance or the highlights table (so nothing is drawn
    at a wrong place) and wait here for the reviewer to re-attach or dismiss them.
    """
    run_script(db, sql.M002)


@migration
def m003_screening(db: sqlite_utils.Database) -> None:
    """Screening: resolutions, each record's final decision per stage (kept by triggers,
    so stage membership and filters are index look-ups), tags, full texts, merge
    conflicts, and the indexes filters and undo need on 100,000 records."""
    run_script(db, sql.M003)
    run_script(db, sql.M003_TRIGGERS)
    db.execute(sql.M003_BACKFILL)


@migration
def m004_duplicates(db: sqlite_utils.Database) -> None:
    """Duplicate candidates for a person to confirm, and a faster full-text index.

    Automatic merges only set ``records.duplicate_of``; similar titles wait in
    ``duplicate_candidates`` for a decision (each one also an event). The insert
    trigger on ``records`` goes: ``Store.add_records``, the only code that inserts
    records, indexes each batch with one ``insert ... select`` in the same
    transaction, which is two to three times faster on a 100,000-record import and
    just as consistent after a crash. A higher FTS automerge keeps the index from
    being rewritten over and over while a large import adds to it.
    """
    run_script(db, sql.M004)


@migration
def m005_suggestion_detail(db: sqlite_utils.Database) -> None:
    """What a suggested value cannot hold (a hazard ratio's confidence interval and
    p-value), kept beside it so the form and exports can show it."""
    db.execute(sql.M005)


@migration
def m006_identifier_index(db: sqlite_utils.Database) -> None:
    """PMCIDs and trial registry ids looked up directly, like DOIs and PMIDs: a record can
    be found by any identifier it carries (``Store.records_with_identifier``)."""
    run_script(db, sql.M006)


@migration
def m007_source_labels_and_originals(db: sqlite_utils.Database) -> None:
    """Two things a reviewer's first week on real data asked for.

    ``sources.label``: the name the reviewer gives a source (the database or register it
    was searched in, "Embase via Ovid"), used by PRISMA and the exports instead of the
    file name; empty until named.

    ``record_originals``: a kept record's bibliographic fields and text as imported,
    saved once, before the record is first completed from its duplicates (a PubMed
    export without abstracts, an Embase export with them): the completed record is what
    a reviewer reads and screens, and nothing of the original is lost.
    """
    run_script(db, sql.M007)


@migration
def m008_dedup_keys_and_drafts(db: sqlite_utils.Database) -> None:
    """Duplicate keys kept in the file, and drafts of what is being typed.

    ``dedup_keys``: per record, what deduplication compares (its folded title, the
    title's markers, first and last characters, and normalised DOI), indexed, so that
    an import looks up only the stored records sharing a key with what it adds
    instead of loading every record first (10 s for 2 records into a 20,000-record
    review). The keys are worked out by Python, which a migration must not depend
    on, so this makes the table only: ``review_meta['dedup_keys']`` names the key
    version the table is complete for, set here for a review without records; in
    any other, the first import fills the table (``reviewer.store.dedup_keys``).

    ``drafts``: the text of a form field as it is typed, before it is valid or saved,
    so that a crash or a kill loses nothing typed. Not an event: a draft changes no
    state; saving the value (one event) deletes it.
    """
    run_script(db, sql.M008)


@migration
def m010_rankings(db: sqlite_utils.Database) -> None:
    """The newest relevance ranking of each (stage, reviewer), so a review reopens in
    relevance order before the model retrains (``reviewer.store.ranking``). Derived
    data: one row each, replaced on every retrain, no events."""
    run_script(db, sql.M010)


@migration
def m011_results(db: sqlite_utils.Database) -> None:
    """Arms, outcomes and results of each study: one row per cell of an item, each a
    value with its provenance like a field value (``reviewer.store.results``)."""
    run_script(db, sql.M011)


@migration
def m013_record_uids(db: sqlite_utils.Database) -> None:
    """A stable name for each record across copies of a review (``reviewer.store.sync``).

    Record ids are local: two reviewers importing after a review was published give
    different records the same id. Events that travel through a shared server name
    records by this uid instead. It lives in its own small table so that adding it to
    a large review does not rewrite every record row.

    ``sync_pulled`` notes the events a sync brought in from the server while this copy
    had events of its own still to send: they are on the server already, so they are
    neither sent back nor mistaken for changes made here.
    """
    run_script(db, sql.M013)


@migration
def m014_screening_pause(db: sqlite_utils.Database) -> None:
    """A bulk decision writes ``screening`` itself, set-based, for the records it changed.

    The triggers of m003 keep ``screening`` one decision at a time: a delete, six
    look-ups and an insert for each row written, about 3 of the 6 s that deciding
    100,000 records took. They are the same here, except that each is skipped while
    ``paused_triggers`` names 'screening'. Only a bulk decision puts that row there,
    inside its own write transaction, and takes it out before it commits, so no other
    connection ever sees it and a crash or a rollback leaves nothing paused.
    """
    run_script(db, sql.M014)


@migration
def m015_fts_merge_in_steps(db: sqlite_utils.Database) -> None:
    """The full-text index merges its segments in steps, never all at once in one write.

    FTS5 merges a level's segments incrementally, a little at each write, once
    ``automerge`` (16, since m004) of them are there; but when a level reaches
    ``crisismerge`` (16 by default) it merges them all at once, in the write that
    filled it, so with both at 16 every merge was one: an import in short batches
    held the writer for 0.3-0.8 s every 256 transactions (a decision by key waited
    that long). With the crisis threshold above ``automerge`` the same merges happen
    in steps; a level never holds more than 64 segments.
    """
    run_script(db, sql.M015)
