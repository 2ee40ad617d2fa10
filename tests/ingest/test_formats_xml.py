"""PubMed XML and EndNote XML: streamed safely, fields read, broken files reported.

Expected values were read off the files by hand (grep of the elements named).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import endnote_xml, pubmed_xml

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus"


def parse_file(module, path: Path) -> list[ParsedRecord | RecordError]:
    stream, _ = open_text(path)
    with stream:
        return list(module.parse(stream, path))


def parse_text(module, text: str, name: str = "test.xml") -> list[ParsedRecord | RecordError]:
    return list(module.parse(io.StringIO(text), Path(name)))


def test_pubmed_single_line_file():
    first, second = parse_file(pubmed_xml, DATA / "pubmed_xml" / "biopython" / "pubmed1.xml")
    assert first.pmid == "12091962"
    assert first.title == "The treatment of AIDS behind the walls of correctional facilities."
    assert first.authors == ["Olivero, J Michael"]
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Social justice (San Francisco, Calif.)",
        1990,
        "17",
        "1",
        "113-25",
    )
    assert first.source_line == 4  # after the XML declaration, DOCTYPE and set element
    assert (second.pmid, second.authors) == ("9997", ["Strekas, T C"])
    assert second.title.startswith("Magnetic studies of Chromatium flavocytochrome C552.")


def test_pubmed_markup_in_titles_and_article_ids():
    (rec,) = parse_file(pubmed_xml, DATA / "pubmed_xml" / "biopython" / "pubmed6.xml")
    assert rec.title == (
        'A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and Maximal '
        "Lactate Steady State in Trained Runners. Back to the Old Days?"
    )
    assert (rec.pmid, rec.doi, rec.pmcid) == ("30108519", "10.3389/fphys.2018.01034", "PMC6079548")
    assert rec.journal == "Frontiers in physiology" and rec.volume == "9"
    assert rec.authors[:2] == ["Garcia-Tabar, Ibai", "Gorostiaga, Esteban M"]
    assert "Owles' point" in rec.keywords
    assert rec.abstract.startswith("Maximal Lactate Steady State (MLSS) and")


def test_pubmed_book_articles():
    items = parse_file(
        pubmed_xml, DATA / "pubmed_xml" / "jabref" / "MedlineImporterTestBookArticleSet.xml"
    )
    assert len(items) == 2
    assert items[0].pmid == "21413195"
    assert items[0].title == "Title for some article"  # ArticleTitle; the book is its venue
    assert items[0].journal.startswith("Rheumatoid Arthritis: National Clinical Guideline")
    assert items[0].year == 2009


def test_pubmed_structured_abstract_and_trial_registry():
    xml = (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>T</ArticleTitle><Abstract>"
        '<AbstractText Label="BACKGROUND">Why.</AbstractText>'
        '<AbstractText Label="RESULTS">What.</AbstractText></Abstract>'
        "<DataBankList><DataBank><DataBankName>ClinicalTrials.gov</DataBankName>"
        "<AccessionNumberList><AccessionNumber>NCT00000001</AccessionNumber>"
        "</AccessionNumberList></DataBank></DataBankList>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    (rec,) = parse_text(pubmed_xml, xml)
    assert rec.abstract == "BACKGROUND: Why.\nRESULTS: What."
    assert rec.trial_ids == ["NCT00000001"]


def test_pubmed_malformed_file_names_the_line():
    with pytest.raises(ImportFailure) as info:
        parse_file(
            pubmed_xml, DATA / "pubmed_xml" / "jabref" / "MedlineImporterTestMalformedEntry.xml"
        )
    assert info.value.line == 4 and "not well-formed" in info.value.message


def test_pubmed_error_after_records_keeps_them():
    xml = (
        "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>Kept</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
        "<PubmedArticle><MedlineCitation>\n</PubmedArticleSet>"
    )
    items = parse_text(pubmed_xml, xml)
    assert items[0].title == "Kept"
    assert isinstance(items[1], RecordError) and items[1].record == 2 and items[1].line == 4


def test_esummary_is_refused_with_a_hint():
    with pytest.raises(ImportFailure, match="eSummary"):
        parse_file(pubmed_xml, DATA / "pubmed_xml" / "biopython" / "esummary1.xml")


def test_entity_declarations_are_refused():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<PubmedArticleSet><PubmedArticle>&b;</PubmedArticle></PubmedArticleSet>"
    )
    with pytest.raises(ImportFailure, match="entities"):
        parse_text(pubmed_xml, bomb)


def test_endnote_pretty_printed_values_are_tidied():
    first, second = parse_file(
        endnote_xml, DATA / "endnote_xml" / "jabref" / "EndnoteXmlImporterTestArticle2.xml"
    )
    assert first.title == (
        "An ecological basis for reforestation of submariginal lands in the Central Hardwood Region"
    )
    assert first.authors == ["Chapman, A. G."]
    assert (first.journal, first.year, first.pages, first.volume) == (
        "Ecology",
        1937,
        "93-105",
        "18",
    )
    assert first.type == "Journal Article" and first.extra["rec_number"] == "13264"
    assert second.type == "Book" and second.authors == ["Strohecker, H. F."]


def test_endnote_whole_library_on_one_line():
    items = parse_file(endnote_xml, DATA / "endnote_xml" / "reflib_node" / "bold.xml")
    assert len(items) == 3 and all(i.source_line == 1 for i in items)
    first = items[0]
    assert (
        first.title
        == "Patient satisfaction with physician-patient communication during telemedicine"
    )
    assert first.authors[0] == "Agha, Z."
    assert (first.year, first.doi, first.pmid) == (2009, "10.1089/tmj.2009.0030", "19919189")


def test_sniffers_tell_the_xml_formats_apart():
    head_pubmed = '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet>\n<PubmedArticleSet>'
    head_endnote = '<?xml version="1.0" encoding="UTF-8" ?><xml><records><record><database'
    head_jats = '<?xml version="1.0"?>\n<article article-type="research-article">'
    assert pubmed_xml.sniff(head_pubmed, Path("a.xml")) > endnote_xml.sniff(
        head_pubmed, Path("a.xml")
    )
    assert endnote_xml.sniff(head_endnote, Path("a.xml")) > pubmed_xml.sniff(
        head_endnote, Path("a.xml")
    )
    assert (
        pubmed_xml.sniff(head_jats, Path("a.xml"))
        == endnote_xml.sniff(head_jats, Path("a.xml"))
        == 0
    )
