"""What an article's text states about itself, line by line.

The rules that read one statement each: a ``Label: value`` line of a catalogue
record, a dateline, a byline, a printed author list, a journal named in a sentence
(``published in Seminars in Hematology``) or a source line (``N Engl J Med.
2019;381(8):727``), DOIs and PMIDs near the top. They are shared by every reader of
article-like text (plain text, Markdown, HTML, JATS, PDF, bibliography pages), so they
live apart from :mod:`reviewer.ingest.formats.article`, which decides from them what
the article's title is and which lines are page furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer.domain.identifiers import normalise_doi

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_YEAR = r"(?:1[89]|20)\d{2}"
_DATE = re.compile(
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<y1>{_YEAR})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})-\d{{2}}-\d{{2}}"
    rf"|(?:{_MONTHS})\.?,?\s+(?P<y4>{_YEAR}))\b",
    re.I,
)
_DATELINE = re.compile(
    rf"^(?:(?:published|updated|posted|last updated)(?:\s+on)?\s*:?\s*)?{_DATE.pattern}", re.I
)
_ANY_YEAR = re.compile(rf"\b({_YEAR})\b")

DOI_PATTERN = re.compile(r"\b10\.\d{4,9}/[^\s\"'<>]+")
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
_HEADER_CHARS = 1500  # a DOI this close to the top identifies the article, not a reference

_BULLET = "\u2022*\u00b7\u25aa\u25e6\u2013-"
_LABEL_LINE = re.compile(
    rf"^[\s{_BULLET}]*(?P<label>[A-Za-z][A-Za-z .]{{0,30}}?)\s*:\s*(?P<value>.*)$"
)
_LABELS = {
    "title": "title",
    "article title": "title",
    "contributor": "authors",
    "contributors": "authors",
    "author": "authors",
    "authors": "authors",
    "creator": "authors",
    "published in": "journal",
    "journal": "journal",
    "journal title": "journal",
    "source": "journal",
    "published by": "journal",
    "published": "date",
    "date": "date",
    "publication date": "date",
    "date published": "date",
    "pub date": "date",
    "year": "date",
    "doi": "doi",
    "pmid": "pmid",
    "pubmed id": "pmid",
    "description": "abstract",
    "abstract": "abstract",
}

_DEGREES = re.compile(
    r"^(?:MD|PhD|MPH|MBA|MS|MSc|BSc|BS|RN|NP|PA|PA-C|PharmD|DO|DrPH|FRCP|FRCPC|FACP|"
    r"FASCO|MBBS|MBChB|MA|BA|Jr\.?|Sr\.?)$"
)
_INITIALS_NAME = re.compile(
    r"^[^\W\d_][^\W\d_'\u2019\-]*(?:[\s'\u2019\-][^\W\d_][^\W\d_'\u2019\-]*)*\s[A-Z]{1,4}\.?$"
)
_ET_AL = re.compile(r"^(?:and\s+)?et\s*al\.?$", re.I)
_ROLE = re.compile(r"\s*\[[^\]]*\]\s*")

_PUBLISHED_IN = re.compile(
    r"\b(?:published|appears?|appeared|reported)\s+(?:online\s+)?in\s+(?:the\s+journal\s+)?"
    r"(?P<j>(?:The[ \t]+)?[A-Z][\w&'\-]*(?:[ \t]+(?:of|in|and|for|on|the|&|[A-Z][\w&'\-]*))*)"
)
_ONE_WORD_JOURNALS = {
    "blood",
    "leukemia",
    "haematologica",
    "nature",
    "science",
    "cell",
    "lancet",
    "cancer",
    "circulation",
    "pediatrics",
    "gut",
    "thorax",
    "chest",
    "neurology",
    "brain",
    "radiology",
}
_MONTH_WORD = re.compile(rf"^(?:{_MONTHS})$", re.I)
TOP_LINES = 15  # headline, dateline and byline are looked for this near the top

_SOURCE_STYLE = re.compile(
    rf"(?P<volume>\d+)\s*\((?P<year>{_YEAR})\)(?:\s*,\s*(?P<issue>[\w/\-]+))?"
    r"(?:.*?(?P<pages>\d+\s*[-\u2013]\s*\d+))?"
)
_CITATION_STYLE = re.compile(
    rf"(?P<year>{_YEAR})[^;]*;\s*(?P<volume>[^\s(:;]+)?(?:\((?P<issue>[^)]+)\))?"
    r"(?::\s*(?P<pages>[A-Za-z]{0,3}\d[\w\-\u2013]*))?"
)


@dataclass
class Line:
    """One line of the source, with where it starts and ends (without its newline)."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Metadata:
    """What the text states about the article it holds."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    abstract: str = ""
    cited_dois: list[str] = field(default_factory=list)
    title_line: int | None = None  # index into the lines, when the title is a line
    title_from: str = ""


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


# --- identifiers -------------------------------------------------------------------------


def find_dois(text: str) -> list[tuple[int, str]]:
    """Every DOI in ``text`` with its offset, in order, in canonical form."""
    found = ((m.start(), normalise_doi(m.group())) for m in DOI_PATTERN.finditer(text))
    return [(pos, doi) for pos, doi in found if doi]


# --- names -------------------------------------------------------------------------------


def split_author_list(value: str) -> list[str]:
    """Names from a printed author list: ``;``-separated catalogue entries with roles in
    brackets (``Schroeder, Thomas [Author]; ...``), ``Surname AB, Surname C, et al.``, or
    ``A Name, B Name and C Name``."""
    value = value.strip()
    if ";" in value:
        parts = value.split(";")
    elif is_initials_author_list(value):
        parts = value.split(",")
    elif re.fullmatch(r"[^\W\d_][\w'\u2019\-]*,\s*[^\W\d_][\w'\u2019.\- ]*", value):
        parts = [value]  # one "Surname, Given names"
    else:
        parts = re.split(r",|\s+and\s+|\s+&\s+", value)
    names = [_ROLE.sub(" ", p).strip().rstrip(".").strip() for p in parts]
    return [n for n in names if n and not _ET_AL.match(n) and not _DEGREES.match(n)]


def is_initials_author_list(line: str) -> bool:
    """``Chari A, Vogl DT, Gavriatopoulou M, et al.``: a citation's author line."""
    text = re.sub(r"^\s*\d{1,4}[.:)]\s+", "", line.strip())
    if not text or len(text) > 2000:
        return False
    parts = [p.strip() for p in text.split(",")]
    if parts and _ET_AL.match(parts[-1]):
        parts = parts[:-1]
    elif parts and parts[-1].endswith(" et al."):
        parts[-1] = parts[-1][: -len(" et al.")].strip()
    return bool(parts) and all(_INITIALS_NAME.match(p) for p in parts)


