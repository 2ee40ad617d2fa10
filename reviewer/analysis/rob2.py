"""Risk of bias 2 (RoB 2) in a review: the template fields that hold the answers, each
record's assessment, and the traffic-light plot.

The questions and the algorithms (the tool as published) are in
:mod:`reviewer.analysis.rob2_tool`. An algorithm proposes; the reviewer decides: each
domain has a judgement field of its own, and the proposal is shown beside it until the
reviewer sets it.

Answers are ordinary template fields (``rob2_1_1`` … ``rob2_5_3``, and ``rob2_d1`` …
``rob2_d5`` and ``rob2_overall`` for the judgements), so each answer carries the quote
that supports it, is logged, merged and undone like any value. Selecting words for an
answer never sets the answer: it adds them as its support (``quote_only`` fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer.analysis.rob2_tool import (
    ALGORITHMS,
    ANSWERS,
    DOMAINS,
    GROUP,
    JUDGEMENTS,
    OVERALL_FIELD,
    Domain,
    overall,
)
from reviewer.domain import FieldSpec, FieldType, Template

# the tool's questions and answers, for the panel that asks them
__all__ = [
    "ANSWERS",
    "DOMAINS",
    "GROUP",
    "JUDGEMENTS",
    "OVERALL_FIELD",
    "Assessment",
    "Domain",
    "assess",
    "assessment_json",
    "assessments",
    "fields",
    "has_rob2",
    "save_traffic_light",
    "traffic_light_figure",
    "with_rob2",
]


@dataclass
class Assessment:
    """One study's RoB 2: the answers, each domain's proposal and judgement, overall."""

    record_id: int
    answers: dict[str, str | None]
    proposed: dict[int, str | None]
    judged: dict[int, str | None]  # what the reviewer set
    proposed_overall: str | None
    judged_overall: str | None

    def final(self, domain: int) -> str | None:
        """The reviewer's judgement, or else the algorithm's proposal."""
        return self.judged.get(domain) or self.proposed.get(domain)

    @property
    def final_overall(self) -> str | None:
        return self.judged_overall or self.proposed_overall

    @property
    def started(self) -> bool:
        return any(self.answers.values()) or any(self.judged.values()) or bool(self.judged_overall)


def assess(record_id: int, values: Mapping[str, Any]) -> Assessment:
    """The RoB 2 of one record from its field values (keys as ``fields()`` names them)."""
    answers = {q.key: values.get(q.field) for d in DOMAINS for q in d.questions}
    proposed = {d.number: ALGORITHMS[d.number](answers) for d in DOMAINS}
    judged = {d.number: values.get(d.field) for d in DOMAINS}
    finals = [judged[n] or proposed[n] for n in proposed]
    return Assessment(
        record_id,
        answers,
        proposed,
        judged,
        overall(finals),
        values.get(OVERALL_FIELD),
    )


# -- the template ---------------------------------------------------------------------------------


def fields() -> list[FieldSpec]:
    """The RoB 2 fields: per domain its questions, then its judgement; then overall."""
    out: list[FieldSpec] = []
    for d in DOMAINS:
        for q in d.questions:
            out.append(
                FieldSpec(
                    key=q.field,
                    label=f"RoB {q.key}",
                    type=FieldType.CHOICE,
                    choices=list(ANSWERS),
                    help=q.text + (f" ({q.applies_if})" if q.applies_if else ""),
                    group=GROUP,
                    quote_only=True,
                )
            )
        out.append(
            FieldSpec(
                key=d.field,
                label=f"RoB D{d.number} {d.short}",
                type=FieldType.CHOICE,
                choices=list(JUDGEMENTS),
                help=f"Judgement: {d.name}",
                group=GROUP,
                quote_only=True,
            )
        )
    out.append(
        FieldSpec(
            key=OVERALL_FIELD,
            label="RoB overall",
            type=FieldType.CHOICE,
            choices=list(JUDGEMENTS),
            help="Overall risk of bias (RoB 2)",
            group=GROUP,
            quote_only=True,
        )
    )
    return out


def with_rob2(template: Template) -> Template:
    """``template`` with the RoB 2 fields added at its end (those it has are kept)."""
    have = set(template.keys)
    extra = [f for f in fields() if f.key not in have]
    return template.model_copy(update={"fields": [*template.fields, *extra]})


def has_rob2(template: Template) -> bool:
    return OVERALL_FIELD in template.keys


# -- every record's assessment, and the traffic-light plot -----------------------------------------


def assessments(store: Any, record_ids: list[int] | None = None) -> list[Assessment]:
    """The RoB 2 of every record that has any of it (or of ``record_ids``), in record order."""
    from reviewer.store.results import field_values_by_prefix

    by_record = field_values_by_prefix(store, "rob2_")
    ids = sorted(by_record) if record_ids is None else record_ids
    out = [assess(rid, by_record.get(rid, {})) for rid in ids]
    return [x for x in out if x.started]


def assessment_json(x: Assessment) -> dict[str, Any]:
    return {
        "record_id": x.record_id,
        "answers": x.answers,
        "domains": {
            f"D{n}": {"proposed": x.proposed[n], "judged": x.judged[n], "final": x.final(n)}
            for n in x.proposed
        },
        "overall": {
            "proposed": x.proposed_overall,
            "judged": x.judged_overall,
            "final": x.final_overall,
        },
    }


COLOURS = {"Low": "#02C100", "Some concerns": "#E2DF07", "High": "#BF0000", None: "#BBBBBB"}
SYMBOLS = {"Low": "+", "Some concerns": "-", "High": "X", None: "?"}


def traffic_light_figure(labels: list[str], rows: list[Assessment]) -> Any:
    """The robvis-style traffic-light plot: a row per study, a column per domain and
    overall, each judgement a coloured disc with its symbol; domains and key below.
    Drawn in inches (one data unit is an inch), so the discs stay round."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    n = max(1, len(rows))
    cols = [*(f"D{d.number}" for d in DOMAINS), "Overall"]
    step, row = 0.55, 0.5
    label_w = max([len(s) for s in labels] + [8]) * 0.085 + 0.35
    xs = [label_w + 0.3 + j * step + (0.25 if c == "Overall" else 0) for j, c in enumerate(cols)]
    width = max(xs[-1] + 0.6, 6.8)
    legend_h = 1.6
    grid_h = 0.95 + n * row
    height = grid_h + legend_h
    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0, legend_h / height, 1, grid_h / height))
    ax.set_xlim(0, width)
    ax.set_ylim(n * row + 0.05, -0.9)
    ax.axis("off")
    ax.text((xs[0] + xs[4]) / 2, -0.68, "Risk of bias domains", ha="center", va="center",
            fontsize=10, fontweight="bold")  # fmt: skip
    for c, x in zip(cols, xs, strict=True):
        ax.text(x, -0.3, c, ha="center", va="center", fontsize=9, fontweight="bold")
    ax.text(0.15, -0.3, "Study", ha="left", va="center", fontsize=9, fontweight="bold")
    ax.plot([0.1, xs[-1] + 0.3], [-0.05, -0.05], color="#999999", lw=0.6)
    for i, (label, x) in enumerate(zip(labels, rows, strict=True)):
        y = 0.25 + i * row
        ax.text(0.15, y, label, ha="left", va="center", fontsize=9)
        judgements = [x.final(d.number) for d in DOMAINS] + [x.final_overall]
        for cx, jd in zip(xs, judgements, strict=True):
            ax.add_patch(Circle((cx, y), 0.19, color=COLOURS[jd], lw=0))
            ax.text(cx, y, SYMBOLS[jd], ha="center", va="center", fontsize=10.5,
                    fontweight="bold", color="black" if jd == "Some concerns" else "white")  # fmt: skip
    lines = [f"D{d.number}: {d.name}." for d in DOMAINS]
    fig.text(0.15 / width, (legend_h - 0.1) / height, "Domains:\n" + "\n".join(lines),
             ha="left", va="top", fontsize=7.5, linespacing=1.35)  # fmt: skip
    kx = (width - 1.75) / width
    fig.text(kx, (legend_h - 0.1) / height, "Judgement", ha="left", va="top", fontsize=8,
             fontweight="bold")  # fmt: skip
    for k, jd in enumerate(("High", "Some concerns", "Low", None)):
        yy = (legend_h - 0.42 - k * 0.25) / height
        fig.text(kx + 0.01 / width, yy, f" {SYMBOLS[jd]} ", ha="left", va="center",
                 fontsize=7.5, fontweight="bold",
                 color="white" if jd != "Some concerns" else "black",
                 bbox={"boxstyle": "circle,pad=0.15", "fc": COLOURS[jd], "lw": 0})  # fmt: skip
        fig.text(kx + 0.32 / width, yy, jd or "Not assessed", ha="left", va="center",
                 fontsize=8)  # fmt: skip
    fig.text(0.15 / width, 0.06 / height, "Judgements set by the reviewers; where a domain "
             "was not judged, the RoB 2 algorithm's proposal.", fontsize=6.5, color="#555555")  # fmt: skip
    return fig


def save_traffic_light(store: Any, rows: list[Assessment], path: Any) -> Any:
    from reviewer.analysis.dataset import study_labels
    from reviewer.analysis.forest import save_figure

    if not rows:
        raise ValueError("no record has a RoB 2 assessment yet")
    labels = study_labels(store, [x.record_id for x in rows])
    fig = traffic_light_figure([labels[x.record_id] for x in rows], rows)
    return save_figure(fig, path)
