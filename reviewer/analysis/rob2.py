"""Risk of bias 2 (RoB 2): its signalling questions, the algorithms that propose each
domain's judgement and the overall one, and the template fields that hold the answers.

The questions and algorithms are those of the RoB 2 tool for individually randomised,
parallel-group trials, assessing the effect of assignment to intervention (Sterne et
al., BMJ 2019;366:l4898; Higgins et al., RoB 2 guidance, 22 August 2019). Answers are
Y (yes), PY (probably yes), PN (probably no), N (no), NI (no information) and NA (not
applicable). An algorithm proposes; the reviewer decides: each domain has a judgement
field of its own, and the proposal is shown beside it until the reviewer sets it.

Answers are ordinary template fields (``rob2_1_1`` … ``rob2_5_3``, and ``rob2_d1`` …
``rob2_d5`` and ``rob2_overall`` for the judgements), so each answer carries the quote
that supports it, is logged, merged and undone like any value. Selecting words for an
answer never sets the answer: it adds them as its support (``quote_only`` fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer.domain import FieldSpec, FieldType, Template

ANSWERS = ("Y", "PY", "PN", "N", "NI", "NA")
JUDGEMENTS = ("Low", "Some concerns", "High")
GROUP = "risk_of_bias"

YES = {"Y", "PY"}
NO = {"N", "PN"}
NI = {"NI"}


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # "1.1"
    text: str
    applies_if: str = ""  # when the question is asked, in words

    @property
    def field(self) -> str:
        return "rob2_" + self.key.replace(".", "_")


@dataclass(frozen=True, slots=True)
class Domain:
    number: int
    name: str
    short: str
    questions: tuple[Question, ...]

    @property
    def field(self) -> str:
        return f"rob2_d{self.number}"


DOMAINS: tuple[Domain, ...] = (
    Domain(1, "Bias arising from the randomization process", "Randomization", (
        Question("1.1", "Was the allocation sequence random?"),
        Question("1.2", "Was the allocation sequence concealed until participants were "
                        "enrolled and assigned to interventions?"),
        Question("1.3", "Did baseline differences between intervention groups suggest a "
                        "problem with the randomization process?"),
    )),
    Domain(2, "Bias due to deviations from intended interventions", "Deviations", (
        Question("2.1", "Were participants aware of their assigned intervention during the "
                        "trial?"),
        Question("2.2", "Were carers and people delivering the interventions aware of "
                        "participants' assigned intervention during the trial?"),
        Question("2.3", "Were there deviations from the intended intervention that arose "
                        "because of the trial context?", "if Y/PY/NI to 2.1 or 2.2"),
        Question("2.4", "Were these deviations likely to have affected the outcome?",
                 "if Y/PY to 2.3"),
        Question("2.5", "Were these deviations from intended intervention balanced between "
                        "groups?", "if Y/PY/NI to 2.4"),
        Question("2.6", "Was an appropriate analysis used to estimate the effect of "
                        "assignment to intervention?"),
        Question("2.7", "Was there potential for a substantial impact (on the result) of the "
                        "failure to analyse participants in the group to which they were "
                        "randomized?", "if N/PN/NI to 2.6"),
    )),
    Domain(3, "Bias due to missing outcome data", "Missing data", (
        Question("3.1", "Were data for this outcome available for all, or nearly all, "
                        "participants randomized?"),
        Question("3.2", "Is there evidence that the result was not biased by missing outcome "
                        "data?", "if N/PN/NI to 3.1"),
        Question("3.3", "Could missingness in the outcome depend on its true value?",
                 "if N/PN to 3.2"),
        Question("3.4", "Is it likely that missingness in the outcome depended on its true "
                        "value?", "if Y/PY/NI to 3.3"),
    )),
    Domain(4, "Bias in measurement of the outcome", "Measurement", (
        Question("4.1", "Was the method of measuring the outcome inappropriate?"),
        Question("4.2", "Could measurement or ascertainment of the outcome have differed "
                        "between intervention groups?"),
        Question("4.3", "Were outcome assessors aware of the intervention received by study "
                        "participants?", "if N/PN/NI to 4.1 and 4.2"),
        Question("4.4", "Could assessment of the outcome have been influenced by knowledge of "
                        "intervention received?", "if Y/PY/NI to 4.3"),
        Question("4.5", "Is it likely that assessment of the outcome was influenced by "
                        "knowledge of intervention received?", "if Y/PY/NI to 4.4"),
    )),
    Domain(5, "Bias in selection of the reported result", "Selection", (
        Question("5.1", "Were the data that produced this result analysed in accordance with "
                        "a pre-specified analysis plan that was finalized before unblinded "
                        "outcome data were available for analysis?"),
        Question("5.2", "Is the numerical result being assessed likely to have been selected, "
                        "on the basis of the results, from multiple eligible outcome "
                        "measurements (e.g. scales, definitions, time points) within the "
                        "outcome domain?"),
        Question("5.3", "... from multiple eligible analyses of the data?"),
    )),
)  # fmt: skip
OVERALL_FIELD = "rob2_overall"


# -- the algorithms ------------------------------------------------------------------------------


def _a(answers: Mapping[str, str | None], key: str) -> str | None:
    value = answers.get(key)
    return value if value in ANSWERS else None


def domain1(a: Mapping[str, str | None]) -> str | None:
    q1, q2, q3 = _a(a, "1.1"), _a(a, "1.2"), _a(a, "1.3")
    if q2 in NO:
        return "High"
    if q2 in NI:
        if q3 is None:
            return None
        return "High" if q3 in YES else "Some concerns"
    if q2 in YES:
        if q1 is None:
            return None
        if q1 in NO:
            return "Some concerns"
        if q3 is None:
            return None
        return "Some concerns" if q3 in YES else "Low"
    return None


def domain2(a: Mapping[str, str | None]) -> str | None:
    part1 = _domain2_deviations(a)
    part2 = _domain2_analysis(a)
    if part1 is None or part2 is None:
        return "High" if "High" in (part1, part2) else None
    return _worst([part1, part2])


def _domain2_deviations(a: Mapping[str, str | None]) -> str | None:
    q1, q2 = _a(a, "2.1"), _a(a, "2.2")
    if q1 is None or q2 is None:
        return None
    if q1 in NO and q2 in NO:
        return "Low"
    q3 = _a(a, "2.3")
    if q3 in NO:
        return "Low"
    if q3 in NI:
        return "Some concerns"
    if q3 not in YES:
        return None
    q4 = _a(a, "2.4")
    if q4 in NO:
        return "Some concerns"
    if q4 is None or q4 == "NA":
        return None
    q5 = _a(a, "2.5")
    if q5 in YES:
        return "Some concerns"
    return "High" if q5 in NO | NI else None


def _domain2_analysis(a: Mapping[str, str | None]) -> str | None:
    q6 = _a(a, "2.6")
    if q6 in YES:
        return "Low"
    if q6 not in NO | NI:
        return None
    q7 = _a(a, "2.7")
    if q7 in NO:
        return "Some concerns"
    return "High" if q7 in YES | NI else None


def domain3(a: Mapping[str, str | None]) -> str | None:
    q1 = _a(a, "3.1")
    if q1 in YES:
        return "Low"
    if q1 not in NO | NI:
        return None
    q2 = _a(a, "3.2")
    if q2 in YES:
        return "Low"
    if q2 not in NO | NI:
        return None
    q3 = _a(a, "3.3")
    if q3 in NO:
        return "Low"
    if q3 not in YES | NI:
        return None
    q4 = _a(a, "3.4")
    if q4 in NO:
        return "Some concerns"
    return "High" if q4 in YES | NI else None


def domain4(a: Mapping[str, str | None]) -> str | None:
    q1, q2 = _a(a, "4.1"), _a(a, "4.2")
    if q1 in YES or q2 in YES:
        return "High"
    if q1 is None or q2 is None or q1 == "NA" or q2 == "NA":
        return None
    at_best = "Low" if q2 in NO else "Some concerns"  # no information on 4.2 caps it
    q3 = _a(a, "4.3")
    if q3 in NO:
        return at_best
    if q3 not in YES | NI:
        return None
    q4 = _a(a, "4.4")
    if q4 in NO:
        return at_best
    if q4 not in YES | NI:
        return None
    q5 = _a(a, "4.5")
    if q5 in NO:
        return "Some concerns"
    return "High" if q5 in YES | NI else None


def domain5(a: Mapping[str, str | None]) -> str | None:
    q1, q2, q3 = _a(a, "5.1"), _a(a, "5.2"), _a(a, "5.3")
    if q2 in YES or q3 in YES:
        return "High"
    if q2 is None or q3 is None or q2 == "NA" or q3 == "NA":
        return None
    if q2 in NO and q3 in NO:
        if q1 in YES:
            return "Low"
        return "Some concerns" if q1 in NO | NI else None
    return "Some concerns"  # no information on 5.2 or 5.3


ALGORITHMS = {1: domain1, 2: domain2, 3: domain3, 4: domain4, 5: domain5}


def _worst(judgements: list[str]) -> str:
    for j in ("High", "Some concerns"):
        if j in judgements:
            return j
    return "Low"


def overall(domains: list[str | None]) -> str | None:
    """Low if every domain is low, high if any is high, otherwise some concerns (the
    guidance adds: some concerns in several domains may lower confidence enough to judge
    high; that is the reviewer's call, made in the overall judgement field)."""
    if "High" in domains:
        return "High"
    if any(d is None for d in domains):
        return None
    return _worst([d for d in domains if d])


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
