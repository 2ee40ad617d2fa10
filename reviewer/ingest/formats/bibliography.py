"""Bibliography pages: a web page or text that lists citations, one record per citation.

Pages such as CancerIndex's "Latest Research Publications" print each citation as
an authors line (``Chari A, Vogl DT, Gavriatopoulou M, et al.``), a title line, a
journal line (``N Engl J Med. 2019; 381(8):727-738 [PubMed] Related Publications``)
and the abstract. The journal line is what gives such a page away, so the sniffer
and the parser both start from it and read the lines around it.

Each record's text is the verbatim slice of the decoded (NFC) source from its
first header line to the end of its abstract, and ``source_start``/``source_end``
say where that slice is, because suggestions and reviewers' quotes point into it.
Page furniture between citations (link labels, disclaimers, site footers) stays
outside every record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import normalise_identifiers
from reviewer.ingest.base import Format, ParseResult, RecordError
from reviewer.ingest.formats import furniture, statements
from reviewer.ingest.formats.plain import read_source
from reviewer.ingest.formats.statements import Line

_CITATION = re.compile(
    r"^(?P<journal>[^\s\d;.\[(][^;\n]{0,150}?)\.\s+"
    r"(?:(?P<season>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+)?"
    r"(?P<year>(?:1[89]|20)\d{2})"
    r"(?:\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?(?:\s*-\s*(?:[A-Z][a-z]{2,8}\.?)?\s*\d{0,2})?)?"
    r"\s*;\s*"
    r"(?P<volume>[^\s(:;\[\]]+)?"
    r"(?:\s*\((?P<issue>[^()\n]{1,40})\))?"
    r"(?:\s*:\s*(?P<pages>[A-Za-z]{0,3}\d\w*(?:\s*[-\u2013]\s*[A-Za-z]{0,3}\d\w*)?))?"
)
_JOURNAL_MAX_WORDS = 12
_MAX_HEADER = 4  # authors line plus a title wrapped over up to three lines
_LINK_LABELS = re.compile(
    r"^(?:\[?(?:pubmed|google scholar|crossref|full text|pmc free article|free pmc article|"
    r"similar articles|cited by(?: \d+)?|related (?:publications|articles|citations)|"
    r"free access to full article|article available free on pmc after [\d/.]+|abstract|"
    r"view article|download pdf|free full text)\]?[\s|,;\u00b7\u2022]*)+$",
    re.I,
)
_SECTION_LABEL = re.compile(
    r"^(?:[A-Z][A-Z &/\-]{2,40}|Background|Methods?|Results?|Conclusions?|Objectives?|Aims?|"
    r"Purpose|Introduction|Findings|Interpretation|Funding|Design|Setting|Participants|"
    r"Interventions|Outcomes?|Discussion|Context|Importance|Areas covered|Expert opinion)\s*:"
)
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b")


@dataclass
class Citation:
    """Where one citation sits, as line indexes: header (authors, title), journal line,
    and the abstract's first and last lines (``None`` when it has none)."""

    header: list[int]
    journal_line: int
    abstract: tuple[int, int] | None = None


def citation_match(line: str) -> re.Match[str] | None:
    """The journal line of a citation (``Blood Rev. 2019; 35:68-80``), or ``None``."""
    m = _CITATION.match(line.strip())
    if not m or not (m.group("volume") or m.group("pages")):
        return None
    if len(m.group("journal").split()) > _JOURNAL_MAX_WORDS:
        return None
    return m


def sniff(head: str, path: Path) -> float:
    """Several journal lines, each under a title and an authors line: a bibliography."""
    lines = statements.split_lines(head)
    found = 0
    for i, line in enumerate(lines):
        if citation_match(line.text) and _authors_above(lines, i):
            found += 1
    if found >= 3:
        return 0.7
    return 0.6 if found == 2 else 0.0


def _authors_above(lines: list[Line], i: int) -> bool:
    above = _lines_above(lines, i, 0)
    return any(statements.is_initials_author_list(lines[j].text) for j in above[:-1])


def _lines_above(lines: list[Line], i: int, floor: int) -> list[int]:
    """The non-blank lines directly above line ``i`` (at most ``_MAX_HEADER``)."""
    above: list[int] = []
    j = i - 1
    while j >= floor and lines[j].stripped and len(above) < _MAX_HEADER:
        above.insert(0, j)
        j -= 1
    return above


