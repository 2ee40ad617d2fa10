"""Finding duplicate records, within a file and against the review.

The first record imported is the one a group keeps; later copies are stored in
full (PRISMA counts records identified per source) with ``duplicate_of`` set.
This first stage matches exact identifiers: normalised DOI, then PMID.
"""

from __future__ import annotations

import re

from reviewer.domain import ParsedRecord
from reviewer.store import Store

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)


def normalise_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", doi.strip()).strip().rstrip(".").lower()


class Deduplicator:
    """Remembers the identifiers of kept records and says which one a new record repeats."""

    def __init__(self) -> None:
        self.by_doi: dict[str, int] = {}
        self.by_pmid: dict[str, int] = {}

    @classmethod
    def from_store(cls, store: Store) -> Deduplicator:
        d = cls()
        for rid, doi, pmid, dup in store.db.execute(
            "select id, doi, pmid, duplicate_of from records order by id"
        ):
            keep = dup or rid
            if doi:
                d.by_doi.setdefault(normalise_doi(doi), keep)
            if pmid:
                d.by_pmid.setdefault(pmid, keep)
        return d

    def check(self, rec: ParsedRecord) -> int | None:
        """The id of the kept record ``rec`` duplicates, or ``None``."""
        if rec.doi and (hit := self.by_doi.get(normalise_doi(rec.doi))):
            return hit
        if rec.pmid and (hit := self.by_pmid.get(rec.pmid)):
            return hit
        return None

    def add(self, rec: ParsedRecord, keep_id: int) -> None:
        if rec.doi:
            self.by_doi.setdefault(normalise_doi(rec.doi), keep_id)
        if rec.pmid:
            self.by_pmid.setdefault(rec.pmid, keep_id)
