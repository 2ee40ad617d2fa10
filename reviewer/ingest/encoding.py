"""Opening a text file in whatever encoding a reviewer's export came in.

BOMs are trusted; UTF-16 without a BOM is recognised by its NUL bytes; valid
UTF-8 is taken as UTF-8, and so is a file that is UTF-8 but for a few bytes (more
characters decode as UTF-8 than fail to): its bad bytes are replaced and their
lines reported (``bad_lines``), rather than the whole file read as cp1252 and every
"Björn" turned into "BjÃ¶rn". Anything else is detected by charset-normalizer
(cp1252/Latin-1 in practice). Line endings are normalised by universal newlines.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import BinaryIO, TextIO

from charset_normalizer import from_bytes

_SAMPLE = 1 << 16


@dataclass
class Decoding:
    """How a file is read: its encoding, and the lines holding bytes it cannot decode."""

    encoding: str
    bad_lines: list[int] = field(default_factory=list)  # 1-based; the first MAX_REPORTED
    bad_bytes: int = 0
    # every line is known to be shorter than two megabytes (each megabyte has a line break)
    short_lines: bool = False


MAX_REPORTED = 20


def detect(head: bytes, whole: BinaryIO | None = None) -> Decoding:
    """The encoding of a file from its first bytes (``head``) and, to tell UTF-8 with
    a few bad bytes from another encoding, all of it (``whole``, read to the end)."""
    if head.startswith(codecs.BOM_UTF8):
        return Decoding("utf-8-sig")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoding("utf-16")
    if len(head) >= 4:
        even_nuls = head[0:200:2].count(0)
        odd_nuls = head[1:200:2].count(0)
        if odd_nuls > len(head[1:200:2]) // 3 and even_nuls == 0:
            return Decoding("utf-16-le")
        if even_nuls > len(head[0:200:2]) // 3 and odd_nuls == 0:
            return Decoding("utf-16-be")
    utf8 = _utf8_check(head, whole)
    if utf8 is not None:
        return utf8
    best = from_bytes(head).best()
    if best is None:
        return Decoding("cp1252")
    enc = best.encoding
    # Short Western texts in cp1252 are often guessed as another single-byte Latin code
    # page (cp1250 turns "naïve" into "naďve"). Old reference-manager exports are
    # overwhelmingly cp1252, so when the bytes are valid cp1252 that reading wins.
    if enc in _SINGLE_BYTE_LATIN and _decodes(head, "cp1252"):
        return Decoding("cp1252")
    return Decoding(enc)


_SINGLE_BYTE_LATIN = {
    "ascii", "latin_1", "iso8859_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9",
    "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "cp1250",
    "cp1252", "cp1254", "cp1257", "cp850", "cp852", "cp858", "mac_roman", "mac_latin2",
    "mac_iceland", "mac_turkish",
}  # fmt: skip


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


_UNDECODED = re.compile("[\udc80-\udcff]+")  # bytes surrogateescape kept


def _utf8_check(head: bytes, whole: BinaryIO | None) -> Decoding | None:
    """``Decoding("utf-8", ...)`` when the file is UTF-8, perhaps but for a few bytes
    (fewer bytes fail to decode than characters beyond ASCII decode), else ``None``."""
    strict = codecs.getincrementaldecoder("utf-8")()
    try:
        strict.decode(head, final=whole is None)
        if whole is None:
            return Decoding("utf-8")
        short = True
        while chunk := whole.read(1 << 20):
            strict.decode(chunk, final=False)
            short = short and b"\n" in chunk
        strict.decode(b"", final=True)
        return Decoding("utf-8", short_lines=short)
    except UnicodeDecodeError:
        pass
    if whole is None:
        return _count_damage([head])
    whole.seek(0)
    return _count_damage(iter(lambda: whole.read(1 << 20), b""))


def _count_damage(chunks: Iterable[bytes]) -> Decoding | None:
    lenient = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    line, good, bad, lines = 1, 0, 0, []
    for chunk in chain(chunks, [b""]):  # b"": the end, where a cut sequence is bad
        text = lenient.decode(chunk, final=not chunk)
        if text.isascii():
            line += text.count("\n")
            continue
        at, here = 0, 0
        for m in _UNDECODED.finditer(text):
            line += text.count("\n", at, m.start())
            at = m.start()
            here += m.end() - m.start()
            if len(lines) < MAX_REPORTED and (not lines or lines[-1] != line):
                lines.append(line)
        line += text.count("\n", at)
        bad += here
        good += len(text) - len(text.encode("ascii", "ignore")) - here
    return Decoding("utf-8", lines, bad) if good > bad else None


def open_text(path: Path) -> tuple[TextIO, str]:
    """Open ``path`` as text with the detected encoding; return the stream and encoding."""
    stream, decoding = open_decoded(path)
    return stream, decoding.encoding


def open_decoded(path: Path) -> tuple[TextIO, Decoding]:
    """``open_text``, also saying which lines hold bytes that could not be decoded."""
    raw = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    try:
        info = os.fstat(raw.fileno())
        decoding = replace(_decoding(raw, str(path), info.st_size, info.st_mtime_ns, info.st_ino))
    except BaseException:
        raw.close()
        raise
    decoding.bad_lines = list(decoding.bad_lines)
    raw.seek(0)
    stream = io.TextIOWrapper(raw, encoding=decoding.encoding, errors="replace", newline=None)
    return stream, decoding


_KNOWN: dict[tuple[str, int, int, int], Decoding] = {}  # the last few files decoded
_KNOWN_LOCK = threading.Lock()


def _decoding(raw: BinaryIO, path: str, size: int, mtime_ns: int, inode: int) -> Decoding:
    """How the file is decoded, worked out once for this version of it (an import looks
    at the head to tell the format, then reads it: each check reads the whole file)."""
    key = (path, size, mtime_ns, inode)
    with _KNOWN_LOCK:
        known = _KNOWN.get(key)
    if known is None:
        head = raw.read(_SAMPLE)
        raw.seek(0)
        known = detect(head, raw)
        with _KNOWN_LOCK:
            _KNOWN[key] = known
            while len(_KNOWN) > 4:
                del _KNOWN[next(iter(_KNOWN))]
    return known


def read_text(path: Path) -> str:
    stream, _ = open_text(path)
    with stream:
        return stream.read()
