"""Copying the write-ahead log back into the review file away from the writer.

SQLite copies the log back (a checkpoint) in whichever commit makes it longer than
``wal_autocheckpoint`` pages: during an import that is one of its batches, or a
decision made between two, held up for as long as copying tens of megabytes takes.
While the window imports, its writer stops doing that (``autocheckpoint``) and the
import's own thread does it from a connection of its own (``Checkpoints``): a
checkpoint needs no write lock, so the writer's commits go on meanwhile.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reviewer.store.errors import BUSY_TIMEOUT_SECONDS
from reviewer.store.store import Store


def autocheckpoint(store: Store, pages: int) -> int:
    """Set how long the log of ``store``'s connection grows before a commit copies it
    back (0: never); return what it was."""
    before = store.db.execute("pragma wal_autocheckpoint").fetchone()[0]
    store.db.execute(f"pragma wal_autocheckpoint = {int(pages)}")
    return int(before)


class Checkpoints:
    """Copies the log back, from the calling thread's own connection, once every
    ``every`` records written (``wrote``) and when asked (``now``).

    A passive checkpoint: it copies what no reader still needs and never waits for the
    writer, nor makes it wait. Opened for writing (copying the log back writes the
    review file) but it changes nothing in the review.
    """

    def __init__(self, path: str | Path, every: int = 2000):
        self.every = every
        self._since = 0
        self.conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
        )

    def wrote(self, records: int) -> None:
        self._since += records
        if self._since >= self.every:
            self.now()

    def now(self) -> None:
        self._since = 0
        try:
            self.conn.execute("pragma wal_checkpoint(passive)").fetchall()
        except sqlite3.OperationalError:
            # a file that cannot be written here (the import's own write then says so),
            # or a full disk: the log stays, and a later commit copies it back
            pass

    def close(self) -> None:
        self.conn.close()
