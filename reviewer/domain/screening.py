"""Screening's vocabulary: stages by name, a resolution, a conflict, and the error a
decision the rules refuse raises.

Kept in ``domain`` because the store returns these (``reviewer.store.screening``) and
the screening rules (``reviewer.review.screening``), the exports and the window all
speak them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.domain.models import STAGES, Decision

# the final reason of a record excluded without one, as ``reviewer stats`` counts it
UNSPECIFIED = "unspecified"

STAGE_LABELS = {
    "title_abstract": "title/abstract",
    "full_text": "full text",
    "extraction": "extraction",
}


class ScreeningError(ValueError):
    """A decision that the screening rules do not allow; the message says why."""


def check_stage(stage: str) -> str:
    if stage not in STAGES:
        raise ScreeningError(f"unknown stage {stage!r}; stages: {', '.join(STAGES)}")
    return stage


@dataclass(frozen=True)
class Resolution:
    """The resolver's final decision on a record at a stage."""

    record_id: int
    stage: str
    decision: str
    reason: str
    note: str
    resolver: str
    time: str


@dataclass
class Conflict:
    """A record whose reviewers disagree at a stage (and its resolution, if any)."""

    record_id: int
    stage: str
    title: str
    decisions: list[Decision] = field(default_factory=list)
    resolution: Resolution | None = None
