"""Helpers for suggester tests: a record from a few sentences, and its suggested values."""

from __future__ import annotations

from typing import Any

from reviewer.domain import ParsedRecord, Suggestion
from reviewer.suggest import suggest


def make_record(body: str, title: str = "A clinical study", **meta: Any) -> ParsedRecord:
    """A record whose text is a title line and an abstract, as importers compose it."""
    return ParsedRecord(title=title, text=f"{title}\n\n{body}", **meta)


def suggestions(
    body: str, field: str, title: str = "A clinical study", **meta: Any
) -> list[Suggestion]:
    record = make_record(body, title, **meta)
    found = suggest(record)
    for s in found:  # every suggestion points at the words that support it
        assert s.quote == record.text[s.start : s.end]
    return [s for s in found if s.field == field]


def value(body: str, field: str, title: str = "A clinical study", **meta: Any) -> Any:
    """The single value suggested for a scalar field, or ``None``."""
    found = suggestions(body, field, title, **meta)
    assert len(found) <= 1, found
    return found[0].value if found else None


def values(body: str, field: str, title: str = "A clinical study", **meta: Any) -> list[Any]:
    """The union of values suggested for a list field, in order."""
    return [v for s in suggestions(body, field, title, **meta) for v in s.value]
