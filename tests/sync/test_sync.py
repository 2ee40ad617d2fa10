"""Publish, clone and sync against a real PostgreSQL server (tests/pg_server.py)."""

from __future__ import annotations

import pytest

from reviewer.review.screening import decide
from reviewer.review.sync import SyncError, clone, publish, sync
from reviewer.store import Store, pg
from reviewer.store import sync as local
from tests.consistency import assert_consistent


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
        assert {
            (ids[0], "ann", "include"),
            (ids[1], "ann", "exclude"),
            (ids[0], "bob", "exclude"),
        } <= got

    # nothing lost, nothing doubled, and a repeated sync changes nothing
    again = [sync(s) for s in (a, b)]
    assert all(r.pushed == 0 and r.pulled == 0 for r in again)
    count, _ = _server_log(team_db)
    assert _local_log(a) == _local_log(b)
    assert _local_log(a)[0] == count
    assert local.state_digest(a) == local.state_digest(b)
    for store in (a, b):
        assert_consistent(store)


def test_edits_on_both_sides_become_one_conflict_everywhere(demo_review, team_db, tmp_path):
    """Ann works on two machines; both change the same value while apart. The copy that
    syncs second keeps its value (it is then the latest on the server) and raises a
    conflict that every copy receives; settling it on one copy settles it everywhere."""
    from reviewer.review.merge import merge_conflicts, settle_conflict

    _published(demo_review, team_db)
    laptop, _ = clone(team_db.url("ann"), tmp_path / "laptop.review")
    desktop, _ = clone(team_db.url("ann"), tmp_path / "desktop.review")
    rid = laptop.record_ids()[0]
    laptop.set_value(rid, "journal", "Lancet", "ann")
    desktop.set_value(rid, "journal", "BMJ", "ann")
    desktop.set_value(rid, "year", 2001, "ann")  # changed on one side only: no conflict

    sync(laptop)
    report = sync(desktop)
    assert [(c.key, c.kept["value"], c.other["value"]) for c in report.conflicts] == [
        (["value", rid, "journal"], "BMJ", "Lancet")
    ]
    sync(laptop)
    for store in (laptop, desktop):
        assert store.values(rid)["journal"].value == "BMJ"
        assert store.values(rid)["year"].value == 2001
        assert len(merge_conflicts(store)) == 1
        assert_consistent(store)  # the replayed state is the projection of the log
    assert local.state_digest(laptop) == local.state_digest(desktop)

    conflict = merge_conflicts(laptop)[0]
    settle_conflict(laptop, conflict.id, "other", "ann")  # Lancet after all
    sync(laptop)
    sync(desktop)
    for store in (laptop, desktop):
        assert store.values(rid)["journal"].value == "Lancet"
        assert merge_conflicts(store) == []
        assert_consistent(store)
    assert local.state_digest(laptop) == local.state_digest(desktop)


def test_blinding_and_conflicts_across_machines(demo_review, team_db, tmp_path):
    from reviewer.review.screening import conflicts, visible_decisions
    from reviewer.review.settings import is_blinded, set_blinded

    _published(demo_review, team_db)
    a, _ = clone(team_db.url("ann"), tmp_path / "ann.review")
    b, _ = clone(team_db.url("bob"), tmp_path / "bob.review")
    rid = a.record_ids()[0]
    decide(a, rid, "include", "ann")
    decide(b, rid, "exclude", "bob")
    for store in (a, b, a):
        sync(store)
    assert is_blinded(b)
    assert [d.reviewer for d in visible_decisions(b, rid, "title_abstract", "bob")] == ["bob"]
    assert len(b.decisions(rid)) == 2  # there, for the conflict count, but not shown
    from reviewer.review.audit import history

    assert {h.reviewer for h in history(b, rid, "bob")} == {"bob"}  # nor in the history

    set_blinded(a, False, "ann")
    sync(a)
    sync(b)
    assert not is_blinded(b)
    shown = {d.reviewer for d in visible_decisions(b, rid, "title_abstract", "bob")}
    assert shown == {"ann", "bob"}
    assert {"ann", "bob"} <= {h.reviewer for h in history(b, rid, "bob")}
    assert [c.record_id for c in conflicts(b, "title_abstract")] == [rid]
    assert [c.record_id for c in conflicts(a, "title_abstract")] == [rid]


def test_records_imported_after_publishing_travel_by_uid(demo_review, team_db, tmp_path):
    from reviewer.ingest import import_paths
    from tests.conftest import ROOT

    _published(demo_review, team_db)
    a, _ = clone(team_db.url("ann"), tmp_path / "ann.review")
    b, _ = clone(team_db.url("bob"), tmp_path / "bob.review")
    ris = ROOT / "tests/data/corpus/ris/jabref/RisImporterTest1.ris"
    before = a.record_count()
    import_paths(a, [ris])
    new_a = a.record_ids()[before:]
    assert new_a
    decide(b, b.record_ids()[0], "include", "bob")  # bob's own work meanwhile
    sync(a)
    report = sync(b)
    assert report.records_added == len(new_a)
    titles_a = sorted(a.record(i).title for i in new_a)
    new_b = b.record_ids()[before:]
    assert sorted(b.record(i).title for i in new_b) == titles_a
    # bob decides on a record ann imported; it reaches ann's copy on that record
    target = next(i for i in new_b if b.record(i).title == titles_a[0])
    decide(b, target, "exclude", "bob")
    sync(b)
    sync(a)
    mine = next(i for i in new_a if a.record(i).title == titles_a[0])
    assert a.decision(mine, "title_abstract", "bob").decision == "exclude"
    assert local.state_digest(a) == local.state_digest(b)


