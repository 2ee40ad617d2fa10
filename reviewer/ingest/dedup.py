"""Finding duplicate records, within a file and against the review.

PRISMA reports records identified per source and duplicates removed, so a duplicate
is stored in full, with ``duplicate_of`` naming the record its group keeps: the
first one imported. Three stages, surest first:

1. the same identifier: normalised DOI, then PMID;
2. the same normalised title (case, accents, punctuation and spacing ignored), years
   at most one apart, at least one author surname in common and no two different
   DOIs (the rule Zotero uses);
3. a similar title (rapidfuzz), under the same conditions. These are only
   *candidates*: a person confirms or rejects them in the duplicates view, since a
   typo and a different article can be one character apart.

Records that only look alike are kept apart: an erratum or a reply carries a marker
in its title, and so does a part II; titles whose markers differ never match, and a
title years apart or by other authors fails stage 2 and 3.

The records of an import are remembered in in-memory indexes; the review's stored
records are looked up in its indexed duplicate keys (``reviewer.store.dedup_keys``),
only those sharing a key with what is imported. Stage 3 compares a title only with
those sharing its first or last characters, so an import of 100,000 records costs a
few microseconds a record instead of growing with the square of the review, and
adding 10 records costs the same whether the review holds 1,000 or 100,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from rapidfuzz.distance import Indel

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import normalise_doi
from reviewer.domain.record_keys import (
    KEY_VERSION,
    MIN_TITLE_CHARS,
    NON_WORD,
    block_keys,
    fold,
    key_row,
    key_row_of,
    title_key,
)
from reviewer.store import Store, dedup_keys, duplicates
from reviewer.store.dedup_keys import StoredRecord

# Stage 3: a normalised title this similar (0-100, rapidfuzz ratio) makes a candidate.
CANDIDATE_SCORE = 90.0
# An index entry remembers at most this many records (the latest) for one title or one
# block: a bound on the work per record when thousands share an opening ("Proceedings
# of the ...") or a generic title, where real duplicates are rare.
BLOCK_SCAN = 400
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la",
     "le", "el", "al", "bin", "ibn", "ter", "ten"}
)  # fmt: skip


def surnames(authors: Iterable[str]) -> frozenset[str]:
    """The words of the authors' family names, folded: what "a shared surname" compares.

    ``Smith J``, ``Smith, J.``, ``John Smith`` all give ``smith``; a family name of two
    words gives both, so ``Dolores Chirlaque M`` and ``Dolores, Chirlaque M.`` (the same
    person, re-spelled by another database) still share one.
    """
    out: set[str] = set()
    for author in authors:
        if "," in author:
            family = author.split(",", 1)[0]
        else:
            tokens = author.split()
            if len(tokens) > 1 and _is_initials(tokens[-1]):
                family = " ".join(tokens[:-1])  # Vancouver: "Sancho JM"
            else:
                family = tokens[-1] if tokens else ""  # natural order: "Jose Sancho"
        out.update(
            w for w in NON_WORD.split(fold(family)) if len(w) > 1 and w not in _PARTICLES
        )
    return frozenset(out)


def _is_initials(token: str) -> bool:
    letters = token.replace(".", "").replace("-", "")
    return 0 < len(letters) <= 3 and letters.isalpha() and letters.isupper()


class Verdict(NamedTuple):
    """What deduplication says about one record."""

    duplicate_of: int | None = None  # the kept record it repeats (stages 1 and 2)
    stage: str = ""  # "doi", "pmid" or "title"; "" when it is no (certain) duplicate
    candidates: tuple[tuple[int, float], ...] = ()  # (kept record, similarity) to confirm


_UNIQUE = Verdict()


# What the indexes remember of a record: (kept record of its group, folded title,
# markers, year, DOI, authors joined by \x1f). A plain tuple of strings and numbers,
# because the garbage collector stops scanning those, and 100,000 objects it had to
# scan over and over cost more than the deduplication itself.
Seen = tuple[int, str, tuple[str, ...], int | None, str, str]
_KEEP, _TITLE, _MARKS, _YEAR, _DOI, _AUTHORS = range(6)


def seen_of(rec: ParsedRecord, keep: int = 0) -> Seen:
    title, marks = title_key(rec.title)
    doi = normalise_doi(rec.doi) if rec.doi else ""
    return (keep, title, marks, rec.year, doi, "\x1f".join(rec.authors))


def may_be_same(a: Seen, b: Seen, *, lenient_authors: bool) -> bool:
    """Nothing rules out that both are one article: markers, DOIs, years, authors.

    Authors must share a surname, or both have none; ``lenient_authors`` (for
    candidates, which a person checks) also accepts one side having none.
    """
    if a[_MARKS] != b[_MARKS]:
        return False
    if a[_DOI] and b[_DOI] and a[_DOI] != b[_DOI]:
        return False
    # Two PMIDs do not rule it out: PubMed holds some articles twice (an ahead-of-print
    # and a final citation), and exports merged from several searches show both.
    if a[_YEAR] and b[_YEAR] and abs(a[_YEAR] - b[_YEAR]) > 1:
        return False
    if not a[_AUTHORS] or not b[_AUTHORS]:
        return lenient_authors or a[_AUTHORS] == b[_AUTHORS]
    # worked out only here, when two titles meet: for most records that never happens
    return not surnames(a[_AUTHORS].split("\x1f")).isdisjoint(
        surnames(b[_AUTHORS].split("\x1f"))
    )


def stored_keys(seen: Seen) -> tuple[str, str, str, str, str]:
    """``key_row`` of a record from what ``seen_of`` worked out for it already."""
    return key_row_of((seen[_TITLE], seen[_MARKS]), seen[_DOI])


class Deduplicator:
    """Says which kept record a new one repeats, among the review's records and those
    met so far.

    Records of this import are remembered in memory. Stored records are looked up in
    the review's indexed duplicate keys (``reviewer.store.dedup_keys``), a batch at a
    time, before the batch is checked (``prefetch_seen``): only those sharing a key with
    the batch are read, so checking a few records costs the same in a review of 1,000
    or of 100,000. Each key's stored records are read once and placed ahead of this
    import's, in import order, just as if every stored record had been remembered.
    """

    def __init__(self, reader: dedup_keys.KeyReader | None = None, below: int = 0) -> None:
        self.reader = reader
        self.below = below  # records with a lower id are stored; looked up by key
        self._clear()

    def _clear(self) -> None:
        self.by_doi: dict[str, int] = {}
        self.by_pmid: dict[str, int] = {}
        # tuples, not lists, as values: see ``Seen``; nearly all hold one record
        self.by_title: dict[str, tuple[Seen, ...]] = {}
        self.blocks: dict[str, tuple[Seen, ...]] = {}
        self._looked_up: set[str] = set()  # keys whose stored records are in memory

    @classmethod
    def from_store(cls, store: Store) -> Deduplicator:
        """A deduplicator that knows the review's stored records (its keys made complete
        first, once, for a review from before they were kept)."""
        dedup_keys.ensure_complete(store, KEY_VERSION, key_row)
        below = duplicates.next_record_id(store)
        return cls(dedup_keys.KeyReader(store) if below > 1 else None, below)

    def restart(self, store: Store) -> None:
        """Forget this import's records: the review is to be read afresh (it grew)."""
        self._clear()
        self.below = duplicates.next_record_id(store)
        if self.reader is None and self.below > 1:
            self.reader = dedup_keys.KeyReader(store)

    def forget(self, store: Store, below: int) -> None:
        """Forget the records remembered so far, every one of them stored (committed)
        with an id below ``below``: from now on they are looked up by key like any stored
        record, with the same results, so memory stays flat through a long import
        (remembering 1,000,000 records took about 700 MB)."""
        self._clear()
        self.below = below
        if self.reader is None:
            self.reader = dedup_keys.KeyReader(store)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None

    def check(self, rec: ParsedRecord) -> Verdict:
        """Which kept record ``rec`` duplicates (or may duplicate); remembers nothing."""
        seen = seen_of(rec)
        self._look_up([(seen, rec.pmid)])
        return self._match(seen, rec.pmid, block_keys(seen[_TITLE]))

    def add(self, rec: ParsedRecord, keep_id: int) -> None:
        """Remember ``rec`` as a member of the group whose kept record is ``keep_id``."""
        seen = seen_of(rec, keep_id)
        self._remember(seen, rec.pmid, block_keys(seen[_TITLE]))

    def assign(self, rec: ParsedRecord, record_id: int, seen: Seen | None = None) -> Verdict:
        """Check ``rec``, about to be stored as ``record_id``, and remember it.

        ``seen`` is what ``seen_of`` worked out for it, already looked up
        (``prefetch_seen``); without, it is worked out and looked up now.
        """
        if seen is None:
            seen = seen_of(rec)
            self._look_up([(seen, rec.pmid)])
        return self.assign_seen(seen, rec.pmid, record_id)

    def assign_seen(self, seen: Seen, pmid: str, record_id: int) -> Verdict:
        """``assign`` for a record known by its ``Seen`` and PMID alone, looked up
        beforehand (``prefetch_seen``): an import keeps no more of a record than that."""
        title = seen[_TITLE]
        blocks = block_keys(title) if len(title) >= MIN_TITLE_CHARS else ()
        verdict = self._match(seen, pmid, blocks)
        self._remember((verdict.duplicate_of or record_id, *seen[1:]), pmid, blocks)
        return verdict

    def prefetch_seen(self, items: Sequence[tuple[Seen, str]]) -> None:
        """Read the stored records sharing a key with records known by their ``Seen``
        and PMID (``seen_of``), before they are assigned one by one."""
        self._look_up(items)

    # -- stored records, by key --------------------------------------------------

    def _look_up(self, items: Sequence[tuple[Seen, str]]) -> None:
        if self.reader is None:
            return
        new = self._looked_up
        dois = {s[_DOI] for s, _p in items if s[_DOI] and "d" + s[_DOI] not in new}
        pmids = {p for _s, p in items if p and "p" + p not in new}
        titles: set[str] = set()
        blocks: set[str] = set()
        for s, _p in items:
            title = s[_TITLE]
            if len(title) < MIN_TITLE_CHARS:
                continue
            if "t" + title not in new:
                titles.add(title)
            blocks.update(k for k in block_keys(title) if k not in new)
        if not (dois or pmids or titles or blocks):
            return
        reader, below = self.reader, self.below
        for doi, keep in reader.first_by_doi(dois, below):
            self.by_doi.setdefault(doi, keep)
        for pmid, keep in reader.first_by_pmid(pmids, below):
            self.by_pmid.setdefault(pmid, keep)
        self._place(self.by_title, reader.by_title(titles, below))
        self._place(self.blocks, reader.by_block(blocks, below))
        new.update("d" + d for d in dois)
        new.update("p" + p for p in pmids)
        new.update("t" + t for t in titles)
        new.update(blocks)

    @staticmethod
    def _place(index: dict[str, tuple[Seen, ...]], found: list[StoredRecord]) -> None:
        """Stored records under each key, in import order, the latest ``BLOCK_SCAN``;
        a record adding nothing to what its group has shown under its title is left
        out, as ``_remember`` leaves it out."""
        by_key: dict[str, list[StoredRecord]] = {}
        for r in found:  # in import order
            by_key.setdefault(r.key, []).append(r)
        for key, stored in by_key.items():
            shown: set[tuple[str, int, int | None]] = set()
            seens: list[Seen] = []
            for r in stored:
                if (r.title, r.keep, r.year) not in shown:
                    shown.add((r.title, r.keep, r.year))
                    seens.append((r.keep, r.title, r.marks, r.year, r.doi, "\x1f".join(r.authors)))
            index[key] = (*seens[-BLOCK_SCAN:], *index.get(key, ()))[-BLOCK_SCAN:]

    # -- the stages ------------------------------------------------------------

    def _match(self, seen: Seen, pmid: str, blocks: tuple[str, ...]) -> Verdict:
        """``blocks``: the title's ``block_keys``, worked out once for a record."""
        doi, title = seen[_DOI], seen[_TITLE]
        if doi and (hit := self.by_doi.get(doi)):
            return Verdict(hit, "doi")
        if pmid and (hit := self.by_pmid.get(pmid)):
            return Verdict(hit, "pmid")
        if len(title) < MIN_TITLE_CHARS:
            return _UNIQUE
        for other in self.by_title.get(title, ()):
            if may_be_same(seen, other, lenient_authors=False):
                return Verdict(other[_KEEP], "title")
        similar = self._similar(seen, blocks)
        return Verdict(candidates=similar) if similar else _UNIQUE

    def _similar(self, seen: Seen, blocks: tuple[str, ...]) -> tuple[tuple[int, float], ...]:
        best: dict[int, float] = {}
        title, cutoff = seen[_TITLE], CANDIDATE_SCORE / 100
        similarity = Indel.normalized_similarity
        for key in blocks:
            for other in self.blocks.get(key, ()):
                # the C comparison first: it rules out nearly every title of a block
                score = similarity(title, other[_TITLE], score_cutoff=cutoff) * 100
                keep = other[_KEEP]
                if score > best.get(keep, 0) and may_be_same(seen, other, lenient_authors=True):
                    best[keep] = round(score, 1)
        if not best:
            return ()
        return tuple(sorted(best.items(), key=lambda kv: (-kv[1], kv[0])))

    def _remember(self, seen: Seen, pmid: str, blocks: tuple[str, ...]) -> None:
        keep, title, doi = seen[_KEEP], seen[_TITLE], seen[_DOI]
        if doi:
            self.by_doi.setdefault(doi, keep)
        if pmid:
            self.by_pmid.setdefault(pmid, keep)
        if len(title) < MIN_TITLE_CHARS:
            return
        same = self.by_title.get(title, ())
        for other in same:
            if other[_KEEP] == keep and other[_YEAR] == seen[_YEAR]:
                return  # a copy of what the group has shown already adds nothing
        self.by_title[title] = (*same[1 - BLOCK_SCAN :], seen)
        index = self.blocks
        for key in blocks:
            index[key] = (*index.get(key, ())[1 - BLOCK_SCAN :], seen)


