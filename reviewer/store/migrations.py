"""Numbered schema migrations, each applied once and inside its own transaction.

A review made by an older version of the app opens in a newer one: ``apply``
runs whatever migrations the file has not seen yet, in order, and records each
in ``_migrations``. A migration that fails rolls back whole, leaving the file as
it was. (sqlite-utils' own migration plugin does not wrap each step in a
transaction, which is the property we need, so this small runner does.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from reviewer.domain.models import now_iso

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
    run_script(db, _M001)


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


_M001 = """
create table review_meta (
    key text primary key,
    value text not null
);
create table sources (
    id integer primary key,
    name text not null,
    path text not null default '',
    sha256 text not null,
    size integer not null,
    format text not null,
    imported_at text not null,
    status text not null default 'complete'
);
create index sources_sha256 on sources(sha256);
create table records (
    id integer primary key,
    source_id integer references sources(id),
    source_index integer not null default 0,
    source_start integer,
    source_end integer,
    source_line integer,
    title text not null default '',
    authors text not null default '[]',
    journal text not null default '',
    year integer,
    volume text not null default '',
    issue text not null default '',
    pages text not null default '',
    doi text not null default '',
    pmid text not null default '',
    pmcid text not null default '',
    trial_ids text not null default '[]',
    abstract text not null default '',
    keywords text not null default '[]',
    type text not null default '',
    url text not null default '',
    text text not null default '',
    page_offsets text not null default '[]',
    extra text not null default '{}',
    duplicate_of integer references records(id),
    created_at text not null default ''
);
create index records_doi on records(doi) where doi != '';
create index records_pmid on records(pmid) where pmid != '';
create index records_source on records(source_id);
create table templates (
    id integer primary key,
    name text not null,
    json text not null,
    created_at text not null
);
create table field_values (
    record_id integer not null references records(id),
    field text not null,
    value text,
    reviewer text not null,
    time text not null,
    provenance text not null default '[]',
    primary key (record_id, field)
);
create table suggestions (
    id integer primary key,
    record_id integer not null references records(id),
    field text not null,
    value text,
    start integer not null,
    "end" integer not null,
    quote text not null,
    confidence real not null,
    suggester text not null,
    version text not null,
    status text not null default 'pending'
);
create index suggestions_record on suggestions(record_id, field);
create table decisions (
    record_id integer not null references records(id),
    stage text not null,
    reviewer text not null,
    decision text not null check (decision in ('include', 'exclude', 'maybe')),
    reason text not null default '',
    note text not null default '',
    time text not null,
    primary key (record_id, stage, reviewer)
);
create table highlights (
    id integer primary key,
    record_id integer not null references records(id),
    field text,
    start integer not null,
    "end" integer not null,
    quote text not null,
    prefix text not null default '',
    suffix text not null default '',
    page integer,
    note text not null default '',
    reviewer text not null,
    time text not null
);
create index highlights_record on highlights(record_id);
create table events (
    seq integer primary key,
    id text not null unique,
    time text not null,
    reviewer text not null,
    kind text not null,
    record_id integer,
    payload text not null default '{}'
);
create index events_record on events(record_id);
create trigger events_no_update before update on events
begin select raise(abort, 'the event log is append-only'); end;
create trigger events_no_delete before delete on events
begin select raise(abort, 'the event log is append-only'); end;
create virtual table records_fts using fts5(
    title, authors, text, content='records', content_rowid='id'
);
create trigger records_ai after insert on records begin
  insert into records_fts(rowid, title, authors, text)
  values (new.id, new.title, new.authors, new.text);
end;
create trigger records_ad after delete on records begin
  insert into records_fts(records_fts, rowid, title, authors, text)
  values ('delete', old.id, old.title, old.authors, old.text);
end;
create trigger records_au after update of title, authors, text on records begin
  insert into records_fts(records_fts, rowid, title, authors, text)
  values ('delete', old.id, old.title, old.authors, old.text);
  insert into records_fts(rowid, title, authors, text)
  values (new.id, new.title, new.authors, new.text);
end;
"""


@migration
def m002_annotation(db: sqlite_utils.Database) -> None:
    """Spans that could not be found again when a record's text was replaced.

    They leave the value's provenance or the highlights table (so nothing is drawn
    at a wrong place) and wait here for the reviewer to re-attach or dismiss them.
    """
    run_script(db, _M005)


_M005 = """
create table anchor_orphans (
    id integer primary key,
    record_id integer not null references records(id),
    kind text not null check (kind in ('provenance', 'highlight')),
    field text,
    highlight_id integer,
    start integer not null,
    "end" integer not null,
    quote text not null,
    prefix text not null default '',
    suffix text not null default '',
    page integer,
    note text not null default '',
    reviewer text not null,
    time text not null,
    orphaned_at text not null,
    status text not null default 'open' check (status in ('open', 'reattached', 'dismissed'))
);
create index anchor_orphans_record on anchor_orphans(record_id, status);
"""


@migration
def m003_screening(db: sqlite_utils.Database) -> None:
    """Screening: resolutions, each record's final decision per stage (kept by triggers,
    so stage membership and filters are index look-ups), tags, full texts, merge
    conflicts, and the indexes filters and undo need on 100,000 records."""
    run_script(db, _M004)
    run_script(db, _screening_triggers())
    db.execute(_screening_backfill())


def _screening_select(rec: str, stage: str, source: str = "") -> str:
    """``screening`` rows computed from decisions and resolutions of (rec, stage), for
    each row of ``source`` (a FROM clause) or, in a trigger, for new/old.

    The reason is the resolver's, else the one most excluding reviewers gave
    (alphabetically first on a tie), so every excluded record has one reason to count.
    """
    # "+stage": look rows up by record (the primary key), never by a stage-first index,
    # which would scan every decision of the stage on each change.
    where = f"record_id = {rec} and +stage = {stage}"
    return f"""
