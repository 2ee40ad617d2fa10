"""A copy for another reviewer: consistent at any moment, named, nothing left behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewer.review import merge, screening
from reviewer.store import Store, StoreError
from reviewer.store.copies import CopyCancelled, copy_name, copy_review


@pytest.fixture
def store(demo_review):
    s = Store(demo_review)
    s.db.execute("pragma wal_autocheckpoint=0")  # the latest work stays in the -wal
    yield s
    s.close()


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_a_copy_holds_the_work_still_in_the_wal(store, tmp_path):
    screening.decide(store, 3, "exclude", "ann", reason="wrong population")
    seen = []
    dest = copy_review(store, tmp_path / "bob.review", copy_name(store.name, "Bob"),
                       progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert _beside(dest) == ["bob.review"]  # no -wal, -shm or .part
    assert seen and seen[-1][0] == seen[-1][1]
    with Store(dest) as copy:
        assert copy.decision(3, "title_abstract", "ann").reason == "wrong population"
        assert copy.name == "Lenalidomide demo review — Bob's copy"
        assert copy.meta("copied_from") == str(store.path.resolve())
        assert copy.integrity_check() == "ok"


def test_a_cancelled_copy_leaves_nothing(store, tmp_path):
    with pytest.raises(CopyCancelled):
        copy_review(store, tmp_path / "c.review", cancel=lambda: True)
    assert list(tmp_path.glob("c.review*")) == []


def test_a_copy_never_overwrites(store, tmp_path):
    (tmp_path / "x.review").write_text("someone's file")
    with pytest.raises(StoreError, match="already exists"):
        copy_review(store, tmp_path / "x.review")
    with pytest.raises(StoreError, match="itself"):
        copy_review(store, store.path)


def test_merging_a_copy_that_is_open_elsewhere_takes_its_latest_work(store, tmp_path):
    other_path = copy_review(store, tmp_path / "bob.review")
    with Store(other_path) as other:  # Bob's window is open; his work is in his -wal
        other.db.execute("pragma wal_autocheckpoint=0")
        screening.decide(other, 4, "include", "bob")
        report = merge.merge(store, other_path, reviewer="ann")
        assert report.copied >= 1
        assert store.decision(4, "title_abstract", "bob").decision == "include"
    assert _beside(other_path) == ["bob.review"]  # Bob closed: his files are his own


def test_two_copies_have_different_names(store, tmp_path):
    a = copy_review(store, tmp_path / "a.review", copy_name(store.name, "Ann"))
    b = copy_review(store, tmp_path / "b.review", copy_name(store.name, "Bob"))
    with Store(a) as sa, Store(b) as sb:
        assert sa.name != sb.name


def test_the_file_copy_misses_the_wal(store, tmp_path):
    """Why copies go through the backup API (the bug a reviewer met)."""
    screening.decide(store, 5, "include", "ann")
    shutil.copy(store.path, tmp_path / "plain.review")
    with Store(tmp_path / "plain.review") as plain:
        assert plain.decision(5, "title_abstract", "ann") is None
