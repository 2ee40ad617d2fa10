"""Full texts for the full-text stage: a PDF's text attached to a record, and a folder
of PDFs matched to records by DOI or title.

A record imported from a database export has a title and an abstract; at full-text
screening the reviewer reads the article itself. Its text is kept in ``fulltexts``
beside the record, so the record's own text (the abstract, which title/abstract
decisions were made on, and which highlights point into) never changes. The text
is searchable (``fulltexts_fts``) and attaching it is an event.

Text comes from the PDF importer (``reviewer.ingest.formats.pdf``), which already
knows the article's own DOI and its title as printed, and the three kinds of
unreadable PDF. Matching a folder tries, for each PDF, the DOI, then the title
(rapidfuzz), against every record of the review (a duplicate's DOI or title leads to
the record its group keeps: the PDFs may come before or after screening); a record
gets one PDF, and each file that matches nothing is listed with what was tried: the
DOI found in the PDF, or that none was, and the most similar title.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from reviewer.domain import ParsedRecord
from reviewer.domain.models import now_iso
from reviewer.ingest.base import ImportFailure
from reviewer.ingest.formats import pdf
from reviewer.review import events as ev
from reviewer.store import Store
from reviewer.store.duplicates import identities
from reviewer.store.fulltexts import FullText, fulltext, write
from reviewer.store.screening import record_exists

__all__ = ["FullText", "FullTextError", "FolderMatch", "attach_fulltext", "fulltext"]

TITLE_SCORE = 90  # rapidfuzz ratio of a PDF's title to a record's, out of 100
HEAD_SCORE = 95  # partial match of a record's title within the PDF's first page
HEAD_CHARS = 2000
MIN_TITLE_CHARS = 25  # shorter titles ("Editorial") would match by accident
_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)

Progress = Callable[[int, int], None]  # (done, total)


class FullTextError(Exception):
    """A PDF cannot be attached; the message says which and why."""


@dataclass
class FolderMatch:
    """What matching (and, with ``import_fulltexts``, attaching) a folder did."""

    matched: list[tuple[int, Path]] = field(default_factory=list)
    unmatched: list[Path] = field(default_factory=list)
    errors: dict[Path, str] = field(default_factory=dict)  # unreadable PDFs (also unmatched)
    tried: dict[Path, str] = field(default_factory=dict)  # why each readable one matched none

    def reason(self, path: Path) -> str:
        """Why ``path`` matched no record, in words."""
        return self.errors.get(path) or self.tried.get(path, "")


# -- one PDF ------------------------------------------------------------------------------


def read_pdf(path: str | Path) -> ParsedRecord:
    """The PDF's text, pages, title and DOI, or a ``FullTextError`` saying why not."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            return next(pdf.parse(fh, path))
    except ImportFailure as exc:
        raise FullTextError(str(exc)) from exc
    except OSError as exc:
        raise FullTextError(f"{path.name}: {exc.strerror or exc}") from exc


def attach_fulltext(
    store: Store,
    record_id: int,
    pdf_path: str | Path,
    reviewer: str,
    parsed: ParsedRecord | None = None,
) -> FullText:
    """Store the PDF's text as the record's full text (replacing an earlier one)."""
    path = Path(pdf_path).resolve()
    if not record_exists(store, record_id):
        raise FullTextError(f"there is no record {record_id}")
    parsed = parsed or read_pdf(path)
    pages = len(parsed.page_offsets) or 1
    ft = FullText(
        record_id,
        str(path),
        _sha256(path),
        pages,
        parsed.text,
        list(parsed.page_offsets),
        reviewer,
        now_iso(),
    )
    with store.atomic():
        before = fulltext(store, record_id)
        write(store, ft)
        store.log_event(
            reviewer,
            ev.FULLTEXT_ATTACH,
            record_id,
            {
                "path": ft.path,
                "sha256": ft.sha256,
                "pages": ft.pages,
                "chars": len(ft.text),
                # the words stay here (a PDF's text is large); their hash lets
                # ``reviewer check`` tell the stored text is the one attached
                "text_sha256": hashlib.sha256(ft.text.encode()).hexdigest(),
                "before": before.sha256 if before else None,
                "before_path": before.path if before else None,
            },
            time=ft.time,
        )
    return ft


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# -- a folder of PDFs ------------------------------------------------------------------------


def match_fulltexts(
    store: Store, folder: str | Path, progress: Progress | None = None
) -> tuple[list[tuple[int, Path]], list[Path]]:
    """Match the PDFs under ``folder`` to records: ``(matched [(record_id, path)],
    unmatched [path])``. Nothing is attached; ``import_fulltexts`` does both."""
    result = FolderMatch()
    for path, record_id, _parsed, error, tried in _match_folder(store, Path(folder), progress):
        _note(result, path, record_id, error, tried)
    return result.matched, result.unmatched


def import_fulltexts(
    store: Store, folder: str | Path, reviewer: str, progress: Progress | None = None
) -> FolderMatch:
    """Match the PDFs under ``folder`` and attach each matched one to its record."""
    result = FolderMatch()
    for path, record_id, parsed, error, tried in _match_folder(store, Path(folder), progress):
        if record_id is not None and parsed is not None:
            attach_fulltext(store, record_id, path, reviewer, parsed=parsed)
        _note(result, path, record_id, error, tried)
    return result


