"""BibTeX/BibLaTeX through bibtexparser 2: LaTeX decoded, macros kept across slices.

Expected values were read off the files by hand.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import bibtex

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus" / "bibtex"


def parse_text(text: str, name: str = "test.bib") -> list[ParsedRecord | RecordError]:
    return list(bibtex.parse(io.StringIO(text), Path(name)))


def parse_file(path: Path) -> list[ParsedRecord | RecordError]:
    stream, _ = open_text(path)
    with stream:
        return list(bibtex.parse(stream, path))


def test_biblatex_library_fields():
    items = parse_file(DATA / "jabref" / "Chocolate.bib")
    assert len(items) == 15 and all(isinstance(i, ParsedRecord) for i in items)
    first = items[0]
    assert first.title == "Cocoa and Cardiovascular Health"
    assert first.authors == [
        "Corti, Roberto",
        "Flammer, Andreas J.",
        "Hollenberg, Norman K.",
        "Lüscher, Thomas F.",
    ]
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Circulation",  # journaltitle
        2009,  # date = 2009-03
        "119",
        "10",
        "1433-1441",  # 1433--1441
    )
    assert first.doi == "10.1161/circulationaha.108.827022"
    assert (first.type, first.extra["key"], first.source_line) == ("article", "Corti_2009", 1)


def test_latex_accents_are_decoded():
    (rec,) = parse_file(DATA / "python_bibtexparser_v1" / "article_with_special_characters.bib")
    assert rec.authors == ["Jean Césarü"]  # Jean C{\'e}sar{\"u}
    assert rec.abstract.endswith("and with a french érudit word")


def test_string_macros_are_resolved():
    (rec,) = parse_file(DATA / "python_bibtexparser_v1" / "article_with_strings.bib")
    assert rec.authors == ["Jean César"]  # jean # " " # cesar
    assert rec.journal == "Nice Journal"


def test_bom_and_capitalised_field_names():
    items = parse_file(DATA / "colrev" / "web_of_science_bib.bib")
    first = items[0]
    assert first.title == "Inproceedings Title"
    assert first.authors == ["Writerone, Julia", "Writertwo, Paul"]
    assert first.journal == "A BOOKTITLE" and first.year == 2017
    assert first.doi == "10.1007/999-9-999-99999-9_3"  # \_ decoded


@pytest.mark.parametrize(
    "name", ["tiny-BE-noBOM", "tiny-BE-withBOM", "tiny-LE-noBOM", "tiny-LE-withBOM"]
)
def test_utf16_files(name):
    (rec,) = parse_file(DATA / "jabref" / f"{name}.bib")
    assert (
        rec.title == "Investigation of the best suture pattern to close a stuffed Christmas turkey"
    )
    assert rec.authors[0] == "D. Verwilghen" and rec.doi == "10.1136/vr.d6221"


def test_windows_1252_without_header():
    (rec,) = parse_file(DATA / "jabref" / "encoding-windows-1252-without-header.bib")
    assert rec.abstract == "25° C"


def test_broken_entry_is_reported_and_others_import():
    items = parse_file(DATA / "colrev" / "ebsco_bib.bib")
    assert isinstance(items[0], ParsedRecord) and items[0].title == "Paper title."
    assert isinstance(items[1], RecordError)
    assert items[1].line == 15 and "cannot be read" in items[1].message


def test_macros_defined_early_reach_entries_in_later_slices(monkeypatch):
    # slices of 4 KB instead of 256 KB: the same boundaries with 40 entries, not 2,000
    monkeypatch.setattr(bibtex, "_SLICE_CHARS", 1 << 12)
    filler = "".join(
        f"@article{{k{i},\n  title = {{Filler {i}}},\n  abstract = {{{'x' * 200}}},\n}}\n\n"
        for i in range(40)
    )
    text = (
        '@string{jn = "Journal of Late Macros"}\n\n'
        + filler
        + "@article{last, title={Last}, journal=jn}\n"
    )
    assert len(list(bibtex._slices(io.StringIO(text)))) >= 3  # the macro is slices back
    items = parse_text(text)
    assert len(items) == 41
    assert items[-1].title == "Last" and items[-1].journal == "Journal of Late Macros"
    assert items[-1].source_line == text.count("\n")
    assert [r.source_index for r in items[:3]] == [0, 1, 2]


def test_repeated_keys_are_separate_records():
    items = parse_text("@article{a, title={One}}\n@article{a, title={Two}}\n")
    assert [r.title for r in items] == ["One", "Two"]


def test_no_entries_is_an_import_failure():
    with pytest.raises(ImportFailure, match="no BibTeX entry"):
        parse_text("% only a comment\n@comment{nothing}\n", "c.bib")


def test_sniff():
    assert bibtex.sniff("@Article{x,\n title={y}}", Path("a.txt")) >= 0.9
    assert bibtex.sniff("% Encoding: UTF-8\n\n@STRING{a = {b}}", Path("a.dat")) >= 0.9
    assert bibtex.sniff("plain words", Path("a.bib")) == 0.5
    assert bibtex.sniff("plain words", Path("a.txt")) == 0.0
