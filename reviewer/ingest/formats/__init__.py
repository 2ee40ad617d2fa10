"""The registry of input formats; ``detect`` picks one from a file's content."""

from __future__ import annotations

from pathlib import Path

from reviewer.ingest.base import Format
from reviewer.ingest.formats import bibliography, html, jats, pdf, plain

# Order matters only for ties: more specific formats first, plain text last.
FORMATS: list[Format] = [
    pdf.FORMAT,
    jats.FORMAT,
    html.FORMAT,
    bibliography.FORMAT,
    plain.FORMAT,
]


def by_name(name: str) -> Format:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def detect(head: str, path: Path) -> Format | None:
    """The format whose sniffer is surest about this head of text, or ``None``."""
    best, score = None, 0.0
    for fmt in FORMATS:
        if fmt.binary:
            continue
        s = fmt.sniff(head, path)
        if s > score:
            best, score = fmt, s
    return best
