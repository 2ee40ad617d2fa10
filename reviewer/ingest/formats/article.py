"""One article as text: its metadata read from what the text states, its web furniture set aside.

Plain-text, Markdown and HTML articles reach a review as whatever a browser or a
library catalogue printed: a news page with a dateline and a headline, a catalogue
record with ``Title:``/``Contributor:``/``DOI:`` lines, a lay summary with a
``Published By``/``Date`` footer. The rules here read title, authors, journal,
year and DOI from such statements, never from the file name or the site, so they
work on pages nobody wrote a rule for. Lines that are page furniture, not article
("Advertisement", an advertising disclaimer, image credits, "Related Articles"
lists, copyright footers, navigation above the headline) are taken out of the
record's text; each cut is kept in ``extra["removed"]`` as a range of the source,
so nothing is lost and every remaining character is still verbatim source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import canonical_ids, normalise_doi
from reviewer.ingest.formats.furniture import (
    RELATED_END,
    RELATED_HEADING,
    Cut,
    is_furniture_line,
    is_menu,
    line_kind,
    remove_cuts,
)

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
_CATALOGUE_MIN_LABELS = 3  # this many labelled fields make the page a catalogue record

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

_BREADCRUMB = re.compile(r"\S\s+[>\u203a\u00bb/]\s+\S.*\s+[>\u203a\u00bb/]\s+\S")
_TOP_LINES = 15  # headline, dateline and byline are looked for this near the top
_HEADLINE_MIN_WORDS = 4
_HEADLINE_MAX_CHARS = 250
_SENTENCE_WORDS = 8  # a line ending in a full stop with this many words is body text
_TITLE_MAX = 500


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


def year_of(text: str) -> int | None:
    m = _ANY_YEAR.search(text)
    return int(m.group(1)) if m else None


def _date_year(m: re.Match[str]) -> int:
    return int(next(g for g in (m.group("y1"), m.group("y2"), m.group("y3"), m.group("y4")) if g))


def is_dateline(text: str) -> bool:
    return bool(_DATELINE.match(text.strip()))


def dateline_year(lines: list[Line]) -> int | None:
    """The year of a dateline near the top (``February 24, 2021/Cancer/Blood Cancers``)."""
    for line in _top(lines):
        m = _DATELINE.match(line.stripped)
        if m:
            return _date_year(m)
    return None


def _top(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if ln.stripped][:_TOP_LINES]


def byline(lines: list[Line]) -> list[str]:
    for line in _top(lines):
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


def headline(lines: list[Line]) -> int | None:
    """The index of the line that reads as the headline: the first line near the top with
    a few words that is not a dateline, a label or its value, a breadcrumb or furniture,
    and that comes before the first sentence of body text."""
    seen = 0
    previous = ""
    for i, line in enumerate(lines):
        text = line.stripped.lstrip("#").strip()
        if not text:
            continue
        seen += 1
        if seen > _TOP_LINES or _is_body(text):
            break
        after_label = previous.endswith(":") and _is_known_label(previous)
        previous = text
        if (
            len(text.split()) < _HEADLINE_MIN_WORDS
            or text.endswith((".", ":", ","))
            or after_label
            or is_dateline(text)
            or _BREADCRUMB.search(text)
            or is_menu(text)
            or _is_known_label(line.text)
            or is_furniture_line(text)
        ):
            continue
        return i
    return None


def _is_body(text: str) -> bool:
    """A sentence of body text: long, or a full sentence of several words."""
    return len(text) > _HEADLINE_MAX_CHARS or (
        text.endswith(".") and len(text.split()) >= _SENTENCE_WORDS
    )


def _is_known_label(text: str) -> bool:
    m = _LABEL_LINE.match(text)
    return bool(m) and " ".join(m.group("label").lower().split()) in _LABELS


def markdown_heading(lines: list[Line]) -> int | None:
    for i, line in enumerate(lines):
        if re.match(r"^#{1,2}\s+\S", line.text):
            return i
        nxt = lines[i + 1].stripped if i + 1 < len(lines) else ""
        if line.stripped and re.fullmatch(r"=+", nxt):
            return i
    return None


def first_sentence(lines: list[Line]) -> str:
    """The first sentence of the first line that has a few words: a title stand-in for
    pages that print none (a lay summary that opens with ``In a nutshell``)."""
    for line in lines:
        text = line.stripped
        if len(text.split()) >= _HEADLINE_MIN_WORDS and not is_furniture_line(text):
            m = re.match(r"^(.+?[.?!])(?:\s|$)", text)
            sentence = m.group(1) if m else text
            return sentence[:_TITLE_MAX]
    return ""


# --- journal statements ------------------------------------------------------------------

_SOURCE_STYLE = re.compile(
    rf"(?P<volume>\d+)\s*\((?P<year>{_YEAR})\)(?:\s*,\s*(?P<issue>[\w/\-]+))?"
    r"(?:.*?(?P<pages>\d+\s*[-\u2013]\s*\d+))?"
)
_CITATION_STYLE = re.compile(
    rf"(?P<year>{_YEAR})[^;]*;\s*(?P<volume>[^\s(:;]+)?(?:\((?P<issue>[^)]+)\))?"
    r"(?::\s*(?P<pages>[A-Za-z]{0,3}\d[\w\-\u2013]*))?"
)


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


# --- furniture ---------------------------------------------------------------------------


def furniture(lines: list[Line], headline_line: int | None) -> list[Cut]:
    """The stretches of the page that are not the article, as source ranges."""
    top = {id(ln) for ln in _top(lines)}
    cuts: list[Cut] = []
    i = 0
    while i < len(lines):
        text = lines[i].stripped.lstrip("#").strip()  # a Markdown heading reads the same
        if text and RELATED_HEADING.match(text):
            j = i + 1
            while j < len(lines) and len(lines[j].stripped) < RELATED_END:
                j += 1
            cuts.append(Cut(lines[i].start, lines[j - 1].end, "related list"))
            i = j
            continue
        kind = line_kind(text) if text else None
        if kind is None and text and _is_chrome(text, id(lines[i]) in top, i, headline_line):
            kind = "navigation"
        if kind:
            cuts.append(Cut(lines[i].start, lines[i].end, kind))
        i += 1
    return cuts


def _is_chrome(text: str, near_top: bool, i: int, headline_line: int | None) -> bool:
    """Site navigation: breadcrumbs near the top, and short lines above the headline."""
    if near_top and (_BREADCRUMB.search(text) or _menu_above(text, i, headline_line)):
        return len(text) < 200
    if headline_line is None or i >= headline_line:
        return False
    return len(text.split()) < _HEADLINE_MIN_WORDS and not is_dateline(text)


def _menu_above(text: str, i: int, headline_line: int | None) -> bool:
    """A menu line at the top of the page, above the headline (a table row below it is
    part of the article)."""
    return (headline_line is None or i < headline_line) and is_menu(text)


# --- putting it together -----------------------------------------------------------------


def read_metadata(lines: list[Line], markdown: bool = False) -> Metadata:
    """Title, authors, journal and year as the lines state them (identifiers and a journal
    named in a sentence are read later, from the text without furniture)."""
    meta = Metadata()
    fields = labelled_fields(lines)
    _from_labels(meta, fields, catalogue=len(fields) >= _CATALOGUE_MIN_LABELS)
    if not meta.title:
        _title_from_lines(meta, lines, markdown)
    meta.year = meta.year or dateline_year(lines)
    meta.authors = meta.authors or byline(lines)
    _labelled_identifiers(meta, fields)
    return meta


def _from_labels(meta: Metadata, fields: dict[str, tuple[str, int]], catalogue: bool) -> None:
    if "title" in fields:
        meta.title = fields["title"][0]
        meta.title_line = fields["title"][1]
        meta.title_from = "label"
    if "authors" in fields:
        meta.authors = split_author_list(fields["authors"][0])
    if "journal" in fields:
        parse_source(fields["journal"][0], meta)
    if "date" in fields:
        meta.year = meta.year or year_of(fields["date"][0])
    if catalogue and "abstract" in fields:
        meta.abstract = fields["abstract"][0]


def _title_from_lines(meta: Metadata, lines: list[Line], markdown: bool) -> None:
    """A Markdown heading, else the headline, else a first line set apart by a blank line,
    else (a page that opens with a section heading) the first sentence."""
    found = [
        (markdown_heading(lines) if markdown else None, "heading"),
        (headline(lines), "headline"),
        (set_apart_first_line(lines), "first line"),
    ]
    index, meta.title_from = next(((i, how) for i, how in found if i is not None), (None, ""))
    if index is not None:
        meta.title = lines[index].stripped.lstrip("#").strip().rstrip("#").strip()
        meta.title_line = index
    else:
        meta.title = first_sentence(lines)
        meta.title_from = "first sentence" if meta.title else ""


def set_apart_first_line(lines: list[Line]) -> int | None:
    """The first line, when a blank line (or the end) follows it and it is not body text:
    a title. A short first line that runs straight into its paragraph is a section
    heading (``In a nutshell``), not a title."""
    filled = [i for i, ln in enumerate(lines) if ln.stripped]
    if not filled:
        return None
    first = filled[0]
    text = lines[first].stripped
    if _is_body(text) or is_furniture_line(text) or _is_known_label(text) or is_dateline(text):
        return None
    followed_by_blank = first + 1 >= len(lines) or not lines[first + 1].stripped
    return first if followed_by_blank else None


def _labelled_identifiers(meta: Metadata, fields: dict[str, tuple[str, int]]) -> None:
    if "doi" in fields:
        meta.doi = normalise_doi(fields["doi"][0])
    if "pmid" in fields and (m := re.search(r"\d{1,9}", fields["pmid"][0])):
        meta.pmid = m.group()


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


def article_record(
    source: str,
    path: Path,
    markdown: bool = False,
    hints: Metadata | None = None,
) -> ParsedRecord:
    """The one record of a single-article document: its text without page furniture, and
    the metadata the text states (``hints``, e.g. from HTML meta tags, take precedence)."""
    lines = split_lines(source)
    meta = read_metadata(lines, markdown)
    headline_line = meta.title_line if meta.title_from == "headline" else None
    text, removed = remove_cuts(source, furniture(lines, headline_line))
    if not text.strip():  # all of it looked like furniture: keep it rather than nothing
        text, removed = source, []
    if hints:
        _overlay(meta, hints)
    read_text_statements(meta, text)
    extra: dict[str, object] = {}
    if removed:
        extra["removed"] = removed
    if meta.cited_dois:
        extra["cited_dois"] = meta.cited_dois
    if meta.title_from:
        extra["title_from"] = meta.title_from
    rec = ParsedRecord(
        title=(meta.title or path.stem)[:_TITLE_MAX],
        authors=meta.authors,
        journal=meta.journal,
        year=meta.year,
        volume=meta.volume,
        issue=meta.issue,
        pages=meta.pages,
        doi=meta.doi,
        pmid=meta.pmid,
        abstract=meta.abstract,
        text=text,
        source_index=0,
        source_start=0,
        source_end=len(source),
        source_line=1,
        extra=extra,
    )
    # trial registrations named anywhere in the article are the article's own
    rec.doi, rec.pmid, rec.pmcid, rec.trial_ids = canonical_ids(
        rec.doi, rec.pmid, rec.pmcid, rec.trial_ids, rec.title, rec.abstract, rec.text
    )
    return rec


def _overlay(meta: Metadata, hints: Metadata) -> None:
    for name in ("title", "journal", "volume", "issue", "pages", "doi", "pmid", "abstract"):
        value = getattr(hints, name)
        if value:
            setattr(meta, name, value)
    if hints.title:
        meta.title_from = hints.title_from or "metadata"
    if hints.authors:
        meta.authors = hints.authors
    if hints.year:
        meta.year = hints.year
