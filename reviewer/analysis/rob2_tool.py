"""The RoB 2 tool as published: its signalling questions and the algorithms that propose
each domain's judgement and the overall one.

The questions and algorithms are those of the RoB 2 tool for individually randomised,
parallel-group trials, assessing the effect of assignment to intervention (Sterne et
al., BMJ 2019;366:l4898; Higgins et al., RoB 2 guidance, 22 August 2019). Answers are
Y (yes), PY (probably yes), PN (probably no), N (no), NI (no information) and NA (not
applicable). This is the tool's own content, fixed by its authors and tested answer by
answer; :mod:`reviewer.analysis.rob2` turns it into template fields, reads a record's
answers and draws the plot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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
