"""Importing files into a review: the one function the UI, the CLI and benchmarks call.

Each file is read as a stream, its records parsed, checked for duplicates and
written in batches, each batch one transaction together with the source row, so a
kill at any moment leaves whole records only. A source stays ``importing`` until
its last batch commits; importing the same file again resumes it where it
stopped, or, when it is complete, changes nothing and says so.

Reading, parsing and checking need no write lock; only each batch's inserts do.
The command line does both on one thread, in turn. The window reads on its import
job's thread, through a connection of its own, and hands each batch's inserts to
its one writer (``write``), sized by time (``batch_seconds``): the writer is held
for one short transaction at a time, and the reviewer's decisions go between two.

Finding and reading the files is ``reviewer.ingest.reading``; making the batches
ready and writing each is ``reviewer.ingest.batches``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reviewer.domain import FileReport, ImportReport, Source
from reviewer.ingest import formats
from reviewer.ingest.base import ImportFailure, UnknownColumns
from reviewer.ingest.batches import (
    BatchSize,
    Seconds,
    Sizes,
    mark_complete,
    read_batches,
    write_batch,
)
from reviewer.ingest.dedup import Deduplicator
from reviewer.ingest.reading import detect, expand_folders, file_kind, sha256_of
from reviewer.store import Store, StoreError, duplicates, wal
from reviewer.store.records import bulk_writing
from reviewer.store.wal import Checkpoints
from reviewer.wording import count

T = TypeVar("T")
# Runs ``fn`` with the store that writes, where its writes happen (``fn(store)`` by default;
# the window's writer thread); returns what ``fn`` returns.
Write = Callable[[Callable[[Store], T]], T]


@dataclass
class Progress:
    """What a progress bar shows while an import runs."""

    path: str
    file_index: int
    file_count: int
    records_done: int
    records_per_second: float
    bytes_done: int = 0
    bytes_total: int = 0


ProgressFn = Callable[[Progress], None]
CancelFn = Callable[[], bool]


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    format_name: str | None = None,
    column_map: dict[str, str] | None = None,
    batch_size: BatchSize | None = None,
    *,
    batch_seconds: Seconds | None = None,
    write: Write[Any] | None = None,
) -> ImportReport:
    """Import files and folders into ``store``; never raises for bad input, reports it.

    ``column_map`` maps our field names to the columns of a CSV whose header is not
    recognised (``{"title": "Article Title", ...}``); it implies the CSV format.
    ``batch_size`` records are written per transaction (``BATCH`` unless said; or a
    function saying how many, asked as each batch is read). ``batch_seconds`` sizes
    them by time instead: as many records as the batches before wrote in that time
    (or a function saying the time, asked as each batch is read).

    ``write(fn)`` runs each step that writes as ``fn(store that writes)``, where it
    writes (by default ``fn(store)``, in turn with the reading). Given it, ``store``
    is only read, and may be a read-only store of the calling thread: the window's
    job reads, parses and checks on its own thread, and its writer holds the lock for
    one batch's inserts at a time.
    """
    files, passed = expand_folders(paths)
    report = ImportReport()
    for path, why in passed:  # said in the report, as a file that added nothing
        report.files.append(FileReport(path=str(path), notes=[f"{path.name}: skipped: {why}"]))
    apart = write is not None  # reading here, writing elsewhere (the window)
    if write is None:
        write = _here(store)
    dedup = write(Deduplicator.from_store)  # may complete the review's keys: a write
    try:
        with _bulk(write), _checkpoints(store, write, apart) as checkpoints:
            writing = _Writing(write, Sizes(batch_size, batch_seconds), checkpoints)
            _import_files(
                store, files, report, dedup, progress, cancel, format_name, column_map, writing
            )
    finally:
        dedup.close()
    return report


def _here(store: Store) -> Write[Any]:
    def write(fn: Callable[[Store], T]) -> T:
        return fn(store)

    return write


@contextmanager
def _bulk(write: Write[Any]) -> Iterator[None]:
    """``bulk_writing`` on the store that writes, from the first batch to the last (its
    settings are the connection's: they hold between the batches, and are restored
    after the last one, where the writes happen)."""
    settings = write(_entered)
    try:
        yield
    finally:
        write(lambda _s: settings.__exit__(None, None, None))


@contextmanager
def _checkpoints(store: Store, write: Write[Any], apart: bool) -> Iterator[Checkpoints | None]:
    """With a writer apart, the log is copied back from here, not in its commits (see
    ``reviewer.store.wal``); on one thread, SQLite does it as it always does."""
    if not apart:
        yield None
        return
    checkpoints = Checkpoints(store.path)
    before = write(lambda s: wal.autocheckpoint(s, 0))
    try:
        yield checkpoints
    finally:
        write(lambda s: wal.autocheckpoint(s, before))
        try:
            checkpoints.now()  # the writer's next commit finds a short log
        finally:
            checkpoints.close()


@dataclass
class _Writing:
    """How batches are written: where (``write``), how many records each, and who
    copies the log back meanwhile."""

    write: Write[Any]
    sizes: Sizes
    checkpoints: Checkpoints | None


def _entered(store: Store) -> AbstractContextManager[None]:
    settings = bulk_writing(store)
    settings.__enter__()
    return settings


def _import_files(
    store: Store,
    files: list[Path],
    report: ImportReport,
    dedup: Deduplicator,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
    format_name: str | None,
    column_map: dict[str, str] | None,
    writing: _Writing,
) -> None:
    started = time.monotonic()
    done_total = 0
    for index, path in enumerate(files):
        if cancel and cancel():
            report.cancelled = True
            break
        file_report = FileReport(path=str(path))
        report.files.append(file_report)

        def tick(
            n: int,
            bytes_done: int = 0,
            bytes_total: int = 0,
            _path: Path = path,
            _index: int = index,
            _before: int = done_total,
        ) -> None:
            if progress:
                elapsed = max(1e-6, time.monotonic() - started)
                progress(
                    Progress(
                        str(_path),
                        _index,
                        len(files),
                        _before + n,
                        (_before + n) / elapsed,
                        bytes_done,
                        bytes_total,
                    )
                )

        try:
            _import_file(
                store, path, file_report, dedup, tick, cancel, format_name, column_map,
                writing,
            )
        except UnknownColumns as exc:
            file_report.errors.append(str(exc))
            file_report.unmapped_columns = exc.columns
        except ImportFailure as exc:
            file_report.errors.append(str(exc))
        except OSError as exc:
            file_report.errors.append(f"{path.name}: cannot read the file ({exc.strerror or exc})")
        except StoreError as exc:  # the review could not be written: no use going on
            raise type(exc)(
                f"{exc}. {path.name}: {file_report.added + file_report.duplicates} records "
                "were stored before; importing the file again carries on where it stopped"
            ) from exc
        done_total += file_report.added + file_report.duplicates
        if cancel and cancel():
            report.cancelled = True
            break


def _import_file(
    store: Store,
    path: Path,
    report: FileReport,
    dedup: Deduplicator,
    tick: Callable[..., None],
    cancel: CancelFn | None,
    format_name: str | None,
    column_map: dict[str, str] | None,
    writing: _Writing,
) -> None:
    if not path.exists():
        raise ImportFailure(path, "no such file")
    if not path.is_file():
        raise ImportFailure(path, f"not a regular file ({file_kind(path)}), so not an export")
    size = path.stat().st_size
    if size == 0:
        raise ImportFailure(path, "the file is empty")
    digest = sha256_of(path)
    known = store.source_by_sha256(digest)
    if known is not None and known.status == "complete":
        report.format = known.format
        report.skipped = True
        report.notes.append(f"{path.name}: already imported (as {known.name}); nothing changed")
        return
    if column_map:
        format_name = "csv"
    fmt = formats.by_name(format_name) if format_name else detect(path)
    report.format = fmt.name
    resume: set[int] = set()
    if known is not None:  # an interrupted import of this very file: carry on
        source_id = known.id
        resume = store.source_indexes(source_id)
    else:
        source_id = None
    source = Source(
        name=path.name,
        path=str(path.resolve()),
        sha256=digest,
        size=size,
        format=fmt.name,
        status="importing",
    )

    # Records are checked for duplicates a batch ahead of its write, with
    # the ids they will get; each write makes sure the review has not grown meanwhile.
    start_id = duplicates.next_record_id(store)
    batches = read_batches(
        store, dedup, fmt, path, column_map, resume, writing.sizes, start_id
    )
    # The batches are read and checked here, and each written by ``write``, where the
    # writes happen; the next batch is read once this one is written. (Reading ahead
    # while a batch is written only paid off with the interpreter's switch interval
    # shortened for the whole process, which no library may do.)
    found, grown = 0, False
    with closing(batches) as read:
        for b in read:
            report.errors.extend(b.errors)
            if not b.rows.count:
                continue
            wrote = writing.write(lambda s, b=b, sid=source_id: write_batch(s, b, source, sid))
            if wrote is None:
                grown = True
                break
            source_id = wrote.source_id
            writing.sizes.wrote(b.rows.count, wrote.seconds)
            if writing.checkpoints is not None:
                writing.checkpoints.wrote(b.rows.count)
            found += wrote.candidates
            report.completed += wrote.completed
            report.added += b.rows.count - b.duplicates
            report.duplicates += b.duplicates
            tick(report.added + report.duplicates)
            if cancel and cancel():
                report.errors.append(
                    f"{path.name}: cancelled after {report.added} records; "
                    "importing the file again carries on where it stopped"
                )
                return
    if grown:  # the checks made with the ids records would have had are undone
        dedup.restart(store)
        raise ImportFailure(
            path, "records were added to the review from elsewhere meanwhile; "
            "importing the file again carries on where it stopped")  # fmt: skip
    if report.completed:
        report.notes.append(
            f"{path.name}: {count(report.completed, 'earlier record')} completed with what "
            "their duplicates here add (an abstract, an identifier, the journal or pages)"
        )
    if found:
        report.notes.append(
            f"{path.name}: {count(found, 'record')} may repeat earlier ones (similar titles); "
            "confirm or reject them in the duplicates view"
        )
    if source_id is None and not resume:
        if not report.errors:
            raise ImportFailure(path, f"no records found in this {fmt.name} file")
        return
    if source_id is not None:
        writing.write(lambda s, sid=source_id: mark_complete(s, sid))


