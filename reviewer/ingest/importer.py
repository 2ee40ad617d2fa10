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
"""

from __future__ import annotations

import hashlib
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from reviewer.domain import FileReport, ImportReport, ParsedRecord, Source
from reviewer.ingest import formats
from reviewer.ingest.base import Format, ImportFailure, RecordError, UnknownColumns
from reviewer.ingest.dedup import Deduplicator, Seen, seen_of, stored_keys
from reviewer.ingest.encoding import MAX_REPORTED, Decoding, open_decoded, open_text
from reviewer.ingest.limits import BoundedText, limit_record
from reviewer.ingest.merged import complete_groups
from reviewer.store import Store, StoreError, duplicates, wal
from reviewer.store.records import bulk_writing
from reviewer.store.store import RecordRows, record_row, rows_of
from reviewer.store.wal import Checkpoints
from reviewer.wording import count

BATCH = 5000
# After this many records an import's duplicate checks forget what they remembered and
# read it back from the review by key (``Deduplicator.forget``): memory stays flat.
FORGET_EVERY = 100_000
BatchSize = int | Callable[[], int]  # records per transaction, or asked for each batch
Seconds = float | Callable[[], float]  # a time a batch's transaction should take
# Records in a batch sized by time: the first (nothing measured yet), the fewest, the most.
FIRST_TIMED, FEWEST_TIMED = 50, 10
T = TypeVar("T")
# Runs ``fn`` with the store that writes, where its writes happen (``fn(store)`` by default;
# the window's writer thread); returns what ``fn`` returns.
Write = Callable[[Callable[[Store], T]], T]
_SNIFF_CHARS = 8192


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


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders expanded recursively (hidden files skipped), in sorted order."""
    return expand_folders(paths)[0]


