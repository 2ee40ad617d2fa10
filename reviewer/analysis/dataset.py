"""From a review's extracted results to the studies of one analysis, and the analysis.

An analysis is one outcome (at one time point), one effect measure and one model.
Each study contributes one effect: from its arm-level data when it has them for both
its experimental and its control arm (counts for RR, OR and RD; means and SDs for
MD and SMD; medians only when ``medians`` names a method), otherwise from a
comparison it reported with the same measure (an estimate with CI, SE or p value;
the only source for HRs). A study that cannot contribute is listed with the reason,
never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reviewer.analysis.effects import (
    Arm,
    Effect,
    EffectError,
    from_counts,
    from_estimate,
    from_means,
    is_ratio,
    medians_to_mean,
    natural,
)
from reviewer.analysis.pooling import METHOD_NAMES, PREDICTION_METHOD, Pooled, pool
from reviewer.domain import Record
from reviewer.domain.results import MEASURE_NAMES, MEASURES, Item, StudyResults
from reviewer.store import Store
from reviewer.store import results as result_store

ARM_LEVEL = {"RR": "counts", "OR": "counts", "RD": "counts", "MD": "means", "SMD": "means"}


@dataclass
class Study:
    """One study's contribution to an analysis."""

    record_id: int
    label: str
    effect: Effect
    outcome_item: str
    weight: float = 0.0  # percent, filled in by the pooling

    def as_json(self, level: float = 0.95) -> dict[str, Any]:
        est, lo, hi = self.effect.interval(level)
        return {
            "record_id": self.record_id,
            "study": self.label,
            "estimate": est,
            "ci_low": lo,
            "ci_high": hi,
            "weight": self.weight,
            "yi": self.effect.yi,
            "vi": self.effect.vi,
            "source": self.effect.source,
            "notes": self.effect.notes,
        }


@dataclass
class Skipped:
    record_id: int
    label: str
    reason: str


@dataclass
class Analysis:
    outcome: str
    timepoint: str | None
    measure: str
    model: str
    method: str | None
    studies: list[Study]
    skipped: list[Skipped]
    pooled: Pooled | None
    medians: str | None = None
    level: float = 0.95
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> bool:
        return is_ratio(self.measure)

    def as_json(self) -> dict[str, Any]:
        p = self.pooled

        def nat(y: float | None) -> float | None:
            return None if y is None else natural(self.measure, y)

        out: dict[str, Any] = {
            "k": len(self.studies),
            "outcome": self.outcome,
            "timepoint": self.timepoint,
            "measure": self.measure,
            "measure_name": MEASURE_NAMES[self.measure],
            "model": self.model,
            "method": self.method,
            "method_name": METHOD_NAMES.get(self.method or "") if self.model == "random" else None,
            "estimate": nat(p.estimate) if p else None,
            "log_estimate": p.estimate if p and self.ratio else None,
            "ci_low": nat(p.ci_low) if p else None,
            "ci_high": nat(p.ci_high) if p else None,
            "log_ci_low": p.ci_low if p and self.ratio else None,
            "log_ci_high": p.ci_high if p and self.ratio else None,
            "se": p.se if p else None,
            "z": p.z if p else None,
            "p": p.p if p else None,
            "tau2": p.tau2 if p else None,
            "i2": p.i2 if p else None,
            "q": p.q if p else None,
            "q_df": p.q_df if p else None,
            "q_p": p.q_p if p else None,
            "prediction_interval": (
                {"low": nat(p.pi_low), "high": nat(p.pi_high), "method": PREDICTION_METHOD}
                if p and p.pi_low is not None
                else None
            ),
            "medians_to_means": self.medians,
            "ci_level": self.level,
            "studies": [s.as_json(self.level) for s in self.studies],
            "not_included": [
                {"record_id": s.record_id, "study": s.label, "reason": s.reason}
                for s in self.skipped
            ],
            "notes": self.notes,
        }
        return out


# -- study labels ------------------------------------------------------------------------------


def surname(author: str) -> str:
    """'Aronson, J. D.' or 'Aronson JD' -> 'Aronson'; 'Jane Smith' -> 'Smith'."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split()
    if len(parts) > 1 and re.fullmatch(r"[A-Z\-\.]{1,4}", parts[-1]):
        return " ".join(parts[:-1])
    return parts[-1] if parts else ""


def study_label(record: Record) -> str:
    """How a study is named in plots and tables: first author's surname and year."""
    name = surname(record.authors[0]) if record.authors else ""
    if name:
        return f"{name} {record.year}" if record.year else name
    title = " ".join(record.title.split())
    if title:
        return title if len(title) <= 40 else title[:39] + "…"
    return f"Record {record.id}"


def study_labels(store: Store, record_ids: list[int]) -> dict[int, str]:
    """Labels for these records, with a, b, c… where two would read the same."""
    labels = {rid: study_label(store.record(rid)) for rid in record_ids}
    seen: dict[str, list[int]] = {}
    for rid, label in labels.items():
        seen.setdefault(label, []).append(rid)
    for label, rids in seen.items():
        if len(rids) > 1:
            for i, rid in enumerate(sorted(rids)):
                labels[rid] = f"{label}{chr(ord('a') + i)}"
    return labels


# -- the analysis --------------------------------------------------------------------------------