def _note(
    result: FolderMatch, path: Path, record_id: int | None, error: str, tried: str = ""
) -> None:
    if record_id is None:
        result.unmatched.append(path)
        if error:
            result.errors[path] = error
        elif tried:
            result.tried[path] = tried
    else:
        result.matched.append((record_id, path))


def pdf_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FullTextError(f"{folder}: not a folder")
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


def _match_folder(
    store: Store, folder: Path, progress: Progress | None
) -> Iterator[tuple[Path, int | None, ParsedRecord | None, str, str]]:
    """Each PDF: (path, record id or None, its text, why unreadable, what was tried)."""
    files = pdf_files(folder)
    matcher = _Matcher(store)
    taken: dict[int, Path] = {}
    for i, path in enumerate(files):
        try:
            parsed = read_pdf(path)
        except FullTextError as exc:
            yield path, None, None, str(exc), ""
        else:
            record_id = matcher.match(parsed)
            tried = ""
            if record_id is not None and record_id in taken:
                # a record gets one PDF; a second one is listed
                tried = f"matches record {record_id}, which got {taken[record_id].name} already"
                record_id = None
            elif record_id is None:
                tried = matcher.explain(parsed)
            if record_id is not None:
                taken[record_id] = path
            yield path, record_id, parsed, "", tried
        if progress:
            progress(i + 1, len(files))


class _Matcher:
    """Every record's DOI and title, loaded once for a folder, each leading to the
    record its duplicate group keeps (the one that is screened)."""

    def __init__(self, store: Store):
        rows = identities(store)
        self.by_doi: dict[str, int] = {}
        for row in rows:
            if row.doi:
                self.by_doi.setdefault(normalise_doi(row.doi), row.keep)
        titled = [(row.keep, normalise_title(row.title), row.title) for row in rows]
        titled = [row for row in titled if len(row[1]) >= MIN_TITLE_CHARS]
        self.ids = [keep for keep, _t, _shown in titled]
        self.titles = [t for _keep, t, _shown in titled]
        self.shown = [shown for _keep, _t, shown in titled]

    def match(self, parsed: ParsedRecord) -> int | None:
        return self._by_doi(parsed) or self._by_title(parsed) or self._by_head(parsed)

    def _dois(self, parsed: ParsedRecord) -> list[str]:
        """The PDF's own DOI and those printed on its first page, normalised, in order."""
        first_page = parsed.text[: _page_end(parsed, 0)]
        found = [parsed.doi, *(m.group(0) for m in _DOI.finditer(first_page))]
        return list(dict.fromkeys(normalise_doi(d) for d in found if d))

    def _by_doi(self, parsed: ParsedRecord) -> int | None:
        for doi in self._dois(parsed):
            if rid := self.by_doi.get(doi):
                return rid
        return None

    def explain(self, parsed: ParsedRecord) -> str:
        """What was tried for a PDF that matched no record, in words."""
        dois = self._dois(parsed)
        if dois:
            found = ", ".join(dois[:3]) + (" …" if len(dois) > 3 else "")
            doi_words = f"DOI {found} found in the PDF, but no record has it"
        else:
            doi_words = "no DOI found in the PDF"
        title = normalise_title(parsed.title)
        if not self.titles:
            title_words = "the review has no titles to compare"
        elif len(title) < MIN_TITLE_CHARS:
            title_words = "no title found in the PDF"
        else:
            best = process.extractOne(title, self.titles, scorer=fuzz.ratio)
            score, index = best[1], best[2]
            title_words = (
                f"the most similar title is {score:.0f}% alike (record {self.ids[index]}, "
                f"“{_clip(self.shown[index])}”; {TITLE_SCORE}% needed)"
            )
        return f"{doi_words}; {title_words}"

    def _by_title(self, parsed: ParsedRecord) -> int | None:
        title = normalise_title(parsed.title)
        if len(title) < MIN_TITLE_CHARS or not self.titles:
            return None
        best = process.extractOne(title, self.titles, scorer=fuzz.ratio, score_cutoff=TITLE_SCORE)
        return self.ids[best[2]] if best else None

    def _by_head(self, parsed: ParsedRecord) -> int | None:
        """A record's title printed on the first page (when the PDF's own title is off)."""
        head = normalise_title(parsed.text[: min(HEAD_CHARS, _page_end(parsed, 0))])
        if not head or not self.titles:
            return None
        best = process.extractOne(head, self.titles, scorer=_title_in_head, score_cutoff=HEAD_SCORE)
        return self.ids[best[2]] if best else None


def _title_in_head(head: str, title: str, score_cutoff: float | None = None, **_: object) -> float:
    if len(title) > len(head):
        return 0.0
    return fuzz.partial_ratio(title, head, score_cutoff=score_cutoff or 0)


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _page_end(parsed: ParsedRecord, page: int) -> int:
    offsets = parsed.page_offsets
    return offsets[page + 1] if len(offsets) > page + 1 else len(parsed.text)


def normalise_doi(doi: str) -> str:
    doi = doi.strip().lower()
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi)
    return doi.rstrip(".,;:)]}>'\"")


def normalise_title(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())
