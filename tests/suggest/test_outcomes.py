"""Follow-up, response, survival, hazard ratios and grade ≥3 adverse events in many phrasings."""

from __future__ import annotations

import pytest

from tests.suggest.helpers import suggestions, value, values


@pytest.mark.parametrize(
    ("body", "months"),
    [
        ("After a median follow-up of 3.2 years, 40 patients had died.", 38.4),
        ("At a median follow-up of 24 months, the trial was stopped.", 24.0),
        ("With a median follow-up time of 60 weeks, responses were durable.", 13.8),
        ("Patients were followed up for a median of 18.5 months.", 18.5),
        ("The median duration of follow-up was 41 months (range, 3-70).", 41.0),
        ("Median follow-up, 36.4 mo.", 36.4),
    ],
)
def test_follow_up_in_months(body, months):
    assert value(body, "follow_up_months") == pytest.approx(months, abs=0.05)


def test_a_follow_up_period_is_not_a_median_follow_up():
    assert (
        value("We performed a study covering a 28-year follow-up period.", "follow_up_months")
        is None
    )


@pytest.mark.parametrize(
    ("body", "rates"),
    [
        ("ORR was 45% vs 30% (P = .01).", [45, 30]),
        ("The overall response rate (ORR) was 62%.", [62]),
        (
            "The objective response rates were 48% and 35% in the A and B arms, respectively.",
            [48, 35],
        ),
        ("The overall response and complete response rates were 70 and 30%, respectively.", [70]),
        ("In all, 45% of patients achieved an overall response.", [45]),
        ("A partial response or better was observed in 26% of patients.", [26]),
        ("Overall response rate was 56% and 25 patients (50%) achieved complete remission.", [56]),
        ("ORRs were 61% and 44% with and without rituximab.", [61, 44]),
    ],
)
def test_response_rates(body, rates):
    assert values(body, "response_rate_pct") == pytest.approx(rates)


@pytest.mark.parametrize(
    "body",
    [
        "The complete response rate was 20%.",
        "Minimal residual disease negativity was reached in 31% of patients.",
    ],
)
def test_narrower_responses_are_not_the_overall_rate(body):
    assert values(body, "response_rate_pct") == []


@pytest.mark.parametrize(
    ("body", "field", "months"),
    [
        (
            "Median progression-free survival was 11.2 months in the combination group and "
            "7.4 months in the control group.",
            "median_pfs_months",
            [11.2, 7.4],
        ),
        (
            "The median PFS of 8.1 vs 5.6 months favoured the triplet.",
            "median_pfs_months",
            [8.1, 5.6],
        ),
        ("The median overall survival was 2.5 years.", "median_os_months", [30.0]),
        ("Median OS was 21 months and 1-year OS rate 65%.", "median_os_months", [21.0]),
        ("PFS was a median of 14 months.", "median_pfs_months", [14.0]),
        ("The mPFS was 9.1 months and the mOS 20.4 months.", "median_pfs_months", [9.1]),
    ],
)
def test_median_survival(body, field, months):
    assert values(body, field) == pytest.approx(months)


@pytest.mark.parametrize(
    "body",
    [
        "Median OS was not reached.",
        "The 2-year overall survival rate was 65%.",
        "The median time to progression was 4 months.",
        "Patients refractory to all three classes have a median survival of six months.",
    ],
)
def test_no_median_survival_where_none_is_reported(body):
    assert values(body, "median_os_months") == []
    assert values(body, "median_pfs_months") == []


def test_hazard_ratio_keeps_its_interval_and_p_value():
    (s,) = suggestions(
        "Progression was delayed (HR 0.62; 95% CI 0.48-0.80; P<.001).", "hazard_ratio"
    )
    assert s.value == [0.62]
    assert s.detail == {"ci_level": 95.0, "ci_low": 0.48, "ci_high": 0.8, "p_value": "<.001"}


@pytest.mark.parametrize(
    ("body", "ratios"),
    [
        ("(hazard ratio for death, 0.71; 95% confidence interval, 0.55 to 0.92; P=0.01)", [0.71]),
        ("Survival analysis favoured group B: HR = 1.36, 95% CI = [1.11-1.67].", [1.36]),
        (
            "The hazard ratio for progression was 0.45 and the HR for death was 0.60 (95% CI, 0.4-0.9).",
            [0.45, 0.6],
        ),
        ("Risk of death was lower with the triplet (HR = 0.48 (0.30-0.77)).", [0.48]),
        ("Progression was less frequent (hazard ratio [HR], 0.65; P=.002).", [0.65]),
    ],
)
def test_hazard_ratios(body, ratios):
    assert values(body, "hazard_ratio") == pytest.approx(ratios)


def test_a_heart_rate_is_not_a_hazard_ratio():
    assert values("Mean heart rate (HR) 72 beats per minute at rest.", "hazard_ratio") == []


@pytest.mark.parametrize(
    ("body", "rates"),
    [
        ("Grade ≥3 adverse events occurred in 12% of patients.", [12]),
        (
            "Grade 3 or 4 adverse events were reported in 56% and 48% of patients, respectively.",
            [56, 48],
        ),
        ("20 patients (40%) experienced grade 3-4 adverse events, mostly neutropenia.", [40]),
        ("Grade 3 or higher AEs occurred in 33% of patients.", [33]),
        ("The incidence of grade ≥3 treatment-emergent adverse events was 61%.", [61]),
        ("Grade 3-4 TRAEs occurred in 18% of patients.", [18]),
    ],
)
def test_grade_3_adverse_events(body, rates):
    assert values(body, "grade3_ae_pct") == pytest.approx(rates)


@pytest.mark.parametrize(
    "body",
    [
        "Grade ≥3 hematologic adverse events occurred in 30% of patients.",
        "Grade 3 neutropenia occurred in 25% of patients.",
        "AEs ≥ grade 3 that occurred in ≥ 5% of patients were included in the model.",
        "Febrile neutropenia was the only grade ≥3 non-hematologic adverse event in >10% of patients.",
        "Serious adverse events occurred in 28% of patients.",
    ],
)
def test_no_grade_3_rate_for_narrower_or_threshold_figures(body):
    assert values(body, "grade3_ae_pct") == []


def test_an_overview_gets_no_outcome_figures():
    body = (
        "In this review we summarize the evidence. Daratumumab induces partial response or "
        "better in approximately 30% of heavily pretreated patients. The median PFS was 9 months."
    )
    assert values(body, "median_pfs_months", title="Anti-CD38 antibodies: a review") == []
    assert values(body, "response_rate_pct", title="Anti-CD38 antibodies: a review") == []
