"""The sources of a review, named by the database or register they were searched in.

PRISMA reports records identified per database or register; a file name
("medline.csv", "export (3).ris") says which file, not where it came from. The
reviewer names each source once (``Store.set_source_label``); until then a name is
guessed from the file name or format, only to offer it.
"""

from __future__ import annotations

import re

from reviewer.domain import Source

_KNOWN = (
    (r"medline|pubmed|nbib", "MEDLINE (PubMed)"),
    (r"embase", "Embase"),
    (r"scopus", "Scopus"),
    (r"cinahl", "CINAHL"),
    (r"psyc?h?info", "APA PsycInfo"),
    (r"web.?of.?science|\bwos\b|savedrecs", "Web of Science"),
    (r"ieee", "IEEE Xplore"),
    (r"cochrane|central", "Cochrane CENTRAL"),
    (r"clinicaltrials", "ClinicalTrials.gov"),
    (r"\bictrp\b|who.?trials", "WHO ICTRP"),
    (r"lilacs", "LILACS"),
    (r"google.?scholar", "Google Scholar"),
)
_BY_FORMAT = {"medline": "MEDLINE (PubMed)", "pubmed_xml": "MEDLINE (PubMed)", "wos": "Web of Science"}


def guess_database(source: Source) -> str:
    """A database name the file name or format suggests, or "" when neither does."""
    name = source.name.lower()
    for pattern, database in _KNOWN:
        if re.search(pattern, name):
            return database
    return _BY_FORMAT.get(source.format, "")
