"""One record's rows of a results CSV, as the cells they set in its results.

A row is an arm's result or a comparison (see ``reviewer.ingest.results_csv``). Rows
name arms and outcomes by name, so each is matched to the item the record already
has (an arm by name, an outcome by name and time point, a result by outcome and
arm, a comparison by outcome, arms and measure) or made new; every value is checked
as its cell would check it, and each row's quote is anchored in the record's text.
``RecordPlan.changes`` then gives only the cells that differ from what the record
holds, so a re-import changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from reviewer.annotate.spans import page_at
from reviewer.domain import Span
from reviewer.domain.results import (
    MEASURES,
    OUTCOME_KINDS,
    ROLES,
    new_item_id,
    validate_cell,
)
from reviewer.store import Store
from reviewer.store import results as result_store
from reviewer.store.results import CellChange

RESULT_NUMBERS = ("events", "n", "mean", "sd", "median", "q1", "q3", "min", "max")
COMPARISON_NUMBERS = ("estimate", "ci_low", "ci_high", "ci_level", "se", "p_value")
_VS = re.compile(r"\s+(?:vs\.?|versus|v\.?)\s+", re.IGNORECASE)


class RecordPlan:
    """The cells one record's rows set, with items matched to those it already has."""

    def __init__(self, store: Store, record_id: int):
        self.record_id = record_id
        self.existing = result_store.study_results(store, record_id)
        self.text = store.record(record_id).text
        self.page_offsets = store.record(record_id).page_offsets
        self.cells: dict[tuple[str, str], CellChange] = {}
        self.arms = {str(a.value("name", "")).casefold(): a.id for a in self.existing.arms}
        self.roles = {a.id: a.value("role") for a in self.existing.arms}
        self.outcomes = {
            _outcome_key(o.value("name", ""), o.value("timepoint")): o.id
            for o in self.existing.outcomes
        }
        self.results = {(r.value("outcome"), r.value("arm")): r.id for r in self.existing.results}
        self.comparisons = {
            (
                c.value("outcome"),
                c.value("experimental"),
                c.value("control"),
                c.value("measure"),
            ): c.id
            for c in self.existing.comparisons
        }
        self.unchanged = 0

    # -- building --------------------------------------------------------------------------

    def _set(self, item: str, fld: str, value: Any, spans: tuple[Span, ...] = ()) -> None:
        if value in (None, ""):
            return
        kind = item.split(":", 1)[0]
        try:
            value = validate_cell(kind, fld, value)
        except ValueError as exc:
            raise ValueError(f"{fld}: {exc} ({value!r})") from None
        self.cells[(item, fld)] = CellChange(item, fld, value, spans)

    def _arm(self, name: str, role: str = "") -> str:
        key = name.casefold()
        if key not in self.arms:
            self.arms[key] = new_item_id("arm")
            self._set(self.arms[key], "name", name)
        item = self.arms[key]
        if role:
            self._set(item, "role", role)
            self.roles[item] = role
        return item

    def _outcome(self, row: dict[str, str], kind: str) -> str:
        name, tp = row["outcome"], row.get("timepoint", "")
        key = _outcome_key(name, tp)
        if key not in self.outcomes:
            self.outcomes[key] = new_item_id("outcome")
            self._set(self.outcomes[key], "name", name)
            self._set(self.outcomes[key], "timepoint", tp)
            self._set(self.outcomes[key], "kind", row.get("outcome_kind") or kind)
        elif row.get("outcome_kind"):
            self._set(self.outcomes[key], "kind", row["outcome_kind"])
        return self.outcomes[key]

    def add(self, row: dict[str, str]) -> None:
        numbers = [f for f in (*RESULT_NUMBERS, *COMPARISON_NUMBERS) if row.get(f)]
        if not row.get("outcome") and (numbers or not row.get("arm")):
            raise ValueError("the row has no outcome")
        role = row.get("role", "").lower()
        if role and role not in ROLES:
            raise ValueError(f"role {row['role']!r}: choose one of {', '.join(ROLES)}")
        kind = row.get("outcome_kind", "").lower()
        if kind and kind not in OUTCOME_KINDS:
            raise ValueError(f"outcome_kind {kind!r}: choose one of {', '.join(OUTCOME_KINDS)}")
        spans = self._spans(row)
        if row.get("estimate"):
            self._comparison(row, spans)
        elif row.get("arm"):
            self._arm_result(row, role, spans)
        else:
            raise ValueError("the row has neither an arm nor an estimate")

    def _arm_result(self, row: dict[str, str], role: str, spans: tuple[Span, ...]) -> None:
        arm = self._arm(row["arm"], role)
        for fld in ("n_randomised", "n_analysed", "intervention"):
            self._set(arm, fld, row.get(fld))
        has = [f for f in RESULT_NUMBERS if row.get(f)]
        if not has:
            return  # an arm described, no result
        kind = "dichotomous" if row.get("events") else "continuous"
        outcome = self._outcome(row, kind)
        key = (outcome, arm)
        if key not in self.results:
            self.results[key] = new_item_id("result")
            self._set(self.results[key], "outcome", outcome)
            self._set(self.results[key], "arm", arm)
        item = self.results[key]
        for fld in has:
            self._set(item, fld, row[fld], spans)
        events, n = self._pending(item, "events"), self._pending(item, "n")
        if events is not None and n is not None and events > n:
            raise ValueError(f"{events} events among {n} participants")

    def _pending(self, item: str, fld: str) -> Any:
        change = self.cells.get((item, fld))
        return change.value if change else None

    def _comparison(self, row: dict[str, str], spans: tuple[Span, ...]) -> None:
        measure = row.get("measure", "").upper()
        if measure not in MEASURES:
            raise ValueError(
                f"measure {row.get('measure')!r}: an estimate needs one of {', '.join(MEASURES)}"
            )
        exp_name, ctrl_name = row.get("experimental_arm", ""), row.get("control_arm", "")
        if not (exp_name and ctrl_name) and _VS.search(row.get("arm", "")):
            exp_name, ctrl_name = _VS.split(row["arm"], maxsplit=1)
        if exp_name and ctrl_name:
            exp, ctrl = self._arm(exp_name.strip()), self._arm(ctrl_name.strip())
        else:
            exp, ctrl = self._by_role("experimental"), self._by_role("control")
        kind = "time_to_event" if measure == "HR" else (
            "dichotomous" if measure in ("RR", "OR", "RD") else "continuous"
        )  # fmt: skip
        outcome = self._outcome(row, kind)
        key = (outcome, exp, ctrl, measure)
        if key not in self.comparisons:
            self.comparisons[key] = item = new_item_id("comparison")
            self._set(item, "outcome", outcome)
            self._set(item, "experimental", exp)
            self._set(item, "control", ctrl)
            self._set(item, "measure", measure)
        item = self.comparisons[key]
        for fld in COMPARISON_NUMBERS:
            self._set(item, fld, row.get(fld), spans)

    def _by_role(self, role: str) -> str:
        found = [item for item, r in self.roles.items() if r == role]
        if len(found) > 1:
            raise ValueError(f"the study has several {role} arms: name them in experimental_arm "
                             "and control_arm")  # fmt: skip
        if found:
            return found[0]
        return self._arm(role.capitalize(), role)

    def _spans(self, row: dict[str, str]) -> tuple[Span, ...]:
        quote = " ".join(row.get("quote", "").split())
        page_text = row.get("page", "")
        page = None
        if page_text:
            try:
                page = int(float(page_text))
            except ValueError:
                raise ValueError(f"page {page_text!r} is not a number") from None
        parts = [q.strip() for q in quote.split(" | ") if q.strip()]
        return tuple(anchor_quote(self.text, q, page, self.page_offsets) for q in parts)

    # -- what changes --------------------------------------------------------------------------

    def changes(self) -> list[CellChange]:
        """The cells that differ from what the record holds, so a re-import changes
        nothing: a value that is the same keeps its provenance (a file's quote covers the
        whole row, a cell's own may be narrower); a new value keeps the old words only
        when the row brings none."""
        have = {(i.id, f): c for i in self.existing.items.values() for f, c in i.cells.items()}
        out = []
        for key, change in self.cells.items():
            old = have.get(key)
            if (
                old is not None
                and old.value == change.value
                and (old.provenance or not change.provenance)
            ):
                self.unchanged += 1
                continue
            if old is not None and not change.provenance:
                change = CellChange(change.item, change.field, change.value, tuple(old.provenance))
            out.append(change)
        return out


def _outcome_key(name: Any, timepoint: Any) -> tuple[str, str]:
    return (str(name or "").strip().casefold(), str(timepoint or "").strip().casefold())


def anchor_quote(
    text: str, quote: str, page: int | None = None, page_offsets: list[int] | None = None
) -> Span:
    """The span of a quote in a record's text (white space may differ); a quote not found
    there is kept with offsets 0-0, so the value still carries its words."""
    at = text.find(quote)
    end = at + len(quote)
    if at < 0:
        words = [re.escape(w) for w in quote.split()]
        m = re.search(r"\s+".join(words), text) if words else None
        if m is not None:
            at, end = m.start(), m.end()
    if at < 0:
        return Span(start=0, end=0, quote=quote, page=page)
    span = Span.from_text(text, at, end, page=page)
    if span.page is None and page_offsets:
        span.page = page_at(page_offsets, at)
    return span
