"""The shared side of a team review: its schema on a PostgreSQL server, and the SQL
that publishes a review there and pushes and pulls its events.

A published database holds one review, in the schema ``reviewer``:

* ``review``: one row naming the review (its uid), who published it, and the team
  role whose members may sync it;
* ``snapshot``: the review file as it was when published, in parts, for ``clone``;
* ``events``: the append-only log every copy pushes to and pulls from.

Security is the server's: members of the team role may read everything and insert
events only under their own name (row-level security compares the event's
``reviewer`` with ``current_user``); nobody is granted update or delete, and triggers
refuse them even to the owner. Each insert takes a transaction-scoped advisory lock
before it draws its ``seq``, so events become visible in ``seq`` order and a reader
that remembers the last ``seq`` it saw never misses one committed later with a
smaller number. An insert notifies ``reviewer_events`` (``LISTEN/NOTIFY``), so open
windows learn of others' work within moments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import psycopg
from psycopg import sql

SCHEMA = "reviewer"
CHANNEL = "reviewer_events"
FORMAT = 1  # the layout below; a newer layout bumps it
SNAPSHOT_PART = 4 * 1024 * 1024
_APPEND_LOCK = 7_263_501  # the advisory lock key serialising event inserts

Error = psycopg.Error
OperationalError = psycopg.OperationalError


class ServerReview(NamedTuple):
    uid: str
    name: str
    format: int
    snapshot_seq: int
    team_role: str
    published_by: str
    published_at: str


class ServerEvent(NamedTuple):
    """An event as the server holds it: records named by uid, ``base_seq`` the last
    server event its copy had seen when it pushed it."""

    seq: int
    id: str
    time: str
    reviewer: str
    kind: str
    record_uid: str | None
    payload: str
    base_seq: int


def connect(conninfo: str, password: str | None = None, **kwargs: Any) -> psycopg.Connection:
    """A connection (``password`` from the keyring when the URL has none)."""
    extra: dict[str, Any] = {"connect_timeout": 10, "application_name": "reviewer", **kwargs}
    if password is not None:
        extra["password"] = password
    return psycopg.connect(conninfo, **extra)


def current_user(conn: psycopg.Connection) -> str:
    return conn.execute("select current_user").fetchone()[0]


def database_name(conn: psycopg.Connection) -> str:
    return conn.execute("select current_database()").fetchone()[0]


def may_insert_any(conn: psycopg.Connection) -> bool:
    """Whether this role may add events under any name: the log's owner (who published
    it, with the events of the review so far) or a superuser."""
    return bool(
        conn.execute(
            "select r.rolsuper or r.rolbypassrls or t.tableowner = current_user "
            "from pg_roles r, pg_tables t where r.rolname = current_user "
            "and t.schemaname = 'reviewer' and t.tablename = 'events'"
        ).fetchone()[0]
    )


def lock_appends(conn: psycopg.Connection) -> None:
    """Hold off every other copy's push until this transaction ends: what this copy
    pulls now is then all it has to know before it pushes."""
    conn.execute("select pg_advisory_xact_lock(%s)", [_APPEND_LOCK])


def existing_ids(conn: psycopg.Connection, ids: Sequence[str]) -> set[str]:
    rows = conn.execute("select id from reviewer.events where id = any(%s)", [list(ids)])
    return {r[0] for r in rows}


def published_review(conn: psycopg.Connection) -> ServerReview | None:
    """The review this database holds, or ``None`` when it holds none."""
    if conn.execute("select to_regclass('reviewer.review')").fetchone()[0] is None:
        return None
    row = conn.execute(
        "select uid, name, format, snapshot_seq, team_role, published_by, "
        "published_at::text from reviewer.review"
    ).fetchone()
    return None if row is None else ServerReview(*row)


def create_schema(conn: psycopg.Connection, team_role: str) -> None:
    """The tables, triggers, row-level security and grants of a published review.

    Run by the publisher (an administrator: it creates the team role when missing),
    inside the caller's transaction.
    """
    team = sql.Identifier(team_role)
    exists = conn.execute("select 1 from pg_roles where rolname = %s", [team_role]).fetchone()
    if not exists:
        conn.execute(sql.SQL("create role {} nologin").format(team))
    conn.execute(_SCHEMA_SQL)
    for statement in _GRANTS:
        conn.execute(sql.SQL(statement).format(team=team))


_SCHEMA_SQL = f"""
create schema reviewer;
create table reviewer.review (
    one_row boolean primary key default true check (one_row),
    uid text not null unique,
    name text not null,
    format integer not null,
    snapshot_seq bigint not null,
    team_role text not null,
    published_by text not null default current_user,
    published_at timestamptz not null default now()
);
create table reviewer.snapshot (
    part integer primary key,
    data bytea not null
);
create sequence reviewer.event_seq;
create table reviewer.events (
    seq bigint primary key,
    id text not null unique,
    time text not null,
    reviewer text not null,
    kind text not null,
    record_uid text,
    payload json not null,
    base_seq bigint not null default 0,
    pushed_by text not null default current_user,
    pushed_at timestamptz not null default now()
);
create function reviewer.events_stamp() returns trigger language plpgsql as $$
begin
    perform pg_advisory_xact_lock({_APPEND_LOCK});
    new.seq := nextval('reviewer.event_seq');
    new.pushed_by := current_user;
    new.pushed_at := now();
    return new;
