"""Opening a text file in whatever encoding a reviewer's export came in.

BOMs are trusted; UTF-16 without a BOM is recognised by its NUL bytes; valid
UTF-8 is taken as UTF-8; anything else is detected by charset-normalizer
(cp1252/Latin-1 in practice). Line endings are normalised by universal newlines.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import BinaryIO, TextIO

from charset_normalizer import from_bytes

_SAMPLE = 1 << 16


def detect_encoding(head: bytes, whole: BinaryIO | None = None) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4:
        even_nuls = head[0:200:2].count(0)
        odd_nuls = head[1:200:2].count(0)
        if odd_nuls > len(head[1:200:2]) // 3 and even_nuls == 0:
            return "utf-16-le"
        if even_nuls > len(head[0:200:2]) // 3 and odd_nuls == 0:
            return "utf-16-be"
    if _is_utf8(head, whole):
        return "utf-8"
    best = from_bytes(head).best()
    if best is None:
        return "cp1252"
    enc = best.encoding
    # Short Western texts in cp1252 are often guessed as another single-byte Latin code
    # page (cp1250 turns "naïve" into "naďve"). Old reference-manager exports are
    # overwhelmingly cp1252, so when the bytes are valid cp1252 that reading wins.
    if enc in _SINGLE_BYTE_LATIN and _decodes(head, "cp1252"):
        return "cp1252"
    return enc


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


def _is_utf8(head: bytes, whole: BinaryIO | None) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        if whole is not None:
            while chunk := whole.read(1 << 20):
                decoder.decode(chunk, final=False)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_text(path: Path) -> tuple[TextIO, str]:
    """Open ``path`` as text with the detected encoding; return the stream and encoding."""
    with open(path, "rb") as fh:
        head = fh.read(_SAMPLE)
        fh.seek(0)
        encoding = detect_encoding(head, fh)
    raw = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None), encoding


def read_text(path: Path) -> str:
    stream, _ = open_text(path)
    with stream:
        return stream.read()
