"""Five reviewers syncing one review through a real PostgreSQL server while the server
cuts their connections at random: does every copy end with the same events and state?

Each reviewer works on a local clone: 2,000 screening decisions and 500 extraction
edits (some on the same fields as others: conflicts), syncing after every batch of
work. Reviewer 5 works offline for most of the run and syncs only near the end. A
saboteur terminates the reviewers' server connections at random moments. When the
work is done everyone syncs until a round changes nothing; then every copy and the
server must hold the same events (count, and a hash of the ids in id order), each
reviewer's own events must all be on the server once, and every copy must hold the
same state (``reviewer.store.sync.state_digest``).

Figures: time to converge, events per second through the server, and as the peer
measured in the same run, the rate at which the reviewers logged events locally.

    .venv/bin/python benchmarks/sync_bench.py [--reviewers 5] [--decisions 2000]
        [--edits 500] [--records 3000] [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewer.domain import ParsedRecord  # noqa: E402
from reviewer.review.project import create_review  # noqa: E402
from reviewer.review.screening import decide  # noqa: E402
from reviewer.review.sync import SyncError, clone, publish, sync  # noqa: E402
from reviewer.store import Store, pg  # noqa: E402
from reviewer.store import sync as local  # noqa: E402
from tests import pg_server  # noqa: E402  (the same server the tests start)

DB = "team_review"
FIELDS = ("condition", "comparator", "funding")


@dataclass
class Reviewer:
    name: str
    path: Path
    offline: bool = False
    syncs: int = 0
    failed_syncs: int = 0
    logged: int = 0  # events this reviewer logged locally
    log_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def build_review(path: Path, n: int) -> None:
    store = create_review(path, "Sync benchmark")
    records = [
        ParsedRecord(
            title=f"Trial {i} of an intervention", abstract=f"Abstract {i}.", year=2000 + i % 24
        )
        for i in range(n)
    ]
    store.add_records(None, records)
    store.close()


def try_sync(store: Store, who: Reviewer) -> bool:
    try:
        sync(store, password=f"{who.name}-pw")
        who.syncs += 1
        return True
    except SyncError as exc:
        who.failed_syncs += 1
        if "stopped" not in str(exc) and "cannot reach" not in str(exc):
            who.errors.append(str(exc))
        return False


def work(who: Reviewer, args, start_gate: threading.Event, online_at: threading.Event) -> None:
    rnd = random.Random(f"{args.seed}-{who.name}")
    store = Store(who.path)
    try:
        ids = store.record_ids()
        ops = ["decide"] * args.decisions + ["edit"] * args.edits
        rnd.shuffle(ops)
        start_gate.wait()
        for i, op in enumerate(ops):
            t = time.perf_counter()
            rid = rnd.choice(ids)
            if op == "decide":
                decide(store, rid, rnd.choice(("include", "exclude", "maybe")), who.name)
            else:
                # a small pool of records, so that reviewers edit the same fields
                rid = ids[rnd.randrange(60)]
                store.set_value(rid, rnd.choice(FIELDS), f"{who.name}-{i}", who.name)
            who.log_seconds += time.perf_counter() - t
            who.logged += 1
            if (i + 1) % args.batch == 0 and (not who.offline or online_at.is_set()):
                try_sync(store, who)
        if who.offline:
            online_at.wait()
        try_sync(store, who)
    except Exception as exc:  # noqa: BLE001 (reported below, the run fails)
        who.errors.append(repr(exc))
        raise
    finally:
        store.close()


def saboteur(server, stop: threading.Event, rnd: random.Random, cuts: list[int]) -> None:
    while not stop.wait(rnd.uniform(0.05, 0.6)):
        cuts.append(server.terminate_backends())


def log_of(store: Store) -> tuple[int, str]:
    ids = sorted(r[0] for r in store.db.execute("select id from events"))
    return len(ids), hashlib.md5(",".join(ids).encode()).hexdigest()


def server_log(url: str) -> tuple[int, str, dict[str, int]]:
    with pg.connect(url) as conn:
        ids = sorted(r[0] for r in conn.execute("select id from reviewer.events"))
        by = dict(conn.execute("select reviewer, count(*) from reviewer.events group by 1"))
    return len(ids), hashlib.md5(",".join(ids).encode()).hexdigest(), by


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviewers", type=int, default=5)
    ap.add_argument("--decisions", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=500)
    ap.add_argument("--records", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=100, help="work between two syncs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--debug", action="store_true")
    args = ap.parse_args()

    import keyring
    from keyring.backend import KeyringBackend

    class NoKeyring(KeyringBackend):  # passwords come in the URLs here
        priority = 1

        def get_password(self, service, username):
            return None

        def set_password(self, service, username, password):
            pass

        def delete_password(self, service, username):
            pass

    keyring.set_keyring(NoKeyring())
    server = pg_server.start()
    tmp = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    try:
        server.create_database(DB)
        base = tmp / "base.review"
        build_review(base, args.records)
        with Store(base) as store:
            publish(store, server.admin_url(DB))
        team: list[Reviewer] = []
        for k in range(1, args.reviewers + 1):
            name = f"reviewer{k}"
            server.create_login(name, f"{name}-pw")
            server.execute(f"grant {DB}_reviewers to {name}", DB)
            path = tmp / f"{name}.review"
            store, _ = clone(server.url(name, f"{name}-pw", DB), path)
            store.close()
            team.append(Reviewer(name, path, offline=k == args.reviewers))

        gate, online_at, stop = threading.Event(), threading.Event(), threading.Event()
        cuts: list[int] = []
        threads = [threading.Thread(target=work, args=(r, args, gate, online_at)) for r in team]
        killer = threading.Thread(
            target=saboteur, args=(server, stop, random.Random(args.seed), cuts)
        )
        for t in threads:
            t.start()
        t0 = time.perf_counter()
        gate.set()
        killer.start()
        online = [r for r in team if not r.offline]
        while any(t.is_alive() for t, r in zip(threads, team, strict=True) if not r.offline):
            time.sleep(0.2)
        online_at.set()  # the offline reviewer comes back when the others are done
        for t in threads:
            t.join()
        worked = time.perf_counter() - t0
        stop.set()
        killer.join()

        # converge: everyone syncs until a whole round changes nothing
        t1 = time.perf_counter()
        stores = [Store(r.path) for r in team]
        rounds = 0
        while True:
            rounds += 1
            moved = 0
            for s, r in zip(stores, team, strict=True):
                report = sync(s, password=f"{r.name}-pw")
                r.syncs += 1
                moved += report.pushed + report.pulled
            if not moved:
                break
        converged = time.perf_counter() - t1

        total, digest, by = server_log(server.admin_url(DB))
        logs = [log_of(s) for s in stores]
        states = {local.state_digest(s) for s in stores}
        own = {
            r.name: s.db.execute(
                "select count(*) from events where reviewer = ?", [r.name]
            ).fetchone()[0]
            for s, r in zip(stores, team, strict=True)
        }
        conflicts = stores[0].db.execute("select count(*) from merge_conflicts").fetchone()[0]
        if len(states) > 1:
            first = list(local._state_lines(stores[0]))
            for other in stores[1:]:
                lines = list(local._state_lines(other))
                diff = [(a, b) for a, b in zip(first, lines, strict=False) if a != b][:3]
                print(f"  {other.path.name} differs from {stores[0].path.name}: {diff}")
                if diff and diff[0][0][0] == "decision" and "--debug" in sys.argv:
                    uid, who = diff[0][0][1], diff[0][0][3]
                    with pg.connect(server.admin_url(DB)) as c:
                        for row in c.execute(
                            "select seq, id, reviewer, kind, payload::text, pushed_by, base_seq from reviewer.events where record_uid = %s order by seq",
                            [uid],
                        ):
                            print("     ", row)
                    for st_ in stores:
                        rid = st_.db.execute(
                            "select record_id from record_uids where uid=?", [uid]
                        ).fetchone()[0]
                        print("    ", st_.path.name, st_.decision(rid, "title_abstract", who))
        for s in stores:
            s.close()

        ok = (
            all(log == (total, digest) for log in logs)
            and len(states) == 1
            and all(by.get(name, 0) == n for name, n in own.items())
            and not any(r.errors for r in team)
        )
        logged = sum(r.logged for r in team)
        log_rate = logged / sum(r.log_seconds for r in team) * len(team)
        print(
            f"reviewers: {len(team)} ({len(online)} online, 1 offline until the others were done)"
        )
        print(
            f"work: {logged:,} edits logged in {worked:.1f} s; connections cut {len(cuts)} times "
            f"({sum(cuts)} backends); syncs {sum(r.syncs for r in team)}, "
            f"{sum(r.failed_syncs for r in team)} cut off and retried"
        )
        print(
            f"server: {total:,} events; every copy: {logs[0][0]:,} events, ids hash "
            f"{logs[0][1][:12]} ({'same' if len(set(logs)) == 1 else 'DIFFERENT'}), "
            f"state hash {'same on all copies' if len(states) == 1 else 'DIFFERENT'}; "
            f"{conflicts} conflicts raised for people to settle"
        )
        print(
            f"each reviewer's own events on the server once: "
            f"{'yes' if all(by.get(n, 0) == c for n, c in own.items()) else 'NO'} {own}"
        )
        print(f"converged in {converged:.2f} s ({rounds} sync rounds after the work)")
        rate = (total * len(team)) / (worked + converged)
        print(
            f"through the server: {rate:,.0f} events/s delivered to copies over the run "
            f"(each event reaches {len(team)} copies); local logging ran at "
            f"{log_rate:,.0f} events/s across the team: ratio {rate / log_rate:.2f}"
        )
        for r in team:
            for e in r.errors:
                print(f"  {r.name}: {e}")
        print("RESULT:", "converged, nothing lost or doubled" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
