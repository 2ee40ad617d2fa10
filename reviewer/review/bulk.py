"""Deciding many records in one step: a selection, everything a filter shows, or ids
from a file, with the same rules as one decision (the record must be at the stage,
a reason from the review's list, required to exclude at full text), undone as one.

The writing is ``reviewer.store.bulk_decisions``: one transaction, an event per
changed decision. ``BulkDecision`` is the undo command (do, undo, redo take a store
and report progress, so they can run on a background thread).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from reviewer.domain.events import EventKind
from reviewer.review.screening import (
    DECISIONS,
    STAGE_LABELS,
    ScreeningError,
    _checked_reason,
    check_stage,
    records_at_stage,
)
from reviewer.store import Store
from reviewer.store.bulk_decisions import (
    BulkChange,
    CancelFn,
    ProgressFn,
    restore_decisions,
    set_decisions,
)
from reviewer.wording import count


def checked_ids(store: Store, ids: Iterable[int], stage: str) -> list[int]:
    """``ids`` without repeats, in the given order; a clear error when one is not at
    the stage (or not a record at all), naming the first few."""
    check_stage(stage)
    wanted = list(dict.fromkeys(ids))
    at_stage = set(records_at_stage(store, stage))
    missing = [rid for rid in wanted if rid not in at_stage]
    if missing:
        shown = ", ".join(str(r) for r in missing[:10]) + (" …" if len(missing) > 10 else "")
        raise ScreeningError(
            f"{count(len(missing), 'record')} not at the {STAGE_LABELS[stage]} stage "
            f"(a duplicate, not included at the stage before, or no such record): {shown}"
        )
    return wanted


def decide_many(
    store: Store,
    ids: Iterable[int],
    decision: str,
    reviewer: str,
    stage: str = "title_abstract",
    reason: str = "",
    note: str = "",
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    kind: str = EventKind.DECISION_SET,
) -> BulkChange:
    """Record ``reviewer``'s ``decision`` on every record of ``ids`` at once (all or none)."""
    if decision not in DECISIONS:
        raise ScreeningError(f"unknown decision {decision!r}; decisions: {', '.join(DECISIONS)}")
    todo = checked_ids(store, ids, stage)
    reason = _checked_reason(store, decision, stage, reason)
    return set_decisions(
        store, todo, stage, reviewer, decision, reason, note, progress, cancelled, kind
    )


def read_id_file(path: str | Path) -> list[int]:
    """Record ids from a text file: whitespace- or comma-separated numbers; ``#`` starts a
    comment. A word that is not a number is an error naming the file and line."""
    out: list[int] = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            for word in re.split(r"[\s,;]+", line.split("#", 1)[0].strip()):
                if not word:
                    continue
                if not word.isdigit():
                    raise ScreeningError(f"{path}, line {line_no}: {word!r} is not a record id")
                out.append(int(word))
    return out


class BulkDecision:
    """An undo command: one decision on many records, undone by putting each record's
    previous decision back (``decision.undo`` events); done again as ``decision.redo``."""

    def __init__(
        self, ids: Sequence[int], decision: str, reviewer: str, stage: str, reason: str = ""
    ):
        self.ids = list(ids)
        self.decision = decision
        self.reviewer = reviewer
        self.stage = stage
        self.reason = reason
        self.label = f"{decision} {count(len(self.ids), 'record')}"
        self.change: BulkChange | None = None
        # what an undo history's do/undo (which pass neither) report to and ask: the
        # window sets them while a step of this command runs as a job
        self.progress: ProgressFn | None = None
        self.cancelled: CancelFn | None = None

    def do(self, store: Store, renumber=None, progress=None, cancelled=None) -> None:
        kind = EventKind.DECISION_SET if self.change is None else EventKind.DECISION_REDO
        self.change = decide_many(
            store, self.ids, self.decision, self.reviewer, self.stage, self.reason,
            progress=progress or self.progress, cancelled=cancelled or self.cancelled,
            kind=kind,
        )  # fmt: skip

    def undo(self, store: Store, renumber=None, progress=None, cancelled=None) -> None:
        if self.change is not None:
            restore_decisions(store, self.change, self.stage, self.reviewer,
                              progress or self.progress, cancelled or self.cancelled)  # fmt: skip

    @property
    def touched(self) -> list[int]:
        """The records whose decision this changed."""
        return self.change.changed if self.change is not None else []
