"""PMC / JATS full-text XML (``.nxml``): one record per article, with its body by section.

PubMed Central distributes open-access articles as JATS XML; an efetch from the
``pmc`` database wraps several in a ``<pmc-articleset>``. The front matter gives
title, authors, journal, year, DOI, PMID and PMCID; the record's text is the
citation header, the abstract, and the body, each section heading on its own line
followed by its paragraphs, tables and figure captions, then acknowledgements and
funding. Reference lists are left out: they are other articles. Where each section
starts in the text is kept in ``extra["sections"]``.

The XML comes from elsewhere, so it is parsed with defusedxml: no entity expansion
and no external DTD is ever fetched (PMC files name one; it is not needed).
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import canonical_ids
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError, compose_text
from reviewer.ingest.formats import statements
from reviewer.ingest.formats.plain import read_source

_MARKERS = ("<front", "article-meta", "jats", "//nlm//dtd", "<pmc-articleset", "journal-meta")
_SKIP_INLINE = {"math", "tex-math", "graphic", "inline-graphic", "media"}
_BLOCKS = {
    "p", "sec", "list", "table-wrap", "fig", "disp-quote", "boxed-text", "def-list",
    "statement", "disp-formula", "preformat", "speech", "verse-group", "table-wrap-group",
    "fig-group",
}
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # XML's whitespace; a no-break space is text
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def local(tag: object) -> str:
    """An element's name without its namespace (``{ns}p`` -> ``p``)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def inline_text(el: Element, skip_blocks: bool = False) -> str:
    """The readable text of an element, whitespace collapsed; formulas and graphics left
    out, and (with ``skip_blocks``) nested tables, figures and lists too."""
    parts: list[str] = []
    _collect(el, parts, skip_blocks, top=True)
    return _XML_SPACE.sub(" ", "".join(parts)).strip(" ")


def _collect(el: Element, parts: list[str], skip_blocks: bool, top: bool) -> None:
    name = local(el.tag)
    skipped = name in _SKIP_INLINE or (skip_blocks and not top and name in _BLOCKS)
    if not skipped:
        parts.append(el.text or "")
        for child in el:
            _collect(child, parts, skip_blocks, top=False)
    if not top:
        parts.append(el.tail or "")


def _child(el: Element | None, *names: str) -> Element | None:
    """The first descendant reached by following ``names`` (by local name)."""
    for name in names:
        if el is None:
            return None
        el = next((c for c in el if local(c.tag) == name), None)
    return el


