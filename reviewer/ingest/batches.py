"""An import's batches: records read made ready to store, checked for duplicates a
batch ahead of its write, and each batch written in one transaction with its source.

``reviewer.ingest.importer`` reads the batches here (``read_batches``) and hands each
to ``write_batch`` where the writes happen; ``Sizes`` says how many records the next
batch holds, by count or by the time the batches before took to write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from reviewer.domain import Source
from reviewer.ingest.base import Format, ImportFailure, RecordError
from reviewer.ingest.dedup import Deduplicator, Seen, seen_of, stored_keys
from reviewer.ingest.limits import limit_record
from reviewer.ingest.merged import complete_groups
from reviewer.ingest.reading import parse
from reviewer.store import Store, duplicates
from reviewer.store.store import RecordRows, record_row, rows_of

BATCH = 5000
# After this many records an import's duplicate checks forget what they remembered and
# read it back from the review by key (``Deduplicator.forget``): memory stays flat.
FORGET_EVERY = 100_000
BatchSize = int | Callable[[], int]  # records per transaction, or asked for each batch
Seconds = float | Callable[[], float]  # a time a batch's transaction should take
# Records in a batch sized by time: the first (nothing measured yet), the fewest, the most.
FIRST_TIMED, FEWEST_TIMED = 50, 10


class Sizes:
    """How many records the next batch holds: a count (``BATCH`` unless said; a
    function is asked each time, so a test or the command line may change it), or
    as many as take about ``seconds`` to write, judged by the batches before."""

    def __init__(self, size: BatchSize | None, seconds: Seconds | None) -> None:
        self.size, self.seconds = size, seconds
        self.per_record: float | None = None  # seconds, a moving average

    def next(self) -> int:
        if self.seconds is None:
            if self.size is None:
                return BATCH
            return self.size() if callable(self.size) else self.size
        if self.per_record is None:
            return FIRST_TIMED
        target = self.seconds() if callable(self.seconds) else self.seconds
        return max(FEWEST_TIMED, min(BATCH, int(target / self.per_record)))

    def wrote(self, records: int, seconds: float) -> None:
        each = seconds / max(1, records)
        old = self.per_record
        self.per_record = each if old is None else 0.7 * old + 0.3 * each


@dataclass
class Batch:
    """Records made ready to store in one transaction: checked for duplicates, as rows."""

    rows: RecordRows  # with the ids they were checked with, and duplicate_of
    duplicates: int
    keeps: set[int]  # the kept records the batch's duplicates join
    candidates: list[tuple[int, int, float]]  # (record, kept record, similarity)
    errors: list[str]  # met while reading them


# What a batch keeps of a record read: its row, its duplicate keys (``seen_of``) and its
# PMID; the record itself goes at once (see ``reviewer.store.store.rows_of``).
_Ready = tuple[tuple[Any, ...], Seen, str]


def deduplicate(
    dedup: Deduplicator, records: list[_Ready], errors: list[str], first_id: int
) -> Batch:
    """Check each record in turn (one can repeat an earlier one of the same batch), and
    make the rows, before the batch is written."""
    dup_of: list[int | None] = []
    pairs: list[tuple[int, int, float]] = []
    dedup.prefetch_seen([(seen, pmid) for _row, seen, pmid in records])
    for rid, (_row, seen, pmid) in enumerate(records, start=first_id):
        verdict = dedup.assign_seen(seen, pmid, rid)
        dup_of.append(verdict.duplicate_of)
        pairs.extend((rid, of, score) for of, score in verdict.candidates)
    keys = [stored_keys(seen) for _row, seen, _pmid in records]
    rows = rows_of([row for row, _seen, _pmid in records], first_id, dup_of, keys)
    keeps = {d for d in dup_of if d is not None}
    return Batch(rows, len([d for d in dup_of if d is not None]), keeps, pairs, errors)


def read_batches(
    store: Store,
    dedup: Deduplicator,
    fmt: Format,
    path: Path,
    column_map: dict[str, str] | None,
    resume: set[int],
    sizes: Sizes,
    start_id: int,
) -> Iterator[Batch]:
    """Batches to store, checked for duplicates, each with the errors met reading it.

    Records are checked a batch ahead of its write, with the ids they will get from
    ``start_id`` on (``write_batch`` makes sure the review has not grown meanwhile);
    those of ``resume`` (source indexes already stored) are passed over.
    """
    problems, items = parse(fmt, path, column_map)
    batch: list[_Ready] = []
    errors: list[str] = []
    next_id = start_id
    remembered = 0
    for number, item in enumerate(items, start=1):
        if problems:  # met reading the file: undecodable bytes, cut lines
            errors.extend(problems)
            problems.clear()
        if isinstance(item, RecordError):
            errors.append(
                str(ImportFailure(path, item.message, item.line, item.record or number))
            )
            continue
        if item.source_index in resume:
            continue
        item, cuts = limit_record(item)
        errors.extend(
            str(ImportFailure(path, f"{cut} (the record was imported)", item.source_line,
                              item.source_index + 1))
            for cut in cuts
        )  # fmt: skip
        batch.append((record_row(item), seen_of(item), item.pmid))
        if len(batch) >= sizes.next():
            if remembered >= FORGET_EVERY:  # every batch before this one is stored
                dedup.forget(store, next_id)
                remembered = 0
            yield deduplicate(dedup, batch, errors, next_id)
            next_id += len(batch)
            remembered += len(batch)
            batch, errors = [], []
    errors.extend(problems)
    if batch or errors:
        yield deduplicate(dedup, batch, errors, next_id)


class Wrote(NamedTuple):
    """What writing a batch did."""

    source_id: int
    candidates: int  # possible duplicates recorded
    completed: int  # earlier records completed from their duplicates
    seconds: float  # how long the transaction took, where it ran


def write_batch(store: Store, b: Batch, source: Source, source_id: int | None) -> Wrote | None:
    """Store a batch in one transaction, with the source row the first time; ``None``
    when the review grew meanwhile (its records' ids were taken), and nothing written."""
    started = time.perf_counter()
    with store.atomic():
        if duplicates.next_record_id(store) != b.rows.first_id:
            return None
        if source_id is None:
            source_id = store.add_source(source)
        store.add_records(source_id, b.rows)
        found = duplicates.add_candidates(store, b.candidates)
        # a duplicate may hold what its kept record lacks (an abstract, a DOI)
        completed = len(complete_groups(store, b.keeps))
    return Wrote(source_id, found, completed, time.perf_counter() - started)


def mark_complete(store: Store, source_id: int) -> None:
    """The source's last batch is stored: importing the file again changes nothing."""
    with store.atomic():
        store.set_source_status(source_id, "complete")
