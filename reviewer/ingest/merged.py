"""A merged duplicate shows the most complete value of each field.

One search run in three databases gives three records of most studies, and each
database leaves out something: a PubMed CSV has no abstracts, a Scopus export has
them; one spells the journal out, another abbreviates it. Deduplication keeps the
first record imported (its id is what decisions, values and notes are attached to),
so a review that imported PubMed first would screen hundreds of records on their
titles alone while a duplicate beside each held the abstract.

So the kept record is *completed* from its group: it takes the longest abstract, a
DOI, PMID or PMCID where any copy has one, the fullest journal name, page range and
author list, and the union of keywords and trial registrations; its readable text is
composed again from them. Its own fields and text as imported are saved first
(``record_originals``), every duplicate stays stored as it was, and PRISMA still
counts each of them: nothing of any original is lost, and the document view can show
each one. The completion is a pure function of the group's originals, so it is
worked out again whenever the group changes (an import, a confirmed candidate, an
unmerge, a merge of another copy) and two copies of a review agree on it.

Words already marked in the kept record's text (values' provenance, highlights,
suggestions) are found again in the new text, or listed as orphans, as when a full
text replaces an abstract. A record whose text is no longer its citation (a full
text was adopted) keeps that text; only its fields are completed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reviewer.annotate.text_replace import replace_record_text
from reviewer.domain import ParsedRecord, Record
from reviewer.ingest.base import compose_text
from reviewer.store import Store
from reviewer.store import duplicates as dup

# The fields taken whole from the first copy (in import order, the kept one first)
# that has them, and those where the longest wins (the fuller spelling or range).
_FIRST = ("doi", "pmid", "pmcid", "volume", "issue", "type", "url")
_LONGEST = ("abstract", "journal", "pages")
_UNION = ("keywords", "trial_ids")


def best_fields(members: list[Record]) -> dict[str, Any]:
    """The most complete value of each field over a group's records as imported, the
    kept record first (its value wins a tie)."""
    out: dict[str, Any] = {}
    for name in _FIRST:
        out[name] = next((getattr(r, name) for r in members if getattr(r, name)), "")
    for name in _LONGEST:
        out[name] = max((getattr(r, name) or "" for r in members), key=lambda v: len(v.strip()))
    out["year"] = next((r.year for r in members if r.year), None)
    out["authors"] = max((r.authors for r in members), key=len)
    for name in _UNION:
        seen: dict[str, str] = {}
        for r in members:
            for item in getattr(r, name):
                seen.setdefault(item.casefold(), item)
        out[name] = list(seen.values())
    return out


def complete_groups(store: Store, keep_ids: Iterable[int], reviewer: str = "") -> list[int]:
    """Complete each kept record of ``keep_ids`` from its group (or take it back to its
    original when its duplicates have left); return the ids of those that changed.
    Call inside the transaction that changed the groups."""
    groups = dup.group_members(store, keep_ids)
    members = [r for group in groups.values() for r in group]
    as_imported = dup.originals(store, members)
    changed = []
    for keep, group in groups.items():
        current = group[0]
        best = best_fields([as_imported[r.id] for r in group])  # type: ignore[index]
        update = {k: v for k, v in best.items() if getattr(current, k) != v}
        if not update:
            continue
        if not dup.has_original(store, keep):
            dup.save_original(store, current)
        _rewrite(store, current, update, reviewer)
        changed.append(keep)
    return changed


def _rewrite(store: Store, current: Record, update: dict[str, Any], reviewer: str) -> None:
    dup.set_fields(store, current.id, update)  # type: ignore[arg-type]
    if current.text != _composed(current):
        return  # its text is a full text or a document: only the fields change
    new_text = _composed(current.model_copy(update=update))
    if new_text == current.text:
        return
    if dup.has_spans(store, current.id):  # type: ignore[arg-type]
        replace_record_text(store, current.id, new_text, reviewer or "import")  # type: ignore[arg-type]
    else:
        store.set_record_text(current.id, new_text, [])  # type: ignore[arg-type]


def _composed(record: Record) -> str:
    """The readable text an importer composes for a record with these fields."""
    fields = {name: getattr(record, name) for name in ParsedRecord.model_fields if
              hasattr(record, name) and name not in ("text", "extra")}  # fmt: skip
    return compose_text(ParsedRecord(**fields))


def confirm_duplicate(store: Store, candidate_id: int, reviewer: str) -> int:
    """Confirm a possible duplicate (``duplicates.confirm``) and complete the merged
    group's kept record; return its id."""
    with store.atomic():
        keep = dup.confirm(store, candidate_id, reviewer)
        complete_groups(store, [keep], reviewer)
    return keep


def unmerge_duplicate(store: Store, record_id: int, reviewer: str) -> None:
    """Take a duplicate out of its group (``duplicates.unmerge``): the kept record loses
    what only it brought, and the record is its own again."""
    with store.atomic():
        keep = dup.kept_record(store, record_id)
        dup.unmerge(store, record_id, reviewer)
        complete_groups(store, [keep, record_id], reviewer)
