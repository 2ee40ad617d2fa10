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


def writable(path: Path) -> bool:
    """Whether SQLite can write the review: the file itself, and its folder for the
    write-ahead log (unless the log files exist already and can be written).

    The file is opened for writing, not just checked with ``access``, so that an
    immutable file or a read-only disk is found even by the administrator.
    """
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
