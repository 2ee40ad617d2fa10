"""EndNote XML (``<xml><records><record>``), as EndNote, Bookends and SpiderCite export it.

Field text sits inside ``<style>`` runs (bold, italic) that are dropped; EndNote writes
line breaks inside a field as ``&#xD;``, and recent versions put the whole library on
one line (half a megabyte without a newline), which the streaming XML reader takes in
chunks like any other file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO
from xml.etree.ElementTree import Element

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import Format, ImportFailure, ParseResult, RecordError
from reviewer.ingest.formats._records import (
    build_record,
    clean_list,
    clean_names,
    parse_year,
    reporting_undecodable,
)
from reviewer.ingest.formats._xml import RecordReader, XmlBroken, head_root, text_of

_RECORDS = frozenset({"record"})
_SNIFF = re.compile(r"<records>\s*<record>|<record>\s*<(?:database|source-app|rec-number|ref-type)")


def sniff(head: str, path: Path) -> float:
    if _SNIFF.search(head):
        return 0.95
    return 0.6 if head_root(head) == "xml" and "<records" in head else 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    index = 0
    try:
        for elem, line in RecordReader(stream, _RECORDS):
            yield _record(elem, index, line)
            index += 1
    except XmlBroken as exc:
        if index == 0:
            raise ImportFailure(path, exc.message, line=exc.line) from None
        yield RecordError(
            f"{exc.message}; the rest of the file after record {index} was not read",
            line=exc.line,
            record=index + 1,
        )
        return
    if index == 0:
        raise ImportFailure(path, "no <record> in this EndNote XML file", line=1)


def _record(rec: Element, index: int, line: int) -> ParsedRecord | RecordError:
    titles = rec.find("titles")
    ref_type = rec.find("ref-type")
    urls = [text_of(u) for u in rec.iterfind("urls/related-urls/url")]
    return build_record(
        index=index,
        line=line,
        title=_get(titles, "title"),
        authors=clean_names(text_of(a) for a in rec.iterfind("contributors/authors/author")),
        journal=text_of(rec.find("periodical/full-title"))
        or _get(titles, "secondary-title")
        or text_of(rec.find("alt-periodical/full-title")),
        year=parse_year(
            text_of(rec.find("dates/year")) or text_of(rec.find("dates/pub-dates/date"))
        ),
        volume=text_of(rec.find("volume")),
        issue=text_of(rec.find("number")) or text_of(rec.find("issue")),
        pages=text_of(rec.find("pages")),
        doi=text_of(rec.find("electronic-resource-num")),
        pmid=_pmid(rec),
        pmcid=text_of(rec.find("custom2")) if "PMC" in text_of(rec.find("custom2")).upper() else "",
        abstract=text_of(rec.find("abstract"), lines=True),
        keywords=clean_list(text_of(k) for k in rec.iterfind("keywords/keyword")),
        type=ref_type.get("name", "") if ref_type is not None else "",
        url=urls[0] if urls else "",
        extra=_extra(rec),
    )


def _get(parent: Element | None, tag: str) -> str:
    return text_of(parent.find(tag)) if parent is not None else ""


def _pmid(rec: Element) -> str:
    """EndNote keeps a PubMed record's PMID as its accession number."""
    accession = text_of(rec.find("accession-num"))
    database = (
        text_of(rec.find("remote-database-name")) + text_of(rec.find("remote-database-provider"))
    ).lower()
    if (
        accession.isdigit()
        and len(accession) <= 8
        and ("pubmed" in database or "nlm" in database or "medline" in database)
    ):
        return accession
    return ""


def _extra(rec: Element) -> dict[str, str]:
    extra = {}
    for tag in (
        "rec-number",
        "isbn",
        "language",
        "publisher",
        "pub-location",
        "accession-num",
        "label",
    ):
        if value := text_of(rec.find(tag)):
            extra[tag.replace("-", "_")] = value
    return extra


FORMAT = Format(
    name="endnote_xml", extensions=(".xml",), sniff=sniff, parse=reporting_undecodable(parse)
)
