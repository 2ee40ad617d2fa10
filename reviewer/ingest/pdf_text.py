"""PDFium's page text cleaned the way the importer cleans it, each character carrying
the index of the PDFium character it came from.

``reviewer.ingest.formats.pdf.clean_page_text`` turns a page's raw text into the text a
record keeps (line ends, soft hyphens, ligatures, control characters, trailing blanks,
NFC); ``map_clean`` repeats those steps while keeping, for every character it keeps or
makes, its PDFium index, so the page view can draw any span of the record's text on
the page (``reviewer.ingest.pdf_layout``).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reviewer.ingest.formats.pdf import _CONTROL, _LIGATURES, _SOFT_HYPHENS


@dataclass(frozen=True)
class MappedText:
    """Cleaned text and, per character, the PDFium character index it came from."""

    text: str
    chars: list[int]


def map_clean(raw: str, indices: Sequence[int] | None = None) -> MappedText:
    """``pdf.clean_page_text(raw)`` with each output character's source index.

    ``indices[i]`` is the PDFium index of ``raw[i]`` (``i`` itself by default).
    The steps are those of ``clean_page_text``, in its order.
    """
    idx = list(range(len(raw))) if indices is None else list(indices)
    chars: list[tuple[str, int]] = []
    n = len(raw)
    i = 0
    while i < n:  # "\r\n" and a lone "\r" become "\n"
        ch = raw[i]
        if ch == "\r":
            chars.append(("\n", idx[i]))
            i += 2 if i + 1 < n and raw[i + 1] == "\n" else 1
            continue
        chars.append((ch, idx[i]))
        i += 1
    chars = [(c, k) for c, k in chars if c not in _SOFT_HYPHENS]
    expanded: list[tuple[str, int]] = []
    for c, k in chars:
        letters = _LIGATURES.get(c)
        if letters:
            expanded += [(letter, k) for letter in letters]
        else:
            expanded.append((c, k))
    chars = [(c, k) for c, k in expanded if not _CONTROL.match(c)]
    chars = _rstrip_lines(chars)
    chars = _nfc(chars)
    lo, hi = 0, len(chars)
    while lo < hi and chars[lo][0] == "\n":
        lo += 1
    while hi > lo and chars[hi - 1][0] == "\n":
        hi -= 1
    chars = chars[lo:hi]
    return MappedText("".join(c for c, _ in chars), [k for _, k in chars])


def _rstrip_lines(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    line: list[tuple[str, int]] = []
    for item in chars:
        if item[0] == "\n":
            out += _rstripped(line)
            out.append(item)
            line = []
        else:
            line.append(item)
    return out + _rstripped(line)


def _rstripped(line: list[tuple[str, int]]) -> list[tuple[str, int]]:
    end = len(line)
    while end and line[end - 1][0].isspace():
        end -= 1
    return line[:end]


def _nfc(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """NFC, keeping indices: each composed run maps to its first character's index."""
    text = "".join(c for c, _ in chars)
    if unicodedata.is_normalized("NFC", text):
        return chars
    target = unicodedata.normalize("NFC", text)
    out: list[tuple[str, int]] = []
    start = 0
    for end in range(1, len(chars) + 1):  # runs that start at a character of class 0
        if end < len(chars) and unicodedata.combining(chars[end][0]):
            continue
        run = text[start:end]
        done = unicodedata.normalize("NFC", run)
        if len(done) == len(run):
            out += [(c, chars[start + k][1]) for k, c in enumerate(done)]
        else:
            out += [(c, chars[start][1]) for c in done]
        start = end
    if "".join(c for c, _ in out) == target:
        return out
    return aligned(chars, target)  # compositions across runs (Hangul jamo): align


def aligned(chars: list[tuple[str, int]], target: str) -> list[tuple[str, int]]:
    source = "".join(c for c, _ in chars)
    out: list[tuple[str, int]] = []
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for op, a0, _a1, b0, b1 in matcher.get_opcodes():
        for j in range(b0, b1):
            k = a0 + (j - b0) if op == "equal" else min(a0, len(chars) - 1)
            out.append((target[j], chars[k][1]))
    return out
