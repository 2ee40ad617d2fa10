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
from reviewer.ingest.formats.statements import (
    TOP_LINES,
    Line,
    Metadata,
    byline,
    dateline_year,
    is_dateline,
    is_known_label,
    labelled_fields,
    parse_source,
    read_text_statements,
    split_author_list,
    split_lines,
    top_lines,
    year_of,
)

_CATALOGUE_MIN_LABELS = 3  # this many labelled fields make the page a catalogue record
_BREADCRUMB = re.compile(r"\S\s+[>\u203a\u00bb/]\s+\S.*\s+[>\u203a\u00bb/]\s+\S")
_HEADLINE_MIN_WORDS = 4
_HEADLINE_MAX_CHARS = 250
_SENTENCE_WORDS = 8  # a line ending in a full stop with this many words is body text
_TITLE_MAX = 500


# --- the title ---------------------------------------------------------------------------


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
        if seen > TOP_LINES or _is_body(text):
            break
        after_label = previous.endswith(":") and is_known_label(previous)
        previous = text
        if (
            len(text.split()) < _HEADLINE_MIN_WORDS
            or text.endswith((".", ":", ","))
            or after_label
            or is_dateline(text)
            or _BREADCRUMB.search(text)
            or is_menu(text)
            or is_known_label(line.text)
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


# --- furniture ---------------------------------------------------------------------------


def furniture(lines: list[Line], headline_line: int | None) -> list[Cut]:
    """The stretches of the page that are not the article, as source ranges."""
    top = {id(ln) for ln in top_lines(lines)}
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
    if _is_body(text) or is_furniture_line(text) or is_known_label(text) or is_dateline(text):
        return None
    followed_by_blank = first + 1 >= len(lines) or not lines[first + 1].stripped
    return first if followed_by_blank else None


def _labelled_identifiers(meta: Metadata, fields: dict[str, tuple[str, int]]) -> None:
    if "doi" in fields:
        meta.doi = normalise_doi(fields["doi"][0])
    if "pmid" in fields and (m := re.search(r"\d{1,9}", fields["pmid"][0])):
        meta.pmid = m.group()


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
