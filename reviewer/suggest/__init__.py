"""Field suggestions: values for the extraction template, each with the words that support it.

Rules, not a model: every suggester is a small set of patterns over the record's
text plus the shipped lexicons, so suggestions are fast (a few milliseconds per
abstract), need no network or model download, and every value comes with the
offsets of its quote. Precision comes first: where the text is silent, or only
another study speaks, nothing is suggested.

``suggest(record)`` gives the suggestions for one record; ``prediction`` gives the
line the scorer and ``reviewer suggest`` print; ``record_key`` names a record the
way the gold files do.
"""

from __future__ import annotations

from typing import Any

from reviewer.domain import Suggestion
from reviewer.suggest import bibliographic, design, funding, interventions, outcomes, population
from reviewer.suggest.base import VERSION
from reviewer.suggest.document import Document

SUGGESTER_VERSION: str = VERSION

# the template's field order, so suggestions list the way the form does
FIELD_ORDER = (
    "title", "authors", "journal", "year", "doi", "registration_ids", "study_design", "phase",
    "sample_size", "age", "condition", "interventions", "comparator", "follow_up_months",
    "response_rate_pct", "median_pfs_months", "median_os_months", "hazard_ratio",
    "grade3_ae_pct", "funding",
)  # fmt: skip
_RANK = {f: i for i, f in enumerate(FIELD_ORDER)}
_SUGGESTERS = (bibliographic, design, population, interventions, outcomes, funding)


def suggest(record: Any) -> list[Suggestion]:
    """Suggestions for a record (a ``Record`` or anything with ``.text`` and metadata)."""
    doc = Document(record)
    if not doc.text.strip():
        return []
    found: list[Suggestion] = []
    for module in _SUGGESTERS:
        found += module.suggest(doc)
    return sorted(found, key=lambda s: (_RANK.get(s.field, len(_RANK)), s.start))


def prediction(record: Any, record_key: str) -> dict[str, Any]:
    """One line of predictions, in the shape ``SCHEMA.md`` describes."""
    return {
        "record": record_key,
        "title": getattr(record, "title", "") or "",
        "suggestions": [
            {
                "field": s.field,
                "value": s.value,
                "quote": s.quote,
                "start": s.start,
                "end": s.end,
                "confidence": s.confidence,
            }
            for s in suggest(record)
        ],
    }


def record_key(store: Any, record: Any) -> str:
    """The record's name in gold and prediction files: its source file's name, and for a
    file that holds many records, ``#`` and the title as printed."""
    from reviewer.suggest.runner import RecordKeys

    return RecordKeys(store).key(record)


__all__ = ["SUGGESTER_VERSION", "prediction", "record_key", "suggest"]