end $$;
create trigger events_stamp before insert on reviewer.events
    for each row execute function reviewer.events_stamp();
create function reviewer.append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the event log of a published review is append-only';
end $$;
create trigger events_no_change before update or delete on reviewer.events
    for each row execute function reviewer.append_only();
create trigger events_no_truncate before truncate on reviewer.events
    for each statement execute function reviewer.append_only();
create function reviewer.events_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('{CHANNEL}', '');
    return null;
end $$;
create trigger events_notify after insert on reviewer.events
    for each statement execute function reviewer.events_notify();
alter table reviewer.events enable row level security;
"""

_GRANTS = (
    "grant usage on schema reviewer to {team}",
    "grant select on reviewer.review, reviewer.snapshot to {team}",
    "grant select, insert on reviewer.events to {team}",
    "grant usage on sequence reviewer.event_seq to {team}",
    "create policy events_read on reviewer.events for select to {team} using (true)",
    "create policy events_insert_own on reviewer.events for insert to {team} "
    "with check (reviewer = current_user)",
)


def insert_review(
    conn: psycopg.Connection, uid: str, name: str, snapshot_seq: int, team_role: str
) -> None:
    conn.execute(
        "insert into reviewer.review (uid, name, format, snapshot_seq, team_role) "
        "values (%s, %s, %s, %s, %s)",
        [uid, name, FORMAT, snapshot_seq, team_role],
    )


def set_snapshot_seq(conn: psycopg.Connection, seq: int) -> None:
    conn.execute("update reviewer.review set snapshot_seq = %s", [seq])


def upload_snapshot(conn: psycopg.Connection, parts: Iterable[bytes]) -> int:
    """Store the published file's bytes in parts; return how many bytes."""
    total = 0
    with conn.cursor() as cur:
        for i, data in enumerate(parts):
            cur.execute("insert into reviewer.snapshot (part, data) values (%s, %s)", [i, data])
            total += len(data)
    return total


def download_snapshot(conn: psycopg.Connection) -> Iterator[bytes]:
    parts = [r[0] for r in conn.execute("select part from reviewer.snapshot order by part")]
    for part in parts:
        yield conn.execute("select data from reviewer.snapshot where part = %s", [part]).fetchone()[
            0
        ]


def push(conn: psycopg.Connection, events: Sequence[ServerEvent]) -> int:
    """Append events the server lacks (by id: pushing twice changes nothing), in one
    statement; return how many were new. ``seq`` is drawn by the server."""
    if not events:
        return 0
    cols = list(zip(*(e[1:] for e in events), strict=True))
    cur = conn.execute(
        "insert into reviewer.events (id, time, reviewer, kind, record_uid, payload, base_seq) "
        "select i, t, r, k, u, p::json, b from unnest("
        "%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::bigint[]"
        ") as e(i, t, r, k, u, p, b) on conflict (id) do nothing",
        [list(c) for c in cols],
    )
    return cur.rowcount


def pull(conn: psycopg.Connection, after_seq: int, limit: int = 5000) -> list[ServerEvent]:
    """Events after ``after_seq``, in order."""
    rows = conn.execute(
        "select seq, id, time, reviewer, kind, record_uid, payload::text, base_seq "
        "from reviewer.events where seq > %s order by seq limit %s",
        [after_seq, limit],
    )
    return [ServerEvent(*r) for r in rows]


def last_seq(conn: psycopg.Connection) -> int:
    return conn.execute("select coalesce(max(seq), 0) from reviewer.events").fetchone()[0]


def event_count(conn: psycopg.Connection) -> tuple[int, str]:
    """How many events, and an MD5 of their ids in ``seq`` order (for checks)."""
    return conn.execute(
        "select count(*), md5(coalesce(string_agg(id, ',' order by seq), '')) from reviewer.events"
    ).fetchone()


def listen(conn: psycopg.Connection) -> None:
    """Ask for a notification whenever events are added (``conn`` in autocommit)."""
    conn.execute(sql.SQL("listen {}").format(sql.Identifier(CHANNEL)))
