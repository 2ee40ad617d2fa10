"""Plain-text and Markdown articles: one record per file, its text kept as it is."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import Format, ParseResult


def sniff(head: str, path: Path) -> float:
    if not head.strip():
        return 0.0
    printable = sum(c.isprintable() or c in "\n\r\t" for c in head[:4000])
    if printable / max(1, len(head[:4000])) < 0.95:
        return 0.0
    return 0.3 if path.suffix.lower() in {".txt", ".md", ".markdown", ".text"} else 0.1


def parse(stream: TextIO, path: Path) -> ParseResult:
    text = unicodedata.normalize("NFC", stream.read())
    title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    yield ParsedRecord(
        title=title[:500],
        text=text,
        source_index=0,
        source_start=0,
        source_end=len(text),
        source_line=1,
    )


FORMAT = Format(
    name="text", extensions=(".txt", ".md", ".markdown", ".text"), sniff=sniff, parse=parse
)
