"""CSV/TSV exports: known columns of each tool, preambles, delimiters, the column map.

Expected values were read off the files by hand.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest import import_paths
from reviewer.ingest.base import ImportFailure, RecordError, UnknownColumns
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import csv_exports
from reviewer.review.project import create_review

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "csv"
DINOSAUR_SCALES = (
    "Cellular structure of dinosaur scales reveals retention of reptile-type skin during "
    "the evolutionary transition to feathers"
)


def parse_file(path: Path) -> list[ParsedRecord | RecordError]:
    stream, _ = open_text(path)
    with stream:
        return list(csv_exports.parse(stream, path))


def parse_text(text: str, name: str = "test.csv") -> list[ParsedRecord | RecordError]:
    return list(csv_exports.parse(io.StringIO(text), Path(name)))


def test_covidence_export():
    items = parse_file(DATA / "asreview_citation_file_formatting" / "_baseline_covidence.csv")
    first = items[0]
    assert first.title == DINOSAUR_SCALES
    assert first.authors == ["Yang, Z.", "Jiang, B.", "Xu, J.", "McNamara, M.E."]
    assert (first.year, first.journal, first.volume, first.issue) == (
        2024,
        "Nature Communications",
        "15",
        "1",
    )
    assert first.doi == "10.1038/s41467-024-48400-3"
    assert first.extra["exporter"] == "Covidence" and first.extra["Covidence #"] == "#1"
    assert (first.source_index, first.source_line) == (0, 2)


@pytest.mark.parametrize("name", ["_baseline_embase.csv", "_baseline_excel.csv"])
def test_embase_search_query_preamble_and_excel_semicolons(name):
    items = parse_file(DATA / "asreview_citation_file_formatting" / name)
    assert len(items) == 10
    first = items[0]
    assert first.title == DINOSAUR_SCALES
    assert first.authors == ["Yang Z", "Jiang B", "Xu J", "McNamara M.E."]
    assert first.journal == "Nature Communications" and first.year == 2024
    assert first.source_line == 5  # query, separator, blank line, header


def test_rayyan_export():
    first = parse_file(DATA / "asreview_citation_file_formatting" / "_baseline_rayyan.csv")[0]
    assert first.title == DINOSAUR_SCALES
    assert first.authors == ["Yang, Z.", "Jiang, B.", "Xu, J.", "McNamara, M.E."]  # " and "
    assert first.journal == "Nat. Commun."
    # the url cell carries a stray RIS fragment after the address
    assert first.url == (
        "https://www.embase.com/search/results?subaction=viewrecord&id=L2029880245&from=export"
    )
    assert first.extra["key"] == "rayyan-42924189" and first.extra["exporter"] == "Rayyan"


def test_pubmed_csv_identifiers():
    first = parse_file(DATA / "asreview_citation_file_formatting" / "_baseline_pubmed.csv")[0]
    assert (first.pmid, first.pmcid, first.doi) == (
        "30922926",
        "PMC7026692",
        "10.1016/j.ejmg.2019.03.004",
    )
    assert first.authors == ["Griffin DK", "Larkin DM", "O'Connor RE"]
    assert first.title == "Time lapse: A glimpse into prehistoric genomics"


def test_ovid_csv_with_multi_line_cells():
    items = parse_file(DATA / "dimitrov_snhl_search_exports" / "psychinfo.csv")
    assert len(items) == 58
    first = items[0]
    assert first.title.startswith("Phenotypes and clinical subgroups in vestibular migraine")
    assert first.authors[:2] == ["Teggi, Roberto", "Colombo, Bruno"] and len(first.authors) == 15
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Neurological Sciences",
        2024,
        "45",
        "3",
        "1209-1216",
    )
    assert items[1].source_line > first.source_line + 30  # the first row spans many lines


def test_asreview_list_cells_and_labels():
    first = parse_file(DATA / "asreview_demo_data" / "generic_labels.csv")[0]
    assert first.authors == ["Marx, Karl", "Lindgren, Astrid"]
    assert first.keywords == ["Pippi", "Nordwind", "Piraten"]
    assert first.extra["label_included"] == "1" and first.extra["exporter"] == "ASReview"


@pytest.mark.parametrize("name", ["generic_tab.csv", "generic_semicolon.csv"])
def test_delimiters_are_detected(name):
    items = parse_file(DATA / "asreview_demo_data" / name)
    assert [r.title for r in items] == ["Title of reference", "The title of the reference"]


def test_unknown_columns_are_listed_with_how_to_map_them():
    with pytest.raises(UnknownColumns) as info:
        parse_text("Headline,Summary,Writers\nA,B,C\n", "mystery.csv")
    assert info.value.columns == ["Headline", "Summary", "Writers"]
    message = str(info.value)
    assert message.startswith("mystery.csv, line 1:")
    assert "Headline, Summary, Writers" in message and "--map title=" in message


def test_parse_with_map():
    text = "Exported on Monday\nHeadline;Summary;Writers;When\nA study;It worked.;Smith J, Doe A;2019\n"
    (rec,) = csv_exports.parse_with_map(
        io.StringIO(text),
        Path("mystery.csv"),
        {"title": "Headline", "abstract": "summary", "authors": "Writers", "year": "When"},
    )
    assert (rec.title, rec.abstract, rec.authors, rec.year) == (
        "A study",
        "It worked.",
        ["Smith J", "Doe A"],
        2019,
    )
    assert rec.source_line == 3


def test_column_map_errors_say_what_is_wrong():
    with pytest.raises(ImportFailure, match="unknown field"):
        list(csv_exports.parse_with_map(io.StringIO("a,b\n1,2\n"), Path("m.csv"), {"colour": "a"}))
    with pytest.raises(ImportFailure, match="columns are: a, b"):
        list(csv_exports.parse_with_map(io.StringIO("a,b\n1,2\n"), Path("m.csv"), {"title": "c"}))


def test_column_map_through_the_importer(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("Headline,Summary\nOne,First.\nTwo,Second.\n", encoding="utf-8")
    store = create_review(tmp_path / "r.review")
    report = import_paths(store, [path])
    assert store.record_count() == 0 and "not recognised" in report.files[0].errors[0]
    assert report.files[0].unmapped_columns == ["Headline", "Summary"]  # for the mapping step
    report = import_paths(store, [path], column_map={"title": "Headline", "abstract": "Summary"})
    assert store.record_count() == 2 and report.files[0].errors == []
    store.close()


@pytest.mark.parametrize(
    ("cell", "authors"),
    [
        ("Yang, Z.; Jiang, B.", ["Yang, Z.", "Jiang, B."]),
        ("Yang, Z. and Jiang, B.", ["Yang, Z.", "Jiang, B."]),
        ("Tikka C, Verbeek JH, Ferrite S.", ["Tikka C", "Verbeek JH", "Ferrite S"]),
        ("Joseph Rottman, Erran Carmel", ["Joseph Rottman", "Erran Carmel"]),
        ("Marx, Karl", ["Marx, Karl"]),
        ("Angonese G.\n\nBuhl M.", ["Angonese G", "Buhl M"]),
        ("Alba Vicente|Josep Sanjuan", ["Alba Vicente", "Josep Sanjuan"]),
        ("['Marx, Karl', 'Lindgren, Astrid']", ["Marx, Karl", "Lindgren, Astrid"]),
        ("", []),
    ],
)
def test_author_cells(cell, authors):
    assert csv_exports.split_authors(cell) == authors


def test_sniff():
    assert csv_exports.sniff("Title,Abstract,DOI\nx,y,z\n", Path("a.txt")) >= 0.8
    assert csv_exports.sniff("PromptID,PMCID,Outcome\n1,2,3\n", Path("a.csv")) == 0.5
    assert csv_exports.sniff("TY  - JOUR\nTI  - Title, Abstract\n", Path("a.ris")) == 0.0


def test_zotero_export():
    first = parse_file(DATA / "asreview_citation_file_formatting" / "_baseline_zotero.csv")[0]
    assert first.title == DINOSAUR_SCALES
    assert first.authors == ["Yang, Z.", "Jiang, B.", "Xu, J.", "McNamara, M.E."]
    assert (first.journal, first.year, first.doi) == (
        "Nature Communications",  # Publication Title
        2024,
        "10.1038/s41467-024-48400-3",
    )
    assert first.keywords[:3] == ["article", "controlled study", "animal tissue"]  # Manual Tags
    assert first.type == "journalArticle" and first.extra["exporter"] == "Zotero"


def test_web_of_science_tab_delimited_export():
    text = (
        "PT\tAU\tAF\tTI\tSO\tDE\tAB\tPY\tVL\tIS\tBP\tEP\tDI\tPM\tUT\n"
        "J\tSmith, J; Doe, A\tSmith, John; Doe, Anna\tA trial\tLANCET\tone; two\tText.\t2021\t"
        "397\t10\t100\t110\t10.1016/X\t33000000\tWOS:000600000000001\n"
    )
    (rec,) = parse_text(text, "savedrecs.txt")
    assert rec.authors == ["Smith, John", "Doe, Anna"]  # AF, the full names
    assert (rec.title, rec.journal, rec.year, rec.volume, rec.issue, rec.pages) == (
        "A trial",
        "LANCET",
        2021,
        "397",
        "10",
        "100-110",
    )
    assert (rec.doi, rec.pmid, rec.keywords) == ("10.1016/x", "33000000", ["one", "two"])
    assert rec.extra["exporter"] == "Web of Science"


def test_excel_text_cells_are_unwrapped_but_formulas_kept_as_written():
    """="0123" is Excel's way to keep text as text; ="a"&"b" is a formula, not text a"&"b."""
    text = (
        "Title,DOI,Pages\n"
        '"A trial","=""10.1000/abc""","=""a""&""b"""\n'
        '"Quotes","=""10.1000/x""""y""","=""0012"""\n'
    )
    first, second = parse_text(text)
    assert first.doi == "10.1000/abc"
    assert first.pages == '="a"&"b"'
    assert second.pages == "0012"
