"""Which records an export writes: the included studies unless told otherwise.

"Included" is what PRISMA's last box counts (``stats()["prisma"]["included"]``):
the records that reached the extraction stage, i.e. were included at title/abstract
and at full text, by the screening core's rules. Any other set is a stage and a
final decision at that stage, read through the same filters the record list uses,
so an export, the list and the numbers never disagree about a record.
"""

from __future__ import annotations

from reviewer.domain import STAGES
from reviewer.review.filters import filter_record_ids
from reviewer.review.screening import check_stage, records_at_stage
from reviewer.store import Store

INCLUDED_STAGE = "extraction"  # a record there was included at every screening stage
DECISION_CHOICES = ("include", "exclude", "maybe", "undecided", "conflict", "any")


def select_record_ids(
    store: Store, stage: str | None = None, decision: str = "include"
) -> list[int]:
    """Ids in import order of the records at ``stage`` whose final decision there is
    ``decision`` (``any``: every record at the stage; ``conflict``: unresolved
    disagreements).

    Without a stage: ``include`` gives the included studies, ``any`` every record
    (duplicates too), and other decisions the records with that final decision at
    any stage.
    """
    if decision not in DECISION_CHOICES:
        raise ValueError(
            f"unknown decision {decision!r}; choose from {', '.join(DECISION_CHOICES)}"
        )
    if stage is not None:
        return _at_stage(store, check_stage(stage), decision)
    if decision == "include":
        return records_at_stage(store, INCLUDED_STAGE)
    if decision == "any":
        return store.record_ids()
    ids: set[int] = set()
    for each in STAGES:
        ids.update(_at_stage(store, each, decision))
    return sorted(ids)


def _at_stage(store: Store, stage: str, decision: str) -> list[int]:
    if decision == "any":
        return records_at_stage(store, stage)
    if decision == "conflict":
        return filter_record_ids(store, stage, conflict=True)
    return filter_record_ids(store, stage, decision=decision)