def _find(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    return next((c for c in el.iter() if local(c.tag) == name), None)


def _findall(el: Element | None, name: str) -> list[Element]:
    return [] if el is None else [c for c in el.iter() if local(c.tag) == name]


@dataclass
class Body:
    """Text written block by block, remembering where each section heading starts."""

    blocks: list[str] = field(default_factory=list)
    sections: list[tuple[str, int, int]] = field(default_factory=list)  # title, level, block

    def heading(self, title: str, level: int) -> None:
        self.sections.append((title, level, len(self.blocks)))
        self.blocks.append(title)

    def add(self, text: str) -> None:
        if text.strip():
            self.blocks.append(text.strip())


def write_blocks(el: Element, body: Body, level: int) -> None:
    """A section's (or the body's) content, block by block, in document order."""
    for child in el:
        write_block(child, body, level)


def write_block(el: Element, body: Body, level: int) -> None:
    name = local(el.tag)
    if name == "sec":
        title = _text_of(_child(el, "title"))
        if title:
            body.heading(title, level)
        write_blocks(el, body, level + 1)
    elif name == "p":
        body.add(inline_text(el, skip_blocks=True))
        for inner in el:  # tables, figures and lists a paragraph holds come after its text
            if local(inner.tag) in _BLOCKS:
                write_block(inner, body, level)
    elif name in {"list", "def-list"}:
        body.add(_list_text(el))
    elif name in {"table-wrap", "fig", "table-wrap-group", "fig-group"}:
        body.add(_float_text(el))
    elif name in {"disp-quote", "boxed-text", "statement", "speech", "verse-group"}:
        write_blocks(el, body, level)
    elif name in {"disp-formula", "preformat"}:
        body.add(inline_text(el))


def _list_text(el: Element) -> str:
    items = [c for c in el if local(c.tag) in {"list-item", "def-item"}]
    return "\n".join("\u2022 " + inline_text(item) for item in items)


def _float_text(el: Element) -> str:
    """A table or figure: its label and caption, then the table's rows, cells tab-separated."""
    label = inline_text(lab) if (lab := _find(el, "label")) is not None else ""
    caption = inline_text(cap) if (cap := _find(el, "caption")) is not None else ""
    lines = [" ".join(p for p in (label, caption) if p)]
    for row in _findall(el, "tr"):
        cells = [inline_text(c) for c in row if local(c.tag) in {"td", "th"}]
        lines.append("\t".join(cells))
    foot = _find(el, "table-wrap-foot")
    if foot is not None:
        lines.append(inline_text(foot))
    return "\n".join(ln for ln in lines if ln.strip())


def _authors(meta: Element) -> list[str]:
    names: list[str] = []
    for contrib in _findall(meta, "contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = _child(contrib, "name")
        if name is None:
            name = _find(contrib, "string-name")
        if name is not None:
            surname = inline_text(s) if (s := _child(name, "surname")) is not None else ""
            given = inline_text(g) if (g := _child(name, "given-names")) is not None else ""
            full = ", ".join(p for p in (surname, given) if p) or inline_text(name)
            names.append(full)
        elif (collab := _child(contrib, "collab")) is not None:
            names.append(inline_text(collab, skip_blocks=True))
    return [n for n in names if n]


def _year(meta: Element) -> int | None:
    dates = _findall(meta, "pub-date")
    preferred = sorted(dates, key=lambda d: 0 if d.get("pub-type") in {"epub", "ppub"} else 1)
    for date in preferred:
        year = _child(date, "year")
        if year is not None and (y := statements.year_of(year.text or "")):
            return y
    return None


def _ids(meta: Element) -> dict[str, str]:
    ids: dict[str, str] = {}
    for el in meta:
        if local(el.tag) == "article-id" and el.text:
            ids.setdefault(el.get("pub-id-type", ""), el.text.strip())
    return ids


def _abstract(meta: Element) -> str:
    abstracts = [a for a in meta if local(a.tag) == "abstract"]
    plain = [a for a in abstracts if a.get("abstract-type") is None] or abstracts
    if not plain:
        return ""
    body = Body()
    write_blocks(plain[0], body, 1)
    return "\n".join(body.blocks)


def _text_of(el: Element | None) -> str:
    return inline_text(el) if el is not None else ""


def _pages(first: str, last: str) -> str:
    return f"{first}-{last}" if first and last and last != first else first or last


def front_record(art: Element, index: int) -> ParsedRecord:
    """Title, authors, journal and identifiers from an article's front matter."""
    front = _child(art, "front")
    meta = _child(front, "article-meta") if front is not None else None
    journal = _child(front, "journal-meta") if front is not None else None
    if meta is None:
        meta = Element("article-meta")
    ids = _ids(meta)
    fpage, lpage = _text_of(_child(meta, "fpage")), _text_of(_child(meta, "lpage"))
    journal_title = _text_of(_find(journal, "journal-title"))
    abbrev = next(
        (_text_of(j) for j in _findall(journal, "journal-id") if j.get("journal-id-type") == "nlm-ta"),
        "",
    )
    pmcid = ids.get("pmc", "") or ids.get("pmcid", "")
    return ParsedRecord(
        title=_text_of(_find(_child(meta, "title-group"), "article-title")),
        authors=_authors(meta),
        journal=journal_title or abbrev,
        year=_year(meta),
        volume=_text_of(_child(meta, "volume")),
        issue=_text_of(_child(meta, "issue")),
        pages=_pages(fpage, lpage) or _text_of(_child(meta, "elocation-id")),
        doi=ids.get("doi", ""),
        pmid=ids.get("pmid", ""),
        pmcid=pmcid,
        abstract=_abstract(meta),
        keywords=[_text_of(k) for k in _findall(meta, "kwd")],
        type=art.get("article-type", ""),
        source_index=index,
        extra={"journal_abbrev": abbrev} if abbrev else {},
    )


def full_text(art: Element, rec: ParsedRecord) -> tuple[str, list[dict[str, object]]]:
    """The record's text and where each section starts in it."""
    body = Body()
    if rec.abstract:
        body.heading("Abstract", 1)
        body.add(rec.abstract)
    main = _child(art, "body")
    if main is not None:
        write_blocks(main, body, 1)
    _back_matter(art, body)
    head = compose_text(rec.model_copy(update={"abstract": ""}))
    text = head
    starts: list[int] = []
    for block in body.blocks:
        text += "\n\n"
        starts.append(len(text))
        text += block
    sections = [{"title": t, "level": lv, "start": starts[b]} for t, lv, b in body.sections]
    return text, sections


def _back_matter(art: Element, body: Body) -> None:
    """Acknowledgements and funding: who paid for the work is something reviewers extract."""
    back = _child(art, "back")
    for ack in [a for a in (back if back is not None else []) if local(a.tag) == "ack"]:
        title = _text_of(_child(ack, "title")) or "Acknowledgements"
        body.heading(title, 1)
        write_blocks(ack, body, 2)
    funding = [_text_of(f) for f in _findall(_child(art, "front"), "funding-statement")]
    if any(funding):
        body.heading("Funding", 1)
        for statement in funding:
            body.add(statement)


def _articles(root: Element) -> list[Element]:
    if local(root.tag) == "article":
        return [root]
    return [el for el in root.iter() if local(el.tag) == "article"]


def _parse_xml(source: str, path: Path) -> Element:
    try:
        return SafeET.fromstring(source)
    except DefusedXmlException as exc:
        raise ImportFailure(path, f"the XML declares entities or a DTD; refused ({exc})") from exc
    except ParseError as exc:
        if "undefined entity" in str(exc):
            return _parse_xml(_numeric_entities(source), path)
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise ImportFailure(path, f"the XML is not well-formed ({exc})", line=line) from exc


def _numeric_entities(source: str) -> str:
    """HTML named entities (``&nbsp;``, which PMC's DTD would define) as character refs."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _XML_ENTITIES or name not in html.entities.name2codepoint:
            return m.group() if name in _XML_ENTITIES else ""
        return f"&#{html.entities.name2codepoint[name]};"

    return re.sub(r"&([A-Za-z][A-Za-z0-9]*);", repl, source)


def sniff(head: str, path: Path) -> float:
    start = head[:8192]
    if "<article" not in start and "<pmc-articleset" not in start:
        return 0.0
    lowered = start.lower()
    if any(marker in lowered for marker in _MARKERS):
        return 0.95
    return 0.5 if path.suffix.lower() == ".nxml" else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    source = read_source(stream)
    articles = _articles(_parse_xml(source, path))
    if not articles:
        raise ImportFailure(path, "no <article> element: this XML is not a JATS article")
    for item in _records(articles):
        if len(articles) == 1 and isinstance(item, ParsedRecord):
            item.source_start, item.source_end = 0, len(source)  # the file is the article
        yield item


def _records(articles: list[Element]) -> Iterator[ParsedRecord | RecordError]:
    for index, art in enumerate(articles):
        rec = front_record(art, index)
        if not rec.title and _child(art, "body") is None and not rec.abstract:
            yield RecordError("an article with no title, abstract or body", record=index + 1)
            continue
        rec.text, sections = full_text(art, rec)
        rec.extra["sections"] = sections
        rec.doi, rec.pmid, rec.pmcid, rec.trial_ids = canonical_ids(
            rec.doi, rec.pmid, rec.pmcid, rec.trial_ids, rec.title, rec.text
        )
        rec.title = rec.title or (rec.doi or f"article {index + 1}")
        yield rec


FORMAT = Format(name="jats", extensions=(".nxml", ".xml"), sniff=sniff, parse=parse)
