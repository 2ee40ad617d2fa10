"""A record's text as the document view shows it, and the offsets between the two.

Qt counts UTF-16 units and reads "\\r\\n" as one line break; a paragraph of 300,000
characters takes it seconds to lay out. ``shown_text`` gives the text Qt is handed
(same offsets, line breaks put in long paragraphs) and ``Offsets`` maps Python string
offsets to document positions and back, so every offset the view takes or emits is an
offset into ``record.text``. Kept apart from the widget: plain string work, no Qt.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from reviewer.domain import Record
from reviewer.ui.plain import same_length

LONG_BLOCK = 6000  # a paragraph longer than this is broken for display
BREAK_EVERY = 2000  # ... at a space about this often


class Offsets:
    """Python string offsets <-> positions in the QTextDocument (UTF-16 units).

    The document holds two units for a character beyond the Basic Multilingual
    Plane, and a line break inserted (``shown_text``) before each offset in ``breaks``.
    """

    def __init__(self, text: str, breaks: Sequence[int] = ()):
        wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        # each extra unit, keyed between Python characters: 2i+1 after character i (the
        # second unit of a wide one), 2b-1 before character b (an inserted break)
        extras = sorted([2 * i + 1 for i in wide] + [2 * b - 1 for b in breaks])
        self._keys = extras
        # where each extra unit ends, in the document
        self._ends = [(k + 1) // 2 + n + 1 for n, k in enumerate(extras)]

    def to_doc(self, offset: int) -> int:
        return offset + bisect_left(self._keys, 2 * offset) if self._keys else offset

    def to_py(self, position: int) -> int:
        return position - bisect_right(self._ends, position) if self._keys else position


def shown_text(text: str) -> tuple[str, list[int]]:
    """The text as the view shows it, and the offsets a line break was inserted before.

    No "\r", bidi controls as ``plain.BIDI_MARK`` (both the same length as what they
    replace) and no giant paragraph: a space about every ``BREAK_EVERY`` characters
    of a paragraph longer than ``LONG_BLOCK`` becomes a line break, and a run of
    ``BREAK_EVERY`` characters without a space (a cell of 20 MB of one word) gets a
    line break inserted, which ``Offsets`` accounts for. Qt lays a paragraph out in
    time that grows with the square of its length: 300,000 characters took 15 s.
    """
    if "\r" in text:  # Qt reads "\r\n" as one break, a lone "\r" as a break of its own
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    text = same_length(text)
    if len(text) <= LONG_BLOCK or all(len(b) <= LONG_BLOCK for b in text.split("\n")):
        return text, []
    chars = list(text)
    inserted: list[int] = []
    last_break = 0
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        if nl == -1:
            nl = len(text)
        if nl - last_break > LONG_BLOCK:
            space = break_at(text, last_break + BREAK_EVERY, nl)
            if space is None or space - last_break > LONG_BLOCK:
                cut = last_break + BREAK_EVERY  # no space near: a break of its own
                inserted.append(cut)
                last_break = pos = cut
                continue
            chars[space] = "\n"
            last_break = pos = space + 1
        else:
            last_break, pos = nl + 1, nl + 1
    for cut in reversed(inserted):
        chars.insert(cut, "\n")
    return "".join(chars), inserted


def break_at(text: str, target: int, limit: int) -> int | None:
    """A space after a sentence near ``target`` (or any space soon), before ``limit``."""
    end = min(limit, target + 400)
    sentence = text.find(". ", target, end)
    if sentence != -1:
        return sentence + 1
    space = text.find(" ", target, min(limit, target + LONG_BLOCK))
    return space if space != -1 else None


def citation(record: Record, source_name: str) -> list[str]:
    bits = []
    if record.authors:
        names = record.authors[:6]
        bits.append(", ".join(names) + (" et al." if len(record.authors) > 6 else ""))
    cite = " ".join(str(b) for b in (record.journal, record.year) if b)
    if cite:
        bits.append(cite)
    if record.doi:
        bits.append(f"doi:{record.doi}")
    if source_name:
        bits.append(f"from {source_name}")
    if record.duplicate_of:
        bits.append(f"duplicate of record {record.duplicate_of}")
    return bits