select record_id, stage, i, m, e, res,
    case when res is not null then res
         when i > 0 and e > 0 then null
         when e > 0 then 'exclude'
         when i > 0 then 'include' end,
    case when res is not null then res_reason else coalesce(top_reason, '') end,
    i > 0 and e > 0,
    res is null and i > 0 and e > 0
from (select {rec} as record_id, {stage} as stage,
    (select count(*) from decisions where {where} and decision != 'exclude') as i,
    (select count(*) from decisions where {where} and decision = 'maybe') as m,
    (select count(*) from decisions where {where} and decision = 'exclude') as e,
    (select decision from resolutions where {where}) as res,
    (select reason from resolutions where {where}) as res_reason,
    (select reason from decisions where {where} and decision = 'exclude' and reason != ''
     group by reason order by count(*) desc, reason limit 1) as top_reason
    {source})
where i + e > 0 or res is not null"""


_SCREENING_COLUMNS = (
    "record_id, stage, includes, maybes, excludes, resolution, final, reason, disagree, conflict"
)


def _screening_refresh(rec: str, stage: str) -> str:
    return (
        f"delete from screening where record_id = {rec} and stage = {stage};\n"
        f"insert into screening ({_SCREENING_COLUMNS}) {_screening_select(rec, stage)};\n"
    )


def _screening_triggers() -> str:
    out = []
    for table in ("decisions", "resolutions"):
        new = _screening_refresh("new.record_id", "new.stage")
        old = _screening_refresh("old.record_id", "old.stage")
        out.append(f"create trigger {table}_screening_ai after insert on {table} begin\n{new}end;")
        out.append(f"create trigger {table}_screening_ad after delete on {table} begin\n{old}end;")
        out.append(
            f"create trigger {table}_screening_au after update on {table} begin\n{old}{new}end;"
        )
    return "\n".join(out)


def _screening_backfill() -> str:
    keys = "select record_id, stage from decisions union select record_id, stage from resolutions"
    return f"insert into screening ({_SCREENING_COLUMNS}) " + _screening_select(
        "k.record_id", "k.stage", f"from ({keys}) k"
    )


_M004 = """
create table resolutions (
    record_id integer not null references records(id),
    stage text not null,
    decision text not null check (decision in ('include', 'exclude')),
    reason text not null default '',
    note text not null default '',
    resolver text not null,
    time text not null,
    primary key (record_id, stage)
);
create table screening (
    record_id integer not null,
    stage text not null,
    includes integer not null,   -- include or maybe
    maybes integer not null,
    excludes integer not null,
    resolution text,
    final text,                  -- include, exclude, or null: undecided or in conflict
    reason text not null,        -- the exclusion reason counted for the record
    disagree integer not null,   -- reviewers disagree (resolved or not)
    conflict integer not null,   -- they disagree and nobody has resolved it
    primary key (stage, record_id)  -- a stage's rows are contiguous: counts are one range scan
) without rowid;
create index screening_final on screening(stage, final, record_id);
create index screening_conflict on screening(stage, conflict, record_id);
create index screening_reason on screening(stage, reason, record_id) where reason != '';
create index screening_maybe on screening(stage, record_id) where maybes > 0;
create index decisions_reviewer on decisions(stage, reviewer, decision, record_id);
create index decisions_reason on decisions(stage, reviewer, reason, record_id) where reason != '';
create index events_reviewer on events(reviewer, seq);
create table record_tags (
    record_id integer not null references records(id),
    tag text not null collate nocase,
    reviewer text not null,
    time text not null,
    primary key (record_id, tag)
);
create index record_tags_tag on record_tags(tag, record_id);
create table fulltexts (
    record_id integer primary key references records(id),
    path text not null,
    sha256 text not null,
    pages integer not null,
    text text not null,
    page_offsets text not null default '[]',
    reviewer text not null,
    time text not null
);
create virtual table fulltexts_fts using fts5(text, content='fulltexts', content_rowid='record_id');
create trigger fulltexts_ai after insert on fulltexts begin
  insert into fulltexts_fts(rowid, text) values (new.record_id, new.text);
end;
create trigger fulltexts_ad after delete on fulltexts begin
  insert into fulltexts_fts(fulltexts_fts, rowid, text) values ('delete', old.record_id, old.text);
