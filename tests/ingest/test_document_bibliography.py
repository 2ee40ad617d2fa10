"""Bibliography pages: one record per citation, each the verbatim slice of its source.

The seed page is covered in test_seeds.py; here a page of another layout (numbered
entries, PubMed-style dates, wrapped titles, entries with no blank line between,
link labels and adverts) checks that the rules are not fitted to one file.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.encoding import read_text
from reviewer.ingest.formats import bibliography

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "documents"
PAGE = DATA / "reading_list.txt"
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "data" / "corpus"  # a selection of every citation dialect


def _parse(text: str, name: str = "page.txt") -> list[ParsedRecord | RecordError]:
    return list(bibliography.parse(io.StringIO(text), Path(name)))


@pytest.fixture(scope="module")
def records() -> list[ParsedRecord]:
    items = _parse(PAGE.read_text(encoding="utf-8"))
    assert all(isinstance(i, ParsedRecord) for i in items)
    return items  # type: ignore[return-value]


def test_one_record_per_citation(records):
    assert [r.title for r in records] == [
        "Lenalidomide Maintenance After Autologous Stem-Cell Transplantation in Newly "
        "Diagnosed Multiple Myeloma: A Meta-Analysis.",
        "Lenalidomide maintenance after stem-cell transplantation for multiple myeloma.",
        "Continuous lenalidomide treatment for newly diagnosed multiple myeloma.",
        "Lenalidomide maintenance versus observation for patients with newly diagnosed "
        "multiple myeloma (Myeloma XI).",
    ]
    assert [r.source_index for r in records] == [0, 1, 2, 3]


def test_records_are_verbatim_slices(records):
    source = read_text(PAGE)
    for rec in records:
        assert source[rec.source_start : rec.source_end] == rec.text
        assert source.count("\n", 0, rec.source_start) + 1 == rec.source_line


def test_citation_fields(records):
    first, second, third, fourth = records
    assert first.authors == ["McCarthy PL", "Holstein SA", "Petrucci MT"]
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "J Clin Oncol", 2017, "35", "29", "3279-3289",
    )
    assert (first.doi, first.pmid) == ("10.1200/jco.2017.72.6679", "28742454")
    assert second.authors == ["Attal M", "Lauwers-Cances V", "Marit G"]
    assert (second.journal, second.year, second.pages) == ("N Engl J Med", 2012, "1782-91")
    assert third.abstract == "" and third.text.endswith("N Engl J Med. 2012; 366(19):1759-69")
    assert fourth.authors == ["Jackson GH", "Davies FE", "Pawlyn C"]


def test_structured_abstract_spans_blank_lines(records):
    abstract = records[0].abstract
    assert abstract.startswith("PURPOSE: Lenalidomide maintenance")
    assert "\n\nMETHODS:" in abstract
    assert abstract.endswith("CONCLUSION: Lenalidomide maintenance prolongs overall survival.")


def test_page_furniture_stays_outside_records(records):
    joined = "\n".join(r.text for r in records)
    for furniture in ("Reading list", "Sponsored links", "Buy our book", "Copyright 2024"):
        assert furniture not in joined
    assert "Similar articles" not in records[0].abstract
    assert "Full text" not in records[1].abstract


def test_sniff_recognises_bibliographies_only():
    assert bibliography.sniff(PAGE.read_text(encoding="utf-8"), PAGE) >= 0.6
    seed = SEEDS / "001_7ff505f9225cc72e.txt"
    assert bibliography.sniff(read_text(seed)[:8192], seed) >= 0.6
    for name in ("000_9d2db26332e2c487.txt", "002_073caf3daf925a44.txt",
                 "003_417edc2a71e64898.txt", "004_2857197866bfdf74.txt"):
        assert bibliography.sniff(read_text(SEEDS / name), SEEDS / name) == 0.0
    one = "Smith J, Doe K\nA single cited study.\nBlood. 2020; 1(2):3-4\n"
    assert bibliography.sniff(one, Path("a.txt")) == 0.0


def test_tagged_exports_are_not_bibliography_pages():
    medline = (
        "PMID- 1\nTI  - A title.\nAU  - Chari A\nSO  - N Engl J Med. 2019;381(8):727-738.\n\n"
    ) * 5
    ris = "TY  - JOUR\nAU  - Chari A\nTI  - A title\nJO  - N Engl J Med. 2019; 381(8):1\nER  -\n" * 5
    assert bibliography.sniff(medline, Path("a.txt")) == 0.0
    assert bibliography.sniff(ris, Path("a.ris")) == 0.0


def test_no_corpus_citation_export_looks_like_a_bibliography_page():
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.suffix.lower() == ".pdf" or path.stat().st_size == 0:
            continue
        head = read_text(path)[:8192]
        assert bibliography.sniff(head, path) == 0.0, path


def test_citation_line_forms():
    for line in (
        "N Engl J Med. 2019; 381(8):727-738 [PubMed] Related Publications",
        "Vnitr Lek. Fall 2018; 64(10):939-948",
        "BMJ Case Rep. 2018; 2018",
        "J Clin Oncol. 2017 Oct 10;35(29):3279-3289. doi: 10.1200/JCO.2017.72.6679.",
        "Lancet Haematol. 2018; 5(12):e628-e640",
        "Medicine (Baltimore). 2019; 98(30):e16567",
    ):
        assert bibliography.citation_match(line), line
    for line in (
        "1. Cochrane Database Syst Rev. 2017 Jul 7;7(7):CD006396. doi:",
        "The median age was 65 years. 2019 was a good year",
        "Results were published in 2019; 381 patients took part.",
    ):
        assert not bibliography.citation_match(line), line


def test_a_journal_line_with_no_title_is_reported():
    items = _parse("Intro\n\nBlood. 2020; 1(2):3-4\nAbstract text.\n")
    assert items == [RecordError("a journal line with no title above it", line=3)]


def _only_records_or_failure(text: str) -> None:
    try:
        items = _parse(text)
    except ImportFailure:
        return
    source = unicodedata.normalize("NFC", text)
    for item in items:
        assert isinstance(item, ParsedRecord | RecordError)
        if isinstance(item, ParsedRecord):
            assert item.title
            assert source[item.source_start : item.source_end] == item.text


_LINES = st.sampled_from([
    "Chari A, Vogl DT, et al.", "Smith J", "A title of a study.", "N Engl J Med. 2019; 1(2):3-4",
    "Blood. 2020 Jan 5;135(1):1-9. doi: 10.1/x PMID: 123", "BACKGROUND: text", "", "",
    "[PubMed] Related Publications", "Advertisement", "RESULTS: more", "Related Articles",
    "1. Doe K, Roe L", "Lancet. Fall 2018; 5:e1-e2", "\u00a0", "Vnitr Lek. 2018; 2018",
])


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=60))
def test_random_pages_never_crash(lines):
    _only_records_or_failure("\n".join(lines))


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.integers(0, 60_000), st.integers(0, 3000), st.text(max_size=40))
def test_mutated_seed_never_crashes(start, length, insert):
    text = read_text(SEEDS / "001_7ff505f9225cc72e.txt")
    start = start % len(text)
    _only_records_or_failure(text[:start] + insert + text[start + length :])
