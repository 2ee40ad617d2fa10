"""PDF articles: the text layer of every page, one record per file, pages kept apart.

Text comes from PDFium (through pypdfium2), the engine Chrome uses, which copes
with the odd PDFs publishers produce. Pages are joined by a blank line and
``page_offsets`` records where each page starts in the text, so a highlighted span
can always be shown on its page. Words that PDFium reports split by a soft hyphen
at a line end are joined again, and ligatures (``ﬁ``) become letters, so search
and suggestions see ordinary words.

Reviewers meet three kinds of unreadable PDF, and each gets its own message: a
scan with no text layer (it needs OCR first), a password-protected file, and a
damaged or mis-named one.

PDFium may not be called from two threads at once, and an import reads PDFs on its
own thread while the page view renders on another: every use of PDFium takes
``PDFIUM_LOCK`` (page by page, so neither waits long for the other).
"""

from __future__ import annotations

import re
import statistics
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import canonical_ids
from reviewer.ingest.base import Format, ImportFailure, ParseResult
from reviewer.ingest.formats import statements

PAGE_JOIN = "\n\n"
PDFIUM_LOCK = threading.RLock()  # PDFium is not thread-safe: one caller at a time
_MAGIC = b"%PDF-"
_MAGIC_WINDOW = 1024  # the header may follow some junk bytes; readers look this far
_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}
_SOFT_HYPHENS = "\ufffe\u00ad\x02"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TITLE_RATIO = 1.2  # a title is set this much larger than the body text
_TITLE_LINES = 30  # and printed among the first lines of the first page
_TITLE_CHARS = (8, 400)
_TYPE_LABEL = re.compile(
    r"^(?:(?:original|research|review|brief|short|clinical|case|systematic)\s+)*"
    r"(?:article|paper|report|communication|review|letter|editorial|study|research)s?"
    r"(?:\s+open\s+access)?$|^open\s+access$",
    re.I,
)
_BAD_META_TITLE = re.compile(r"^(?:untitled|microsoft word|title|\S+\.(?:docx?|pdf|tex|rtf))", re.I)
_REFERENCES = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references|bibliography|literature cited|works cited)\s*$",
    re.I | re.M,
)
_CITE_AS = re.compile(r"cite this article(?: as)?:.{0,400}", re.I | re.S)
_OCR_HINT = "it needs OCR (text recognition) before Reviewer can read it"


def sniff(head: str, path: Path) -> float:
    """PDFs are known by their ``%PDF-`` header; a ``.pdf`` file without one is still
    claimed, so that the reviewer hears it is damaged rather than that it is odd text."""
    try:
        with open(path, "rb") as fh:
            start = fh.read(_MAGIC_WINDOW)
    except OSError:
        return 0.0
    if _MAGIC in start:
        return 1.0
    return 0.5 if path.suffix.lower() == ".pdf" else 0.0


def open_document(data: bytes, path: Path) -> pdfium.PdfDocument:
    if not data:
        raise ImportFailure(path, "the file is empty")
    if _MAGIC not in data[:_MAGIC_WINDOW]:
        raise ImportFailure(
            path, "this is not a PDF (it lacks the %PDF- header): the file is damaged or misnamed"
        )
    try:
        with PDFIUM_LOCK:
            return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ImportFailure(
                path, "the PDF is protected by a password; save an unprotected copy and import that"
            ) from exc
        raise ImportFailure(path, f"the PDF is damaged and cannot be read ({exc})") from exc


def clean_page_text(raw: str) -> str:
    """PDFium's page text as ordinary text: newlines, whole words, letters for ligatures."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    for mark in _SOFT_HYPHENS:
        text = text.replace(mark, "")
    for lig, letters in _LIGATURES.items():
        text = text.replace(lig, letters)
    text = _CONTROL.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return unicodedata.normalize("NFC", text).strip("\n")


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=3))


@dataclass
class Pages:
    """What the pages of a document hold."""

    texts: list[str] = field(default_factory=list)
    title: str = ""  # the first page's title by type size
    scanned: bool = False  # some page without text is an image
    unreadable: list[int] = field(default_factory=list)  # 1-based pages PDFium could not load


def read_pages(doc: pdfium.PdfDocument) -> Pages:
    """Every page's text; a page PDFium cannot load counts as empty and is noted."""
    pages = Pages()
    for index in range(len(doc)):
        try:
            with PDFIUM_LOCK:
                text = _read_page(doc, index, pages)
        except pdfium.PdfiumError:
            text = ""
            pages.unreadable.append(index + 1)
        pages.texts.append(text)
    return pages


def _read_page(doc: pdfium.PdfDocument, index: int, pages: Pages) -> str:
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            if index == 0:
                pages.title = title_by_size(textpage, raw)
        finally:
            textpage.close()
        text = clean_page_text(raw)
        if not text.strip():
            pages.scanned = pages.scanned or _has_images(page)
        return text
    finally:
        page.close()


def _char_height(textpage: pdfium.PdfTextPage, i: int) -> float:
    box = pdfium_c.FS_RECTF()
    if pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, box):
        return abs(box.top - box.bottom)
    return 0.0


