"""Two windows on two copies of a published review see each other's decisions within
seconds (LISTEN/NOTIFY through a real PostgreSQL server), and the status bar says
whether the copy is online."""

from __future__ import annotations

import pytest

from reviewer.review.sync import clone, publish
from reviewer.store import Store


@pytest.fixture(autouse=True)
def _quick_stop(monkeypatch):
    """The listener waits 50 ms between looks, not 500, and an offline window tries again
    after 50 ms, not 3 s: a window closes (its sync thread joined) at once and shows what
    waits sooner, by the same steps."""
    from reviewer.ui.sync_controller import SyncController

    monkeypatch.setitem(SyncController.__init__.__kwdefaults__, "poll", 0.05)
    monkeypatch.setitem(SyncController.__init__.__kwdefaults__, "retry", 0.05)


@pytest.fixture
def two_windows(qtbot, demo_review, team_db, tmp_path, memory_keyring, sync_jobs):
    from reviewer.ui.main_window import MainWindow

    with Store(demo_review) as store:
        publish(store, team_db.admin_url)
    team_db.add_reviewers("ann", "bob")
    windows = []
    for name in ("ann", "bob"):
        store, _ = clone(team_db.url(name), tmp_path / f"{name}.review")
        w = MainWindow(store)
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
    yield windows
    for w in windows:
        w.close()
        w.store.close()


def test_two_windows_see_each_others_decisions(qtbot, two_windows):
    ann, bob = two_windows
    assert (ann.reviewer, bob.reviewer) == ("ann", "bob")  # the server roles
    qtbot.waitUntil(lambda: ann.sync_button.text().startswith("● Online"), timeout=20000)
    qtbot.waitUntil(lambda: bob.sync_button.text().startswith("● Online"), timeout=20000)

    rid = ann.current_id
    ann.decide("include")
    qtbot.waitUntil(
        lambda: bob.store.decision(rid, "title_abstract", "ann") is not None, timeout=10000
    )
    bob.select_row(bob.model.row_of(rid))
    assert bob.current_id == rid
    bob.decide("exclude")
    qtbot.waitUntil(
        lambda: ann.store.decision(rid, "title_abstract", "bob") is not None, timeout=10000
    )
    assert ann.store.decision(rid, "title_abstract", "bob").decision == "exclude"
    # nothing waits to go once both are in step
    qtbot.waitUntil(lambda: "to send" not in ann.sync_button.text(), timeout=10000)
    assert "Server: postgresql://ann@" in ann.sync_button.toolTip()


def test_a_review_without_a_server_has_no_sync(window):
    assert getattr(window, "sync_controller", None) is None


def test_offline_is_shown_and_work_waits(
    qtbot, demo_review, team_db, tmp_path, memory_keyring, sync_jobs
):
    from reviewer.store import sync as local
    from reviewer.ui.main_window import MainWindow

    with Store(demo_review) as store:
        publish(store, team_db.admin_url)
    team_db.add_reviewers("ann")
    store, _ = clone(team_db.url("ann"), tmp_path / "ann.review")
    # the server moved away (nothing listens on port 1)
    local.set_sync_meta(store, url=team_db.url("ann", with_password=False).replace(
        f":{team_db.server.port}/", ":1/"))  # fmt: skip
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.decide("include")
    qtbot.waitUntil(lambda: w.sync_button.text().startswith("○ Offline"), timeout=20000)
    qtbot.waitUntil(lambda: "1 waiting" in w.sync_button.text(), timeout=10000)
    assert "Not connected" in w.sync_button.toolTip()
    w.close()
    store.close()


def test_a_sync_writes_through_the_windows_writer_and_the_list_follows(
    qtbot, two_windows, monkeypatch
):
    import threading

    from reviewer.review import operations as op
    from reviewer.review import sync as sync_module
    from reviewer.review.operations import Changes
    from reviewer.review.settings import BLINDED, set_blinded

    ann, bob = two_windows
    where: list[str] = []
    apply_pulled = sync_module.apply_pulled

    def spy(store, batch, role, report):
        where.append(threading.current_thread().name)
        return apply_pulled(store, batch, role, report)

    monkeypatch.setattr(sync_module, "apply_pulled", spy)
    qtbot.waitUntil(lambda: bob.sync_button.text().startswith("● Online"), timeout=20000)
    # bob's window reads through its own connection, which may no longer write
    bob.store.db.execute("pragma query_only = 1")
    rid = bob.current_id
    column = bob.model.index(bob.model.row_of(rid), 2)
    assert not bob.model.data(column)  # nobody has decided it yet
    assert bob.model.blinded  # the list shows bob's own decisions only

    # ann lifts the blinding: bob's list follows the setting's change notice
    ann.ops.run(op.write(lambda s: set_blinded(s, False, "ann"),
                         Changes(settings=frozenset({BLINDED}))))  # fmt: skip
    qtbot.waitUntil(lambda: not bob.model.blinded, timeout=15000)
    assert bob.filter_panel._viewer is None
    ann.go_to_record(rid)
    ann.decide("include")  # arrives at bob's through NOTIFY, no refresh asked for
    qtbot.waitUntil(lambda: bob.model.data(column) == "include", timeout=15000)
    assert bob.store.decision(rid, "title_abstract", "ann").decision == "include"
    assert where and set(where) == {"reviewer-writer"}  # every batch applied on the writer
    assert "to send" not in bob.sync_button.text()
    bob.store.db.execute("pragma query_only = 0")
