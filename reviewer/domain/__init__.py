"""Plain pydantic models of a review: no Qt, no SQL, nothing of ours imported.

Every other layer speaks in these types, so the store, the importers, the
suggesters, the command line and the UI agree on what a record or a value is.
"""

from reviewer.domain.models import (
    DECISIONS,
    STAGES,
    Decision,
    Event,
    FieldValue,
    FileReport,
    Highlight,
    ImportReport,
    ParsedRecord,
    Record,
    Source,
    Span,
    Suggestion,
)
from reviewer.domain.template import FieldSpec, FieldType, OutcomeSpec, Template, load_template

__all__ = [
    "DECISIONS",
    "STAGES",
    "Decision",
    "Event",
    "FieldSpec",
    "FieldType",
    "FieldValue",
    "FileReport",
    "Highlight",
    "ImportReport",
    "OutcomeSpec",
    "ParsedRecord",
    "Record",
    "Source",
    "Span",
    "Suggestion",
    "Template",
    "load_template",
]
