"""A copy of a review for another reviewer, consistent at any moment.

A review file runs in WAL mode, so its latest work may sit in ``NAME.review-wal``
until SQLite copies it back: copying the ``.review`` file alone, while the app is
open, gives a copy without it. SQLite's online backup API copies the database as one
connection sees it (committed work in the WAL included), page by page, and starts
over by itself if a write lands meanwhile, so the copy is always whole.

The copy gets its own name (shown in the window title and in Recent reviews) so two
copies of one review are told apart, and remembers which file it was copied from.
It is written beside its destination and renamed into place only when complete, and
its connection is closed cleanly: no ``-wal``/``-shm`` files are left beside it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from reviewer.domain.models import now_iso
from reviewer.store.store import Store, StoreError

ProgressFn = Callable[[int, int], None]  # (pages copied, pages in all)
CancelFn = Callable[[], bool]
PAGES_PER_STEP = 256  # 4 MB at 16 KB pages: small steps, so a writer never waits long


class CopyCancelled(Exception):
    """The copy was cancelled; nothing was left at the destination."""


def copy_name(name: str, who: str) -> str:
    """The name a copy for ``who`` gets: the review's name and whose copy it is."""
    return f"{name} — {who}'s copy" if who else f"{name} (copy)"


def copy_review(
    store: Store,
    dest: str | Path,
    name: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Path:
    """Write a consistent copy of ``store`` to ``dest`` (which must not exist) named
    ``name`` (default: the review's name and "(copy)"); return its path."""
    dest = Path(dest)
    if dest.resolve() == store.path.resolve():
        raise StoreError(f"{dest}: this is the review itself")
    if dest.exists():
        raise StoreError(f"{dest}: already exists; choose another file name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    _remove(part)
    target = sqlite3.connect(str(part))
    try:
        _backup(store.db.conn, target, progress, cancel)
        with target:
            for key, value in (
                ("name", name or copy_name(store.name, "")),
                ("copied_from", str(store.path.resolve())),
                ("copied_at", now_iso()),
            ):
                target.execute(
                    "insert into review_meta (key, value) values (?, ?) "
                    "on conflict(key) do update set value = excluded.value",
                    [key, value],
                )
        target.execute("pragma wal_checkpoint(truncate)")
    except BaseException:
        target.close()
        _remove(part)
        raise
    target.close()  # the last connection: SQLite folds the WAL in and removes it
    os.replace(part, dest)
    return dest


def _backup(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if cancel and cancel():
            raise CopyCancelled
        if progress:
            progress(total - remaining, total)

    try:
        source.backup(target, pages=PAGES_PER_STEP, progress=step)
    except sqlite3.Error as exc:
        raise StoreError(f"the copy could not be written ({exc})") from exc


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
