"""Drafts: what is being typed in a form field, kept in the review file at each change.

A value is saved (validated, with its event) when the reviewer pauses or leaves the
field; a draft is the text before that, written at every keystroke, so that a crash
or a kill in between loses nothing: the next time the review is opened, the draft is
saved as the value (or shown in its field, when it is not a valid value yet).
Saving the value deletes the draft (``Store.set_value``, in the same transaction).

A draft is no change to the review, so it has no event and is not merged or
exported. Written on the window's thread at every keystroke, it must cost little
and never make the window wait: it is committed without waiting for the disk to
flush (``synchronous=normal``, which a killed process still leaves on disk, as the
operating system holds it; only a power cut can lose it), and when another program
holds the review for more than a moment, the draft waits in memory and the form
writes it again a moment later (``ExtractionForm._retry_drafts``). Within the window
every write, drafts and background jobs alike (a retrain keeping its ranking too),
goes through its one writer thread, so the window never holds the lock against itself.
"""

from __future__ import annotations

from typing import NamedTuple

from reviewer.domain.models import now_iso
from reviewer.store.errors import BUSY_TIMEOUT_SECONDS
from reviewer.store.store import Store

_WAIT_MS = 200  # at most this long for the write lock; then the draft stays in memory


class Draft(NamedTuple):
    record_id: int
    field: str
    text: str
    time: str


def keep(store: Store, record_id: int, field: str, reviewer: str, text: str) -> None:
    """Write (or replace) the draft of a field; raises ``StoreError`` when it cannot."""
    with _quickly(store), store.atomic():
        store.db.execute(
            "insert into drafts (record_id, field, reviewer, text, time) values (?, ?, ?, ?, ?) "
            "on conflict(record_id, field, reviewer) do update set text = excluded.text, "
            "time = excluded.time",
            [record_id, field, reviewer, text, now_iso()],
        )


def drop(store: Store, record_id: int, field: str, reviewer: str) -> None:
    """Forget the draft of a field (typed back to its saved value)."""
    with _quickly(store), store.atomic():
        store.db.execute(
            "delete from drafts where record_id = ? and field = ? and reviewer = ?",
            [record_id, field, reviewer],
        )


def of_record(store: Store, record_id: int, reviewer: str) -> dict[str, str]:
    """A record's drafts by field."""
    rows = store.db.execute(
        "select field, text from drafts where record_id = ? and reviewer = ?",
        [record_id, reviewer],
    )
    return dict(rows.fetchall())


def all_of(store: Store, reviewer: str) -> list[Draft]:
    """Every draft ``reviewer`` left, oldest first."""
    rows = store.db.execute(
        "select record_id, field, text, time from drafts where reviewer = ? "
        "order by time, record_id, field",
        [reviewer],
    )
    return [Draft(*row) for row in rows]


class _quickly:
    """Commit without waiting for the disk, and wait for the lock only a moment."""

    def __init__(self, store: Store):
        self.db = store.db

    def __enter__(self) -> None:
        self.db.execute("pragma synchronous=normal")
        self.db.execute(f"pragma busy_timeout={_WAIT_MS}")

    def __exit__(self, *exc: object) -> None:
        self.db.execute(f"pragma busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        self.db.execute("pragma synchronous=full")
