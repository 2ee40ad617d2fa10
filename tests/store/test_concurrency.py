"""Several writers at once: each waits for the write lock instead of failing.

Every write transaction starts ``BEGIN IMMEDIATE``, so a second writer queues behind
the first (up to the busy timeout) rather than failing with "database is locked" when
it tries to turn a read into a write. Two reviewers deciding and an import, all at
once, end with every write present; and the command line never shows a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from reviewer.ingest import batches, import_paths
from reviewer.review.screening import decide
from reviewer.store import Store

WRITES = 120  # per writer
DEADLINE = 180  # seconds: the test fails rather than hangs


def ris(path: Path, n: int, tag: str) -> Path:
    lines = []
    for i in range(n):
        lines += [
            "TY  - JOUR",
            f"TI  - {tag} trial number {i} of lenalidomide maintenance in cohort {i * 7}",
            f"AU  - Author{i}, A",
            f"PY  - {2000 + i % 20}",
            f"AB  - Abstract {i} of the {tag} records.",
            "ER  - ",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _seeded(tmp_path: Path, template) -> Path:
    path = tmp_path / "stress.review"
    Store.create(path, "stress", template).close()
    with Store(path) as store:
        import_paths(store, [ris(tmp_path / "seed.ris", 40, "seed")])
    return path


def _expected(reviewer_index: int) -> dict[int, str]:
    """The last decision each writer leaves on each record."""
    last: dict[int, str] = {}
    for i in range(WRITES):
        last[1 + i % 40] = ("include", "exclude")[(i // 40 + reviewer_index) % 2]
    return last


def test_two_writers_and_an_import_at_once_all_land(tmp_path, template, monkeypatch):
    monkeypatch.setattr(batches, "BATCH", 25)  # many import transactions, not one
    path = _seeded(tmp_path, template)
    new_file = ris(tmp_path / "new.ris", 300, "incoming")
    failures: list[BaseException] = []
    reports = []

    def writer(index: int, name: str) -> None:
        try:
            with Store(path) as store:
                for i in range(WRITES):
                    decision = ("include", "exclude")[(i // 40 + index) % 2]  # each a change
                    decide(store, 1 + i % 40, decision, name)
        except BaseException as exc:  # collected: the assertion shows them
            failures.append(exc)

    def importing() -> None:
        try:
            with Store(path) as store:
                reports.append(import_paths(store, [new_file]))
        except BaseException as exc:
            failures.append(exc)

    threads = [
        threading.Thread(target=writer, args=(0, "alice")),
        threading.Thread(target=writer, args=(1, "bob")),
        threading.Thread(target=importing),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE)
    assert not any(t.is_alive() for t in threads), "a writer never finished"
    assert failures == []
    (report,) = reports
    assert report.added == 300 and not any(f.errors for f in report.files)

    with Store(path) as store:
        assert store.record_count() == 340
        assert store.integrity_check() == "ok"
        for index, name in enumerate(("alice", "bob")):
            for rid, decision in _expected(index).items():
                assert store.decision(rid, "title_abstract", name).decision == decision
            events = [e for e in store.events() if e.reviewer == name]
            assert len(events) == WRITES


_CLI_LOOP = """
import sys
from reviewer.cli import main
review, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    code = main(["--review", review, "decide", str(1 + i % 40),
                 ("include", "exclude")[i % 2], "--reviewer", name])
    if code:
        sys.exit(code)
"""


def test_the_command_line_queues_too_and_never_shows_a_traceback(tmp_path, template):
    path = _seeded(tmp_path, template)
    new_file = ris(tmp_path / "new.ris", 400, "incoming")
    env = {**os.environ, "REVIEWER_DATA_DIR": str(tmp_path / "data")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CLI_LOOP, str(path), name, "40"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for name in ("carol", "dave")
    ]  # fmt: skip
    procs.append(
        subprocess.Popen(
            [sys.executable, "-m", "reviewer", "--review", str(path), "import", str(new_file)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
    )  # fmt: skip
    outs = [p.communicate(timeout=DEADLINE) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert "Traceback" not in err
        assert p.returncode == 0, err
    with Store(path) as store:
        assert store.record_count() == 440
        for name in ("carol", "dave"):
            assert len([e for e in store.events() if e.reviewer == name]) == 40
