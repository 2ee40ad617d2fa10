"""Identifiers in one spelling, so the same article from two databases matches.

Exports write a DOI as ``https://doi.org/10.1/X``, ``doi:10.1/x`` or ``10.1/X [doi]``, a
PMCID as ``PMC123`` or ``Pmc123`` and a PMID inside ``26957754[pmid]``; trial
registrations hide in abstracts and secondary-id fields. Every parser hands its record
to ``normalise_identifiers`` so that the store, deduplication and search see one form:
DOI lower-case without any prefix, PMID digits only, PMCID ``PMC`` + digits, and trial ids
(ClinicalTrials.gov, ISRCTN, EudraCT, ANZCTR, ChiCTR, CTRI, DRKS, JPRN/UMIN, ...) in
their registries' canonical upper-case form.
"""

from __future__ import annotations

import re

from reviewer.domain.models import ParsedRecord

_DOI_PREFIX = re.compile(
    r"^\s*(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|doi\s*[:=]?\s*|\[doi\]\s*)", re.I
)
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_DOI_TRAILING = " .,;>\"'"
_PMID = re.compile(r"(?<!\d)(\d{1,9})(?!\d)")
_PMCID = re.compile(r"PMC\s*(\d{1,9})", re.I)

# Trial registries and the form of their ids, factored by first letter so that one
# pass tries few alternatives per position.
_TRIAL = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"NCT ?\d{8}|NTR\d{3,5}(?!\d)"
    r"|ISRCTN ?\d{8}|IRCT\d{8,}N\d+"
    r"|ACTRN ?\d{14}"
    r"|ChiCTR(?:-[A-Za-z]{2,5})?-?\d{8,10}|CTRI/\d{4}/\d{2,3}/\d{6}"
    r"|DRKS ?\d{8}"
    r"|JPRN-[A-Za-z]+\d{6,9}|UMIN\d{9}"
    r"|PACTR\d{15}|KCT\d{7}|TCTR\d{11}|SLCTR/\d{4}/\d{3}|RBR-\w{6,8}"
    r"|EUCTR\d{4}-\d{6}-\d{2}(?:-[A-Z]{2})?"
    r")"
)
# EudraCT/CTIS numbers (2004-000446-20) are only ids where the text names the register.
_EUDRACT = re.compile(
    r"(?:EudraCT|EUDRACT|Eudract|EU ?CT|CTIS)[^0-9]{0,30}((?:19|20)\d{2}-\d{6}-\d{2}(?:-\d{2})?)"
)
# Where to look. Every registry's ids above contain "CT" except four, so "CT" is searched
# for always (with ``find``, far cheaper than running the pattern over the text), and
# the rarer anchors only in texts that speak of a registration ("registered",
# "Trial Register", "Registry"), as texts naming those ids do. Most abstracts name none.
_CT = "CT"
_RARE_ANCHORS = ("NTR", "DRKS", "UMIN", "RBR-", "JPRN")
_REGISTRATION = "egist"
_AFTER_CT = frozenset("RN0123456789")  # NCT0, ACTRN, CTRI, ISRCTN, IRCT2 ... (not "RCT ")
_WINDOW_BEFORE, _WINDOW_AFTER = 8, 48


def normalise_doi(doi: str) -> str:
    """``https://doi.org/10.1000/ABC.`` -> ``10.1000/abc``; ``""`` when no DOI is there."""
    if not doi:
        return ""
    if doi.startswith("10.") and " " not in doi and "[" not in doi and doi.isprintable():
        return _strip_doi_end(doi).lower()
    value = _DOI_PREFIX.sub("", doi.strip()).strip()
    if value.endswith("[doi]"):
        value = value[:-5].strip()
    if not value.startswith("10."):
        m = _DOI_IN_TEXT.search(value)
        if m is None:
            return ""
        value = m.group(1)
    value = value.split()[0]
    return _strip_doi_end(value).lower()


def _strip_doi_end(doi: str) -> str:
    """Punctuation after a DOI in running text; a closing bracket only if it is unpaired."""
    while True:
        doi = doi.rstrip(_DOI_TRAILING)
        closer = doi[-1:]
        if closer not in (")", "]") or doi.count(closer) <= doi.count(
            "(" if closer == ")" else "["
        ):
            return doi
        doi = doi[:-1]


def find_doi(text: str) -> str:
    """The first DOI written anywhere in ``text`` (normalised), or ``""``."""
    m = _DOI_IN_TEXT.search(text) if text and "10." in text else None
    return normalise_doi(m.group(1)) if m else ""


