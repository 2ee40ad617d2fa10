"""The demo review built from seeds/: 34 records, titles as printed, gold quotes findable.

The expected titles below were read off the seed files, not produced by the parsers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reviewer.domain import Record
from reviewer.ingest.encoding import read_text
from reviewer.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "gold" / "dev.jsonl"
BIBLIOGRAPHY = "001_7ff505f9225cc72e.txt"

BIBLIOGRAPHY_TITLES = [
    "Oral Selinexor-Dexamethasone for Triple-Class Refractory Multiple Myeloma.",
    "Multiple myeloma with onset of pancreas involvement: A case report.",
    "Randomized phase III study (ADMYRE) of plitidepsin in combination with dexamethasone vs. "
    "dexamethasone alone in patients with relapsed/refractory multiple myeloma.",
    "Daratumumab plus Lenalidomide and Dexamethasone for Untreated Myeloma.",
    "Multiple myeloma immunoglobulin lambda translocations portend poor prognosis.",
    "Multiple myeloma in elderly patients-a Portuguese multicentric real-life study.",
    "Recent landmark studies in follicular lymphoma.",
    "A U.S. Cost Analysis of Triplet Regimens for Patients with Previously Treated Multiple "
    "Myeloma.",
    "Evaluation of regulatory T cells (Tregs) alterations in patients with multiple myeloma "
    "treated with bortezomib or lenalidomide plus dexamethasone: correlations with treatment "
    "outcome.",
    "Pomalidomide, cyclophosphamide, and dexamethasone for relapsed/refractory multiple myeloma "
    "patients in a real-life setting: a single-center retrospective study.",
    "Hyaluronic acid tethered pH-responsive alloy-drug nanoconjugates for multimodal therapy of "
    "glioblastoma: An intranasal route approach.",
    "Successful experience of treatment of a patient with generalized non-GCB- DLBCL using the "
    "R-mNHL-BFM-90 protocol with lenalidomide: case report and review of literature.",
    "Is lenalidomide the standard-of-care after an autotransplant for plasma cell myeloma?",
    "Efficacy of lenalidomide as salvage therapy for patients with AL amyloidosis.",
    "Development of new agents for peripheral T-cell lymphoma.",
    "Lenalidomide and Low Dose Dexamethasone Plus Elotuzumab or Carfilzomib for Relapsed or "
    "Refractory Multiple Myeloma: A Comparison of Progression-Free Survival with Reconstructed "
    "Individual Participant Data.",
    "Lenalidomide for the treatment of mantle cell lymphoma.",
    "Novel EZH2 mutation in a patient with secondary B-cell acute lymphocytic leukemia after "
    "deletion 5q myelodysplastic syndrome treated with lenalidomide: A case report.",
    "A case of AITL complicated by EBV-positive B cell and monoclonal plasma cell proliferation "
    "and effectively treated with lenalidomide.",
    "Dual inhibition of MDM2 and MDM4 in virus-positive Merkel cell carcinoma enhances the p53 "
    "response.",
    "Adult T-Cell Leukemia-Lymphoma.",
    "Multiple myeloma with crystal-storing histiocytosis, crystalline podocytopathy, and light "
    "chain proximal tubulopathy, revealed by retinal abnormalities: A case report.",
    "CD38\u00a0targeted treatment for multiple myeloma.",
    "Overall survival of transplant eligible patients with newly diagnosed multiple myeloma: "
    "comparative effectiveness analysis of modern induction regimens on outcome.",
    "Novel immunotherapy approaches to follicular lymphoma.",
    "Bortezomib, lenalidomide, and dexamethasone with panobinostat for front-line treatment of "
    "patients with multiple myeloma who are eligible for transplantation: a phase 1 trial.",
    "Disseminated Cryptococcosis in a Patient with Multiple Myeloma Treated with Daratumumab, "
    "Lenalidomide, and Dexamethasone.",
    "Increasing therapy-related myeloid neoplasms in multiple myeloma.",
    "Ixazomib for the treatment of multiple myeloma.",
    "Successful treatment of central nervous system myeloma manifesting as cauda equina nodules "
    "with intrathecal chemotherapy, lenalidomide and dexamethasone.",
]

ARTICLE_TITLES = {
    "000_9d2db26332e2c487.txt": "Azacitidine Shows Potential as a Treatment for Multiple Myeloma",
    "002_073caf3daf925a44.txt": (
        "Azacitidine, lenalidomide and donor lymphocyte infusions for relapse of "
        "myelodysplastic syndrome, acute myeloid leukemia and chronic myelomonocytic leukemia "
        "after allogeneic transplant : the Azalena-Trial"
    ),
    "003_417edc2a71e64898.txt": (
        "Early Intervention With Lenalidomide May Delay Multiple Myeloma Progression"
    ),
    # The lay summary prints no title (it opens with the heading "In a nutshell"), so its
    # first sentence stands in for one.
    "004_2857197866bfdf74.txt": (
        "This study examined whether multiple myeloma (MM) can become resistant to "
        "lenalidomide (Revlimid) when this drug is used as maintenance therapy (MT) after "
        "bone marrow transplant."
    ),
}


@pytest.fixture(scope="module")
def demo_records(_demo_master: Path) -> list[tuple[str, Record]]:
    """(source file name, record) for every record of the demo review, in import order."""
    store = Store(_demo_master)
    try:
        names = {s.id: s.name for s in store.sources()}
        return [(names[r.source_id], r) for r in store.records()]
    finally:
        store.close()


def _by_file(demo_records: list[tuple[str, Record]], name: str) -> list[Record]:
    return [r for n, r in demo_records if n == name]


def test_demo_review_has_34_records(demo_records):
    assert len(demo_records) == 34
    assert all(r.duplicate_of is None for _, r in demo_records)


def test_bibliography_titles_as_printed(demo_records):
    records = _by_file(demo_records, BIBLIOGRAPHY)
    assert [r.title for r in records] == BIBLIOGRAPHY_TITLES


@pytest.mark.parametrize("name", sorted(ARTICLE_TITLES))
def test_single_article_titles(demo_records, name):
    (record,) = _by_file(demo_records, name)
    assert record.title == ARTICLE_TITLES[name]


def test_bibliography_records_are_verbatim_slices(demo_records):
    source = read_text(SEEDS / BIBLIOGRAPHY)
    records = _by_file(demo_records, BIBLIOGRAPHY)
    ends = []
    for rec in records:
        assert rec.source_start is not None and rec.source_end is not None
        assert source[rec.source_start : rec.source_end] == rec.text
        assert rec.text.startswith(", ".join(rec.authors[:1]))
        ends.append((rec.source_start, rec.source_end))
    assert ends == sorted(ends)
    assert all(a[1] < b[0] for a, b in zip(ends, ends[1:], strict=False))


def test_bibliography_furniture_stays_out(demo_records):
    for rec in _by_file(demo_records, BIBLIOGRAPHY):
        assert "[PubMed]" not in rec.abstract
        assert "Related Publications" not in rec.abstract
        assert "Disclaimer" not in rec.text
        assert "Web Resources" not in rec.text
        assert "Latest Research Publications" not in rec.text


def test_bibliography_citation_fields(demo_records):
    first, *_, last = _by_file(demo_records, BIBLIOGRAPHY)
    assert first.authors == ["Chari A", "Vogl DT", "Gavriatopoulou M"]
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "N Engl J Med", 2019, "381", "8", "727-738",
    )
    assert first.abstract.startswith("BACKGROUND: Selinexor")
    assert first.abstract.endswith("NCT02336815.).")
    assert first.trial_ids == ["NCT02336815"]
    assert last.authors == ["Koo RM", "Crispin P", "Craft M", "Lalloo S"]
    assert (last.journal, last.year, last.volume, last.pages) == ("BMJ Case Rep", 2018, "2018", "")


def test_catalogue_record_metadata(demo_records):
    (rec,) = _by_file(demo_records, "002_073caf3daf925a44.txt")
    assert rec.authors[:2] == ["Schroeder, Thomas", "Stelljes, Matthias"]
    assert len(rec.authors) == 17
    assert (rec.journal, rec.year, rec.volume, rec.issue, rec.pages) == (
        "Haematologica", 2023, "108", "11", "3001-3010",
    )
    assert rec.doi == "10.3324/haematol.2022.282570"
    assert rec.trial_ids == ["NCT02472691"]
    assert rec.abstract.startswith("Azacitidine (Aza) combined with donor lymphocyte")


def test_news_article_metadata_and_furniture(demo_records):
    (rec,) = _by_file(demo_records, "000_9d2db26332e2c487.txt")
    assert rec.year == 2021
    assert rec.journal == "Seminars in Hematology"
    assert "Advertisement" not in rec.text
    assert "Advertising on our site" not in rec.text
    assert "Image: Myeloma tumor cells" not in rec.text
    assert "Related Articles" not in rec.text
    assert "Breast Cancer Vaccine Moves One Step Forward" not in rec.text
    assert rec.text.startswith("February 24, 2021/Cancer/Blood Cancers")
    assert rec.text.endswith("already been treated with daratumumab.")
    kinds = {cut["kind"] for cut in rec.extra["removed"]}
    assert {"advertisement", "image credit", "related list", "navigation"} <= kinds


def test_news_article_keeps_references_and_drops_credits(demo_records):
    (rec,) = _by_file(demo_records, "003_417edc2a71e64898.txt")
    assert "Doi: 10.1200/JCO.19.01740" in rec.text
    assert rec.doi == ""  # a DOI in the reference list is the cited study's
    assert rec.extra["cited_dois"] == ["10.1200/jco.19.01740"]
    assert "Image Credit" not in rec.text
    assert "All rights reserved" not in rec.text


def test_lay_summary_footer(demo_records):
    (rec,) = _by_file(demo_records, "004_2857197866bfdf74.txt")
    assert rec.journal == "European Journal of Haematology"
    assert rec.year == 2021


def test_removed_ranges_point_at_the_source(demo_records):
    for name in ARTICLE_TITLES:
        (rec,) = _by_file(demo_records, name)
        source = read_text(SEEDS / name)
        kept, pos = [], 0
        for cut in rec.extra.get("removed", []):
            kept.append(source[pos : cut["start"]])
            pos = cut["end"]
        kept.append(source[pos:])
        assert "".join(kept) == rec.text


def _gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


def _key(title: str) -> str:
    return re.sub(r"[^0-9a-z]", "", title.lower())


def _gold_record(demo_records, key: str) -> Record:
    name, _, title = key.partition("#")
    records = _by_file(demo_records, name)
    if title:
        records = [r for r in records if _key(r.title) == _key(title)]
    assert len(records) == 1, key
    return records[0]


def test_every_gold_quote_is_in_the_stored_text(demo_records):
    for entry in _gold():
        rec = _gold_record(demo_records, entry["record"])
        for field, gold in entry["fields"].items():
            assert gold["quote"] in rec.text, (entry["record"], field, gold["quote"])


def test_gold_bibliographic_fields(demo_records):
    for entry in _gold():
        rec = _gold_record(demo_records, entry["record"])
        fields = entry["fields"]
        if "title" in fields:
            assert _key(rec.title) == _key(fields["title"]["value"])
        if "authors" in fields:
            assert rec.authors == fields["authors"]["value"]
        if "journal" in fields:
            assert rec.journal == fields["journal"]["value"]
        if "year" in fields:
            assert rec.year == fields["year"]["value"]
        if "doi" in fields:
            assert rec.doi == fields["doi"]["value"]
