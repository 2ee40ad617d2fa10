"""The marks on a record's text (values, suggestions, notes, keywords) as data.

``HighlightItem`` is one mark, ``Marks`` finds those crossing a range or holding an
offset by bisection (never a question to Qt), and ``items_for_record`` turns what the
store holds for a record into its marks. Shared by the document view, the page view of
a PDF and the results grid, none of which needs the others for this.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from reviewer.domain import FieldValue, Highlight, Suggestion, Template
from reviewer.ui.field_editor import display_text

# drawing order, bottom to top: keywords under notes under suggestions under values
LAYER = {"keyword_include": 0, "keyword_exclude": 0, "note": 1, "suggestion": 2, "value": 3}


class HighlightItem(NamedTuple):
    """One mark on the text. A plain tuple in this order works as well.

    ``ref`` says which stored thing the mark is: the index of the span in the
    value's provenance for a value, the suggestion's id, the note's id.
    """

    start: int
    end: int
    kind: str  # value | suggestion | note | keyword_include | keyword_exclude
    field: str | None = None
    group: str = "other"
    tooltip: str = ""
    ref: int | None = None


class Marks:
    """Marks sorted by start, for 'which cross this range' and 'which hold this offset'."""

    def __init__(self, items: Iterable[HighlightItem] = ()):
        self.items = sorted(items, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.items]
        self.longest = max((m.end - m.start for m in self.items), default=0)

    def overlapping(self, lo: int, hi: int) -> list[HighlightItem]:
        first = bisect_left(self.starts, lo - self.longest)
        last = bisect_left(self.starts, hi)
        return [m for m in self.items[first:last] if m.end > lo]

    def at(self, offset: int) -> list[HighlightItem]:
        return [m for m in self.overlapping(offset, offset + 1) if m.start <= offset < m.end]


def items_for_record(
    template: Template,
    values: Mapping[str, FieldValue],
    suggestions: Iterable[Suggestion] = (),
    notes: Iterable[Highlight] = (),
    keywords: Iterable[Any] = (),
) -> list[HighlightItem]:
    """The marks of one record: each value's spans, pending suggestions, notes, keywords.

    ``keywords`` are objects with ``start``, ``end`` and ``kind`` ('include' or
    'exclude'), as ``reviewer.review.keywords`` finds them. A value of a field no
    longer in the template is still shown (group 'other', labelled by its key).
    """
    specs = {f.key: f for f in template.fields}

    def label_group(key: str) -> tuple[str, str]:
        spec = specs.get(key)
        return (spec.label, spec.group) if spec else (key, "other")

    items: list[HighlightItem] = []
    for key, fv in values.items():
        label, group = label_group(key)
        tip = f"{label}: {_clip(display_text(fv.value, specs.get(key)))}"
        for i, span in enumerate(fv.provenance):
            items.append(HighlightItem(span.start, span.end, "value", key, group, tip, i))
    for s in suggestions:
        if s.status != "pending":
            continue
        label, group = label_group(s.field)
        shown = display_text(s.value, specs.get(s.field))
        tip = f"Suggested — {label}: {_clip(shown)} ({s.confidence:.0%})"
        items.append(HighlightItem(s.start, s.end, "suggestion", s.field, group, tip, s.id))
    for n in notes:
        if n.field is not None:
            label, group = label_group(n.field)
            tip = f"{label} (highlight){': ' + _clip(n.note) if n.note else ''}"
            items.append(HighlightItem(n.span.start, n.span.end, "value", n.field, group, tip))
            continue
        tip = f"Note by {n.reviewer}: {_clip(n.note)}" if n.note else f"Note by {n.reviewer}"
        items.append(HighlightItem(n.span.start, n.span.end, "note", None, "other", tip, n.id))
    for k in keywords:
        kind = f"keyword_{k.kind}"
        tip = "Inclusion term" if k.kind == "include" else "Exclusion term"
        items.append(HighlightItem(k.start, k.end, kind, None, "other", tip))
    return items


def _clip(text: str, n: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
