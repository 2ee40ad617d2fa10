"""Bibliographic fields found in the text, registration ids, DOIs and funders."""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord
from reviewer.suggest import suggest
from tests.suggest.helpers import suggestions, value, values


def _fields(record: ParsedRecord) -> dict:
    return {s.field: s for s in suggest(record)}


def test_parsed_metadata_is_quoted_where_the_text_prints_it():
    text = (
        "Chari A, Vogl DT, Gavriatopoulou M, et al.\n"
        "Oral Selinexor-Dexamethasone for Triple-Class Refractory Multiple Myeloma.\n"
        "N Engl J Med. 2019; 381(8):727-738 [PubMed] Related Publications\n"
        "BACKGROUND: Selinexor is an oral inhibitor of nuclear export."
    )
    record = ParsedRecord(
        title="Oral Selinexor-Dexamethasone for Triple-Class Refractory Multiple Myeloma.",
        authors=["Chari A", "Vogl DT", "Gavriatopoulou M"],
        journal="N Engl J Med",
        year=2019,
        text=text,
    )
    found = _fields(record)
    assert found["title"].value == (
        "Oral Selinexor-Dexamethasone for Triple-Class Refractory Multiple Myeloma"
    )
    assert found["title"].quote.startswith("Oral Selinexor")
    assert found["authors"].value == ["Chari A", "Vogl DT", "Gavriatopoulou M"]
    assert found["authors"].quote == "Chari A, Vogl DT, Gavriatopoulou M"
    assert found["journal"].value == "N Engl J Med"
    assert found["year"].value == 2019
    assert found["year"].start > text.index("N Engl J Med")  # the citation's year, not another
    for s in found.values():
        assert s.quote == text[s.start : s.end]


def test_journal_and_year_read_from_a_web_page():
    text = (
        "February 24, 2021/Cancer/Blood Cancers\n\n"
        "Azacitidine Shows Potential as a Treatment for Multiple Myeloma\n\n"
        "The trial enrolled 42 patients. The full results are published in Seminars in Hematology."
    )
    found = _fields(ParsedRecord(text=text))
    assert found["title"].value == "Azacitidine Shows Potential as a Treatment for Multiple Myeloma"
    assert found["journal"].value == "Seminars in Hematology"
    assert found["year"].value == 2021


def test_metadata_that_is_not_in_the_text_is_not_suggested():
    record = ParsedRecord(title="Another title", journal="Blood", year=2020, text="Unrelated text.")
    assert set(_fields(record)) <= {"year"} or "title" not in _fields(record)


@pytest.mark.parametrize(
    ("body", "ids"),
    [
        ("(Funded by Celgene; ClinicalTrials.gov number, NCT01234567.)", ["NCT01234567"]),
        ("Registered as ISRCTN12345678 and NCT 00011122.", ["ISRCTN12345678", "NCT00011122"]),
        ("EudraCT number 2012-001234-56.", ["EudraCT 2012-001234-56"]),
    ],
)
def test_registration_ids(body, ids):
    assert values(body, "registration_ids") == ids


def test_doi_is_lower_cased_without_its_prefix():
    assert value("Journal of Clinical Oncology. 2019. Doi: 10.1200/JCO.19.01740", "doi") == (
        "10.1200/jco.19.01740"
    )


@pytest.mark.parametrize(
    ("body", "funder"),
    [
        (
            "(Funded by Karyopharm Therapeutics; STORM ClinicalTrials.gov number, NCT02336815.)",
            "Karyopharm Therapeutics",
        ),
        (
            "FUNDING: Novartis and MD Anderson Cancer Center Support Grant.",
            "Novartis and MD Anderson Cancer Center Support Grant",
        ),
        (
            "This study was funded by Janssen Scientific Affairs, which employs two authors.",
            "Janssen Scientific Affairs",
        ),
        (
            "This work was supported by a grant from the National Cancer Institute.",
            "National Cancer Institute",
        ),
        (
            "Funding: This trial was sponsored by Celgene Corporation.",
            "Celgene Corporation",
        ),
    ],
)
def test_funding(body, funder):
    assert value(body, "funding") == funder


@pytest.mark.parametrize(
    "body",
    [
        "This finding is supported by Phase 2 data from an earlier study.",
        "Funding: None.",
        "Funding: The authors received no specific funding for this work.",
        "Advertising on our site helps support our mission.",
    ],
)
def test_no_funding_where_no_funder_is_named(body):
    assert value(body, "funding") is None


def test_a_text_about_something_else_gets_no_clinical_fields():
    body = (
        "We observed the galaxy cluster with the radio telescope for 120 nights. The median "
        "redshift was 0.4 and 45% of the sources were resolved. Funding was not required."
    )
    fields = {s.field for s in suggestions(body, "study_design") + suggestions(body, "sample_size")}
    assert fields == set()
    found = {s.field for s in suggest(ParsedRecord(title="Radio galaxies", text=body))}
    assert found <= {"title"}
