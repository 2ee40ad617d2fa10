"""What can go wrong with a review file, said in words a reviewer can act on.

SQLite reports a full disk, a lock held too long, a read-only file or a damaged one
as ``sqlite3`` exceptions with terse messages ("database or disk is full"). The
store turns them into ``StoreError``s that name the file, say what happened and
what to do, so that neither the command line nor the window ever shows a traceback
for them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_SECONDS = 30


class StoreError(Exception):
    """A review file cannot be opened or written; the message says which and why."""


class ReadOnlyError(StoreError):
    """A change was asked of a review that cannot be written (opened read-only, a
    read-only file, folder or disk)."""


class NewerReviewError(StoreError):
    """The review was made by a newer version of Reviewer: this one must not write it."""


class DiskFullError(StoreError):
    """The disk (or the file's size limit) is full: the change was not saved."""


def explain(path: Path, exc: sqlite3.Error) -> StoreError:
    """The ``StoreError`` (of the fitting kind) for a SQLite error on the review at ``path``."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    low = text.lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in low:
        return DiskFullError(
            f"{path}: the disk is full, so this change was not saved (everything saved "
            "before is intact); free some space and try again"
        )
    if name == "SQLITE_IOERR_WRITE":  # the system refused to write: a quota, a file limit
        return DiskFullError(
            f"{path}: the disk refused to write the review (it may be full, or over a "
            "quota), so this change was not saved (everything saved before is intact); "
            "free some space and try again"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in low:
        return StoreError(
            f"{path}: the review is busy: another program or window kept it locked for "
            f"more than {BUSY_TIMEOUT_SECONDS} seconds, so nothing was changed; try again"
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in low or "read-only" in low:
        return ReadOnlyError(read_only_message(path))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "not a database" in low:
        return StoreError(f"{path}: not a review file, or a damaged one ({text})")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(f"{path}: the review file cannot be opened ({text})")
    if name.startswith("SQLITE_IOERR") or "i/o error" in low:
        return StoreError(
            f"{path}: the disk reported an error reading or writing the review ({text}); "
            "the change was not saved"
        )
    return StoreError(f"{path}: {text}")


def read_only_message(path: Path) -> str:
    return (
        f"{path}: the review cannot be written (the file, its folder or the disk is "
        "read-only); open it read-only to look at it (reviewer --read-only, or "
        "File → Open review read-only…), or copy it somewhere you can write"
    )