def expand_folders(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """``expand_paths``, and what was passed over inside the folders, with why.

    Inside a folder only regular files are read: a link is not followed (a downloaded
    folder could link to any file of the computer), and a FIFO, device or socket is no
    export. Hidden files and folders are passed over without a word.
    """
    out: list[Path] = []
    passed: list[tuple[Path, str]] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        found = []
        for f in p.rglob("*"):
            if any(part.startswith(".") for part in f.relative_to(p).parts):
                continue
            if f.is_symlink():
                passed.append((f, "a link, not followed inside a folder"))
            elif f.is_file():
                found.append(f)
            elif not f.is_dir():
                passed.append((f, f"not a regular file ({_kind(f)})"))
        out.extend(sorted(found))
    return out, sorted(passed)


def _kind(path: Path) -> str:
    try:
        mode = path.lstat().st_mode
    except OSError:
        return "cannot be read"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


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
            writing = _Writing(write, _Sizes(batch_size, batch_seconds), checkpoints)
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
    sizes: _Sizes
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
        raise ImportFailure(path, f"not a regular file ({_kind(path)}), so not an export")
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
    fmt = formats.by_name(format_name) if format_name else _detect(path)
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

    def batches() -> Iterator[_Batch]:
        """Batches to store, checked for duplicates, each with the errors met reading it."""
        problems, items = _parse(fmt, path, column_map)
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
            if len(batch) >= writing.sizes.next():
                if remembered >= FORGET_EVERY:  # every batch before this one is stored
                    dedup.forget(store, next_id)
                    remembered = 0
                yield _deduplicate(dedup, batch, errors, next_id)
                next_id += len(batch)
                remembered += len(batch)
                batch, errors = [], []
        errors.extend(problems)
        if batch or errors:
            yield _deduplicate(dedup, batch, errors, next_id)

    # The batches are read and checked here, and each written by ``write``, where the
    # writes happen; the next batch is read once this one is written. (Reading ahead
    # while a batch is written only paid off with the interpreter's switch interval
    # shortened for the whole process, which no library may do.)
    found, grown = 0, False
    with closing(batches()) as read:
        for b in read:
            report.errors.extend(b.errors)
            if not b.rows.count:
                continue
            wrote = writing.write(lambda s, b=b, sid=source_id: _write_batch(s, b, source, sid))
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
        writing.write(lambda s, sid=source_id: _complete(s, sid))


class _Wrote(NamedTuple):
    """What writing a batch did."""

    source_id: int
    candidates: int  # possible duplicates recorded
    completed: int  # earlier records completed from their duplicates
    seconds: float  # how long the transaction took, where it ran


def _write_batch(store: Store, b: _Batch, source: Source, source_id: int | None) -> _Wrote | None:
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
    return _Wrote(source_id, found, completed, time.perf_counter() - started)


def _complete(store: Store, source_id: int) -> None:
    with store.atomic():
        store.set_source_status(source_id, "complete")


class _Sizes:
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
class _Batch:
    """Records made ready to store in one transaction: checked for duplicates, as rows."""

    rows: RecordRows  # with the ids they were checked with, and duplicate_of
    duplicates: int
    keeps: set[int]  # the kept records the batch's duplicates join
    candidates: list[tuple[int, int, float]]  # (record, kept record, similarity)
    errors: list[str]  # met while reading them


# What a batch keeps of a record read: its row, its duplicate keys (``seen_of``) and its
# PMID; the record itself goes at once (see ``reviewer.store.store.rows_of``).
_Ready = tuple[tuple[Any, ...], Seen, str]


def _deduplicate(
    dedup: Deduplicator, records: list[_Ready], errors: list[str], first_id: int
) -> _Batch:
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
    return _Batch(rows, len([d for d in dup_of if d is not None]), keeps, pairs, errors)


def _detect(path: Path) -> Format:
    for fmt in formats.FORMATS:
        if fmt.binary and fmt.sniff("", path) > 0:
            return fmt
    stream, _ = open_text(path)
    with stream:
        head = stream.read(_SNIFF_CHARS)
    fmt = formats.detect(head, path)
    if fmt is None:
        raise ImportFailure(
            path,
            "not a format Reviewer can read (it does not look like "
            "text, a citation export or a PDF)",
        )
    return fmt


def _parse(fmt: Format, path: Path, column_map: dict[str, str] | None = None,
           ) -> tuple[list[str], Iterator[ParsedRecord | RecordError]]:
    """The file's records, and a list of what reading it met beside them: lines holding
    bytes it could not decode, and lines or a document cut at ``limits`` (the list
    grows as the records are read)."""
    if fmt.binary:
        return [], _parse_binary(fmt, path)
    stream, decoding = open_decoded(path)
    problems = _undecodable(path, decoding)
    bounded = BoundedText(stream, decoding.short_lines)
    return problems, _parse_text(fmt, path, bounded, column_map, problems)


def _parse_text(fmt: Format, path: Path, stream: BoundedText,
                column_map: dict[str, str] | None, problems: list[str],
                ) -> Iterator[ParsedRecord | RecordError]:
    with stream:
        if column_map:
            from reviewer.ingest.formats.csv_exports import parse_with_map

            records = parse_with_map(stream, path, column_map)  # type: ignore[arg-type]
        else:
            records = fmt.parse(stream, path)  # type: ignore[arg-type]
        for item in records:
            _report_cuts(stream, path, problems)
            yield item
        _report_cuts(stream, path, problems)


def _report_cuts(stream: BoundedText, path: Path, problems: list[str]) -> None:
    for line, message in stream.cuts:
        problems.append(str(ImportFailure(path, f"{message}; the rest was left out", line)))
    stream.cuts.clear()


def _parse_binary(fmt: Format, path: Path) -> Iterator[ParsedRecord | RecordError]:
    with open(path, "rb") as fh:
        yield from fmt.parse(fh, path)  # type: ignore[arg-type]


def _undecodable(path: Path, decoding: Decoding) -> list[str]:
    """The lines of a UTF-8 file that hold bytes that are not UTF-8 (shown as \ufffd)."""
    out = [
        str(ImportFailure(path, "bytes that are not UTF-8 (the rest of the file is), each "
                          "shown as \ufffd; check the export", line))
        for line in decoding.bad_lines
    ]  # fmt: skip
    if decoding.bad_bytes and len(decoding.bad_lines) == MAX_REPORTED:
        out.append(str(ImportFailure(
            path, f"{decoding.bad_bytes} bytes that are not UTF-8 in all; lines after "
            f"{decoding.bad_lines[-1]} not listed")))  # fmt: skip
    return out


def read_records(path: str | Path) -> Iterator[ParsedRecord | RecordError]:
    """Parse a file as an import would, without storing anything (the format is
    recognised from its content): what ``reviewer simulate`` reads labelled files with."""
    path = Path(path)
    if not path.exists():
        raise ImportFailure(path, "no such file")
    if path.stat().st_size == 0:
        raise ImportFailure(path, "the file is empty")
    problems, items = _parse(_detect(path), path)
    yield from items
    yield from (RecordError(p) for p in problems)  # undecodable bytes, cut lines
