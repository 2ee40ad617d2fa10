"""What every field suggester shares: the version stamp and how a suggestion is made.

A suggestion is only useful to a reviewer if it points at the words that support
it, so ``make`` builds every ``Suggestion`` from offsets into the record's text and
takes the quote from there; no suggester can hand back a quote the text does not
contain.
"""

from __future__ import annotations

from typing import Any

from reviewer.domain import Suggestion
from reviewer.suggest.document import Document
from reviewer.suggest.lexicon import lexicon_digest

# Raise RULES_VERSION whenever a rule changes what it suggests; the lexicon's own
# fingerprint is added, so editing drugs.json also makes stored suggestions stale.
RULES_VERSION = "1.0"
VERSION = f"{RULES_VERSION}+lex.{lexicon_digest()}"


def make(
    doc: Document,
    field: str,
    value: Any,
    start: int,
    end: int,
    confidence: float,
    suggester: str,
    detail: dict[str, Any] | None = None,
) -> Suggestion:
    """A suggestion for ``field`` supported by ``doc.text[start:end]``."""
    start, end = _trim(doc.text, start, end)
    return Suggestion(
        field=field,
        value=value,
        start=start,
        end=end,
        quote=doc.text[start:end],
        confidence=round(min(max(confidence, 0.0), 1.0), 2),
        suggester=suggester,
        version=VERSION,
        detail=detail,
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and a dangling comma or full stop from the ends of a quote."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
