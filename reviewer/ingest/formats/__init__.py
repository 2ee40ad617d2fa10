"""The registry of input formats; ``detect`` picks one from a file's content."""

from __future__ import annotations

from pathlib import Path

from reviewer.ingest.base import Format
from reviewer.ingest.formats import (
    bibliography,
    bibtex,
    csl_json,
    csv_exports,
    endnote_tagged,
    endnote_xml,
    html,
    jats,
    medline,
    ovid,
    pdf,
    plain,
    pubmed_xml,
    ris,
    wos,
)

# Order matters only for ties: more specific formats first, plain text last.
FORMATS: list[Format] = [
    pdf.FORMAT,
    jats.FORMAT,
    html.FORMAT,
    # citation exports: each sniffer recognises its own tags or columns
    ris.FORMAT,
    medline.FORMAT,
    wos.FORMAT,
    pubmed_xml.FORMAT,
    endnote_xml.FORMAT,
    endnote_tagged.FORMAT,
    ovid.FORMAT,
    bibtex.FORMAT,
    csl_json.FORMAT,
    csv_exports.FORMAT,
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
