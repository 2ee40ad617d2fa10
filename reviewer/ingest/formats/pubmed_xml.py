"""PubMed XML (``PubmedArticleSet``: PubMed's "Send to > File > XML" and EFetch output).

Journal articles (``PubmedArticle``) and NCBI Bookshelf chapters (``PubmedBookArticle``)
both become records. Structured abstracts keep their section labels, titles keep the
text of their <i>/<sup>/MathML markup, and ClinicalTrials.gov and other registry numbers
listed in ``DataBankList`` become trial ids. An eSummary file (``eSummaryResult``)
looks similar but holds summaries, not citations; it is refused with a hint.
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
    parse_year,
    reporting_undecodable,
)
from reviewer.ingest.formats._xml import RecordReader, XmlBroken, head_root, local, text_of

_RECORDS = frozenset({"PubmedArticle", "PubmedBookArticle"})
_ROOTS = {"PubmedArticleSet", "PubmedBookArticleSet", "PubmedArticle", "PubmedBookArticle"}
_SNIFF = re.compile(r"<(?:PubmedArticleSet|PubmedArticle|PubmedBookArticle)[\s>]")


def sniff(head: str, path: Path) -> float:
    root = head_root(head)
    if root in _ROOTS or _SNIFF.search(head):
        return 0.95
    if root == "eSummaryResult":
        return 0.7  # claimed so that the refusal says what the file is
    return 0.0


def parse(stream: TextIO, path: Path) -> ParseResult:
    reader = RecordReader(stream, _RECORDS)
    index = 0
    try:
        for elem, line in reader:
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
    if index == 0 and reader.root_tag == "eSummaryResult":
        raise ImportFailure(
            path,
            "this is a PubMed eSummary file (document summaries), not a citation export; "
            "in PubMed use 'Send to > Citation manager' or save as PubMed XML",
            line=1,
        )
    if index == 0:
        raise ImportFailure(path, "no PubmedArticle in this PubMed XML file", line=1)


def _record(elem: Element, index: int, line: int) -> ParsedRecord | RecordError:
    if local(elem.tag) == "PubmedBookArticle":
        return _book(elem, index, line)
    citation = elem.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None:
        return RecordError(
            "the PubmedArticle has no MedlineCitation/Article; skipped", line, index + 1
        )
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    ids = _article_ids(elem)
    return build_record(
        index=index,
        line=line,
        title=text_of(article.find("ArticleTitle")) or text_of(article.find("VernacularTitle")),
        authors=_authors(article.find("AuthorList")),
        journal=text_of(journal.find("Title")) if journal is not None else "",
        year=_year(issue.find("PubDate") if issue is not None else None),
        volume=text_of(issue.find("Volume")) if issue is not None else "",
        issue=text_of(issue.find("Issue")) if issue is not None else "",
        pages=text_of(article.find("Pagination/MedlinePgn")),
        doi=ids.get("doi") or _elocation_doi(article),
        pmid=text_of(citation.find("PMID")) or ids.get("pubmed", ""),
        pmcid=ids.get("pmc", ""),
        trial_ids=[
            text_of(a)
            for a in article.iterfind("DataBankList/DataBank/AccessionNumberList/AccessionNumber")
        ],
        abstract=_abstract(article.find("Abstract")) or _abstract(citation.find("OtherAbstract")),
        keywords=_keywords(citation),
        type=text_of(article.find("PublicationTypeList/PublicationType")),
        extra=_extra(journal, article),
    )


def _book(elem: Element, index: int, line: int) -> ParsedRecord | RecordError:
    doc = elem.find("BookDocument")
    if doc is None:
        return RecordError("the PubmedBookArticle has no BookDocument; skipped", line, index + 1)
    book = doc.find("Book")
    ids = _article_ids(elem)
    title = text_of(doc.find("ArticleTitle"))
    book_title = text_of(book.find("BookTitle")) if book is not None else ""
    return build_record(
        index=index,
        line=line,
        title=title or book_title,
        authors=_authors(doc.find("AuthorList"))
        or _authors(book.find("AuthorList") if book is not None else None),
        journal=book_title
        if title
        else text_of(book.find("CollectionTitle"))
        if book is not None
        else "",
        year=_year(book.find("PubDate") if book is not None else None),
        doi=ids.get("doi", ""),
        pmid=text_of(doc.find("PMID")) or ids.get("pubmed", ""),
        pmcid=ids.get("pmc", ""),
        abstract=_abstract(doc.find("Abstract")),
        keywords=clean_list(text_of(k) for k in doc.iterfind("KeywordList/Keyword")),
        type="Book" if not title else "Book chapter",
    )


def _authors(author_list: Element | None) -> list[str]:
    if author_list is None:
        return []
    names = []
    for author in author_list.iterfind("Author"):
        last = text_of(author.find("LastName"))
        first = text_of(author.find("ForeName")) or text_of(author.find("Initials"))
        if last:
            names.append(f"{last}, {first}" if first else last)
        elif collective := text_of(author.find("CollectiveName")):
            names.append(collective)
    return names


def _year(pub_date: Element | None) -> int | None:
    if pub_date is None:
        return None
    return parse_year(text_of(pub_date.find("Year")) or text_of(pub_date.find("MedlineDate")))


def _abstract(abstract: Element | None) -> str:
    if abstract is None:
        return ""
    parts = []
    for part in abstract.iterfind("AbstractText"):
        text = text_of(part)
        label = part.get("Label")
        if text:
            parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts)


def _article_ids(elem: Element) -> dict[str, str]:
    ids: dict[str, str] = {}
    for aid in elem.iterfind("PubmedData/ArticleIdList/ArticleId"):
        kind = aid.get("IdType", "")
        if kind and kind not in ids and (value := text_of(aid)):
            ids[kind] = value
    return ids


def _elocation_doi(article: Element) -> str:
    for loc in article.iterfind("ELocationID"):
        if loc.get("EIdType") == "doi":
            return text_of(loc)
    return ""


def _keywords(citation: Element) -> list[str]:
    words = [text_of(k) for k in citation.iterfind("KeywordList/Keyword")]
    words += [text_of(d) for d in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")]
    return clean_list(words)


def _extra(journal: Element | None, article: Element) -> dict[str, str]:
    extra = {}
    if journal is not None and (abbrev := text_of(journal.find("ISOAbbreviation"))):
        extra["journal_abbrev"] = abbrev
    if language := text_of(article.find("Language")):
        extra["language"] = language
    return extra


FORMAT = Format(
    name="pubmed_xml", extensions=(".xml",), sniff=sniff, parse=reporting_undecodable(parse)
)
