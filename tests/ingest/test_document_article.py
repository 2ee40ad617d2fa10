"""Plain-text and Markdown articles: metadata the text states, web furniture set aside.

The seed pages are covered in test_seeds.py; the texts here are written to check that
each rule is general (a dateline, a byline, a catalogue record, a footer, a Markdown
heading), not fitted to a seed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.formats import plain, statements

DATA = Path(__file__).resolve().parents[1] / "data" / "documents"


def _one(text: str, name: str = "page.txt") -> ParsedRecord:
    (rec,) = list(plain.parse(io.StringIO(text), Path(name)))
    assert isinstance(rec, ParsedRecord)
    return rec


def _removed(rec: ParsedRecord, source: str) -> list[tuple[str, str]]:
    return [(c["kind"], source[c["start"] : c["end"]].strip()) for c in rec.extra["removed"]]


NEWS = """Menu
Search
Home > News > Oncology
12 March 2023

New Drug Combination Slows Myeloma in Older Adults

By Maria Rossi and Tom Baker, PhD

A phase 3 trial of 300 patients found that the combination delayed progression.

ADVERTISEMENT

Median progression-free survival was 30 months with the combination.

Photo: Patients in a clinic. Getty Images

The findings appear in The Lancet Haematology, the authors said.

You may also like
Another story about cancer
A story about hearts
"""


def test_news_page():
    rec = _one(NEWS)
    assert rec.title == "New Drug Combination Slows Myeloma in Older Adults"
    assert rec.authors == ["Maria Rossi", "Tom Baker"]
    assert rec.year == 2023
    assert rec.journal == "The Lancet Haematology"
    assert rec.text.startswith("12 March 2023\n\nNew Drug Combination")
    assert rec.text.endswith("the authors said.")
    assert "ADVERTISEMENT" not in rec.text and "Getty" not in rec.text
    assert "Another story" not in rec.text
    assert [k for k, _ in _removed(rec, NEWS)] == [
        "navigation", "navigation", "navigation", "advertisement", "image credit", "related list",
    ]


CATALOGUE = """* Title: Lenalidomide in smoldering myeloma
* Author: Lonial, Sagar; Jacobus, Susanna; Fonseca, Rafael
* Source: Journal of Clinical Oncology. 2020; 38(11):1126-1137
* DOI: https://doi.org/10.1200/JCO.19.01740
* PMID: 31652094
* Abstract: Early treatment delayed progression.
"""


def test_catalogue_record():
    rec = _one(CATALOGUE)
    assert rec.title == "Lenalidomide in smoldering myeloma"
    assert rec.authors == ["Lonial, Sagar", "Jacobus, Susanna", "Fonseca, Rafael"]
    assert (rec.journal, rec.year, rec.volume, rec.issue, rec.pages) == (
        "Journal of Clinical Oncology", 2020, "38", "11", "1126-1137",
    )
    assert (rec.doi, rec.pmid) == ("10.1200/jco.19.01740", "31652094")
    assert rec.abstract == "Early treatment delayed progression."
    assert rec.text == CATALOGUE  # nothing on a catalogue page is furniture


FOOTER = """Summary
Patients who kept taking the drug lived longer than those who stopped it early.
Journal :
Example Journal of Medicine
Published :
July 1, 2019
"""


def test_label_footer_and_first_sentence_title():
    rec = _one(FOOTER)
    assert rec.title == "Patients who kept taking the drug lived longer than those who stopped it early."
    assert rec.extra["title_from"] == "first sentence"
    assert rec.journal == "Example Journal of Medicine"
    assert rec.year == 2019


def test_markdown_article():
    path = DATA / "maintenance.md"
    source = path.read_text(encoding="utf-8")
    rec = _one(source, path.name)
    assert rec.title == "Lenalidomide maintenance: what the trials show"
    assert rec.authors == ["Jane Smith", "Omar Haddad"]
    assert rec.year == 2022
    assert rec.doi == "10.5555/example.2022.001"
    assert rec.extra["cited_dois"] == ["10.1200/jco.2017.72.6679"]
    assert rec.text.startswith("---\nlayout: post")  # front matter is the file's, kept
    kinds = [k for k, _ in _removed(rec, source)]
    assert kinds == ["advertisement", "image", "image credit", "sharing links", "related list"]
    assert "Related Articles" not in rec.text and "Share this" not in rec.text


def test_plain_text_kept_as_it_is():
    text = "Lenalidomide and dexamethasone in myeloma\n\nWe enrolled 42 patients.\n"
    rec = _one(text)
    assert rec.title == "Lenalidomide and dexamethasone in myeloma"
    assert rec.text == text
    assert (rec.source_start, rec.source_end, rec.source_line) == (0, len(text), 1)
    assert "removed" not in rec.extra


def test_short_first_line_set_apart_is_the_title():
    assert _one("Azacitidine in RRMM\n\nWe enrolled 42 patients.\n").title == "Azacitidine in RRMM"
    assert _one("Key points\nWe enrolled 42 patients in a trial.\n").title == (
        "We enrolled 42 patients in a trial."
    )


def test_text_that_is_all_furniture_is_kept():
    rec = _one("Advertisement\n")
    assert rec.text == "Advertisement\n"


def test_empty_text_is_an_import_failure():
    with pytest.raises(ImportFailure, match="no text"):
        _one("  \n\n ")


def test_author_lists():
    assert statements.split_author_list("Chari A, Vogl DT, Gavriatopoulou M, et al.") == [
        "Chari A", "Vogl DT", "Gavriatopoulou M",
    ]
    assert statements.split_author_list("Schroeder, Thomas [Author]; Jäger, Paul [Author]") == [
        "Schroeder, Thomas", "Jäger, Paul",
    ]
    assert statements.split_author_list("Smith, John") == ["Smith, John"]
    assert statements.split_author_list("Ann Lee, MD, Bo Chan & Cy Dahl") == [
        "Ann Lee", "Bo Chan", "Cy Dahl",
    ]


def test_published_in():
    assert statements.published_in("The full results are published in Seminars in Hematology.") == (
        "Seminars in Hematology"
    )
    assert statements.published_in("It was published in Blood last week.") == "Blood"
    assert statements.published_in("It was published in December 2020.") == ""
    assert statements.published_in("It was published in Spain.") == ""


def test_sniff():
    assert plain.sniff("Some text", Path("a.txt")) == 0.3
    assert plain.sniff("# Heading", Path("a.md")) == 0.3
    assert plain.sniff("Some text", Path("a.dat")) == 0.1
    assert plain.sniff("\x00\x01\x02\x03binary", Path("a.txt")) == 0.0
    assert plain.sniff("   ", Path("a.txt")) == 0.0


def _only_records_or_failure(text: str, name: str) -> None:
    try:
        items = list(plain.parse(io.StringIO(text), Path(name)))
    except ImportFailure:
        return
    for item in items:
        assert isinstance(item, ParsedRecord | RecordError)
        if isinstance(item, ParsedRecord):
            assert item.text and item.title
            kept, pos = [], 0
            source = plain.read_source(io.StringIO(text))
            for cut in item.extra.get("removed", []):
                assert pos <= cut["start"] <= cut["end"]
                kept.append(source[pos : cut["start"]])
                pos = cut["end"]
            kept.append(source[pos:])
            assert "".join(kept) == item.text


_LINES = st.sampled_from([
    "Advertisement", "Related Articles", "Image: x", "© 2024 Site", "All rights reserved.",
    "Home > News > Health", "February 24, 2021/Cancer", "Title: A title", "Contributor: A, B [Author]",
    "Published in: Blood ; 1(2020), 2, Seite 3-4", "DOI: 10.1/x", "Date :", "By Jane Doe",
    "# Heading", "A Headline With Several Words", "", "", "Share", "![img](x.png)",
    "It was published in Seminars in Hematology.", "\u00a0", "Ad",
])


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=50), st.booleans())
def test_random_text_never_crashes(lines, markdown):
    _only_records_or_failure("\n".join(lines), "a.md" if markdown else "a.txt")


SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_9d2db26332e2c487.txt"


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.integers(0, 7000), st.integers(0, 500), st.text(max_size=40))
def test_mutated_article_never_crashes(start, length, insert):
    text = SEED.read_text(encoding="utf-8")
    start = start % len(text)
    _only_records_or_failure(text[:start] + insert + text[start + length :], "a.txt")


# Bug 12 of issue 10: a site's menu, above the headline, became the record's title.
NAV_NEWS = """News | Conference Coverage | Drug Approvals | Videos | Podcasts | Publications
Home › Oncology › Multiple Myeloma
Share on Facebook | Share on X | LinkedIn | Email | Print
Facebook Twitter LinkedIn Email

FDA Approves Quadruplet Regimen for Newly Diagnosed Multiple Myeloma

March 5, 2024
By Jane Smith

The approval rests on a phase 3 trial in which the regimen cut the risk of progression.

Related Articles
Another regimen approved
An older story
"""


def test_a_site_menu_share_bar_or_breadcrumb_is_never_the_title():
    rec = _one(NAV_NEWS)
    assert rec.title == "FDA Approves Quadruplet Regimen for Newly Diagnosed Multiple Myeloma"
    assert rec.text.startswith("FDA Approves Quadruplet Regimen")
    assert "Conference Coverage" not in rec.text and "LinkedIn" not in rec.text
    assert "Another regimen" not in rec.text


def test_a_table_row_in_the_article_is_not_taken_for_a_menu():
    text = (
        "Lenalidomide maintenance in myeloma: a pooled analysis\n\n"
        "Results of three trials were pooled in this analysis of survival.\n\n"
        "Arm | Patients | Median PFS | Median OS\n"
        "Lenalidomide | 605 | 52.8 months | not reached\n"
    )
    rec = _one(text)
    assert rec.title == "Lenalidomide maintenance in myeloma: a pooled analysis"
    assert "Arm | Patients | Median PFS | Median OS" in rec.text