def _header(lines: list[Line], i: int, floor: int) -> list[int]:
    """The authors and title lines above journal line ``i``. Without an authors line the
    title is what a blank line sets apart above, or else the one line above."""
    above = _lines_above(lines, i, floor)
    for k in range(len(above) - 2, -1, -1):
        if statements.is_initials_author_list(lines[above[k]].text):
            return above[k:]
    if not above:
        return []
    set_apart = above[0] == floor or not lines[above[0] - 1].stripped
    return above if set_apart and len(above) <= 2 else above[-1:]


def _abstract(lines: list[Line], start: int, stop: int) -> tuple[int, int] | None:
    """The abstract after a journal line: its first paragraph, and further paragraphs that
    open with a section label (``RESULTS:``), never past ``stop`` or into link labels."""
    j = start
    while j < stop and lines[j].stripped and _is_furniture(lines[j].stripped):
        j += 1
    if j >= stop or not lines[j].stripped:
        return None
    first = j
    last = _paragraph_end(lines, j, stop)
    while True:
        nxt = last + 1
        while nxt < stop and not lines[nxt].stripped:
            nxt += 1
        if nxt >= stop or not _SECTION_LABEL.match(lines[nxt].stripped):
            break
        last = _paragraph_end(lines, nxt, stop)
    return first, last


def _paragraph_end(lines: list[Line], j: int, stop: int) -> int:
    """The paragraph's last line, stopping short of a furniture line (an advert that
    follows the abstract with no blank line between)."""
    while j + 1 < stop and lines[j + 1].stripped and not _is_furniture(lines[j + 1].stripped):
        j += 1
    return j


def _is_furniture(text: str) -> bool:
    return bool(_LINK_LABELS.match(text)) or furniture.is_furniture(text)


def find_citations(lines: list[Line]) -> tuple[list[Citation], list[RecordError]]:
    journal_lines = [i for i, ln in enumerate(lines) if citation_match(ln.text)]
    found: list[Citation] = []
    errors: list[RecordError] = []
    for k, i in enumerate(journal_lines):
        floor = journal_lines[k - 1] + 1 if k else 0
        header = _header(lines, i, floor)
        if header:
            found.append(Citation(header, i))
        else:
            errors.append(RecordError("a journal line with no title above it", line=i + 1))
    for n, cite in enumerate(found):
        stop = found[n + 1].header[0] if n + 1 < len(found) else len(lines)
        cite.abstract = _abstract(lines, cite.journal_line + 1, stop)
    return found, errors


def _record(source: str, lines: list[Line], cite: Citation, index: int) -> ParsedRecord:
    journal_text = lines[cite.journal_line].stripped
    m = citation_match(journal_text)
    assert m is not None  # find_citations chose this line for matching
    header = [lines[i].stripped for i in cite.header]
    authors: list[str] = []
    if len(header) > 1 and statements.is_initials_author_list(header[0]):
        authors = statements.split_author_list(re.sub(r"^\d{1,4}[.:)]\s+", "", header[0]))
        header = header[1:]
    last = cite.abstract[1] if cite.abstract else cite.journal_line
    start, end = lines[cite.header[0]].start, lines[last].end
    abstract = ""
    if cite.abstract:
        abstract = source[lines[cite.abstract[0]].start : lines[cite.abstract[1]].end]
    rec = ParsedRecord(
        title=" ".join(header),
        authors=authors,
        journal=m.group("journal").strip(),
        year=int(m.group("year")),
        volume=m.group("volume") or "",
        issue=(m.group("issue") or "").strip(),
        pages=re.sub(r"\s+", "", m.group("pages") or ""),
        abstract=abstract,
        text=source[start:end],
        source_index=index,
        source_start=start,
        source_end=end,
        source_line=cite.header[0] + 1,
    )
    _identifiers(rec, journal_text, abstract)
    return normalise_identifiers(rec)  # and trial registrations named in the abstract


def _identifiers(rec: ParsedRecord, journal_text: str, abstract: str) -> None:
    """A DOI or PMID on the journal line, or on an abstract line labelled with one."""
    labelled = "\n".join(
        ln for ln in abstract.split("\n") if re.match(r"^\s*(?:doi|pmid)\b", ln, re.I)
    )
    for text in (journal_text, labelled):
        dois = statements.find_dois(text)
        if dois and not rec.doi:
            rec.doi = dois[0][1]
        m = _PMID.search(text)
        if m and not rec.pmid:
            rec.pmid = m.group(1)


def parse(stream: TextIO, path: Path) -> ParseResult:
    source = read_source(stream)
    lines = statements.split_lines(source)
    citations, errors = find_citations(lines)
    yield from errors
    for index, cite in enumerate(citations):
        yield _record(source, lines, cite, index)


FORMAT = Format(name="bibliography", extensions=(".txt",), sniff=sniff, parse=parse)
