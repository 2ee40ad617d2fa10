"""Files Reviewer must not write, or must not take for reviews: each gets a clear message.

A review made by a newer Reviewer (migrations this version does not know, or a higher
``user_version``) is refused for writing and can be opened read-only; a review that
cannot be written (an immutable file in an immutable folder, or read-only permissions,
as on a read-only disk) is read read-only by the commands that only read and refused,
with the reason, by those that write; an empty file and a folder are not reviews. The
command line says so in one line and never with a traceback, and the file is left as
it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.review.project import create_review
from reviewer.review.screening import decide
from reviewer.store import Store, StoreError
from reviewer.store.errors import NewerReviewError, ReadOnlyError
from tests.cli_runner import run


def cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    """The command in this process (tests/cli_runner.py): its message and exit status."""
    return run(*args, check=False, env={"REVIEWER_DATA_DIR": str(env_dir)})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def small_review(path: Path) -> Path:
    with create_review(path) as store:
        store.add_records(None, [ParsedRecord(title="An article", text="Some words.")])
    return path


def made_by_a_newer_version(path: Path, how: str) -> None:
    conn = sqlite3.connect(path)
    if how == "migration":
        conn.execute(
            "insert into _migrations (name, applied_at) values ('m099_future', '2030-01-01')"
        )
        conn.execute("alter table decisions add column confidence real")
    else:
        conn.execute("pragma user_version = 99")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("how", ["migration", "user_version"])
def test_a_review_from_a_newer_version_is_refused_for_writing_and_opens_read_only(tmp_path, how):
    path = small_review(tmp_path / "newer.review")
    made_by_a_newer_version(path, how)
    before = digest(path)
    with pytest.raises(NewerReviewError, match="newer version of Reviewer.*read-only"):
        Store(path)
    with Store(path, read_only=True) as store:
        assert store.record_count() == 1
        with pytest.raises(ReadOnlyError, match="open read-only"):
            decide(store, 1, "include", "alice")
    assert digest(path) == before

    out = cli("--review", str(path), "decide", "1", "include", env_dir=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "newer version of Reviewer" in out.stderr and "--read-only" in out.stderr
    out = cli("--review", str(path), "--read-only", "list", env_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "An article" in out.stdout
    out = cli("--review", str(path), "--read-only", "decide", "1", "include", env_dir=tmp_path)
    assert out.returncode == 2 and "--read-only does not allow" in out.stderr
    assert digest(path) == before


@pytest.fixture
def unwritable(tmp_path):
    """Make a file and its folder unwritable, as a read-only disk is: immutable for the
    administrator (who ignores permissions), read-only permissions for anyone else."""
    made: list[Path] = []

    def make(*paths: Path) -> None:
        for p in paths:
            if os.geteuid() == 0:
                if shutil.which("chattr") is None:
                    pytest.skip("no chattr to make a file immutable")
                done = subprocess.run(["chattr", "+i", str(p)], capture_output=True)
                if done.returncode:
                    pytest.skip(f"chattr +i does not work here: {done.stderr.strip()}")
            else:
                p.chmod(0o555 if p.is_dir() else 0o444)
            made.append(p)

    yield make
    for p in reversed(made):
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(p)], capture_output=True)
        p.chmod(0o755 if p.is_dir() else 0o644)


def test_a_review_that_cannot_be_written_is_read_read_only_and_refused_for_writing(
    tmp_path, unwritable
):
    folder = tmp_path / "disk"
    folder.mkdir()
    path = small_review(folder / "locked.review")
    before = digest(path)
    unwritable(path, folder)

    with pytest.raises(ReadOnlyError, match="cannot be written.*read-only"):
        Store(path)
    with Store(path, read_only=True) as store:  # no log files can be made in the folder
        assert [r.title for r in store.records()] == ["An article"]

    out = cli("--review", str(path), "list", env_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "An article" in out.stdout and "opened read-only" in out.stderr
    out = cli("--review", str(path), "decide", "1", "include", env_dir=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "cannot be written" in out.stderr
    assert digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["locked.review"]


def test_an_empty_file_is_not_a_review_and_stays_empty(tmp_path):
    path = tmp_path / "empty.review"
    path.touch()
    with pytest.raises(StoreError, match=r"empty \(0 bytes\)"):
        Store(path)
    out = cli("--review", str(path), "list", env_dir=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "empty (0 bytes)" in out.stderr
    assert path.stat().st_size == 0


def test_a_folder_or_another_file_is_not_a_review(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)
    text = tmp_path / "notes.review"
    text.write_text("not a database at all\n" * 100)
    before = digest(text)
    out = cli("--review", str(text), "decide", "1", "include", env_dir=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "not a review file" in out.stderr
    assert digest(text) == before
