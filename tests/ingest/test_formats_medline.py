"""PubMed MEDLINE (.nbib): tags, continuation lines, identifiers, odd files.

Expected values were read off the files by hand.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import medline

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "medline"


def parse_text(text: str, name: str = "test.nbib") -> list[ParsedRecord | RecordError]:
    return list(medline.parse(io.StringIO(text), Path(name)))


def parse_file(path: Path) -> list[ParsedRecord | RecordError]:
    stream, _ = open_text(path)
    with stream:
        return list(medline.parse(stream, path))


def test_single_record_fields():
    (rec,) = parse_file(DATA / "nbib_holub008" / "single.nbib")
    assert isinstance(rec, ParsedRecord)
    assert rec.pmid == "28754806"
    # TI continues on a six-space line
    assert rec.title == (
        "Impact of balloon guide catheter on technical and clinical outcomes: a systematic "
        "review and meta-analysis."
    )
    assert rec.authors == ["Brinjikji, Waleed", "Pereira, Vitor M", "Kallmes, David F"]  # FAU
    assert (rec.year, rec.volume, rec.issue, rec.pages) == (2018, "10", "4", "335-339")
    assert rec.doi == "10.1136/neurintsurg-2017-013179"  # the AID marked [doi], not [pii]
    assert rec.journal == "Journal of neurointerventional surgery"  # JT
    assert rec.extra["journal_abbrev"] == "J Neurointerv Surg"  # TA
    assert "mechanical thrombectomy" in rec.keywords and "Aged" in rec.keywords  # OT and MH
    assert rec.type == "Journal Article"
    assert (rec.source_index, rec.source_line) == (0, 1)


def test_crlf_export_with_non_ascii_names():
    items = parse_file(DATA / "rayyan_formats" / "example1.nbib")
    assert len(items) == 10 and all(isinstance(i, ParsedRecord) for i in items)
    first = items[0]
    assert first.pmid == "29952495"
    assert first.title == "Breast cancer: basics, screening, diagnostics and treatment."
    assert first.authors[0] == "Wörmann, Bernhard"
    assert (first.year, first.volume, first.issue, first.pages) == (2017, "40", "2", "55-64")


def test_pmc_display_starts_records_with_pmc_and_falls_back_to_other_abstract():
    items = parse_file(DATA / "nbib_holub008" / "pmc_medlars.txt")
    assert len(items) == 5
    first = items[0]
    assert (first.pmcid, first.pmid) == ("PMC6055010", "30042925")
    assert first.abstract == "Publisher: Abstract available from the publisher."  # AB empty
    assert first.source_line == 2


def test_odd_records_of_jabref_fixture():
    items = parse_file(DATA / "jabref" / "MedlinePlainImporterTestMultipleEntries.txt")
    assert len(items) == 7 and all(isinstance(i, ParsedRecord) for i in items)
    first = items[0]
    assert (first.pmid, first.pmcid) == ("20481061", "PMC4513071")
    assert first.authors == ["Long, Vicky", "Marland, Hilary"]
    by_pmid = {r.pmid: r for r in items}
    assert by_pmid["22664220"].doi == "10.1016/j.cpr.2005.02.002"  # AID - doi:10.1016/...
    assert by_pmid["22664238"].journal == "Inproceedings book title"


def test_registry_ids_and_records_without_blank_lines():
    text = (
        "PMID- 1\nTI  - First\nSI  - ClinicalTrials.gov/NCT00000001\n"
        "PMID- 2\nTI  - Second\nAB  - Registered as ISRCTN12345678.\n"
    )
    first, second = parse_text(text)
    assert (first.title, first.trial_ids, first.source_line) == ("First", ["NCT00000001"], 1)
    assert (second.title, second.trial_ids, second.source_line) == ("Second", ["ISRCTN12345678"], 4)


def test_abstract_paragraphs_and_continuations():
    text = "PMID- 5\nTI  - T\nAB  - BACKGROUND: one\n      two.\nAB  - CONCLUSION: three.\n"
    (rec,) = parse_text(text)
    assert rec.abstract == "BACKGROUND: one two.\nCONCLUSION: three."


def test_noise_lines_are_not_fields():
    (rec,) = parse_text("PMID- 27433151\nSO  invalid line\nTI  - This is a test title\n")
    assert rec.pmid == "27433151" and rec.title == "This is a test title"


def test_nothing_tagged_is_an_import_failure():
    with pytest.raises(ImportFailure, match="no MEDLINE record"):
        parse_text("just prose\n", "x.nbib")


def test_sniff():
    assert medline.sniff("PMID- 123\nOWN - NLM\n", Path("a.ris")) >= 0.9
    assert medline.sniff("TY  - JOUR\nTI  - x\nAU  - y\nPT  - z\n", Path("a.txt")) == 0.0
    assert medline.sniff("Some text\n", Path("a.txt")) == 0.0


def test_wrapped_values_blank_continuations_and_line_numbers():
    # Continuation lines are joined per value, each stripped, blank ones dropped; lines
    # before any tag are ignored; a value continued after a noise line keeps growing; the
    # line a record starts on counts every line above it, continuation lines included.
    text = (
        "      stray before any tag\n"
        "PMID- 1\n"
        "TI  - \n"
        "        A title\n"
        "      \n"
        " wrapped\t \n"
        "AB  - First\n"
        "      part\n"
        "noise\n"
        "      more\n"
        "AU  - Doe J;\n"
        "\n"
        "PMID- 2\n"
        "AB  -\n"
        "OAB - Other abstract\n"
        "      wrapped\n"
        "TI  - Second"
    )
    first, second = parse_text(text)
    assert isinstance(first, ParsedRecord) and isinstance(second, ParsedRecord)
    assert first.title == "A title wrapped"
    assert first.abstract == "First part more"
    assert first.authors == ["Doe J"]
    assert (first.source_line, second.source_line) == (2, 13)
    assert second.abstract == "Other abstract wrapped"  # AB empty: the other abstract
    assert second.title == "Second"