def test_the_server_lets_reviewers_append_only_their_own_events(demo_review, team_db):
    import psycopg

    _published(demo_review, team_db)
    insert = (
        "insert into reviewer.events (id, time, reviewer, kind, payload) "
        "values (%s, '2024-01-01', %s, 'note', '{}')"
    )
    with psycopg.connect(team_db.url("ann"), autocommit=True) as conn:
        conn.execute(insert, ["e-own", "ann"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(insert, ["e-forged", "bob"])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("update reviewer.events set kind = 'x' where id = 'e-own'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("delete from reviewer.events where id = 'e-own'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("truncate reviewer.events")
    # not even the owner may rewrite the log
    owner = psycopg.connect(team_db.admin_url, autocommit=True)
    with owner, pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        owner.execute("delete from reviewer.events")
    # a role that is not in the team reads nothing
    team_db.server.create_login("eve", "eve-secret")
    outsider = psycopg.connect(team_db.server.url("eve", "eve-secret", team_db.name))
    with outsider, pytest.raises(psycopg.errors.InsufficientPrivilege):
        outsider.execute("select * from reviewer.events")


def test_publish_refuses_a_database_holding_another_review(demo_review, team_db, tmp_path):
    import shutil

    other = tmp_path / "other.review"
    shutil.copy(demo_review, other)
    _published(demo_review, team_db)
    with Store(other) as store, pytest.raises(SyncError, match="already holds another review"):
        publish(store, team_db.admin_url)
    with Store(demo_review) as store:  # publishing the same review again only syncs it
        assert publish(store, team_db.admin_url).pushed == 0


def test_a_sync_cut_off_midway_loses_and_doubles_nothing(demo_review, team_db, tmp_path):
    _published(demo_review, team_db)
    a, _ = clone(team_db.url("ann"), tmp_path / "ann.review")
    b, _ = clone(team_db.url("bob"), tmp_path / "bob.review")
    for rid in a.record_ids():
        decide(a, rid, "include", "ann")
        decide(b, rid, "exclude", "bob")
    sync(a)

    def cut() -> bool:  # the server drops bob's connection after his first pulled batch
        team_db.server.terminate_backends("bob")
        return False

    with pytest.raises(SyncError, match="stopped"):
        sync(b, cancelled=cut)
    sync(b)
    sync(a)
    assert _local_log(a) == _local_log(b)
    assert _local_log(a)[0] == _server_log(team_db)[0]
    assert local.state_digest(a) == local.state_digest(b)


def test_the_password_stays_out_of_the_review_file(demo_review, team_db, tmp_path, memory_keyring):
    _published(demo_review, team_db)
    path = tmp_path / "ann.review"
    store, _ = clone(team_db.url("ann"), path)
    assert "ann-secret" in memory_keyring.secrets.values()
    sync(store)  # the URL kept in the file has no password: the keyring's is used
    store.close()
    for f in tmp_path.glob("ann.review*"):
        assert b"ann-secret" not in f.read_bytes()
    memory_keyring.secrets.clear()
    with Store(path) as store, pytest.raises(SyncError, match="password"):
        sync(store)
    with Store(path) as store, pytest.raises(SyncError, match="authentication failed"):
        sync(store, password="wrong")


def test_a_server_elsewhere_is_reached_over_tls():
    from reviewer.review.server_url import conninfo

    assert "sslmode=require" in conninfo("postgresql://ann@db.example.org/team")
    assert "sslmode=verify-full" in conninfo(
        "postgresql://ann@db.example.org/team?sslmode=verify-full"
    )
    assert "sslmode" not in conninfo("postgresql://ann@localhost/team")


def test_tls_required_refuses_a_server_without_it(demo_review, team_db):
    """The test server has no TLS: a URL that requires it is refused, not downgraded."""
    url = team_db.url("ann").replace("sslmode=disable", "sslmode=require")
    with Store(demo_review) as store, pytest.raises(SyncError, match="SSL"):
        publish(store, url)


def test_command_line_publish_clone_sync(demo_review, team_db, tmp_path, capsys):
    import json

    from reviewer.cli import main

    assert main(["--review", str(demo_review), "publish", team_db.admin_url]) == 0
    assert "published to" in capsys.readouterr().out
    team_db.add_reviewers("ann")
    copy = tmp_path / "ann.review"
    assert main(["clone", team_db.url("ann"), "--review", str(copy)]) == 0
    assert "you work as 'ann'" in capsys.readouterr().out
    assert main(["--review", str(copy), "decide", "1", "include", "--reviewer", "ann"]) == 0
    capsys.readouterr()
    assert main(["--review", str(copy), "sync", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["pushed"], report["pulled"], report["user"]) == (1, 0, "ann")
    assert main(["--review", str(demo_review), "sync"]) == 0
    assert "1 received" in capsys.readouterr().out
    # a second clone into the same file is refused, clearly
    assert main(["clone", team_db.url("ann"), "--review", str(copy)]) == 2
    assert "already exists" in capsys.readouterr().err