end;
create trigger fulltexts_au after update of text on fulltexts begin
  insert into fulltexts_fts(fulltexts_fts, rowid, text) values ('delete', old.record_id, old.text);
  insert into fulltexts_fts(rowid, text) values (new.record_id, new.text);
end;
create table merge_conflicts (
    id text primary key,         -- the id of the merge.conflict event that raised it
    key text not null,           -- JSON array naming the state, e.g. ["decision", 3, "full_text", "ann"]
    record_id integer,
    kept text,                   -- JSON: the state the merging copy kept
    other text,                  -- JSON: the state the other copy had
    source text not null,        -- the other copy's file
    reviewer text not null,      -- who merged
    time text not null,
    settled_by text,
    settled_at text,
    choice text                  -- kept or other
);
create index merge_conflicts_key on merge_conflicts(key, settled_at);
"""


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
    run_script(db, _M002)


_M002 = """
create table duplicate_candidates (
    id integer primary key,
    record_id integer not null references records(id),
    candidate_of integer not null references records(id),
    score real not null,
    status text not null default 'pending'
        check (status in ('pending', 'confirmed', 'rejected')),
    created_at text not null,
    reviewer text not null default '',
    decided_at text,
    unique (record_id, candidate_of)
);
create index duplicate_candidates_status on duplicate_candidates(status, record_id);
create index records_duplicate_of on records(duplicate_of) where duplicate_of is not null;
drop trigger if exists records_ai;
insert into records_fts(records_fts, rank) values ('automerge', 16);
"""


@migration
def m005_suggestion_detail(db: sqlite_utils.Database) -> None:
    """What a suggested value cannot hold (a hazard ratio's confidence interval and
    p-value), kept beside it so the form and exports can show it."""
    db.execute("alter table suggestions add column detail text")


@migration
def m006_identifier_index(db: sqlite_utils.Database) -> None:
    """PMCIDs and trial registry ids looked up directly, like DOIs and PMIDs: a record can
    be found by any identifier it carries (``Store.records_with_identifier``)."""
    run_script(db, _M006)


_M006 = """
create index records_pmcid on records(pmcid) where pmcid != '';
create table record_trial_ids (
    trial_id text not null,
    record_id integer not null references records(id),
    primary key (trial_id, record_id)
) without rowid;
insert or ignore into record_trial_ids (trial_id, record_id)
select j.value, r.id from records r, json_each(r.trial_ids) j where r.trial_ids != '[]';
"""


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
    run_script(db, _M007)


_M007 = """
alter table sources add column label text not null default '';
create table record_originals (
    record_id integer primary key references records(id),
    fields text not null,
    text text not null,
    page_offsets text not null default '[]',
    saved_at text not null
);
"""


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
    run_script(db, _M008)


_M008 = """
create table dedup_keys (
    record_id integer primary key references records(id),
    title text not null default '',   -- folded letters and digits, '' when too short
                                      -- (not indexed: found through head, which it starts)
    marks text not null default '',   -- notice and part markers, joined by '|'
    head text not null default '',    -- '<' and the title's first characters
    tail text not null default '',    -- '>' and its last characters
    doi text not null default ''      -- normalised
);
create index dedup_keys_head on dedup_keys(head) where head != '';
create index dedup_keys_tail on dedup_keys(tail) where tail != '';
create index dedup_keys_doi on dedup_keys(doi) where doi != '';
insert into review_meta (key, value)
select 'dedup_keys', '1' where not exists (select 1 from records);
create table drafts (
    record_id integer not null references records(id),
    field text not null,
    reviewer text not null,
    text text not null,
    time text not null,
    primary key (record_id, field, reviewer)
) without rowid;
"""


@migration
def m010_rankings(db: sqlite_utils.Database) -> None:
    """The newest relevance ranking of each (stage, reviewer), so a review reopens in
    relevance order before the model retrains (``reviewer.store.ranking``). Derived
    data: one row each, replaced on every retrain, no events."""
    run_script(db, _M010)


_M010 = """
create table rankings (
    stage text not null,
    reviewer text not null,          -- '' for the ranking shared while not blinded
    trained_at text not null,
    includes integer not null,
    excludes integer not null,
    model text not null default '{}',  -- the model's settings, as JSON
    record_ids blob not null,        -- int64 little-endian, best first
    scores blob not null,            -- float32 little-endian, in the same order
    primary key (stage, reviewer)
);
"""


@migration
def m011_results(db: sqlite_utils.Database) -> None:
    """Arms, outcomes and results of each study: one row per cell of an item, each a
    value with its provenance like a field value (``reviewer.store.results``)."""
    run_script(db, _M011)


_M011 = """
create table result_cells (
    record_id integer not null references records(id),
    item text not null,
    field text not null,
    value text not null,
    reviewer text not null,
    time text not null,
    provenance text not null default '[]',
    primary key (record_id, item, field)
);
create index result_cells_item on result_cells(item);
"""


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
    run_script(db, _M013)


_M013 = """
create table record_uids (
    record_id integer primary key references records(id),
    uid text not null unique
);
insert into record_uids (record_id, uid) select id, lower(hex(randomblob(16))) from records;
create table sync_pulled (seq integer primary key);
"""
