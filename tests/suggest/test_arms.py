"""Arms of a comparison: what was studied against what, however the specialty words it."""

from __future__ import annotations

import pytest

from tests.suggest.helpers import value, values


@pytest.mark.parametrize(
    ("title", "body", "studied", "control"),
    [
        (
            "Randomized clinical trial of laparoscopic versus open fundoplication",
            "Patients were randomized to open or laparoscopic fundoplication.",
            ["laparoscopic fundoplication"],
            "open fundoplication",
        ),
        (
            "Posterior lamellar versus bilamellar tarsal rotation surgery for trichiasis",
            "Patients were randomly assigned to one of the two operations.",
            ["posterior lamellar tarsal rotation surgery"],
            "bilamellar tarsal rotation surgery",
        ),
        (
            "Phase III randomized trial of sunitinib versus capecitabine in breast cancer",
            "Patients were randomized to sunitinib or capecitabine.",
            ["sunitinib"],
            "capecitabine",
        ),
        (
            "Effect of mitoxantrone on outcome of children with relapsed leukaemia",
            "Patients were randomly allocated to receive either idarubicin or mitoxantrone.",
            ["mitoxantrone"],
            "idarubicin",
        ),
        (
            "Inhaled zanamivir for the prevention of influenza in families",
            "Families were randomly assigned to receive either inhaled zanamivir or placebo.",
            ["zanamivir"],
            "placebo",
        ),
    ],
)
def test_the_studied_arm_and_the_control_arm(title, body, studied, control):
    assert values(body, "interventions", title=title) == studied
    assert value(body, "comparator", title=title) == control


def test_an_add_on_is_compared_with_the_treatment_alone():
    body = (
        "Patients were randomized to abciximab plus reduced-dose alteplase or to alteplase "
        "alone. Those treated with alteplase alone did worse."
    )
    title = "Abciximab improves reperfusion in myocardial infarction: a randomized trial"
    assert value(body, "comparator", title=title) == "alteplase alone"


def test_a_drug_in_both_arms_stays_an_intervention():
    title = (
        "Capecitabine plus irinotecan compared to fluorouracil plus irinotecan: a randomized trial"
    )
    found = values("Patients were randomized.", "interventions", title=title)
    assert "capecitabine" in found and "irinotecan" in found
    assert "fluorouracil" not in found


def test_a_title_naming_only_the_design_is_no_intervention():
    body = "Patients were randomized to the new schedule or to the usual one."
    assert values(body, "interventions", title="A randomized clinical trial") == []
