"""HTML import: visible text only, metadata from meta tags, and nothing ever fetched."""

from __future__ import annotations

import io
import socket
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.formats import html

DATA = Path(__file__).resolve().parents[1] / "data" / "documents"
PAGE = DATA / "news_page.html"


def _parse(text: str, name: str = "page.html") -> list[ParsedRecord | RecordError]:
    return list(html.parse(io.StringIO(text), Path(name)))


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the HTML importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def test_visible_text_only(no_network):
    (rec,) = _parse(PAGE.read_text(encoding="utf-8"))
    for hidden in (
        "SCRIPT-TEXT", "STYLE-TEXT", "COMMENT-TEXT", "NAV-TEXT", "HIDDEN-TEXT", "ALSO-HIDDEN",
        "NOSCRIPT-TEXT", "IFRAME-TEXT", "IMG-ALT", "tracker.example.com", "Advertisement",
    ):
        assert hidden not in rec.text, hidden
    assert "Maintenance therapy with lenalidomide after transplantation prolonged overall" in (
        rec.text
    )
    assert "Café au lait & other “quoted” words." in rec.text


def test_blocks_become_lines():
    (rec,) = _parse(PAGE.read_text(encoding="utf-8"))
    assert rec.text.startswith("Lenalidomide keeps myeloma in check\n\nBy Jane Smith\n\n")
    assert "Arm\tMedian PFS\nLenalidomide\t52.8 months" in rec.text
    assert "First point\nSecond point" in rec.text


def test_metadata_from_citation_tags():
    (rec,) = _parse(PAGE.read_text(encoding="utf-8"))
    assert rec.title == "Lenalidomide maintenance after transplantation for myeloma"
    assert rec.authors == ["Smith, Jane", "Haddad, Omar"]
    assert rec.journal == "Example Journal of Haematology"
    assert (rec.year, rec.volume, rec.pages) == (2022, "12", "101-109")
    assert rec.doi == "10.5555/example.2022.001"
    assert rec.source_start == 0 and rec.source_end == len(PAGE.read_text(encoding="utf-8"))


def test_title_from_h1_then_title_tag():
    (rec,) = _parse("<html><head><title>Site | Home</title></head><body>"
                    "<h1>Azacitidine  shows potential</h1><p>Text.</p></body></html>")
    assert rec.title == "Azacitidine shows potential"
    (rec,) = _parse("<html><head><title>Lenalidomide for smoldering myeloma | Example News"
                    "</title></head><body><p>Some text of the article.</p></body></html>")
    assert rec.title == "Lenalidomide for smoldering myeloma"


def test_page_without_head_or_closing_tags():
    (rec,) = _parse("<html><body><p>First paragraph<p>Second paragraph<div>Third")
    assert rec.text == "First paragraph\n\nSecond paragraph\nThird"


def test_page_without_text_is_an_import_failure():
    with pytest.raises(ImportFailure, match="no visible text"):
        _parse("<html><head><script>x()</script></head><body><img src='a.png'></body></html>")


def test_sniff():
    assert html.sniff("<!DOCTYPE html>\n<html>", Path("a.txt")) >= 0.9
    assert html.sniff("<html lang='en'><head>", Path("a")) >= 0.9
    assert html.sniff("<div><p>a</p><p>b</p><br/></div>", Path("a.html")) > 0.3
    assert html.sniff('<?xml version="1.0"?><article><front>', Path("a.xml")) == 0.0
    assert html.sniff("TY  - JOUR\nTI  - <b>bold</b>\nER  - ", Path("a.ris")) == 0.0
    assert html.sniff("Plain text < with > angles", Path("a.txt")) == 0.0


def _only_records_or_failure(text: str) -> None:
    try:
        items = _parse(text)
    except ImportFailure:
        return
    assert all(isinstance(i, ParsedRecord | RecordError) for i in items)
    assert all(isinstance(i, RecordError) or i.text for i in items)


_TAGS = st.sampled_from([
    "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<style>", "<!--", "-->",
    "<br>", "<h1>", "</h1>", "<title>", "</title>", "<nav>", "</nav>", "<table><tr><td>",
    "<meta name='citation_title' content='T'>", "<meta name='citation_doi' content='10.1/x'>",
    "<![CDATA[", "]]>", "<!DOCTYPE html>", "&amp;", "&#0;", "&#xD800;", "&bogus;", "<pre>",
    "<svg><title>x</title></svg>", "<div hidden>", "<a href='http://example.com/'>", "<",
    ">", "\x00", "Advertisement\n", "Related Articles\n",
])


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_TAGS, st.text(max_size=40)), max_size=60))
def test_random_markup_never_crashes(pieces):
    _only_records_or_failure("".join(pieces))


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 5000), st.text(max_size=30))
def test_mutated_page_never_crashes(start, length, insert):
    page = PAGE.read_text(encoding="utf-8")
    start = start % len(page)
    _only_records_or_failure(page[:start] + insert + page[start + length :])


def test_a_menu_in_the_page_title_or_first_heading_is_not_the_title():
    """Bug 12 of issue 10: the page's headline is the title, never its navigation."""
    page = """<html><head><title>News | Conference Coverage | Drug Approvals | Videos</title></head>
<body>
<div class="menu"><a href="/news">News</a> | <a href="/cc">Conference Coverage</a> |
<a href="/fda">Drug Approvals</a> | <a href="/v">Videos</a> | <a href="/p">Podcasts</a></div>
<div class="crumbs"><a href="/">Home</a> &rsaquo; <a href="/onc">Oncology</a> &rsaquo; Myeloma</div>
<div class="share">Share on Facebook | Share on X | LinkedIn | Email</div>
<h2 class="headline">FDA Approves Quadruplet Regimen for Newly Diagnosed Multiple Myeloma</h2>
<p>March 5, 2024</p>
<p>The approval rests on a phase 3 trial in which the regimen cut the risk of progression.</p>
<h3>Related Articles</h3>
<ul><li><a href="/a">Another regimen approved</a></li><li><a href="/b">An older story</a></li></ul>
</body></html>"""
    (rec,) = _parse(page)
    assert rec.title == "FDA Approves Quadruplet Regimen for Newly Diagnosed Multiple Myeloma"
    assert "Conference Coverage" not in rec.text
