"""Web of Science, Ovid and EndNote/Refer tagged text.

Expected values were read off the files by hand.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import endnote_tagged, ovid, wos

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus"


def parse_file(module, path: Path) -> list[ParsedRecord | RecordError]:
    stream, _ = open_text(path)
    with stream:
        return list(module.parse(stream, path))


def parse_text(module, text: str, name: str = "test.txt") -> list[ParsedRecord | RecordError]:
    return list(module.parse(io.StringIO(text), Path(name)))


# --- Web of Science


def test_wos_export_fields():
    first, second = parse_file(wos, DATA / "wos_tagged" / "jabref" / "IsiImporterTestWOS.isi")
    assert (
        first.title == "Optical and photoelectric spectroscopy of photorefractive Sn2P2S6 crystals"
    )
    assert first.authors[:2] == ["Gamernyk, RV", "Gnatenko, YP"]  # continuation lines
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "JOURNAL OF PHYSICS-CONDENSED MATTER",
        2006,
        "18",
        "23",
        "5323-5331",
    )
    assert first.extra["accession"] == "ISI:000238592600006"
    assert first.source_line == 3
    assert second.title.startswith("Optical waveguides in Sn2P2S6")


def test_wos_medline_records_carry_their_pmid():
    first, second = parse_file(wos, DATA / "wos_tagged" / "jabref" / "IsiImporterTestMedline.isi")
    assert first.pmid == "16842170"  # UT MEDLINE:16842170
    assert second.authors[:2] == ["Joffe, Hadine", "Hall, Janet E"]  # one line, ';' separated


def test_wos_saved_as_ris_is_still_wos():
    items = parse_file(wos, DATA / "ris" / "rispy" / "example_wos.ris")
    assert len(items) == 2
    assert items[0].doi == "10.1021/bi049798f" and items[0].pmid == "15170338"


def test_wos_truncated_last_record_is_reported():
    text = "FN Clarivate\nVR 1.0\nPT J\nTI Kept\nER\n\nPT J\nTI Cut"
    kept, error = parse_text(wos, text)
    assert kept.title == "Kept"
    assert isinstance(error, RecordError) and error.line == 7 and "cut short" in error.message


def test_wos_without_records():
    with pytest.raises(ImportFailure, match="no Web of Science record"):
        parse_file(wos, DATA / "wos_tagged" / "jabref" / "IsiImporterTestEmpty.isi")


# --- Ovid


def test_ovid_citation_export():
    (rec,) = parse_file(ovid, DATA / "ovid_tagged" / "jabref" / "OvidImporterTest4.txt")
    assert rec.title == (
        "Cloud water interception and element deposition differ largely between Norway spruce "
        "stands along an elevation transect in Harz Mountains, Germany."
    )  # "[Article]" dropped
    assert rec.authors == [
        "Kohler, Lars",
        "Leuschner, Christoph",
        "Hauck, Markus",
        "Hertel, Dietrich",
    ]
    assert (rec.journal, rec.volume, rec.issue, rec.pages, rec.year) == (
        "Ecohydrology",
        "8",
        "6",
        "1048-1064",
        2015,
    )  # Source: Ecohydrology.   8(6):1048-1064, September 2015.
    assert rec.keywords[:2] == ["alpine treeline", "canopy cover"]


def test_ovid_records_numbered_in_angle_brackets():
    items = parse_file(ovid, DATA / "ovid_tagged" / "jabref" / "OvidImporterTest1.txt")
    assert [r.source_line for r in items] == [1, 22, 35, 49, 59]
    assert items[0].title == "Musterbuch" and items[0].abstract == "Short abstract"


def test_ovid_without_record_markers_is_refused():
    with pytest.raises(ImportFailure, match="no Ovid record"):
        parse_file(ovid, DATA / "ovid_tagged" / "jabref" / "OvidImporterTest2Invalid.txt")


def test_ovid_medline_unique_identifier_is_the_pmid():
    text = "<1>\nTitle\n  A trial.\nUnique Identifier\n  31234567\nDigital Object Identifier\n  10.1/ABC\n"
    (rec,) = parse_text(ovid, text)
    assert (rec.pmid, rec.doi) == ("31234567", "10.1/abc")


# --- EndNote / Refer


def test_endnote_book():
    (rec,) = parse_file(
        endnote_tagged, DATA / "endnote_tagged" / "jabref" / "Endnote.book.example.enw"
    )
    assert rec.title == "Git : dezentrale Versionsverwaltung im Team : Grundlagen und Workflows"
    assert rec.authors == ["Preißel, René", "Stachmann, Bjørn"]
    assert (rec.type, rec.year, rec.extra["publisher"]) == ("Book", 2016, "dpunkt.verlag")


def test_endnote_records_start_with_any_tag():
    items = parse_file(endnote_tagged, DATA / "endnote_tagged" / "colrev" / "ais_enl.txt")
    assert len(items) == 6
    first = items[0]
    assert first.title.startswith("How Trust Leads to Commitment on Microsourcing Platforms")
    assert first.authors == ["Guo, Wenbo", "Straub, Detmar W.", "Zhang, Pengzhu", "Cai, Zhao"]
    assert (first.journal, first.year, first.volume, first.issue, first.pages) == (
        "Management Information Systems Quarterly",  # %B when there is no %J
        2021,
        "45",
        "3",
        "1309-1348",
    )


def test_endnote_keyword_continuations_and_authors_joined_by_and():
    rec = parse_file(endnote_tagged, DATA / "endnote_tagged" / "rayyan_formats" / "example1.enw")[0]
    assert rec.authors == ["a1l, a1f", "a2l, a2f"]
    assert rec.keywords[:6] == ["kw1", "kw2", "kw3", "kw4", "kw5", "kw6"]
    assert rec.keywords[-4:] == ["kw12", "kw13", "kw14", "kw15"]


def test_endnote_enl_extension_that_is_text():
    assert endnote_tagged.sniff("%T A title\n%0 Journal Article\n%A Guo, W\n", Path("x.enl")) >= 0.9
    assert len(parse_file(endnote_tagged, DATA / "endnote_tagged" / "colrev" / "enl_data.enl")) == 3


def test_sniffers_do_not_claim_each_other():
    wos_head = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\n"
    ovid_head = "<1>\nAuthor\n  Smith, J.\nTitle\n  A title\n"
    enw_head = "%0 Journal Article\n%T A title\n%A Smith, J\n"
    for head, own in ((wos_head, wos), (ovid_head, ovid), (enw_head, endnote_tagged)):
        others = {wos, ovid, endnote_tagged} - {own}
        assert own.sniff(head, Path("x.txt")) >= 0.85
        assert all(m.sniff(head, Path("x.txt")) == 0 for m in others)
