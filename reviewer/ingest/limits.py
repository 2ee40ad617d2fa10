"""How much of a file one record may hold, and the characters no field keeps.

No real citation has a 2,000-character title, 20,000 authors or a 200,000-character
abstract, but a damaged or hostile file can have a 200 MB line: read whole, it took
140 s and 2.5 GB to import and hung the document view. So lines are read at most
``MAX_LINE_CHARS`` at a time and a one-document file (text, a web page) at most
``MAX_DOCUMENT_CHARS`` (``BoundedText``), and each field of a record is cut to its
limit (``limit_record``). Each cut is reported, naming the line or record, and the
record is still imported. NUL and the other control characters a field cannot show
(all of C0 but tab, line feed and carriage return) are removed from titles, names
and the other short fields, and a NUL in an abstract or a text becomes a space (the
same length, so offsets into the text stay right): a NUL cut author cells short in
CSV and XLSX exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import compose_text

MAX_LINE_CHARS = 5_000_000  # a line of a tagged, CSV or BibTeX file
MAX_DOCUMENT_CHARS = 5_000_000  # a text file or web page, one record (about 1,500 pages)
MAX_TEXT_CHARS = MAX_DOCUMENT_CHARS  # a record's text
MAX_TITLE_CHARS = 4_000
MAX_ABSTRACT_CHARS = 200_000
MAX_FIELD_CHARS = 4_000  # journal, volume, pages, DOI, URL ...
MAX_NAME_CHARS = 1_000  # one author, keyword or trial id
MAX_AUTHORS = 20_000  # collaborative trials list thousands of authors; none 20,000
MAX_KEYWORDS = 2_000
MAX_EXTRA_CHARS = 100_000  # any other value a format keeps
_DRAIN = 1 << 20

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # in short fields, dropped
_SHORT_FIELDS = ("journal", "volume", "issue", "pages", "doi", "pmid", "pmcid", "type", "url")


def _lists() -> tuple[tuple[str, int, str], ...]:
    return (("authors", MAX_AUTHORS, "authors"), ("keywords", MAX_KEYWORDS, "keywords"),
            ("trial_ids", MAX_KEYWORDS, "trial ids"))  # fmt: skip


class BoundedText:
    """A text stream whose lines (and whole-file reads) stop at the limits.

    What is beyond a limit is read and dropped a megabyte at a time, never held, and
    each cut is noted in ``cuts`` (with its line) for the import report. Sized reads
    (``read(n)``, how the XML and JSON readers stream) pass through unchanged: their
    fields are cut afterwards by ``limit_record``.
    """

    def __init__(self, stream: TextIO, short_lines: bool = False):
        self._stream = stream
        self.short_lines = short_lines  # known to have no line near the limit
        self.cuts: list[tuple[int | None, str]] = []
        self.line = 0  # lines handed out so far

    def __iter__(self) -> Iterator[str]:
        if self.short_lines and 2 * _DRAIN <= MAX_LINE_CHARS:  # none near the limit
            return iter(self._stream)  # the stream's own lines: nothing to cut or count
        return self._bounded_lines()

    def _bounded_lines(self) -> Iterator[str]:
        """The lines, read a megabyte at a time and split in C (a method call per line
        cost a tenth of a 100,000-record import); a line longer than the limit keeps its
        start, and the rest is read and dropped."""
        carry = ""  # the start of a line whose end is not read yet
        head: str | None = None  # the kept start of a line too long, while its rest goes
        dropped = 0
        read = self._stream.read
        while chunk := read(_DRAIN):
            if head is not None:
                end = chunk.find("\n")
                if end < 0:
                    dropped += len(chunk)
                    continue
                yield self._cut(head, dropped + end) + "\n"
                head, dropped, chunk = None, 0, chunk[end + 1 :]
            lines = (carry + chunk).split("\n") if carry else chunk.split("\n")
            carry = lines.pop()
            if lines and max(map(len, lines)) > MAX_LINE_CHARS:
                for line in lines:
                    if len(line) > MAX_LINE_CHARS:
                        yield self._cut(line[:MAX_LINE_CHARS], len(line) - MAX_LINE_CHARS) + "\n"
                    else:
                        self.line += 1
                        yield line + "\n"
            elif lines:
                self.line += len(lines)
                yield from [line + "\n" for line in lines]
            if len(carry) > MAX_LINE_CHARS:
                head, dropped, carry = carry[:MAX_LINE_CHARS], len(carry) - MAX_LINE_CHARS, ""
        if head is not None:
            yield self._cut(head, dropped)
        elif carry:
            self.line += 1
            yield carry

    def _cut(self, head: str, dropped: int) -> str:
        """Note that the next line was cut to ``head`` (``dropped`` characters left out)."""
        self.line += 1
        self.cuts.append((self.line, f"a line of {len(head) + dropped:,} characters was cut "
                          f"to {len(head):,}"))  # fmt: skip
        return head

    def readline(self, size: int = -1) -> str:
        limit = MAX_LINE_CHARS if size < 0 else min(size, MAX_LINE_CHARS)
        line = self._stream.readline(limit)
        if len(line) == limit and not line.endswith("\n") and (size < 0 or size > limit):
            dropped = self._drain_line()
            if dropped:
                self.cuts.append((self.line + 1, f"a line of {limit + dropped:,} characters "
                                  f"was cut to {limit:,}"))  # fmt: skip
                line += "\n"
        if line.endswith("\n"):
            self.line += 1
        return line

    def read(self, size: int = -1) -> str:
        if size is not None and size >= 0:
            text = self._stream.read(size)
        else:
            text = self._stream.read(MAX_DOCUMENT_CHARS)
            dropped = self._drain()
            if dropped:
                self.cuts.append((None, f"the file holds {MAX_DOCUMENT_CHARS + dropped:,} "
                                  f"characters; only the first {MAX_DOCUMENT_CHARS:,} were "
                                  "read"))  # fmt: skip
        self.line += text.count("\n")
        return text

    def _drain_line(self) -> int:
        dropped = 0
        while chunk := self._stream.readline(_DRAIN):
            dropped += len(chunk) - chunk.endswith("\n")
            if chunk.endswith("\n"):
                break
        return dropped

    def _drain(self) -> int:
        dropped = 0
        while chunk := self._stream.read(_DRAIN):
            dropped += len(chunk)
        return dropped

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> BoundedText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def limit_record(rec: ParsedRecord) -> tuple[ParsedRecord, list[str]]:
    """``rec`` with control characters removed and each field cut to its limit, and
    what was cut (nothing, for every real record; then ``rec`` itself is returned)."""
    if _fits(rec):
        return rec, []
    composed = bool(rec.text) and rec.text == compose_text(rec)
    notes: list[str] = []
    data: dict[str, Any] = {
        "title": _cut(_clean(rec.title), MAX_TITLE_CHARS, "the title", notes),
        "abstract": _cut(_blank_nul(rec.abstract), MAX_ABSTRACT_CHARS, "the abstract", notes),
    }
    for name in _SHORT_FIELDS:
        data[name] = _cut(_clean(getattr(rec, name)), MAX_FIELD_CHARS, f"the {name}", notes)
    for name, most, words in _lists():
        before = getattr(rec, name)
        items = [_clean(v)[:MAX_NAME_CHARS] for v in before[:most]]
        if any(len(v) > MAX_NAME_CHARS for v in before[:most]):
            notes.append(f"{words} longer than {MAX_NAME_CHARS:,} characters were cut")
        if len(before) > most:
            notes.append(f"{len(before):,} {words}; the first {most:,} were kept")
        data[name] = [v for v in items if v]
    data["extra"] = {
        k: _cut(_clean(v), MAX_EXTRA_CHARS, f"the {k}", notes) if isinstance(v, str) else v
        for k, v in rec.extra.items()
    }
    limited = rec.model_copy(update=data)
    if composed:  # the text was made from the fields: make it again from the cut ones
        limited.text = compose_text(limited)
    else:  # a document's own text: NULs become spaces, so that offsets stay put
        limited.text = _cut(_blank_nul(rec.text), MAX_TEXT_CHARS, "the text", notes)
    if len(limited.text) < len(rec.text) and rec.page_offsets:
        limited.page_offsets = [p for p in rec.page_offsets if p <= len(limited.text)]
    return limited, notes


def _fits(rec: ParsedRecord) -> bool:
    """The quick check every record passes: nothing too long, no NUL in the long fields,
    no control character in the short ones (which rarely hold even a line break).
    Written out, attribute by attribute: it runs for every record of every import."""
    title, abstract, text = rec.title, rec.abstract, rec.text
    authors, keywords, trials = rec.authors, rec.keywords, rec.trial_ids
    if (
        len(title) > MAX_TITLE_CHARS
        or len(abstract) > MAX_ABSTRACT_CHARS
        or len(text) > MAX_TEXT_CHARS
        or len(authors) > MAX_AUTHORS
        or len(keywords) > MAX_KEYWORDS
        or len(trials) > MAX_KEYWORDS
        or "\x00" in abstract
        or "\x00" in text
    ):
        return False
    short = "".join((rec.journal, rec.volume, rec.issue, rec.pages, rec.doi, rec.pmid,
                     rec.pmcid, rec.type, rec.url))  # fmt: skip
    if len(short) > MAX_FIELD_CHARS and any(
        len(getattr(rec, n)) > MAX_FIELD_CHARS for n in _SHORT_FIELDS
    ):
        return False
    names = (*authors, *keywords, *trials)
    if names and max(map(len, names)) > MAX_NAME_CHARS:
        return False
    joined = title + short + "".join(names)
    if rec.extra:
        extras = [v for v in rec.extra.values() if isinstance(v, str)]
        if extras and max(map(len, extras)) > MAX_EXTRA_CHARS:
            return False
        joined += "".join(extras)
    return joined.isprintable() or not _CONTROL.search(joined)


def _clean(value: str) -> str:
    return _CONTROL.sub("", value) if not value.isprintable() else value


def _blank_nul(value: str) -> str:
    return value.replace("\x00", " ") if "\x00" in value else value


def _cut(value: str, most: int, what: str, notes: list[str]) -> str:
    if len(value) <= most:
        return value
    notes.append(f"{what} had {len(value):,} characters; it was cut to {most:,}")
    return value[:most]