# --- statements in the text --------------------------------------------------------------


def labelled_fields(lines: list[Line]) -> dict[str, tuple[str, int]]:
    """``Label: value`` statements (the first of each kind), with the line they are on.
    A label alone on its line takes the next line as its value (``Date :`` / ``Feb 04, 2021``)."""
    found: dict[str, tuple[str, int]] = {}
    for i, line in enumerate(lines):
        m = _LABEL_LINE.match(line.text)
        if not m:
            continue
        key = _LABELS.get(" ".join(m.group("label").lower().split()))
        if key is None or key in found:
            continue
        value = m.group("value").strip()
        if not value:
            value = _value_on_next_line(lines, i)
        if value:
            found[key] = (value, i)
    return found


def _value_on_next_line(lines: list[Line], i: int) -> str:
    for nxt in lines[i + 1 : i + 3]:
        if not nxt.stripped:
            continue
        m = _LABEL_LINE.match(nxt.text)
        is_label = m and (
            nxt.stripped.endswith(":")
            or nxt.stripped[0] in _BULLET
            or " ".join(m.group("label").lower().split()) in _LABELS
        )
        return "" if is_label else nxt.stripped
    return ""


def is_known_label(text: str) -> bool:
    """A ``Label:`` line whose label names a field of the article."""
    m = _LABEL_LINE.match(text)
    return bool(m) and " ".join(m.group("label").lower().split()) in _LABELS


def year_of(text: str) -> int | None:
    m = _ANY_YEAR.search(text)
    return int(m.group(1)) if m else None


def _date_year(m: re.Match[str]) -> int:
    return int(next(g for g in (m.group("y1"), m.group("y2"), m.group("y3"), m.group("y4")) if g))


def is_dateline(text: str) -> bool:
    return bool(_DATELINE.match(text.strip()))


def dateline_year(lines: list[Line]) -> int | None:
    """The year of a dateline near the top (``February 24, 2021/Cancer/Blood Cancers``)."""
    for line in top_lines(lines):
        m = _DATELINE.match(line.stripped)
        if m:
            return _date_year(m)
    return None


def top_lines(lines: list[Line]) -> list[Line]:
    """The first non-blank lines, where a headline, dateline and byline are looked for."""
    return [ln for ln in lines if ln.stripped][:TOP_LINES]


def byline(lines: list[Line]) -> list[str]:
    for line in top_lines(lines):
        m = re.match(r"^by\s+(.{3,150})$", line.stripped, re.I)
        if m and not m.group(1).rstrip().endswith("."):
            return split_author_list(m.group(1))
    return []


def published_in(text: str) -> str:
    """The journal a sentence says the work is published in (``published in Seminars in
    Hematology``)."""
    for m in _PUBLISHED_IN.finditer(text):
        words = m.group("j").split()
        while words and words[-1].lower() in {"of", "in", "and", "for", "on", "the", "&"}:
            words.pop()
        if not words or _MONTH_WORD.match(words[-1]) or _MONTH_WORD.match(words[0]):
            continue
        name = " ".join(words)
        if len(words) >= 2 or name.isupper() or name.lower() in _ONE_WORD_JOURNALS:
            return name
    return ""


# --- journal statements ------------------------------------------------------------------


def parse_source(value: str, meta: Metadata) -> None:
    """``Haematologica ; 108(2023), 11, Seite 3001-3010`` or ``N Engl J Med. 2019;381(8):727``:
    the journal name and whatever volume, issue, pages and year follow it."""
    name = re.split(r"\s*[;,]\s*|\.\s+(?=\d)", value, maxsplit=1)[0].strip(" .\u00a0")
    meta.journal = meta.journal or name
    rest = value[len(name) :]
    m = _SOURCE_STYLE.search(rest) or _CITATION_STYLE.search(rest)
    if not m:
        meta.year = meta.year or year_of(rest)
        return
    groups = m.groupdict()
    meta.year = meta.year or int(groups["year"])
    meta.volume = meta.volume or (groups.get("volume") or "")
    meta.issue = meta.issue or (groups.get("issue") or "")
    meta.pages = meta.pages or re.sub(r"\s+", "", groups.get("pages") or "")


def read_text_statements(meta: Metadata, text: str) -> None:
    """What the article's prose states: a DOI near the top (DOIs further down belong to
    the works it cites), a PMID near the top, the journal a sentence names."""
    dois = find_dois(text)
    if not meta.doi and dois and dois[0][0] < _HEADER_CHARS:
        meta.doi = dois[0][1]
    meta.cited_dois = list(dict.fromkeys(d for _, d in dois if d != meta.doi))
    if not meta.pmid and (m := _PMID.search(text[:_HEADER_CHARS])):
        meta.pmid = m.group(1)
    meta.journal = meta.journal or published_in(text)
