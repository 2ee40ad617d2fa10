"""The files an import reads, and reading them: folders expanded into files, each
file's format recognised and its records parsed, with what reading met beside them
(undecodable bytes, lines cut at ``limits``).

Nothing here writes: ``reviewer.ingest.importer`` stores what is read, and
``reviewer simulate`` reads labelled files through ``read_records`` alone.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from reviewer.domain import ParsedRecord
from reviewer.ingest import formats
from reviewer.ingest.base import Format, ImportFailure, RecordError
from reviewer.ingest.encoding import MAX_REPORTED, Decoding, open_decoded, open_text
from reviewer.ingest.limits import BoundedText

_SNIFF_CHARS = 8192


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
                passed.append((f, f"not a regular file ({file_kind(f)})"))
        out.extend(sorted(found))
    return out, sorted(passed)


def file_kind(path: Path) -> str:
    """What a path that is not a regular file is, in words for a report."""
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
    """The file's SHA-256, read in chunks: how a source is known again."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def detect(path: Path) -> Format:
    """The format of the file, recognised from its content (and name)."""
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


def parse(fmt: Format, path: Path, column_map: dict[str, str] | None = None,
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
    problems, items = parse(detect(path), path)
    yield from items
    yield from (RecordError(p) for p in problems)  # undecodable bytes, cut lines
