"""Nothing half-stored: an import killed at any moment leaves a sound review, and resumes.

A subprocess imports a large RIS file (from the bench's make_corpus.py, copied in
tests/data/bench) and is killed with SIGKILL while
batches are being written, twice. After each kill the review must pass
``PRAGMA integrity_check``, hold whole records only (title, authors and text equal to
what the file holds at that record's position), and its full-text index must agree
with the records table. Importing the file again completes it: every record once, and
the same duplicate groups as an import that was never interrupted.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewer.ingest import import_paths
from reviewer.ingest.base import RecordError
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import ris
from reviewer.review.project import create_review
from reviewer.store import Store, duplicates
from tests.conftest import make_corpus

ROOT = Path(__file__).resolve().parents[2]
N = 12_000
CHILD_BATCH = 500  # many small transactions: many moments to be killed between and in

CHILD = """
import sys
from reviewer.ingest import batches, import_paths
from reviewer.store import Store
batches.BATCH = int(sys.argv[3])
with Store(sys.argv[1]) as store:
    import_paths(store, [sys.argv[2]])
"""

pytestmark = pytest.mark.slow


def big_ris(path: Path) -> None:
    make_corpus(N, path)


def count(review: Path) -> int:
    conn = sqlite3.connect(f"file:{review}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("select count(*) from records").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def import_and_kill(review: Path, path: Path, rng: random.Random) -> int:
    """Start an import in a subprocess, SIGKILL it once it has written more; the count then."""
    before = count(review)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(review), str(path), str(CHILD_BATCH)], env=env
    )
    try:
        deadline = time.monotonic() + 120
        while count(review) <= before and child.poll() is None:
            assert time.monotonic() < deadline, "the import never wrote a batch"
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.3))  # some moment in the middle of the next batches
        assert child.poll() is None, "the import finished before it could be killed"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    return count(review)


def file_records(path: Path) -> dict[int, tuple]:
    stream, _ = open_text(path)
    with stream:
        return {
            r.source_index: (r.title, r.authors, r.text)
            for r in ris.parse(stream, path)
            if not isinstance(r, RecordError)
        }


def assert_sound(review: Path, expected: dict[int, tuple]) -> int:
    """The review after a kill: whole records only, and the search index agrees with them."""
    with Store(review) as store:
        assert store.integrity_check() == "ok"
        (source,) = store.sources()
        for rec in store.records():
            assert rec.source_id == source.id
            assert (rec.title, rec.authors, rec.text) == expected[rec.source_index]
        db = store.db
        # raises when the FTS index is damaged
        db.execute("insert into records_fts(records_fts) values ('integrity-check')")
        in_index = {r[0] for r in db.execute("select id from records_fts_docsize")}
        assert in_index == set(store.record_ids())
        last = store.record(max(in_index))
        word = max(last.title.split(), key=len).strip(".,:;()")
        assert last.id in store.record_ids(word)
        indexes = [r[0] for r in db.execute("select source_index from records")]
        assert len(indexes) == len(set(indexes))
        return len(indexes)


def test_an_import_killed_twice_leaves_whole_records_and_resumes(tmp_path):
    path = tmp_path / "big.ris"
    big_ris(path)
    expected = file_records(path)
    assert len(expected) == N
    review = tmp_path / "killed.review"
    create_review(review).close()
    rng = random.Random()

    first = import_and_kill(review, path, rng)
    assert 0 < assert_sound(review, expected) == first < N
    second = import_and_kill(review, path, rng)
    assert first < assert_sound(review, expected) == second < N
    with Store(review) as store:
        assert [s.status for s in store.sources()] == ["importing"]
        report = import_paths(store, [path])
        assert report.added + report.duplicates == N - second
        assert [s.status for s in store.sources()] == ["complete"]
    assert assert_sound(review, expected) == N

    # the same groups as an import that was never interrupted
    with create_review(tmp_path / "clean.review") as clean:
        import_paths(clean, [path])
        want = duplicates.duplicate_map(clean)
    with Store(review) as store:
        assert duplicates.duplicate_map(store) == want
        assert import_paths(store, [path]).files[0].skipped
