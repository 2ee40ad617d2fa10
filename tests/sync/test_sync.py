"""Publish, clone and sync against a real PostgreSQL server (tests/pg_server.py)."""

from __future__ import annotations

import pytest

from reviewer.review.screening import decide
from reviewer.review.sync import SyncError, clone, publish, sync
from reviewer.store import Store, pg
from reviewer.store import sync as local


def _published(demo_review, team_db):
    with Store(demo_review) as store:
        publish(store, team_db.admin_url)
    team_db.add_reviewers("ann", "bob")


def _server_log(team_db) -> tuple[int, str]:
    conn = pg.connect(team_db.admin_url)
    try:
        return tuple(pg.event_count(conn))
    finally:
        conn.close()


def _local_log(store: Store) -> tuple[int, str]:
    import hashlib

    ids = [r[0] for r in store.db.execute("select id from events order by seq")]
    return len(ids), hashlib.md5(",".join(sorted(ids)).encode()).hexdigest()


def test_two_reviewers_see_each_others_decisions(demo_review, team_db, tmp_path):
    _published(demo_review, team_db)
    a, _ = clone(team_db.url("ann"), tmp_path / "ann.review")
    b, _ = clone(team_db.url("bob"), tmp_path / "bob.review")
    ids = a.record_ids()
    decide(a, ids[0], "include", "ann")
    decide(a, ids[1], "exclude", "ann", reason="")
    decide(b, ids[0], "exclude", "bob")

    ra = sync(a)
    rb = sync(b)
    assert (ra.pushed, rb.pushed, rb.pulled) == (2, 1, 2)
    ra2 = sync(a)
    assert ra2.pulled == 1 and ra2.pushed == 0
    for store in (a, b):
        got = {(d.record_id, d.reviewer, d.decision) for d in store.decisions()}
        assert {(ids[0], "ann", "include"), (ids[1], "ann", "exclude"), (ids[0], "bob", "exclude")} <= got

    # nothing lost, nothing doubled, and a repeated sync changes nothing
    again = [sync(s) for s in (a, b)]
    assert all(r.pushed == 0 and r.pulled == 0 for r in again)
    count, _ = _server_log(team_db)
    assert _local_log(a) == _local_log(b)
    assert _local_log(a)[0] == count
    assert local.state_digest(a) == local.state_digest(b)
