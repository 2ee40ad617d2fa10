"""Review-wide screening settings: exclusion reasons, blinding, highlight terms.

They live in ``review_meta`` as JSON, and every change is an event like any other
edit, so the audit trail shows who changed the reasons list or unblinded the
review, and a merge carries the change to the other copy (keyed by the setting's
name; see ``merge``).
"""

from __future__ import annotations

import json
from typing import Any

from reviewer.domain import Event
from reviewer.domain.events import EventKind
from reviewer.store import Store
from reviewer.store.state import setting_key

SETTING_EVENT = EventKind.SETTING_SET

EXCLUSION_REASONS = "exclusion_reasons"
BLINDED = "blinded"
KEYWORD_TERMS = "keyword_terms"

DEFAULT_EXCLUSION_REASONS = (
    "wrong population",
    "wrong intervention",
    "wrong comparator",
    "wrong outcomes",
    "wrong study design",
    "duplicate",
    "full text not retrievable",
)
# The reason PRISMA counts as "reports not retrieved" rather than "excluded".
NOT_RETRIEVED = "full text not retrievable"

_DEFAULTS: dict[str, Any] = {
    EXCLUSION_REASONS: list(DEFAULT_EXCLUSION_REASONS),
    # Independent screening is the point of two reviewers, so a review starts blinded.
    BLINDED: True,
    KEYWORD_TERMS: {"include": [], "exclude": []},
}


def get_setting(store: Store, name: str) -> Any:
    raw = store.meta(setting_key(name), "")
    if not raw:
        return json.loads(json.dumps(_DEFAULTS.get(name)))  # a copy the caller may change
    return json.loads(raw)


def set_setting(store: Store, name: str, value: Any, reviewer: str) -> None:
    """Store a setting and log it (nothing is written when the value is unchanged)."""
    before = get_setting(store, name)
    if before == value:
        return
    with store.atomic():
        store.commit(
            Event(
                reviewer=reviewer,
                kind=SETTING_EVENT,
                payload={"name": name, "before": before, "after": value},
            )
        )


def exclusion_reasons(store: Store) -> list[str]:
    return list(get_setting(store, EXCLUSION_REASONS))


def set_exclusion_reasons(store: Store, reasons: list[str], reviewer: str) -> list[str]:
    """Replace the review's list of reasons (trimmed, blanks and repeats dropped)."""
    clean: list[str] = []
    for reason in reasons:
        r = " ".join(reason.split())
        if r and r.casefold() not in {c.casefold() for c in clean}:
            clean.append(r)
    set_setting(store, EXCLUSION_REASONS, clean, reviewer)
    return clean


def is_blinded(store: Store) -> bool:
    return bool(get_setting(store, BLINDED))


def set_blinded(store: Store, blinded: bool, reviewer: str) -> None:
    set_setting(store, BLINDED, bool(blinded), reviewer)
