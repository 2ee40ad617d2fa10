"""Plain-text and Markdown articles: one record per file.

This is the format of last resort, chosen when no more specific sniffer claims a
text file, so it takes any mostly printable text. The article's metadata and its
web furniture are read by ``article`` from what the text states; the record keeps
the rest of the text exactly as it was, so a quote found in the file is found in
the record too.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TextIO

from reviewer.ingest.base import Format, ImportFailure, ParseResult
from reviewer.ingest.formats import article

_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_PRINTABLE_SHARE = 0.95


def sniff(head: str, path: Path) -> float:
    if not head.strip():
        return 0.0
    sample = head[:4000]
    printable = sum(c.isprintable() or c in "\n\r\t\f" for c in sample)
    if printable / max(1, len(sample)) < _PRINTABLE_SHARE:
        return 0.0
    return 0.3 if path.suffix.lower() in _TEXT_SUFFIXES else 0.1


def read_source(stream: TextIO) -> str:
    """The decoded file in NFC, the form every offset into it refers to."""
    return unicodedata.normalize("NFC", stream.read())


def parse(stream: TextIO, path: Path) -> ParseResult:
    source = read_source(stream)
    if not source.strip():
        raise ImportFailure(path, "the file holds no text")
    markdown = path.suffix.lower() in _MARKDOWN_SUFFIXES
    yield article.article_record(source, path, markdown=markdown)


FORMAT = Format(
    name="text", extensions=(".txt", ".md", ".markdown", ".text"), sniff=sniff, parse=parse
)
