"""Checks made before a review file is opened, and opening one read-only.

SQLite opens nearly anything: an empty file becomes a new database, a file it
cannot write is quietly opened read-only and fails later, and a review on a
read-only disk cannot be read at all in WAL mode ("unable to open database file").
These checks find each case first, so the message names it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import threading
from collections import Counter
from pathlib import Path

from reviewer.store.errors import BUSY_TIMEOUT_SECONDS, StoreError


def check_review_file(path: Path) -> None:
    """Raise ``StoreError`` unless ``path`` is a non-empty regular file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise StoreError(f"{path}: no such review") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path}: is a folder, not a review file")
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{path}: not a regular file, so not a review file")
    if st.st_size == 0 and not _has_content(Path(f"{path}-wal")):
        raise StoreError(
            f"{path}: the file is empty (0 bytes), so it is not a review file (was it "
            "copied or downloaded only in part?); nothing was changed"
        )
    if not os.access(path, os.R_OK):
        raise StoreError(f"{path}: cannot be read (permission denied)")


# Review files this process has open through SQLite, with how many connections.
# Closing any descriptor of a file drops every POSIX lock this process holds on it
# (https://sqlite.org/howtocorrupt.html, 2.2), SQLite's included: another program
# then believes it is the last one using the review, checkpoints, and deletes the
# write-ahead log and its index under our open connections ("disk I/O error", and
# what we write next goes to a deleted log). So the file is never opened by hand
# while a connection of ours is open on it.
_open_here: Counter[str] = Counter()
_open_lock = threading.Lock()


def opened_here(path: Path) -> None:
    """Note that a connection of this process is open on ``path``."""
    with _open_lock:
        _open_here[os.path.realpath(path)] += 1


def closed_here(path: Path) -> None:
    """Note that one of this process's connections on ``path`` was closed."""
    key = os.path.realpath(path)
    with _open_lock:
        _open_here[key] -= 1
        if _open_here[key] <= 0:
            del _open_here[key]


def is_open_here(path: Path) -> bool:
    with _open_lock:
        return _open_here[os.path.realpath(path)] > 0


def writable(path: Path) -> bool:
    """Whether SQLite can write the review: the file itself, and its folder for the
    write-ahead log (unless the log files exist already and can be written).

    The file is opened for writing, not just checked with ``access``, so that an
    immutable file or a read-only disk is found even by the administrator; but not
    while this process has it open (see ``_open_here``): then only ``access`` is asked,
    and SQLite itself reports a file that cannot be written when it is written.
    """
    if is_open_here(path):
        return os.access(path, os.W_OK)
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ETXTBSY):
            return False
        raise StoreError(f"{path}: cannot be opened ({exc.strerror or exc})") from exc
    os.close(fd)
    folder = path.parent
    if os.access(folder, os.W_OK | os.X_OK):
        return True
    logs = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    return all(p.exists() and os.access(p, os.W_OK) for p in logs)


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes the review.

    ``mode=ro`` first, which still sees another program's changes; where SQLite cannot
    even read that way (a read-only disk or folder, where the write-ahead log's index
    cannot be made), ``immutable=1``, which is right because nothing can change the
    file there.
    """
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        conn = sqlite3.connect(
            f"{uri}?{mode}", uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
        )
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            conn.close()
            last = exc
            continue
        return conn
    assert last is not None
    raise last


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False
