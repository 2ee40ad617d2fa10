"""Study design, phase, interventions and comparator."""

from __future__ import annotations

import pytest

from tests.suggest.helpers import value, values


@pytest.mark.parametrize(
    ("title", "body", "design"),
    [
        (
            "Drug A in myeloma",
            "In this multicentre, double-blind trial, 300 patients were randomly assigned in a "
            "1:1 ratio to drug A or placebo. The primary end point was progression-free survival.",
            "randomized_controlled_trial",
        ),
        (
            "Drug B in lymphoma",
            "In this single-arm, open-label phase 2 study, 60 patients received drug B. The primary "
            "end point was the overall response rate.",
            "non_randomized_trial",
        ),
        (
            "Outcomes of myeloma in the elderly",
            "A previous randomized trial showed a benefit of induction. We retrospectively analyzed "
            "312 patients treated at our institution between 2010 and 2018.",
            "cohort",
        ),
        (
            "Maintenance lenalidomide: a systematic review and meta-analysis",
            "We searched MEDLINE, Embase and CENTRAL for randomised trials. Nine trials were pooled.",
            "systematic_review",
        ),
        (
            "Current treatment of follicular lymphoma",
            "In this review, we summarize recent advances in the management of follicular lymphoma "
            "and discuss open questions.",
            "narrative_review",
        ),
        (
            "Cost-effectiveness of daratumumab in newly diagnosed myeloma",
            "A Markov model estimated lifetime costs and QALYs from the payer perspective.",
            "economic_evaluation",
        ),
        (
            "Targeting CK1α in myeloma models",
            "In xenograft mouse models and myeloma cell lines, lenalidomide induced apoptosis.",
            "preclinical",
        ),
    ],
)
def test_study_design(title, body, design):
    assert value(body, "study_design", title=title) == design


@pytest.mark.parametrize(
    ("body", "phase"),
    [
        ("In this single-arm phase Ib/II study, patients received drug C.", "I/II"),
        ("This open-label, single-arm Phase 2 trial enrolled 40 patients.", "II"),
        (
            "In the randomised phase 3 ENDEAVOR trial, patients were randomly assigned to two arms.",
            "III",
        ),
        ("This phase 2/3 trial enrolled patients with myeloma.", None),
    ],
)
def test_phase(body, phase):
    assert value(body, "phase") == phase


def test_a_cited_phase_is_not_this_studys_phase():
    body = (
        "A previous phase 3 trial established the regimen. We retrospectively reviewed 80 "
        "patients treated outside trials."
    )
    assert value(body, "phase") is None


@pytest.mark.parametrize(
    ("body", "drugs"),
    [
        ("Patients received Revlimid plus dexamethasone.", ["lenalidomide", "dexamethasone"]),
        (
            "Lenalidomide (Len) was combined with dexamethasone; Len was given on days 1-21.",
            ["lenalidomide", "dexamethasone"],
        ),
        (
            "Patients were treated with VRd induction.",
            ["bortezomib", "lenalidomide", "dexamethasone"],
        ),
        (
            "Patients previously treated with bortezomib received pomalidomide and dexamethasone.",
            ["pomalidomide", "dexamethasone"],
        ),
        (
            "Patients with lenalidomide-refractory disease were treated with daratumumab.",
            ["daratumumab"],
        ),
        (
            "We administered oral selinexor plus dexamethasone to patients who had previous "
            "exposure to bortezomib, carfilzomib and pomalidomide.",
            ["selinexor", "dexamethasone"],
        ),
        (
            "Patients received azacitidine and up to three donor lymphocyte infusions (DLI).",
            ["azacitidine", "donor lymphocyte infusion"],
        ),
    ],
)
def test_interventions(body, drugs):
    assert values(body, "interventions") == drugs


def test_drugs_in_background_and_future_plans_are_not_interventions():
    body = (
        "BACKGROUND: Lenalidomide plus dexamethasone is a standard of care. "
        "METHODS: Patients were treated with ixazomib. "
        "CONCLUSIONS: An ongoing study is evaluating ixazomib in combination with daratumumab."
    )
    assert values(body, "interventions") == ["ixazomib"]


def test_a_review_takes_its_interventions_from_the_title_only():
    body = (
        "This review summarizes the clinical data on ixazomib, which is approved in combination "
        "with lenalidomide and dexamethasone. Patients were treated with ibrutinib in other trials."
    )
    assert values(
        body, "interventions", title="Ixazomib for the treatment of multiple myeloma"
    ) == ["ixazomib"]


def test_an_undefined_abbreviation_is_not_a_drug():
    # "BV" is bacterial vaginosis here, not brentuximab vedotin; the antibiotics are drugs
    body = "Women with BV were treated with metronidazole or clindamycin in this randomized trial."
    found = values(body, "interventions")
    assert "brentuximab vedotin" not in found
    assert "metronidazole" in found


@pytest.mark.parametrize(
    ("body", "comparator"),
    [
        (
            "We randomly assigned 500 patients to receive daratumumab plus bortezomib and "
            "dexamethasone or bortezomib and dexamethasone alone (control group).",
            "bortezomib and dexamethasone alone",
        ),
        (
            "Patients were randomly assigned to lenalidomide maintenance versus placebo.",
            "placebo",
        ),
        (
            "In this randomized trial, lenalidomide was compared with observation in smoldering "
            "myeloma.",
            "observation",
        ),
    ],
)
def test_comparator(body, comparator):
    assert value(body, "comparator") == comparator


def test_no_comparator_outside_randomised_trials():
    body = "We retrospectively compared 40 patients treated with drug A versus drug B alone."
    assert value(body, "comparator") is None
