"""Field suggestions: values for the extraction template, each with the words that support it.

Rules, not a model: every suggester is a small set of patterns over the record's
text plus the shipped lexicons, so suggestions are fast (a few milliseconds per
abstract), need no network or model download, and every value comes with the
offsets of its quote. Precision comes first: where the text is silent, or only
another study speaks, nothing is suggested.

``suggest(record, template)`` gives the suggestions for one record: the built-in
suggesters fill the fields they know by key (``BUILT_IN``), only where the template
has them, and every other field of the template gets the sentences most about it
(``custom``). ``prediction`` gives the line the scorer and ``reviewer suggest``
print; ``record_key`` names a record the way the gold files do.
"""

from __future__ import annotations

from typing import Any

from reviewer.domain import Suggestion
from reviewer.suggest import (
    bibliographic,
    custom,
    design,
    funding,
    interventions,
    outcomes,
    population,
)
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
# the fields the built-in suggesters fill, by key; a template may have any of them or none
BUILT_IN: frozenset[str] = frozenset(FIELD_ORDER)
_RANK = {f: i for i, f in enumerate(FIELD_ORDER)}
_SUGGESTERS = (bibliographic, design, population, interventions, outcomes, funding)


def suggest(record: Any, template: Any = None) -> list[Suggestion]:
    """Suggestions for a record (a ``Record`` or anything with ``.text`` and metadata).

    Without a template, every built-in field; with one, its fields only, in its order,
    the fields no built-in suggester knows ranked by ``custom``."""
    doc = Document(record)
    if not doc.text.strip():
        return []
    found: list[Suggestion] = []
    for module in _SUGGESTERS:
        found += module.suggest(doc)
    if template is None:
        return sorted(found, key=lambda s: (_RANK.get(s.field, len(_RANK)), s.start))
    rank = {key: i for i, key in enumerate(template.keys)}
    found = [s for s in found if s.field in rank]
    for spec in template.fields:
        # a judgement (RoB 2) is the reviewer's to make: its words support, never set it
        if spec.key not in BUILT_IN and not getattr(spec, "quote_only", False):
            found += custom.suggest_field(doc, spec)
    return sorted(found, key=lambda s: (rank[s.field], s.start))


def prediction(record: Any, record_key: str, template: Any = None) -> dict[str, Any]:
    """One line of predictions, in the shape ``SCHEMA.md`` describes, plus ``concept``
    (a MeSH or DrugBank id) where a suggested term has one."""
    return {
        "record": record_key,
        "title": getattr(record, "title", "") or "",
        "suggestions": [_line(s) for s in suggest(record, template)],
    }


def _line(s: Suggestion) -> dict[str, Any]:
    line: dict[str, Any] = {
        "field": s.field,
        "value": s.value,
        "quote": s.quote,
        "start": s.start,
        "end": s.end,
        "confidence": s.confidence,
    }
    concept = concept_of(s)
    if concept:
        line["concept"] = concept
    return line


def concept_of(s: Suggestion) -> str | None:
    """The concept id a suggestion's term carries, if it has exactly one."""
    detail = s.detail or {}
    if isinstance(detail.get("concept"), str):
        return detail["concept"]
    concepts = set((detail.get("concepts") or {}).values())
    return concepts.pop() if len(concepts) == 1 else None


def record_key(store: Any, record: Any) -> str:
    """The record's name in gold and prediction files: its source file's name, and for a
    file that holds many records, ``#`` and the title as printed."""
    from reviewer.suggest.runner import RecordKeys

    return RecordKeys(store).key(record)


__all__ = ["BUILT_IN", "SUGGESTER_VERSION", "concept_of", "prediction", "record_key", "suggest"]