def normalise_pmid(pmid: str | int | None) -> str:
    """``"PMID: 12345"``, ``"12345[pmid]"``, ``"https://pubmed.ncbi.nlm.nih.gov/12345"`` -> ``"12345"``."""
    if pmid is None:
        return ""
    text = str(pmid).strip()
    if text.isdigit():
        return text.lstrip("0") or ""
    m = _PMID.search(text)
    return (m.group(1).lstrip("0") or "") if m else ""


def normalise_pmcid(pmcid: str | int | None) -> str:
    """``"Pmc4681498"``, ``"PMC4756000[pmcid]"``, ``"4681498"`` -> ``"PMC4681498"``."""
    if pmcid is None:
        return ""
    text = str(pmcid).strip()
    if not text:
        return ""
    if text.isdigit():
        return "PMC" + text.lstrip("0") if text.strip("0") else ""
    m = _PMCID.search(text)
    return f"PMC{m.group(1).lstrip('0')}" if m and m.group(1).strip("0") else ""


def _canonical_trial_id(raw: str) -> str:
    value = raw.replace(" ", "")
    if value.startswith("ChiCTR"):
        return "ChiCTR" + value[6:].upper()
    if value.startswith("RBR-"):  # ReBEC ids are lower-case after the prefix
        return "RBR-" + value[4:].lower()
    return value.upper()


def find_trial_ids(text: str) -> list[str]:
    """Trial registration ids mentioned in ``text``, canonical form, in order of mention."""
    if not text:
        return []
    found: dict[str, int] = {}  # id -> position of its first mention
    i = text.find(_CT)
    while i != -1:
        if text[i + 2 : i + 3] in _AFTER_CT and text[i + 2 : i + 3]:
            _match_near(text, i, found)
        if _names_eudract(text, i):
            for m in _EUDRACT.finditer(text, max(0, i - 6), i + _WINDOW_AFTER):
                found.setdefault(m.group(1), m.start(1))
        i = text.find(_CT, i + 2)
    if _REGISTRATION in text:
        for anchor in _RARE_ANCHORS:
            i = text.find(anchor)
            while i != -1:
                _match_near(text, i, found)
                i = text.find(anchor, i + len(anchor))
    return sorted(found, key=found.__getitem__)


def _match_near(text: str, i: int, found: dict[str, int]) -> None:
    for m in _TRIAL.finditer(text, max(0, i - _WINDOW_BEFORE), i + _WINDOW_AFTER):
        found.setdefault(_canonical_trial_id(m.group(0)), m.start())


def _names_eudract(text: str, i: int) -> bool:
    """Is the "CT" at ``i`` part of EudraCT, EU CT or CTIS (the EU registers' names)?"""
    before = text[max(0, i - 5) : i]
    return (
        before in ("Eudra", "EUDRA", "eudra")
        or before[-3:] in ("EU ", "EU-")
        or (text[i : i + 4] == "CTIS")
    )


def normalise_trial_ids(values: list[str]) -> list[str]:
    """Ids from a registry field (``ClinicalTrials.gov/NCT00000000``) in canonical form."""
    out: list[str] = []
    for value in values:
        ids = find_trial_ids(value) or find_trial_ids("EudraCT " + value)
        for tid in ids:
            if tid not in out:
                out.append(tid)
    return out


def canonical_ids(
    doi: str, pmid: str, pmcid: str, trial_ids: list[str], *texts: str
) -> tuple[str, str, str, list[str]]:
    """DOI, PMID, PMCID and trial ids in canonical form; ids named in ``texts`` are added."""
    trials = normalise_trial_ids(trial_ids) if trial_ids else []
    for tid in find_trial_ids("\n".join(texts)):
        if tid not in trials:
            trials.append(tid)
    return (
        normalise_doi(doi) if doi else "",
        normalise_pmid(pmid) if pmid else "",
        normalise_pmcid(pmcid) if pmcid else "",
        trials,
    )


def normalise_identifiers(rec: ParsedRecord) -> ParsedRecord:
    """Put ``rec``'s DOI, PMID, PMCID and trial ids in canonical form (in place; returns it).

    Trial ids already on the record (from a registry field) are kept and those named in
    the title or abstract are added.
    """
    rec.doi, rec.pmid, rec.pmcid, rec.trial_ids = canonical_ids(
        rec.doi, rec.pmid, rec.pmcid, rec.trial_ids, rec.title, rec.abstract
    )
    return rec
