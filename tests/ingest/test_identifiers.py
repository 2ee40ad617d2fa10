"""Identifiers in one spelling: DOIs, PMIDs, PMCIDs and trial registration numbers."""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord
from reviewer.domain.identifiers import (
    find_doi,
    find_trial_ids,
    normalise_doi,
    normalise_identifiers,
    normalise_pmcid,
    normalise_pmid,
    normalise_trial_ids,
)


@pytest.mark.parametrize(
    ("raw", "doi"),
    [
        ("10.1038/S41467-024-46843-2", "10.1038/s41467-024-46843-2"),
        ("https://doi.org/10.1016/J.CRETRES.2023.105752", "10.1016/j.cretres.2023.105752"),
        ("http://dx.doi.org/10.1002/cpp.2398", "10.1002/cpp.2398"),
        ("https://dx.doi.org/10.1002/cpp.2398", "10.1002/cpp.2398"),
        ("doi:10.1016/j.cpr.2005.02.002", "10.1016/j.cpr.2005.02.002"),
        ("DOI: 10.5/Q", "10.5/q"),
        ("10.1136/neurintsurg-2017-013179 [doi]", "10.1136/neurintsurg-2017-013179"),
        ("  10.1/x.  ", "10.1/x"),
        ("10.1089/tmj.2009.0030\n10.1089/tmj.2009.0030", "10.1089/tmj.2009.0030"),
        ("see 10.1023/A:1017379030770 for details", "10.1023/a:1017379030770"),
        ("", ""),
        ("not a doi", ""),
        ("doi:", ""),
    ],
)
def test_normalise_doi(raw, doi):
    assert normalise_doi(raw) == doi


def test_doi_is_idempotent():
    once = normalise_doi("https://doi.org/10.1000/ABC(1)")
    assert normalise_doi(once) == once == "10.1000/abc(1)"


def test_find_doi_in_text():
    assert find_doi("URL: http://dx.doi.org/10.1023/A:1017379030770") == "10.1023/a:1017379030770"
    assert find_doi("no identifier here") == ""


@pytest.mark.parametrize(
    ("raw", "pmid"),
    [
        ("26957754", "26957754"),
        ("PMID: 26957754", "26957754"),
        ("26957754[pmid]", "26957754"),
        ("https://pubmed.ncbi.nlm.nih.gov/31793330", "31793330"),
        ("00123", "123"),
        (12345, "12345"),
        ("", ""),
        (None, ""),
        ("none", ""),
    ],
)
def test_normalise_pmid(raw, pmid):
    assert normalise_pmid(raw) == pmid


@pytest.mark.parametrize(
    ("raw", "pmcid"),
    [
        ("PMC4681498", "PMC4681498"),
        ("Pmc4681498", "PMC4681498"),
        ("PMC4756000[pmcid]", "PMC4756000"),
        ("4681498", "PMC4681498"),
        ("PMC 123", "PMC123"),
        ("pmc_id1", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_pmcid(raw, pmcid):
    assert normalise_pmcid(raw) == pmcid


def test_trial_ids_of_each_registry_in_canonical_form():
    text = (
        "Registered at ClinicalTrials.gov (NCT01234567) and ISRCTN 12345678; EudraCT number: "
        "2004-000446-20. Also ChiCTR-IOR-17012345, JPRN-UMIN000012345, CTRI/2018/05/013859, "
        "DRKS00012345, ACTRN12615000001594, NTR1234, RBR-2xyz8k, PACTR201601001234567, "
        "IRCT2015030721352N1, KCT0001234, TCTR20180101001, SLCTR/2018/001, "
        "EUCTR2004-000446-20-GB and ChiCTR2000029953."
    )
    assert find_trial_ids(text) == [
        "NCT01234567",
        "ISRCTN12345678",
        "2004-000446-20",
        "ChiCTR-IOR-17012345",
        "JPRN-UMIN000012345",
        "CTRI/2018/05/013859",
        "DRKS00012345",
        "ACTRN12615000001594",
        "NTR1234",
        "RBR-2xyz8k",
        "PACTR201601001234567",
        "IRCT2015030721352N1",
        "KCT0001234",
        "TCTR20180101001",
        "SLCTR/2018/001",
        "EUCTR2004-000446-20-GB",
        "ChiCTR2000029953",
    ]


def test_trial_ids_are_not_invented():
    # a bare date-like number is an EudraCT id only where the register is named
    assert find_trial_ids("Between 2004-000446-20 and then, SNCT012345678 or NCT0123") == []
    assert find_trial_ids("") == []
    assert find_trial_ids("nct01234567 in lower case is not how registries write it") == []


def test_trial_ids_once_each_in_order():
    assert find_trial_ids("NCT00000002 then NCT00000001, again NCT00000002") == [
        "NCT00000002",
        "NCT00000001",
    ]


def test_registry_fields_in_canonical_form():
    assert normalise_trial_ids(
        ["ClinicalTrials.gov/NCT00000000", "EudraCT/2004-000446-20", "ISRCTN/ISRCTN12345678"]
    ) == ["NCT00000000", "2004-000446-20", "ISRCTN12345678"]
    assert normalise_trial_ids(["GENBANK/AB123456"]) == []


def test_normalise_identifiers_fills_every_id():
    rec = ParsedRecord(
        title="A trial (NCT01234567)",
        abstract="Registered with ISRCTN12345678.",
        doi="https://doi.org/10.1/ABC",
        pmid="PMID: 0042",
        pmcid="pmc99",
        trial_ids=["ClinicalTrials.gov/NCT07654321"],
    )
    assert normalise_identifiers(rec) is rec
    assert (rec.doi, rec.pmid, rec.pmcid) == ("10.1/abc", "42", "PMC99")
    assert rec.trial_ids == ["NCT07654321", "NCT01234567", "ISRCTN12345678"]
