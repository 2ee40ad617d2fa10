"""RIS in the dialects of real exporters: fields, identifiers, line numbers, broken files.

Expected values were read off the files by hand (``sed -n`` on the lines named).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import ris

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "ris"


def parse_text(text: str, name: str = "test.ris") -> list[ParsedRecord | RecordError]:
    return list(ris.parse(io.StringIO(text), Path(name)))


def parse_file(path: Path) -> list[ParsedRecord | RecordError]:
    stream, _ = open_text(path)
    with stream:
        return list(ris.parse(stream, path))


def records(items: list[ParsedRecord | RecordError]) -> list[ParsedRecord]:
    return [i for i in items if isinstance(i, ParsedRecord)]


def test_scopus_with_bom_glued_to_the_first_ty():
    items = parse_file(DATA / "asreview_citation_file_formatting" / "_baseline_scopus.ris")
    assert len(items) == 10 and all(isinstance(i, ParsedRecord) for i in items)
    first = items[0]
    assert first.title == (
        "Global latitudinal gradients and the evolution of body size in dinosaurs and mammals"
    )
    assert first.authors[0] == "Wilson, L.N." and len(first.authors) == 8
    assert (first.year, first.journal, first.volume, first.issue) == (
        2024,
        "Nature Communications",
        "15",
        "1",
    )
    assert first.doi == "10.1038/s41467-024-46843-2"
    assert (first.source_index, first.source_line) == (0, 1)
    assert "Dinosaurs" in first.keywords
    assert [r.source_index for r in items] == list(range(10))


def test_ovid_record_numbers_before_ty_and_doi_urls():
    items = records(parse_file(DATA / "asreview_demo_data" / "ovid_psycinfo.ris"))
    first = items[0]
    assert first.title == (
        "The influence of self-criticism on depression symptoms among ambulatory patients "
        "with inflammatory bowel disease."
    )
    assert first.authors[:2] == ["Trindade, Ines A", "Irons, Chris"]
    assert first.year == 2019  # Y1  - 2019//
    assert first.doi == "10.1002/cpp.2398"  # DO  - http://dx.doi.org/10.1002/cpp.2398
    assert first.journal == "Clinical Psychology & Psychotherapy"
    assert first.source_line == 2  # line 1 is Ovid's "1."


def test_pubmed_via_endnote_as_txt_with_untagged_keyword_lines():
    items = records(parse_file(DATA / "asreview_demo_data" / "pubmed_endnote.txt"))
    assert len(items) == 6
    first = items[0]
    assert first.source_line == 2  # the file starts with an empty line
    assert first.title.startswith("Boswellia serrata: an overall assessment of in vitro")
    assert first.authors[0] == "Abdel-Tawab, M."
    assert (first.year, first.volume, first.issue, first.pages) == (2011, "50", "6", "349-69")
    assert first.doi == "10.2165/11586800-000000000-00000"
    assert first.pmid == "21553931"  # AN of a record whose DP is NLM
    assert first.journal == "Clin Pharmacokinet"
    assert first.keywords[:3] == [
        "Animals",
        "Anti-Inflammatory Agents/adverse effects/pharmacokinetics/*pharmacology",
        "Boswellia/*chemistry",
    ]


def test_cyrillic_abstract_is_nfc_and_non_standard_type_kept():
    (rec,) = parse_file(DATA / "rispy" / "example_utf_chars.ris")
    assert isinstance(rec, ParsedRecord)
    assert rec.abstract.startswith("Состояние рецепторного аппарата эндометрия")
    assert rec.type == "Journal Article"
    assert rec.journal == "Gynecology, Obstetrics and Perinatology" and rec.volume == "8"


def test_text_is_composed_from_the_fields():
    (rec,) = records(
        parse_text(
            "TY  - JOUR\nTI  - A title\nAU  - Smith, J\nPY  - 2020\nJO  - J Med\n"
            "VL  - 3\nIS  - 2\nSP  - 10\nEP  - 12\nDO  - 10.1/X\nAB  - An abstract.\nER  - \n"
        )
    )
    assert rec.text == "A title\nSmith, J\nJ Med. 2020; 3(2):10-12\nDOI: 10.1/x\n\nAn abstract."


def test_dialect_variants():
    text = (
        "Record #1 of 2\nProvider: Provider\n1.\n"
        "TY  - JOUR\n"
        "KW - keyword1\n"  # one space before the dash
        "keyword2\n"  # untagged continuation: another keyword
        "ID \t- 42\n"  # a tab
        "T1  - Title over\n"
        "  two lines\n"
        "A1  - First, Author\n"
        "AU  - Second, Author\n"
        "PY  - 2024///\n"
        "SP  -\n"  # empty tag
        "AB  - First paragraph.\n"
        "Second paragraph.\n"
        "U1  - 26957754[pmid]\n"
        "C2  - Pmc4681498\n"
        "UR  - https://doi.org/10.1234/ABC\n"
        "ER  -\n"
    )
    (rec,) = parse_text(text)
    assert isinstance(rec, ParsedRecord)
    assert rec.title == "Title over two lines"
    assert rec.authors == ["Second, Author", "First, Author"]  # AU before A1
    assert rec.keywords == ["keyword1", "keyword2"]
    assert rec.year == 2024 and rec.pages == ""
    assert rec.abstract == "First paragraph.\nSecond paragraph."
    assert (rec.pmid, rec.pmcid, rec.doi) == ("26957754", "PMC4681498", "10.1234/abc")
    assert rec.extra["id"] == "42"
    assert rec.source_line == 4


def test_trial_ids_from_the_abstract():
    (rec,) = parse_text("TY  - JOUR\nTI  - T\nAB  - Registered as NCT01234567.\nER  - \n")
    assert rec.trial_ids == ["NCT01234567"]


def test_truncated_file_keeps_complete_records_and_names_the_cut_one():
    text = "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n\nTY  - JOUR\nTI  - Thr"
    items = parse_text(text)
    assert [r.title for r in records(items)] == ["One", "Two"]
    error = items[-1]
    assert isinstance(error, RecordError)
    assert (error.line, error.record) == (9, 3)
    assert "no 'ER  -' line" in error.message and "cut short" in error.message


def test_missing_er_between_records_is_ended_by_the_next_ty():
    items = parse_text("TY  - JOUR\nTI  - One\n\nTY  - JOUR\nTI  - Two\nER  - \n")
    assert [r.title for r in records(items)] == ["One", "Two"]


def test_tags_outside_a_record_are_reported():
    items = parse_text("TI  - Orphan\nAU  - Nobody\nER  - \nTY  - JOUR\nTI  - Fine\nER  - \n")
    assert isinstance(items[0], RecordError) and items[0].line == 1
    assert "outside any record" in items[0].message
    assert [r.title for r in records(items)] == ["Fine"]


def test_empty_record_is_reported_not_stored():
    items = parse_text("TY  - GEN\nN1  - only a note\nER  - \n")
    assert isinstance(items[0], RecordError) and "empty" in items[0].message


@pytest.mark.parametrize("text", ["", "\n\n", "Just some prose, not RIS.\n"])
def test_no_record_at_all_is_an_import_failure(text):
    with pytest.raises(ImportFailure) as info:
        parse_text(text, "notes.ris")
    assert "notes.ris" in str(info.value) and "no RIS record" in str(info.value)


def test_sniff_prefers_content_over_extension():
    assert ris.sniff("TY  - JOUR\nTI  - x\nER  - \n", Path("a.txt")) >= 0.9
    assert ris.sniff("\ufeffTY  - JOUR\n", Path("a.dat")) >= 0.9
    assert ris.sniff("PMID- 123\nTI  - x\n", Path("a.ris")) < 0.5
    assert ris.sniff("FN Thomson Reuters Web of Science\nVR 1.0\nPT J\n", Path("a.ris")) == 0.0