def title_by_size(textpage: pdfium.PdfTextPage, raw: str) -> str:
    """The first page's largest type among its first lines, when it stands out from the
    body text: the title as the reader sees it, whatever the document properties say."""
    if not raw or len(raw) != pdfium_c.FPDFText_CountChars(textpage.raw):
        return ""
    heights = [_char_height(textpage, i) for i in range(len(raw))]
    lines: list[tuple[float, str]] = []
    pos = 0
    for line in raw.split("\n")[:_TITLE_LINES]:
        sizes = [heights[pos + k] for k, ch in enumerate(line) if not ch.isspace()]
        if sizes:
            lines.append((statistics.median(sizes), line.strip()))
        pos += len(line) + 1
    body = statistics.median(h for i, h in enumerate(heights) if not raw[i].isspace()) or 0.0
    top = max((size for size, _ in lines), default=0.0)
    if not lines or top < body * _TITLE_RATIO:
        return ""
    return _title_run(lines, top)


def _title_run(lines: list[tuple[float, str]], top: float) -> str:
    run: list[str] = []
    for size, text in lines:
        big = size >= top * 0.9 and not _TYPE_LABEL.match(clean_page_text(text))
        if big:
            run.append(clean_page_text(text))
        elif run:
            break
    title = ""
    for part in run:
        title = title[:-1] + part if title.endswith("-") else f"{title} {part}".strip()
    title = " ".join(title.split())
    return title if _TITLE_CHARS[0] <= len(title) <= _TITLE_CHARS[1] else ""


def _metadata(doc: pdfium.PdfDocument) -> dict[str, str]:
    try:
        return {k: (v or "").strip() for k, v in doc.get_metadata_dict().items()}
    except pdfium.PdfiumError:
        return {}


def _meta_title(meta: dict[str, str]) -> str:
    title = meta.get("Title", "")
    if len(title.split()) < 3 or _BAD_META_TITLE.match(title) or not re.search("[A-Za-z]", title):
        return ""
    return title


def _meta_authors(meta: dict[str, str]) -> list[str]:
    names = statements.split_author_list(re.sub(r"\{?et al\.?\}?", "", meta.get("Author", "")))
    return [n for n in names if len(n.split()) >= 2]


def own_doi(texts: list[str], meta: dict[str, str]) -> str:
    """The article's DOI: on its first page, in its document properties, or where the
    article says how to cite it (BioMed Central prints it only there, on the last page).
    DOIs elsewhere belong to the references."""
    joined = "\n".join(texts)
    cite = _CITE_AS.search(joined)
    near_cite = joined[max(0, cite.start() - 80) : cite.end()] if cite else ""
    for where in (texts[0], f"{meta.get('Subject', '')} {meta.get('Keywords', '')}", near_cite):
        if dois := statements.find_dois(where):
            return dois[0][1]
    return ""


def no_text_message(scanned: bool) -> str:
    what = "its pages are images only (a scan?)" if scanned else "no text was found on its pages"
    return f"this PDF has no text layer: {what}; {_OCR_HINT}"


def parse(stream: BinaryIO, path: Path) -> ParseResult:
    doc = open_document(stream.read(), path)
    try:
        pages = read_pages(doc)
        with PDFIUM_LOCK:
            meta = _metadata(doc)
    finally:
        with PDFIUM_LOCK:
            doc.close()
    if not pages.texts:
        raise ImportFailure(path, "the PDF has no pages")
    if pages.unreadable and len(pages.unreadable) == len(pages.texts):
        raise ImportFailure(path, "the PDF is damaged: none of its pages can be read")
    if not any(t.strip() for t in pages.texts):
        raise ImportFailure(path, no_text_message(pages.scanned))
    rec = build_record(pages.texts, pages.title, meta, path)
    if pages.unreadable:
        rec.extra["unreadable_pages"] = pages.unreadable
    yield rec


def build_record(
    texts: list[str], size_title: str, meta: dict[str, str], path: Path
) -> ParsedRecord:
    offsets: list[int] = []
    text = ""
    for i, page in enumerate(texts):
        if i:
            text += PAGE_JOIN
        offsets.append(len(text))
        text += page
    first_line = next((ln.strip() for ln in texts[0].split("\n") if ln.strip()), "")
    extra: dict[str, object] = {"pages": len(texts)}
    blank = [i + 1 for i, t in enumerate(texts) if not t.strip()]
    if blank:
        extra["pages_without_text"] = blank
    rec = ParsedRecord(
        title=(size_title or _meta_title(meta) or first_line or path.stem)[:500],
        authors=_meta_authors(meta),
        doi=own_doi(texts, meta),
        text=text,
        source_index=0,
        source_line=None,
        page_offsets=offsets,
        extra=extra,
    )
    rec.doi, rec.pmid, rec.pmcid, rec.trial_ids = canonical_ids(
        rec.doi, "", "", [], before_references(text)
    )
    return rec


def before_references(text: str) -> str:
    """The text up to its reference list: trial ids there belong to other studies."""
    heads = list(_REFERENCES.finditer(text))
    if heads and heads[-1].start() > len(text) // 3:
        return text[: heads[-1].start()]
    return text


FORMAT = Format(name="pdf", extensions=(".pdf",), sniff=sniff, parse=parse, binary=True)
