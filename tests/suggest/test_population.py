"""Sample size, age and condition, from sentences written the ways abstracts write them."""

from __future__ import annotations

import pytest

from tests.suggest.helpers import value


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("A total of 1,024 patients were randomized to receive drug A or placebo.", 1024),
        ("We enrolled 120 adults with relapsed myeloma at 14 centres.", 120),
        ("Overall, 87 participants were included in the analysis.", 87),
        ("The study included 45 consecutive patients treated at two centres.", 45),
        ("Patients (n = 210) were randomly assigned to two dose levels.", 210),
        ("Three hundred and twelve patients were enrolled between 2015 and 2018.", 312),
        ("We retrospectively reviewed the records of 96 patients with AL amyloidosis.", 96),
        ("In all, 300 patients were screened and 250 patients were randomized.", 250),
        ("A total of 200 patients were enrolled. Forty patients discontinued treatment.", 200),
        ("Here we analyze samples from 795 newly-diagnosed patients in a registry.", 795),
        ("Three hundred patients with newly diagnosed AML were enrolled at 20 sites.", 300),
        ("Of the 120 enrolled patients, 80 responded to treatment.", 120),
        (
            "In a two-year trial, we studied the effect of 10 mg of drug A or placebo on bone "
            "density in 241 men (age, 31 to 87 years; mean, 63).",
            241,
        ),
        ("This trial evaluated the safety of drug B in 91 patients with active arthritis.", 91),
    ],
)
def test_sample_size(body, expected):
    assert value(body, "sample_size") == expected


@pytest.mark.parametrize(
    "body",
    [
        "A sample size of 150 patients was required to give the trial 80% power.",
        "Of these, 40 patients achieved a complete response and 12 patients died.",
        "Response was seen in 24.2% of the patients.",
        "Seven patients were enrolled into the run-in cohort.",
    ],
)
def test_no_sample_size_from_subgroups_or_calculations(body):
    assert value(body, "sample_size") is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The median age was 67 years (range, 45-88).", 67.0),
        ("Median age at diagnosis was 71 years.", 71.0),
        ("Patients had a mean age of 58.4 ± 9.2 years.", 58.4),
        ("Sixty patients (median age, 64 years) were enrolled.", 64.0),
        ("Patients were aged a median of 62 years.", 62.0),
        ("We studied 241 men (age, 31 to 87 years; mean, 63) with osteoporosis.", 63.0),
    ],
)
def test_age(body, expected):
    assert value(body, "age") == pytest.approx(expected)


def test_eligibility_limits_are_not_ages():
    assert value("Patients aged 18 years or older were eligible for the trial.", "age") is None


def test_case_report_patient_is_the_sample_and_the_age():
    body = "We report a 45-year-old woman with refractory myeloma who responded to treatment."
    assert value(body, "study_design", title="A rare presentation: a case report") == "case_report"
    assert value(body, "sample_size", title="A rare presentation: a case report") == 1
    assert value(body, "age", title="A rare presentation: a case report") == 45.0


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Carfilzomib in relapsed or refractory multiple myeloma",
            "Patients received carfilzomib.",
            "relapsed or refractory multiple myeloma",
        ),
        (
            "Outcomes of DLBCL in the elderly",
            "Diffuse large B-cell lymphoma (DLBCL) is the commonest lymphoma.",
            "diffuse large B-cell lymphoma",
        ),
        (
            "Azacitidine for myelodysplastic syndrome, acute myeloid leukemia and CMML",
            "Chronic myelomonocytic leukemia (CMML) is rare. We report outcomes.",
            "myelodysplastic syndrome, acute myeloid leukemia and chronic myelomonocytic leukemia",
        ),
        (
            "Ruxolitinib in Polycythemia Vera",
            "Patients received ruxolitinib.",
            "polycythemia vera",
        ),
    ],
)
def test_condition(title, body, expected):
    got = value(body, "condition", title=title)
    assert got is not None
    assert got.lower() == expected.lower()


def test_undefined_abbreviation_is_not_a_condition():
    # "ALL" in capitals is not acute lymphoblastic leukaemia unless the text says so
    body = "ALL PATIENTS GAVE CONSENT. Blood pressure was measured twice."
    assert value(body, "condition", title="Blood pressure in clinic") is None


def test_no_condition_without_a_disease():
    assert value("We measured blood pressure in 40 volunteers.", "condition") is None
