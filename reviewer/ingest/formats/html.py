"""HTML articles: the visible text of a saved web page, one record per file.

The page is read with the standard library's ``html.parser``, which only tokenises:
no image, stylesheet, script, frame or link is ever loaded, and no script runs.
Scripts, styles, comments, navigation and hidden elements are dropped; block
elements become line breaks, so the text reads as the page did. Title, authors,
journal, date and DOI come from the ``citation_*`` (Google Scholar), Dublin Core
and Open Graph meta tags when the page has them, and otherwise from the visible
text by the same rules as a plain-text article, including setting web furniture
aside (the ranges in ``extra["removed"]`` are then offsets into the visible text,
not into the markup).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import TextIO

from reviewer.domain.identifiers import normalise_doi
from reviewer.ingest.base import Format, ImportFailure, ParseResult
from reviewer.ingest.formats import article, furniture, statements
from reviewer.ingest.formats.statements import Metadata

# Elements whose content is never visible text (or is navigation, not article).
_DROPPED = {
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "embed", "nav", "button", "select", "option", "datalist", "map", "audio", "video",
}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}
_PARAGRAPH = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "figure",
    "table", "ul", "ol", "dl", "pre", "header", "footer", "main", "aside", "form", "fieldset",
    "address", "details", "hr",
}
_LINE = {"div", "li", "br", "tr", "dt", "dd", "figcaption", "caption", "summary", "legend"}
_CELL = {"td", "th"}
_HEADINGS = {"h1", "h2", "h3"}
# Breaks are marked while reading and resolved at the end, so that nested blocks
# (<li><p>, <tr><td>) give one break, a paragraph break if any of them asks for one.
_LINE_MARK, _PARA_MARK = "\x00L", "\x00P"
_MARKS = re.compile(r"(?:[ \t]*\x00[LP][ \t]*)+")


class _PageReader(HTMLParser):
    """Collects visible text, the ``<title>``, the first ``<h1>`` and the meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.title = ""
        self.h1 = ""
        self._skip: list[str] = []  # open elements whose content is dropped
        self._in_title = False
        self._in_pre = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            self._meta(attr)
            return
        if tag == "title" and not self._skip:
            self._in_title = not self.title
            return
        if self._skip or tag in _DROPPED or _hidden(attr):
            if tag not in _VOID:
                self._skip.append(tag)
            return
        self._block(tag)
        if tag in _CELL:
            self.parts.append("\t")
        if tag == "pre":
            self._in_pre += 1
        if tag == "h1" and not self.h1:
            self._heading = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag == "meta":
            self.handle_starttag(tag, attrs)
        # a self-closed non-void element (<div/>) opens and closes nothing

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            return
        if self._skip:
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag == "pre":
            self._in_pre = max(0, self._in_pre - 1)
        if tag == "h1" and self._heading is not None:
            self.h1 = " ".join("".join(self._heading).split())
            self._heading = None
        self._block(tag)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        if not self._in_pre:
            data = re.sub(r"[ \t\r\n\f\v]+", " ", data)
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def _block(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self.parts.append(_PARA_MARK)
        elif tag in _LINE:
            self.parts.append(_LINE_MARK)

    def _meta(self, attr: dict[str, str]) -> None:
        name = (attr.get("name") or attr.get("property") or "").strip().lower()
        content = attr.get("content", "").strip()
        if name and content:
            self.meta.setdefault(name, []).append(content)


def _hidden(attr: dict[str, str]) -> bool:
    style = attr.get("style", "").replace(" ", "").lower()
    return (
        "hidden" in attr
        or attr.get("aria-hidden", "").lower() == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def visible_text(parts: list[str]) -> str:
    """Joined text parts with HTML's whitespace rules: runs of spaces collapse, each line
    is trimmed, and at most one blank line separates blocks."""
    text = "".join(p.replace("\x00", " ") if not p.startswith("\x00") else p for p in parts)
    text = _MARKS.sub(lambda m: "\n\n" if _PARA_MARK in m.group() else "\n", text)
    lines = [re.sub(r" {2,}", " ", ln).strip(" \t") for ln in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first(meta: dict[str, list[str]], *names: str) -> str:
    for name in names:
        if meta.get(name):
            return meta[name][0]
    return ""


def meta_hints(reader: _PageReader) -> Metadata:
    """Metadata from the page's meta tags, then its ``<h1>`` and ``<title>``."""
    meta = reader.meta
    hints = Metadata()
    heading = "" if furniture.is_menu(reader.h1) else reader.h1
    hints.title = _first(meta, "citation_title", "dc.title", "og:title") or heading
    if not hints.title:
        hints.title = _site_free(" ".join(reader.title.split()))
    hints.title_from = "metadata" if hints.title else ""
    hints.authors = meta.get("citation_author") or meta.get("dc.creator") or []
    if not hints.authors and (byline := _first(meta, "author")):
        hints.authors = statements.split_author_list(byline)
    hints.journal = _first(meta, "citation_journal_title", "prism.publicationname")
    date = _first(
        meta, "citation_publication_date", "citation_date", "citation_year", "dc.date",
        "article:published_time", "prism.publicationdate",
    )
    hints.year = statements.year_of(date)
    hints.volume = _first(meta, "citation_volume", "prism.volume")
    hints.issue = _first(meta, "citation_issue", "prism.number")
    first, last = _first(meta, "citation_firstpage"), _first(meta, "citation_lastpage")
    hints.pages = f"{first}-{last}" if first and last else first
    doi = _first(meta, "citation_doi", "dc.identifier", "prism.doi")
    hints.doi = normalise_doi(doi)
    hints.pmid = _first(meta, "citation_pmid")
    hints.abstract = _first(meta, "citation_abstract", "dc.description")
    return hints


def _site_free(title: str) -> str:
    """``Article title | Site name`` without the site name; nothing when the title is a
    list of sections (``News | Conference Coverage | Drug Approvals``): the page's own
    headline is then found in its text."""
    if furniture.is_menu(title):
        return ""
    parts = [p for p in re.split(r"\s+[|\u2013\u2014]\s+", title) if p.strip()]
    if len(parts) < 2:
        return title
    return parts[0] if len(parts[0].split()) >= 3 else max(parts, key=len)


def sniff(head: str, path: Path) -> float:
    start = head.lstrip("\ufeff \t\r\n")[:2000].lower()
    if start.startswith("<!doctype html") or re.match(r"(?:<\?xml[^>]*>\s*)?<html[\s>]", start):
        return 0.9
    if "<?xml" in start[:100] or "<!doctype" in start[:200]:
        return 0.0
    tags = len(re.findall(r"<(?:p|div|br|span|a\s+href|h[1-6]|body|head|table|li)[\s>/]", start))
    if tags >= 3:
        return 0.5 if path.suffix.lower() in {".html", ".htm", ".xhtml"} else 0.4
    return 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    source = unicodedata.normalize("NFC", stream.read())
    reader = _PageReader()
    try:
        reader.feed(source)
        reader.close()
    except (AssertionError, ValueError) as exc:  # html.parser is lenient; this is a last net
        raise ImportFailure(path, f"the HTML could not be read ({exc})") from exc
    text = visible_text(reader.parts)
    if not text:
        raise ImportFailure(path, "the page has no visible text")
    rec = article.article_record(text, path, hints=meta_hints(reader))
    rec.source_start, rec.source_end = 0, len(source)
    rec.extra["text_from"] = "html"
    yield rec


FORMAT = Format(name="html", extensions=(".html", ".htm", ".xhtml"), sniff=sniff, parse=parse)
