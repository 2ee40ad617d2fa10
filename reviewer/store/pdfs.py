"""Which PDF a record's text came from: its attached full text, or the PDF it was
imported from.

The page view shows a record's PDF as pages; the PDF stays where the reviewer
keeps it (a review file holds text, not the articles), and this says where that
was when the text was taken from it.
"""

from __future__ import annotations

from typing import NamedTuple

from reviewer.store.store import Store


class RecordPdf(NamedTuple):
    record_id: int
    path: str  # where the PDF was when its text was read
    sha256: str
    origin: str  # "fulltext" (attached) or "import" (the record was imported from it)


def record_pdf(store: Store, record_id: int) -> RecordPdf | None:
    """The PDF behind ``record_id``'s text, if its text came from one."""
    row = store.db.execute(
        "select path, sha256 from fulltexts where record_id = ?", [record_id]
    ).fetchone()
    if row is not None:
        return RecordPdf(record_id, row[0], row[1], "fulltext")
    row = store.db.execute(
        "select s.path, s.sha256 from records r join sources s on s.id = r.source_id "
        "where r.id = ? and s.format = 'pdf'",
        [record_id],
    ).fetchone()
    if row is not None and row[0]:
        return RecordPdf(record_id, row[0], row[1], "import")
    return None
