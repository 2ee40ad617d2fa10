"""PMC/JATS import: front matter, body by section, and XML that is refused safely."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.formats import jats
from tests.conftest import CORPUS as DATA_CORPUS

DATA = Path(__file__).resolve().parents[1] / "data" / "documents"
ARTICLE = DATA / "short_article.nxml"
CORPUS = DATA_CORPUS / "pmc_jats"


def _parse(text: str, name: str = "a.nxml") -> list[ParsedRecord | RecordError]:
    return list(jats.parse(io.StringIO(text), Path(name)))


@pytest.fixture(scope="module")
def record() -> ParsedRecord:
    (rec,) = _parse(ARTICLE.read_text(encoding="utf-8"))
    assert isinstance(rec, ParsedRecord)
    return rec


def test_front_matter(record):
    assert record.title == "Lenalidomide maintenance in newly diagnosed myeloma: a randomised trial"
    assert record.authors == ["Smith, Jane", "Haddad, Omar"]  # the editor is not an author
    assert record.journal == "Example Journal of Haematology"
    assert (record.year, record.volume, record.issue, record.pages) == (2021, "12", "4", "101-109")
    assert record.doi == "10.5555/ejh.2021.042"
    assert (record.pmid, record.pmcid) == ("12345678", "PMC7654321")
    assert record.keywords == ["myeloma", "lenalidomide"]
    assert record.abstract == (
        "Background\nMaintenance therapy after transplantation is debated.\n"
        "Results\nMedian progression-free survival was 52.8 months (HR 0.48)."
    )


def test_body_by_section(record):
    titles = [(s["title"], s["level"]) for s in record.extra["sections"]]
    assert titles == [
        ("Abstract", 1), ("Introduction", 1), ("Methods", 1), ("Patients", 2), ("Results", 1),
        ("Acknowledgements", 1), ("Funding", 1),
    ]
    for section in record.extra["sections"]:
        start = section["start"]
        assert record.text[start : start + len(section["title"])] == section["title"]
        assert record.text[start - 2 : start] == "\n\n"
    methods = record.text.index("\n\nPatients\n\nWe enrolled 460 patients.")
    assert methods > record.text.index("\n\nMethods\n\n")


def test_tables_figures_lists_and_inline_markup(record):
    assert "Myeloma\u00a0is a plasma-cell cancer [1]. The dose was 10 mg." in record.text
    assert "Table 1 Baseline characteristics\nArm\tn\nLenalidomide\t231\nPlacebo\t229" in (
        record.text
    )
    assert "\u2022 Fewer relapses\n\u2022 More neutropenia" in record.text
    assert "Figure 1 Kaplan-Meier curves." in record.text
    assert "Funded by the Example Foundation." in record.text
    assert "REFERENCE-TEXT" not in record.text


def test_sniff():
    text = ARTICLE.read_text(encoding="utf-8")
    assert jats.sniff(text, Path("a.xml")) >= 0.9
    assert jats.sniff("<html><body><article><p>news</p></article>", Path("a.html")) == 0.0
    assert jats.sniff('<?xml version="1.0"?><PubmedArticleSet><PubmedArticle>', Path("a")) == 0.0


def test_entities_are_refused_not_expanded():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE article [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<article><front><article-meta><title-group><article-title>&b;</article-title>"
        "</title-group></article-meta></front></article>"
    )
    with pytest.raises(ImportFailure, match="refused"):
        _parse(bomb)


def test_external_entities_are_never_loaded():
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<article><front><article-meta><title-group><article-title>&x;</article-title>"
        "</title-group></article-meta></front></article>"
    )
    with pytest.raises(ImportFailure):
        _parse(xxe)


def test_html_named_entities_are_tolerated():
    text = (
        "<article><front><article-meta><title-group><article-title>A&nbsp;title &mdash; "
        "with entities</article-title></title-group></article-meta></front>"
        "<body><p>Text.</p></body></article>"
    )
    (rec,) = _parse(text)
    assert rec.title == "A\u00a0title \u2014 with entities"


def test_malformed_xml_names_the_line():
    with pytest.raises(ImportFailure) as err:
        _parse("<article>\n<front>\n<p>unclosed\n</article>")
    assert err.value.line == 4


def test_xml_without_articles():
    with pytest.raises(ImportFailure, match="no <article>"):
        _parse("<records><record/></records>")


def test_corpus_articles():
    files = sorted((CORPUS / "evidence_inference").glob("*.nxml"))
    assert len(files) == 5  # a third of the corpus's Evidence Inference articles
    for path in files:
        (rec,) = _parse(path.read_text(encoding="utf-8"), path.name)
        assert rec.title and rec.authors and rec.journal and rec.year
        assert rec.pmcid == path.stem
        assert rec.doi.startswith("10.")
        assert len(rec.extra["sections"]) >= 3
        assert len(rec.text) > 10_000


def test_corpus_article_set():
    path = CORPUS / "biopython" / "efetch_pmc.xml"
    (rec,) = _parse(path.read_text(encoding="utf-8"), path.name)
    assert rec.pmcid == "PMC8435807" and rec.type == "correction"


def _only_records_or_failure(text: str) -> None:
    try:
        items = _parse(text)
    except ImportFailure:
        return
    assert all(isinstance(i, ParsedRecord | RecordError) for i in items)


_PIECES = st.sampled_from([
    "<article>", "</article>", "<front>", "</front>", "<article-meta>", "</article-meta>",
    "<title-group><article-title>T</article-title></title-group>", "<body>", "</body>",
    "<sec>", "</sec>", "<title>S</title>", "<p>", "</p>", "<table-wrap>", "</table-wrap>",
    "<tr><td>c</td></tr>", "<contrib contrib-type='author'><name><surname>S</surname></name>",
    "</contrib>", "<pub-date><year>20x1</year></pub-date>", "&nbsp;", "&amp;", "&#0;", "<",
    "<article-id pub-id-type='doi'>10.1/x</article-id>", "<pmc-articleset>", "]]>", "\x00",
])


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=50))
def test_random_xml_never_crashes(pieces):
    _only_records_or_failure("".join(pieces))


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 200), st.text(max_size=20))
def test_mutated_article_never_crashes(start, length, insert):
    text = ARTICLE.read_text(encoding="utf-8")
    start = start % len(text)
    _only_records_or_failure(text[:start] + insert + text[start + length :])
