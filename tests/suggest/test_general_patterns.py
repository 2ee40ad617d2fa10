"""Patterns that hold in any specialty: totals from arms, numbers in words, randomisation
however it is said, registry ids of every WHO registry, and no evidence from other studies."""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import compose_text
from reviewer.suggest import suggest
from reviewer.suggest.document import Document
from tests.suggest.helpers import suggestions, value, values


@pytest.mark.parametrize(
    ("body", "n"),
    [
        ("Patients were randomly assigned: 162 patients to the salbutamol group and 164 to "
         "the placebo group.", 326),
        ("Overall, 238 patients randomized to sunitinib, 244 to capecitabine were analysed.", 482),
        ("Ninety-seven patients were enrolled in the study.", 97),
        ("Twelve patients with asthma were enrolled in this open-label study.", 12),
        ("One hundred forty-two patients with 181 aneurysms were followed for 8 years.", 142),
        ("PARTICIPANTS: Ninety-eight patients aged 34 to 81 with knee pain.", 98),
        ("Of 239 eligible children, 216 were randomly assigned to either drug.", 216),
        ("Patients of the adjunctive groups were BGC (n=445), distal catheter (n=238) and guide (n=62) in this "
         "randomized comparison.", 745),
        ("A randomized, controlled trial involving 128 adult patients was done.", 128),
    ],
)  # fmt: skip
def test_sample_size(body, n):
    assert value(body, "sample_size", title="A randomized trial") == n


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Deworming in Kenya: a cluster-randomised trial", "Schools received deworming or not."),
        ("Bed nets in the Gambia", "In this village-randomised trial, villages got bed nets."),
        ("Zinc for diarrhoea", "Children were randomly allocated to zinc or placebo."),
        ("Community health workers", "A stepped-wedge design introduced the programme."),
    ],
)
def test_randomisation_however_it_is_said(title, body):
    assert value(body, "study_design", title=title) == "randomized_controlled_trial"


def test_a_call_for_a_randomised_trial_does_not_make_a_pilot_one():
    body = (
        "Twenty patients took part in weekly yoga classes and pain improved. "
        "These results call for a randomized controlled study."
    )
    assert value(body, "study_design", title="Yoga for back pain") != (
        "randomized_controlled_trial"
    )


def test_a_vaccine_lot_is_no_trial_phase():
    body = "Healthy adults received one dose of the phase III clinical lot of the vaccine."
    assert value(body, "phase", title="Immunogenicity of an influenza vaccine") is None


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("IRCT201012054320N2", "IRCT201012054320N2"),
        ("ChiCTR-TRC-12002345", "ChiCTR-TRC-12002345"),
        ("PACTR201401000743135", "PACTR201401000743135"),
        ("DRKS00012345", "DRKS00012345"),
        ("CTRI/2018/03/012345", "CTRI/2018/03/012345"),
        ("UMIN000012345", "UMIN000012345"),
        ("JPRN-UMIN000012345", "JPRN-UMIN000012345"),
        ("KCT0001234", "KCT0001234"),
        ("NTR1234", "NTR1234"),
        ("ACTRN12612000123456", "ACTRN12612000123456"),
        ("ISRCTN45724312", "ISRCTN45724312"),
        ("ISCRTN45724312", "ISRCTN45724312"),  # a common misprint
        ("EudraCT 2010-012345-12", "EudraCT 2010-012345-12"),
        ("CTIS 2022-500123-12-00", "EU CT 2022-500123-12-00"),
    ],
)
def test_registry_ids(printed, expected):
    body = f"The trial was registered ({printed})."
    assert values(body, "registration_ids") == [expected]


def test_every_hazard_ratio():
    body = (
        "Drug X improved overall survival (HR 0.62, 95% CI 0.50-0.77) and progression-free "
        "survival (HR 0.55, 95% CI 0.45-0.67)."
    )
    assert values(body, "hazard_ratio") == [0.62, 0.55]


@pytest.mark.parametrize(
    "body",
    [
        "Patients (mean ± SD age 74.0 ± 6.1 years) were enrolled.",
        "Age (mean ± SD) was 74.0 ± 5.2 years.",
    ],
)
def test_ages_with_their_spread(body):
    assert value(body, "age") == 74.0


@pytest.mark.parametrize(
    ("body", "rates"),
    [
        ("There were responses in 13 of 28 patients in the drug group (46 percent), as compared "
         "with 5 of 27 in the placebo group (19 percent).", [46, 19]),
        ("The overall response rate was 20/25 (80%).", [80]),
        ("A response proportion of 20.7% (95% confidence interval, 8% to 40%) was seen.", [20.7]),
    ],
)  # fmt: skip
def test_response_shares_without_their_confidence_intervals(body, rates):
    assert values(body, "response_rate_pct") == rates


@pytest.mark.parametrize(
    ("body", "months"),
    [
        ("Volunteers were followed up for 2 years.", 24),
        ("An open-label trial with 6-month follow-up was done.", 6),
        ("Patients were monitored for six months.", 6),
    ],
)
def test_fixed_follow_up_periods(body, months):
    assert value(body, "follow_up_months", title="A randomized trial") == months


_GOUT_TITLE = "Drug A versus drug B in gout: a randomized controlled trial"


def test_the_design_is_quoted_where_the_authors_state_it():
    body = (
        "METHODS: In this multicentre, randomized controlled trial, 200 patients with gout "
        "were assigned to drug A or drug B. RESULTS: Flares were fewer with drug A (P = 0.01)."
    )
    (design,) = suggestions(body, "study_design", _GOUT_TITLE)
    assert design.value == "randomized_controlled_trial"
    assert design.quote.startswith("In this multicentre, randomized controlled trial")


def test_the_title_is_quoted_when_the_statement_is_too_long_to_quote():
    listed = ", ".join(f"site {i}" for i in range(80))
    body = f"METHODS: In this randomized controlled trial at {listed}, 200 patients took part."
    (design,) = suggestions(body, "study_design", _GOUT_TITLE)
    assert design.quote == _GOUT_TITLE


def test_the_lines_under_a_title_are_not_the_abstract():
    record = ParsedRecord(
        title="Fampridine and walking in MS: a randomised trial",
        authors=["Doe, Jane", "Roe, Richard"],
        journal="Multiple Sclerosis",
        year=2015,
        doi="10.1177/1352458515000000",
        abstract="Walking is often impaired in MS. We randomised 132 patients to fampridine "
        "or placebo for 24 weeks.",
    )
    record.text = compose_text(record)
    doc = Document(record)
    assert doc.text[doc.abstract_start :].lstrip().startswith("Walking is often impaired")
    assert {s.section for s in doc.sentences} == {""}  # "DOI: 10..." begins no section
    # the journal's name is no disease of the study (the abstract only ever says "MS")
    assert doc.diseases == []
    assert not [s for s in suggest(record) if s.field == "condition"]
