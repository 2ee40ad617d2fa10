"""Importing files into a review: the one function the UI, the CLI and benchmarks call.

Each file is read as a stream, its records parsed, checked for duplicates and
written in batches, each batch one transaction together with the source row, so a
kill at any moment leaves whole records only. A source stays ``importing`` until
its last batch commits; importing the same file again resumes it where it
stopped, or, when it is complete, changes nothing and says so.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reviewer.domain import FileReport, ImportReport, ParsedRecord, Source
from reviewer.ingest import formats
from reviewer.ingest.base import Format, ImportFailure, RecordError, UnknownColumns
from reviewer.ingest.dedup import Deduplicator
from reviewer.ingest.encoding import open_text
from reviewer.store import Store

BATCH = 2000
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
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            out.append(p)
    return out


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
) -> ImportReport:
    """Import files and folders into ``store``; never raises for bad input, reports it.

    ``column_map`` maps our field names to the columns of a CSV whose header is not
    recognised (``{"title": "Article Title", ...}``); it implies the CSV format.
    """
    files = expand_paths(paths)
    report = ImportReport()
    dedup = Deduplicator.from_store(store)
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
            _import_file(store, path, file_report, dedup, tick, cancel, format_name, column_map)
        except UnknownColumns as exc:
            file_report.errors.append(str(exc))
            file_report.unmapped_columns = exc.columns
        except ImportFailure as exc:
            file_report.errors.append(str(exc))
        except OSError as exc:
            file_report.errors.append(f"{path.name}: cannot read the file ({exc.strerror or exc})")
        done_total += file_report.added + file_report.duplicates
        if cancel and cancel():
            report.cancelled = True
            break
    return report


def _import_file(
    store: Store,
    path: Path,
    report: FileReport,
    dedup: Deduplicator,
    tick: Callable[..., None],
    cancel: CancelFn | None,
    format_name: str | None,
    column_map: dict[str, str] | None = None,
) -> None:
    if not path.exists():
        raise ImportFailure(path, "no such file")
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

    def batches() -> Iterator[list[ParsedRecord]]:
        batch: list[ParsedRecord] = []
        for number, item in enumerate(_parse(fmt, path, column_map), start=1):
            if isinstance(item, RecordError):
                report.errors.append(
                    str(ImportFailure(path, item.message, item.line, item.record or number))
                )
                continue
            if item.source_index in resume:
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    for batch in batches():
        with store.atomic():
            if source_id is None:
                source_id = store.add_source(source)
            dup_of = [dedup.check(rec) for rec in batch]
            ids = store.add_records(source_id, batch, dup_of)
            for rec, rid, dup in zip(batch, ids, dup_of, strict=True):
                dedup.add(rec, rid if dup is None else dup)
        report.added += sum(1 for d in dup_of if d is None)
        report.duplicates += sum(1 for d in dup_of if d is not None)
        tick(report.added + report.duplicates)
        if cancel and cancel():
            report.errors.append(
                f"{path.name}: cancelled after {report.added} records; "
                "importing the file again carries on where it stopped"
            )
            return
    if source_id is None and not resume:
        if not report.errors:
            raise ImportFailure(path, f"no records found in this {fmt.name} file")
        return
    if source_id is not None:
        with store.atomic():
            store.set_source_status(source_id, "complete")


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
           ) -> Iterator[ParsedRecord | RecordError]:
    if column_map:
        from reviewer.ingest.formats.csv_exports import parse_with_map

        stream, _ = open_text(path)
        with stream:
            yield from parse_with_map(stream, path, column_map)
        return
    if fmt.binary:
        with open(path, "rb") as fh:
            yield from fmt.parse(fh, path)  # type: ignore[arg-type]
        return
    stream, _ = open_text(path)
    with stream:
        yield from fmt.parse(stream, path)
