"""Which records an export writes: the included studies unless told otherwise.

"Included" is what PRISMA's last box counts (``stats()["prisma"]["included"]``):
the records that reached the extraction stage, i.e. were included at title/abstract
and at full text, by the screening core's rules. Any other set is a stage and a
final decision at that stage, read through the same filters the record list uses,
so an export, the list and the numbers never disagree about a record.
"""

from __future__ import annotations

from reviewer.domain import STAGES
from reviewer.export.common import ExportReport
from reviewer.review.filters import filter_record_ids
from reviewer.review.screening import STAGE_LABELS, check_stage, count_at_stage, records_at_stage
from reviewer.store import Store

INCLUDED_STAGE = "extraction"  # a record there was included at every screening stage
DECISION_CHOICES = ("include", "exclude", "maybe", "undecided", "conflict", "any")


def select_record_ids(
    store: Store, stage: str | None = None, decision: str = "include", duplicates: bool = False
) -> list[int]:
    """Ids in import order of the records at ``stage`` whose final decision there is
    ``decision`` (``any``: every record at the stage; ``conflict``: unresolved
    disagreements).

    Without a stage: ``include`` gives the included studies, ``any`` every record
    (merged duplicates too with ``duplicates``: each is a copy of a record already
    listed, so an analysis would count the study twice), and other decisions the
    records with that final decision at any stage.
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
        return store.record_ids() if duplicates else records_at_stage(store, STAGES[0])
    ids: set[int] = set()
    for each in STAGES:
        ids.update(_at_stage(store, each, decision))
    return sorted(ids)


def why_empty(store: Store, stage: str | None = None, decision: str = "include") -> str:
    """Why ``select_record_ids`` found nothing, in words a reviewer can act on."""
    if store.record_count() == 0:
        return "the review has no records yet: import your search exports first"
    if stage is None and decision == "include":
        reached = [s for s in STAGES if count_at_stage(store, s)]
        last = STAGE_LABELS[reached[-1]] if reached else STAGE_LABELS[STAGES[0]]
        return (
            "nothing is included at the last stage yet (no record has been included at "
            f"full text; the records have reached {last}): choose a stage, or all records"
        )
    where = f"at {STAGE_LABELS[stage]}" if stage else "at any stage"
    if stage is not None and not count_at_stage(store, stage):
        return f"no record has reached {STAGE_LABELS[stage]} yet: choose an earlier stage"
    if decision == "conflict":
        return f"no record is in conflict {where}"
    if decision == "undecided":
        return f"every record {where} has a decision"
    return f"no record {where} has the final decision “{decision}”"


def explain(
    store: Store, report: ExportReport, table: str, stage: str | None, decision: str | None
) -> None:
    """Fill in what a row of the report is and, when none was written, why."""
    report.unit = {"screening": "row", "log": "event"}.get(table, "record")
    if report.rows or report.cancelled:
        return
    if table == "log":
        report.empty_because = "no change has been recorded for these records yet"
        return
    default = "any" if table == "screening" else "include"
    report.empty_because = why_empty(store, stage, decision or default)


def _at_stage(store: Store, stage: str, decision: str) -> list[int]:
    if decision == "any":
        return records_at_stage(store, stage)
    if decision == "conflict":
        return filter_record_ids(store, stage, conflict=True)
    return filter_record_ids(store, stage, decision=decision)
