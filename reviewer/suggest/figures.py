"""Lists of figures as results print them: "45% vs 30%", "22 and 32%, respectively",
"3.7 and 5.1 months". Shared by the outcome suggesters (``outcomes``, ``survival``): each
figure with where it stands, one per arm, durations in months.
"""

from __future__ import annotations

import re

from reviewer.suggest.document import Document
from reviewer.suggest.textutil import DURATION_UNIT, NUM, ci, parse_number, to_months

# between figures: a bracket, the arm they belong to, and "vs"/"and"/","
_LINK = ci(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:,?\s*(?:in|for|with)\s+(?:the\s+)?[\w/+-]+"
    r"(?:\s+[\w/+-]+){0,3}?\s*)?"
    r"(?:,?\s*(?:vs\.?|versus|and|compared (?:with|to)|as compared with|or)\s+|,\s*)"
)
_THRESHOLD_BEFORE = ci(
    r"(?:[<>≤≥⩽⩾]|=<|>=|\bmore than|\bless than|\bat least|\bup to|\bover|\bunder)\s*$"
)


def figures(
    doc: Document, pos: int, end: int, need: str
) -> tuple[list[tuple[float, int, int]], int]:
    """The figures at ``pos``: one, or several joined by "vs"/"and"/","; each a percentage
    (``need="%"``) or a duration (``need="time"``, converted to months). A figure without
    its unit belongs to the list only when a later one carries it ("22 and 32%")."""
    unit = rf"\s*(?P<unit>{DURATION_UNIT})" if need == "time" else r"\s*(?P<unit>%|percent\b)"
    item = ci(rf"(?P<v>{NUM})(?:{unit})?(?![\w-])")
    found: list[tuple[float, int, int, str | None]] = []
    cursor = pos
    while True:
        m = item.match(doc.lower, cursor, end)
        if m is None or _THRESHOLD_BEFORE.search(doc.lower, max(0, m.start() - 12), m.start()):
            break
        v = parse_number(m.group("v"))
        if v is None:
            break
        found.append((v, m.start(), m.end(), m.group("unit")))
        link = _LINK.match(doc.lower, m.end(), end)
        if link is None:
            break
        cursor = link.end()
    while found and found[-1][3] is None:
        found.pop()
    if not found:
        return [], pos
    last_unit = found[-1][3] or ""
    out = []
    for v, s, e, u in found:
        if need == "time":
            v = to_months(v, u or last_unit)
        out.append((v, s, e))
    return out, found[-1][2]


_RESPECTIVELY = ci(r"[^.;]{0,40}?\brespectively\b")


def pick_respectively(
    doc: Document, subject: str, values: list, end: int, own: re.Pattern[str]
) -> list:
    """ "the overall response and clinical benefit rates were 22 and 32%, respectively":
    only the figure in the position of our outcome is ours."""
    if not _RESPECTIVELY.match(doc.lower, end):
        return values
    items = re.split(r",\s*(?:and\s+)?|\s+and\s+", subject)
    if len(items) < 2 or len(items) != len(values):
        return values
    mine = [v for item, v in zip(items, values, strict=True) if own.search(item)]
    return mine if len(mine) < len(values) else values
