"""Suggested results: what the text states, turned into cells of the study's grid.

Arm sizes become arms (or fill the size of an arm of that name); events/totals, mean ±
SD and medians become the selected outcome's result for the arm whose size they
match (else the arms in order, as papers list them); an estimate with its CI becomes
the selected outcome's comparison of the experimental and the control arm. Each
suggestion carries the words that state it, which become the cells' provenance when
the reviewer accepts it. Computed on the fly from the record's text: nothing is
stored until accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer.domain import Span
from reviewer.domain.results import Item, StudyResults, new_item_id
from reviewer.store.results import CellChange
from reviewer.suggest.result_patterns import Statement, find_statements

_CONTROL_WORDS = re.compile(
    r"placebo|control|usual care|standard|sham|no treatment|observation|vehicle",
    re.IGNORECASE,
)


@dataclass
class GridSuggestion:
    """Cells to set, in words, with the text that states them."""

    text: str
    start: int
    end: int
    quote: str
    changes: list[CellChange] = field(default_factory=list)


def suggest_results(
    text: str, results: StudyResults, outcome_id: str | None = None, limit: int = 12
) -> list[GridSuggestion]:
    """Suggestions for one record's grid (see module docs), best first, none that the
    grid already holds."""
    out: list[GridSuggestion] = []
    arms = results.arms
    statements = find_statements(text)
    pending_arms: dict[str, str] = {}
    for s in statements:
        if s.kind == "arm":
            g = _arm(text, s, results, pending_arms)
        elif outcome_id and s.kind in ("events", "mean_sd", "median"):
            g = _arm_result(text, s, statements, results, outcome_id, arms)
        elif outcome_id and s.kind == "estimate":
            g = _estimate(text, s, results, outcome_id)
        else:
            g = None
        if g is not None and g.changes:
            out.append(g)
        if len(out) >= limit:
            break
    return out


def _span(text: str, s: Statement) -> Span:
    return Span.from_text(text, s.start, s.end)


def _arm(
    text: str, s: Statement, results: StudyResults, pending: dict[str, str]
) -> GridSuggestion | None:
    n = s.values["n_randomised"]
    span = _span(text, s)
    existing = results.arm_named(s.arm) or _arm_like(results, s.arm)
    if existing is not None:
        if existing.value("n_randomised") == n:
            return None
        return GridSuggestion(f"{existing.value('name')}: {n} randomised", s.start, s.end,
                              span.quote, [CellChange(existing.id, "n_randomised", n, [span])])  # fmt: skip
    key = s.arm.casefold()
    if key in pending:
        return None
    item = pending[key] = new_item_id("arm")
    role = "control" if _CONTROL_WORDS.search(s.arm) else "experimental"
    if role == "experimental" and any(a.value("role") == "experimental" for a in results.arms):
        role = "other"
    changes = [CellChange(item, "name", s.arm, [span]), CellChange(item, "role", role),
               CellChange(item, "n_randomised", n, [span])]  # fmt: skip
    return GridSuggestion(f"new arm “{s.arm}” ({role}), {n} randomised", s.start, s.end,
                          span.quote, changes)  # fmt: skip


def _arm_like(results: StudyResults, name: str) -> Item | None:
    key = name.casefold()
    for a in results.arms:
        other = str(a.value("name") or "").casefold()
        if other and (other in key or key in other):
            return a
    return None


def _arm_result(
    text: str,
    s: Statement,
    statements: list[Statement],
    results: StudyResults,
    outcome_id: str,
    arms: list[Item],
) -> GridSuggestion | None:
    arm = _arm_for(s, statements, arms)
    if arm is None:
        return None
    span = _span(text, s)
    current = results.result_for(outcome_id, arm.id)
    item = current.id if current else new_item_id("result")
    changes = [] if current else [CellChange(item, "outcome", outcome_id),
                                  CellChange(item, "arm", arm.id)]  # fmt: skip
    for key, value in s.values.items():
        if current is None or current.value(key) != value:
            changes.append(CellChange(item, key, value, [span]))
    if len(changes) <= (0 if current else 2):
        return None
    what = ", ".join(f"{k} {v:g}" for k, v in s.values.items())
    return GridSuggestion(f"{arm.value('name')}: {what}", s.start, s.end, span.quote, changes)


def _arm_for(s: Statement, statements: list[Statement], arms: list[Item]) -> Item | None:
    """The arm a per-arm figure belongs to: the one whose size it repeats, else its place
    among the figures of its kind in the same stretch of text."""
    n = s.values.get("n")
    if n is not None:
        match = [a for a in arms if n in (a.value("n_randomised"), a.value("n_analysed"))]
        if len(match) == 1:
            return match[0]
    group = [t for t in statements if t.kind == s.kind and abs(t.start - s.start) < 200]
    group.sort(key=lambda t: t.start)
    index = next(i for i, t in enumerate(group) if t is s)
    ordered = sorted(arms, key=lambda a: {"experimental": 0, "control": 1}.get(a.value("role"), 2))
    return ordered[index] if index < len(ordered) and len(group) <= len(ordered) else None


def _estimate(
    text: str, s: Statement, results: StudyResults, outcome_id: str
) -> GridSuggestion | None:
    measure = s.values.get("measure")
    exp = [a for a in results.arms if a.value("role") == "experimental"]
    ctrl = [a for a in results.arms if a.value("role") == "control"]
    if not measure or len(exp) != 1 or len(ctrl) != 1:
        return None
    span = _span(text, s)
    current = next((c for c in results.comparisons if c.value("outcome") == outcome_id
                    and c.value("measure") == measure), None)  # fmt: skip
    item = current.id if current else new_item_id("comparison")
    changes = [] if current else [
        CellChange(item, "outcome", outcome_id), CellChange(item, "experimental", exp[0].id),
        CellChange(item, "control", ctrl[0].id), CellChange(item, "measure", measure, [span]),
    ]  # fmt: skip
    for key in ("estimate", "ci_low", "ci_high", "ci_level"):
        if key in s.values and (current is None or current.value(key) != s.values[key]):
            changes.append(CellChange(item, key, s.values[key], [span]))
    if not any(c.field in ("estimate", "ci_low", "ci_high") for c in changes):
        return None
    v = s.values
    return GridSuggestion(f"{measure} {v['estimate']:g} ({v['ci_low']:g} to {v['ci_high']:g})",
                          s.start, s.end, span.quote, changes)  # fmt: skip
