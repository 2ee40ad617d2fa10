"""Arms, outcomes and results of a study: the part of an extraction a statistician pools.

A study's results are *items* of four kinds, each a handful of *cells*:

* an **arm** (name, role, participants randomised and analysed, intervention details);
* an **outcome** at a time point (name, kind: dichotomous, continuous, time-to-event or
  other; time point): the same outcome at two time points is two outcome items;
* a **result** of one arm for one outcome (events and total; mean, SD and n; or median
  with quartiles or range);
* a **comparison** between two arms for one outcome (an effect estimate with its CI or
  SE and p-value, and its measure: RR, OR, RD, MD, SMD or HR).

Every cell is a value with its provenance (the words it came from), like a template
field's value, so each number in a meta-analysis can be traced to its quote. Items
are named by ids that sort in the order they were made and that stay the same when
copies of a review are merged (``new_item_id``).
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from reviewer.domain.models import Span, now_iso

KINDS: tuple[str, ...] = ("arm", "outcome", "result", "comparison")
ROLES = ("experimental", "control", "other")
OUTCOME_KINDS = ("dichotomous", "continuous", "time_to_event", "other")
MEASURES = ("RR", "OR", "RD", "MD", "SMD", "HR")
RATIO_MEASURES = ("RR", "OR", "HR")
MEASURE_NAMES = {
    "RR": "Risk ratio",
    "OR": "Odds ratio",
    "RD": "Risk difference",
    "MD": "Mean difference",
    "SMD": "Standardised mean difference",
    "HR": "Hazard ratio",
}

ColumnType = Literal["text", "integer", "number", "choice", "ref"]


@dataclass(frozen=True, slots=True)
class Column:
    """One cell of an item: its key, how the form labels it, and what it holds."""

    key: str
    label: str
    short: str  # the grid's column header
    type: ColumnType
    choices: tuple[str, ...] = ()
    ref: str | None = None  # for 'ref' cells: the kind of item named
    unit: str = ""


COLUMNS: dict[str, tuple[Column, ...]] = {
    "arm": (
        Column("name", "Arm", "Arm", "text"),
        Column("role", "Role", "Role", "choice", ROLES),
        Column("n_randomised", "Participants randomised", "Rand.", "integer"),
        Column("n_analysed", "Participants analysed", "Anal.", "integer"),
        Column("intervention", "Intervention details", "Intervention", "text"),
    ),
    "outcome": (
        Column("name", "Outcome", "Outcome", "text"),
        Column("kind", "Kind", "Kind", "choice", OUTCOME_KINDS),
        Column("timepoint", "Time point", "Time", "text"),
    ),
    "result": (
        Column("outcome", "Outcome", "Outcome", "ref", ref="outcome"),
        Column("arm", "Arm", "Arm", "ref", ref="arm"),
        Column("events", "Events", "Events", "integer"),
        Column("n", "Participants (n)", "N", "integer"),
        Column("mean", "Mean", "Mean", "number"),
        Column("sd", "Standard deviation", "SD", "number"),
        Column("median", "Median", "Median", "number"),
        Column("q1", "Lower quartile", "Q1", "number"),
        Column("q3", "Upper quartile", "Q3", "number"),
        Column("min", "Minimum", "Min", "number"),
        Column("max", "Maximum", "Max", "number"),
    ),
    "comparison": (
        Column("outcome", "Outcome", "Outcome", "ref", ref="outcome"),
        Column("experimental", "Experimental arm", "Exp.", "ref", ref="arm"),
        Column("control", "Control arm", "Ctrl", "ref", ref="arm"),
        Column("measure", "Effect measure", "Measure", "choice", MEASURES),
        Column("estimate", "Estimate", "Est.", "number"),
        Column("ci_low", "CI lower limit", "Low", "number"),
        Column("ci_high", "CI upper limit", "High", "number"),
        Column("ci_level", "CI level", "Level", "number", unit="%"),
        Column("se", "Standard error", "SE", "number"),
        Column("p_value", "P value", "P", "number"),
    ),
}

# what a result row shows for each kind of outcome (the rest stay editable in the tooltip grid)
RESULT_COLUMNS_BY_KIND: dict[str, tuple[str, ...]] = {
    "dichotomous": ("events", "n"),
    "continuous": ("mean", "sd", "n"),
    "continuous_median": ("median", "q1", "q3", "min", "max", "n"),
    "time_to_event": ("events", "n"),
    "other": ("events", "n", "mean", "sd"),
}


def column(kind: str, key: str) -> Column:
    for c in COLUMNS[kind]:
        if c.key == key:
            return c
    raise KeyError(f"{kind} has no cell {key!r}")


def kind_of(item: str) -> str:
    """The kind of an item from its id ('arm:…' is an arm)."""
    kind = item.split(":", 1)[0]
    if kind not in COLUMNS or ":" not in item:
        raise ValueError(f"{item!r} is not a results item id")
    return kind


_last_stamp = 0


def new_item_id(kind: str) -> str:
    """A new item id: the kind, then the time in microseconds and a random tail, so ids
    sort in the order items were made and two copies of a review never make the same."""
    global _last_stamp
    if kind not in COLUMNS:
        raise ValueError(f"unknown item kind {kind!r}")
    _last_stamp = max(_last_stamp + 1, time.time_ns() // 1000)
    return f"{kind}:{_last_stamp:014x}{os.urandom(3).hex()}"


# -- values ------------------------------------------------------------------------------


def validate_cell(kind: str, key: str, value: Any) -> Any:
    """``value`` as cell ``key`` of a ``kind`` item stores it, or ``ValueError`` saying
    why not (in words a reviewer reads beside the cell). ``None`` and "" clear a cell."""
    col = column(kind, key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if col.type in ("text", "ref"):
        if not isinstance(value, str):
            value = str(value)
        value = " ".join(value.split())
        if col.type == "ref" and kind_of(value) != col.ref:
            raise ValueError(f"{col.label} must name an {col.ref}")
        return value
    if col.type == "choice":
        text = str(value).strip()
        for choice in col.choices:
            if text.casefold() == choice.casefold() or text.casefold().replace(
                " ", "_"
            ) == choice.casefold().replace(" ", "_"):
                return choice
        raise ValueError("choose one of: " + ", ".join(col.choices))
    number = _number(value)
    if number is None:
        raise ValueError(
            "a whole number is needed" if col.type == "integer" else "a number is needed"
        )
    if col.type == "integer":
        if not float(number).is_integer():
            raise ValueError("a whole number is needed")
        number = int(number)
        if number < 0:
            raise ValueError("a count cannot be negative")
        return number
    if key in ("sd", "se") and number < 0:
        raise ValueError(f"a {col.label.lower()} cannot be negative")
    if key == "p_value" and not 0 <= number <= 1:
        raise ValueError("a p value lies between 0 and 1")
    if key == "ci_level" and not 0 < number < 100:
        raise ValueError("a confidence level lies between 0 and 100 (95 for 95%)")
    return float(number)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace("\u2212", "-").replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# -- stored cells and a study's items ------------------------------------------------------


class ResultCell(BaseModel):
    """The current value of one cell of one item, with the words it came from."""

    record_id: int
    item: str
    field: str
    value: Any
    reviewer: str
    time: str = Field(default_factory=now_iso)
    provenance: list[Span] = Field(default_factory=list)

    @property
    def kind(self) -> str:
        return kind_of(self.item)


@dataclass
class Item:
    """One arm, outcome, result or comparison of a study, with its cells."""

    id: str
    cells: dict[str, ResultCell] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return kind_of(self.id)

    def value(self, key: str, default: Any = None) -> Any:
        c = self.cells.get(key)
        return default if c is None else c.value

    def quote(self, *keys: str) -> str:
        """The words behind these cells (each span once, `` | `` between)."""
        seen: list[str] = []
        for key in keys or tuple(self.cells):
            c = self.cells.get(key)
            for span in c.provenance if c else []:
                if span.quote not in seen:
                    seen.append(span.quote)
        return " | ".join(seen)

    def page(self, *keys: str) -> int | None:
        for key in keys or tuple(self.cells):
            c = self.cells.get(key)
            for span in c.provenance if c else []:
                if span.page is not None:
                    return span.page
        return None


@dataclass
class StudyResults:
    """Every item of one record, in the order they were made."""

    record_id: int
    items: dict[str, Item] = field(default_factory=dict)

    @classmethod
    def from_cells(cls, record_id: int, cells: list[ResultCell]) -> StudyResults:
        out = cls(record_id)
        for c in sorted(cells, key=lambda c: c.item):
            out.items.setdefault(c.item, Item(c.item)).cells[c.field] = c
        return out

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items.values() if i.kind == kind]

    @property
    def arms(self) -> list[Item]:
        return self.of_kind("arm")

    @property
    def outcomes(self) -> list[Item]:
        return self.of_kind("outcome")

    @property
    def results(self) -> list[Item]:
        return self.of_kind("result")

    @property
    def comparisons(self) -> list[Item]:
        return self.of_kind("comparison")

    def get(self, item_id: str | None) -> Item | None:
        return self.items.get(item_id) if item_id else None

    def result_for(self, outcome_id: str, arm_id: str) -> Item | None:
        for r in self.results:
            if r.value("outcome") == outcome_id and r.value("arm") == arm_id:
                return r
        return None

    def arm_named(self, name: str) -> Item | None:
        key = name.strip().casefold()
        return next((a for a in self.arms if str(a.value("name", "")).casefold() == key), None)

    def outcome_named(self, name: str, timepoint: str = "") -> Item | None:
        key = (name.strip().casefold(), timepoint.strip().casefold())
        for o in self.outcomes:
            if (
                str(o.value("name", "")).casefold(),
                str(o.value("timepoint", "") or "").casefold(),
            ) == key:
                return o
        return None

    def dependants(self, item_id: str) -> list[Item]:
        """Results and comparisons that name this arm or outcome (deleted with it)."""
        return [
            i
            for i in self.items.values()
            if i.kind in ("result", "comparison")
            and item_id in (i.value("outcome"), i.value("arm"), i.value("experimental"),
                            i.value("control"))
        ]  # fmt: skip


def arm_label(item: Item | None) -> str:
    if item is None:
        return "?"
    return str(item.value("name") or "unnamed arm")


def outcome_label(item: Item | None) -> str:
    if item is None:
        return "?"
    name = str(item.value("name") or "unnamed outcome")
    tp = item.value("timepoint")
    return f"{name} · {tp}" if tp else name
