"""Filtering the record list: by stage, decision, conflict, reason, tag and reviewer,
combined with full-text search, and the count beside every option.

Everything is SQL over indexed tables (``screening`` holds each record's final
decision per stage), so a filter change on 100,000 records stays well under the
100 ms a list can take without feeling slow (see benchmarks/screening_bench.py).

What the options mean:

* ``decision``: include, exclude, maybe or undecided. With a ``reviewer`` it is that
  reviewer's own decision (undecided: they have not screened it); without one it is
  the stage's final decision (include/exclude; maybe: some reviewer said maybe;
  undecided: nobody has screened it; records in conflict are neither, see
  ``conflict``). While a review is blinded the UI passes the viewer as ``viewer``.
* ``conflict``: ``True`` for unresolved disagreements, ``False`` for the rest.
* ``reason``: the reason the reviewer gave to exclude; without a reviewer, the
  record's own reason (the resolver's, else the one most of its excluding reviewers
  gave: the reason PRISMA counts it under).
* ``tag``: records carrying the tag. ``reviewer`` alone: records they have decided.
* ``viewer``: whose decisions ``decision`` and ``reason`` read when no ``reviewer`` is
  chosen. While a review is blinded the UI passes the person at the keyboard here: it
  is only a point of view and never narrows the list by itself (an "any" decision
  still lists the records they have not screened).
* ``search``: words that must all occur (as prefixes) in the title, authors, text
  or attached full text.

Counts are faceted: an option's count is what the list would hold if that option
were chosen with every other filter kept. The reviewer counts ignore the decision
and reason filters (those are read from a reviewer's perspective).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reviewer.review.settings import exclusion_reasons
from reviewer.store import Store
from reviewer.store.filter_sets import DECISION_OPTIONS, Filter  # noqa: F401 (the options)
from reviewer.store.record_filters import (  # noqa: F401 (the options, for the panel and tests)
    _FACET_SKIPS,
    FACETS,
    Counter,
)


def filter_record_ids(
    store: Store,
    stage: str = "title_abstract",
    decision: str | None = None,
    conflict: bool | None = None,
    reason: str | None = None,
    tag: str | None = None,
    reviewer: str | None = None,
    search: str = "",
    viewer: str | None = None,
    limit: int | None = None,
    among: Sequence[int] | None = None,
) -> list[int]:
    """Ids of the records that pass every given filter, in import order; with
    ``limit``, only the first so many (the list's first page: as quick at 1,000,000
    records as at 1,000, whatever share of them passes); with ``among``, only those of
    these records (the ranking's best, for a list in relevance order: as quick)."""
    f = Filter(stage, decision, conflict, reason, tag, reviewer, search, viewer)
    counter = Counter(store, f)
    return counter.ids(limit) if among is None else counter.ids_among(among)


def filter_counts(
    store: Store,
    stage: str = "title_abstract",
    decision: str | None = None,
    conflict: bool | None = None,
    reason: str | None = None,
    tag: str | None = None,
    reviewer: str | None = None,
    search: str = "",
    viewer: str | None = None,
) -> dict[str, Any]:
    """The count of the current filter and of every option beside it::

    {"total": 812,
     "decision": {"include": 40, "exclude": 700, "maybe": 3, "undecided": 60},
     "conflict": {"conflict": 12, "no_conflict": 800},
     "reason": {"wrong population": 310, ...},   # every listed reason, used or not
     "tag": {"RCT": 5, ...},
     "reviewer": {"ann": 790, "bob": 400}}
    """
    f = Filter(stage, decision, conflict, reason, tag, reviewer, search, viewer)
    return Counter(store, f, tuple(exclusion_reasons(store))).counts()


def filter_records(store: Store, **filters: Any) -> tuple[list[int], dict[str, Any]]:
    """``filter_record_ids`` and ``filter_counts`` at once, sharing the work (a search
    is run once, not twice): what the UI calls on each filter change."""
    counter = Counter(store, Filter(**filters), tuple(exclusion_reasons(store)))
    return counter.ids(), counter.counts()
