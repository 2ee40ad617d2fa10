"""Finding a record's PDF on this computer, to show it as pages.

The review remembers where the PDF was when its text was read. A review copied to
another computer, or a folder of PDFs moved, leaves that path pointing nowhere, so
the PDF is also looked for beside the review file (and in a ``fulltexts`` or
``pdfs`` folder there) by its name, and at a place the reviewer showed for it
before (``known``, kept per computer by the app). A file found elsewhere is
taken only if its content is the same (SHA-256): a different article with the
same name is not this record's PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reviewer.ingest.reading import sha256_of
from reviewer.store import Store
from reviewer.store.pdfs import RecordPdf, record_pdf

_NEARBY = ("", "fulltexts", "pdfs", "PDFs")


@dataclass(frozen=True)
class PdfFile:
    record_id: int
    path: Path  # where it is (or, when not found, where it was)
    sha256: str
    origin: str  # "fulltext" or "import"
    found: bool

    @property
    def name(self) -> str:
        return self.path.name


def find_record_pdf(
    store: Store, record_id: int, known: Callable[[str], str | None] | None = None
) -> PdfFile | None:
    """The record's PDF on this computer, or where it was (``found`` False); None
    when the record's text did not come from a PDF."""
    where = record_pdf(store, record_id)
    if where is None:
        return None
    stored = Path(where.path)
    if stored.is_file():
        return _file(where, stored, True)
    for candidate in _candidates(store, where, known):
        if candidate.is_file() and sha256_of(candidate) == where.sha256:
            return _file(where, candidate, True)
    return _file(where, stored, False)


def _candidates(
    store: Store, where: RecordPdf, known: Callable[[str], str | None] | None
) -> list[Path]:
    out = []
    if known is not None and (shown := known(where.sha256)):
        out.append(Path(shown))
    name = Path(where.path).name
    folder = store.path.resolve().parent
    out += [folder / sub / name for sub in _NEARBY]
    return out


def _file(where: RecordPdf, path: Path, found: bool) -> PdfFile:
    return PdfFile(where.record_id, path, where.sha256, where.origin, found)
