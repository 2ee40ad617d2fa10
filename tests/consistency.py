"""``assert_consistent``: run ``reviewer check``'s checks on a review after a workload
that writes, and fail naming every difference between the stored state and the state
its event log gives (the tables are a projection of the log)."""

from __future__ import annotations

from pathlib import Path

from reviewer.store import Store
from reviewer.store.check import CheckReport, check_review


def assert_consistent(review: Store | str | Path) -> CheckReport:
    """Check ``review`` (an open store, or the path of a review file)."""
    if isinstance(review, Store):
        report = check_review(review)
    else:
        with Store(review) as store:
            report = check_review(store)
    assert report.ok, "\n".join(report.lines())
    return report
