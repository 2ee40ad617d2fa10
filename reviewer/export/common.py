"""What every export shares: the progress and cancel callables, the report, and writing
to a temporary file that is renamed only when the export finished.

A cancelled or failed export must never leave a half-written table where the
statistician expects the finished one, so each writer works on ``NAME.part`` and
``atomic_output`` moves it into place at the end (or deletes it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.wording import count

ProgressFn = Callable[[int, int], None]  # (rows done, rows in all)
CancelFn = Callable[[], bool]

# How often (in rows) progress is reported: often enough for a smooth bar, rarely
# enough that a UI's signal per call costs nothing next to the writing.
PROGRESS_EVERY = 500


class ExportCancelled(Exception):
    """Raised inside a writer when ``cancel()`` said stop; ``atomic_output`` cleans up."""


@dataclass
class ExportReport:
    """What an export wrote: rows of the main table, and of each extra sheet."""

    path: Path
    rows: int = 0
    cancelled: bool = False
    sheets: dict[str, int] = field(default_factory=dict)
    unit: str = "record"  # what a row of the main table is: record, row or event
    empty_because: str = ""  # when no row was written: why, in words

    def summary(self) -> str:
        """"1,234 records", or "0 records: nothing is included …"."""
        said = count(self.rows, self.unit)
        return f"{said}: {self.empty_because}" if self.empty_because else said


class Ticker:
    """Reports progress every ``PROGRESS_EVERY`` rows and raises when cancelled."""

    def __init__(self, total: int, progress: ProgressFn | None, cancel: CancelFn | None):
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancel = cancel

    def tick(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.check()
            if self._progress:
                self._progress(self.done, self.total)

    def check(self) -> None:
        if self._cancel and self._cancel():
            raise ExportCancelled

    def finish(self) -> None:
        if self._progress:
            self._progress(self.done, self.total)


@contextmanager
def atomic_output(path: str | Path, report: ExportReport) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    On ``ExportCancelled`` the report says so and nothing is left behind; any other
    error removes the temporary file and propagates.
    """
    final = Path(path)
    tmp = final.with_name(final.name + ".part")
    try:
        yield tmp
    except ExportCancelled:
        report.cancelled = True
        tmp.unlink(missing_ok=True)
        return
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, final)