def analyse(
    store: Store,
    outcome: str,
    measure: str,
    model: str = "random",
    method: str = "DL",
    timepoint: str | None = None,
    medians: str | None = None,
    level: float = 0.95,
    record_ids: list[int] | None = None,
) -> Analysis:
    """Collect each study's effect for ``outcome`` and pool them (see module docs)."""
    measure = measure.upper()
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; measures: {', '.join(MEASURES)}")
    method = method.upper()
    found = list(result_store.all_results(store, record_ids))
    labels = study_labels(store, [r.record_id for r in found])
    studies: list[Study] = []
    skipped: list[Skipped] = []
    for results in found:
        label = labels[results.record_id]
        outcomes = _matching_outcomes(results, outcome, timepoint)
        if not outcomes:
            continue
        if len(outcomes) > 1:
            points = ", ".join(str(o.value("timepoint") or "none") for o in outcomes)
            skipped.append(Skipped(results.record_id, label,
                                   f"several time points ({points}): choose one"))  # fmt: skip
            continue
        try:
            effect = study_effect(results, outcomes[0], measure, medians)
        except EffectError as exc:
            skipped.append(Skipped(results.record_id, label, str(exc)))
            continue
        studies.append(Study(results.record_id, label, effect, outcomes[0].id))
    if not studies and not skipped:
        raise ValueError(f"no study has results for the outcome {outcome!r}"
                         + (f" at {timepoint!r}" if timepoint else ""))  # fmt: skip
    pooled = None
    notes: list[str] = []
    if studies:
        pooled = pool([s.effect.yi for s in studies], [s.effect.vi for s in studies],
                      model, method, level)  # fmt: skip
        for s, w in zip(studies, pooled.weights, strict=True):
            s.weight = w
    if medians:
        notes.append("medians were converted to means where no mean was reported")
    return Analysis(outcome, timepoint, measure, model, method if model == "random" else None,
                    studies, skipped, pooled, medians, level, notes)  # fmt: skip


def _matching_outcomes(results: StudyResults, name: str, timepoint: str | None) -> list[Item]:
    key = name.strip().casefold()
    out = [o for o in results.outcomes if str(o.value("name", "")).strip().casefold() == key]
    if timepoint is not None:
        tp = timepoint.strip().casefold()
        out = [o for o in out if str(o.value("timepoint") or "").strip().casefold() == tp]
    return out


def study_effect(results: StudyResults, outcome: Item, measure: str,
                 medians: str | None = None) -> Effect:  # fmt: skip
    """One study's effect for this outcome: arm-level data first, else a comparison."""
    problems: list[str] = []
    if measure in ARM_LEVEL:
        try:
            return _arm_level(results, outcome, measure, medians)
        except EffectError as exc:
            problems.append(str(exc))
    comparison = _comparison(results, outcome, measure)
    if comparison is not None:
        c = comparison
        return from_estimate(measure, c.value("estimate"), c.value("ci_low"), c.value("ci_high"),
                             c.value("ci_level"), c.value("se"), c.value("p_value"))  # fmt: skip
    if problems:
        raise EffectError(problems[0])
    raise EffectError(f"no {measure} reported for this outcome")


def _arm_pair(results: StudyResults) -> tuple[Item, Item]:
    exp = [a for a in results.arms if a.value("role") == "experimental"]
    ctrl = [a for a in results.arms if a.value("role") == "control"]
    if len(exp) != 1 or len(ctrl) != 1:
        raise EffectError(
            "arm-level data need one experimental and one control arm "
            f"(this study has {len(exp)} and {len(ctrl)}; set each arm's role)"
        )
    return exp[0], ctrl[0]


def _arm_level(results: StudyResults, outcome: Item, measure: str, medians: str | None) -> Effect:
    arms: list[Arm] = []
    notes: list[str] = []
    for item in _arm_pair(results):
        r = results.result_for(outcome.id, item.id)
        if r is None:
            raise EffectError(f"no result for the arm {item.value('name')!r}")
        n = r.value("n") or item.value("n_analysed") or item.value("n_randomised")
        arm = Arm(str(item.value("name") or ""), r.value("events"), n, r.value("mean"),
                  r.value("sd"))  # fmt: skip
        if ARM_LEVEL[measure] == "means" and arm.mean is None and r.value("median") is not None:
            if not medians:
                raise EffectError(f"{arm.name}: a median only (medians are converted to means "
                                  "only when asked: --medians-to-means wan)")  # fmt: skip
            arm.mean, arm.sd, how = medians_to_mean(
                n, r.value("median"), r.value("q1"), r.value("q3"), r.value("min"),
                r.value("max"), medians,
            )  # fmt: skip
            notes.append(f"{arm.name}: {how}")
        arms.append(arm)
    if ARM_LEVEL[measure] == "counts":
        return from_counts(measure, arms[0], arms[1])
    effect = from_means(measure, arms[0], arms[1])
    effect.notes += notes
    return effect


def _comparison(results: StudyResults, outcome: Item, measure: str) -> Item | None:
    for c in results.comparisons:
        if (
            c.value("outcome") == outcome.id
            and c.value("measure") == measure
            and c.value("estimate") is not None
        ):
            return c
    return None


# the same names the command line and the window offer
def outcome_names(store: Store) -> list[tuple[str, str | None]]:
    """Every (outcome, time point) the review's results name, in first-seen order."""
    seen: dict[tuple[str, str], tuple[str, str | None]] = {}
    for results in result_store.all_results(store):
        for o in results.outcomes:
            name = str(o.value("name") or "").strip()
            tp = o.value("timepoint")
            key = (name.casefold(), str(tp or "").casefold())
            if name and key not in seen:
                seen[key] = (name, tp)
    return list(seen.values())
