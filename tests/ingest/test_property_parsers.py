"""No input crashes a citation parser: it yields records or skipped-record errors, or
refuses the file with an ImportFailure naming it.

Hypothesis feeds each parser random text built from its own syntax, valid exports cut,
spliced and garbled, and random bytes through the whole detect-decode-parse path.
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.formats import (
    bibtex,
    csl_json,
    csv_exports,
    endnote_tagged,
    endnote_xml,
    medline,
    ovid,
    pubmed_xml,
    ris,
    wos,
)
from reviewer.ingest.reading import detect, parse

SAMPLES = {
    "ris": (
        ris,
        "export.ris",
        "1.\nTY  - JOUR\nTI  - A trial of café (NCT01234567)\nAU  - Smith, J\nA1  - Doe, A\n"
        "KW - one\ntwo\nPY  - 2024///\nDO  - https://doi.org/10.1/X\nAB  - First.\nSecond.\n"
        "U1  - 123[pmid]\nC2  - PMC9\nER  - \n\nTY  - BOOK\nT1  - Book\nER  -\n",
    ),
    "medline": (
        medline,
        "export.nbib",
        "PMID- 1\nTI  - A title\n      continued.\nFAU - Smith, John\nAU  - Smith J\n"
        "DP  - 2020 Jan\nAID - 10.1/x [doi]\nSI  - ClinicalTrials.gov/NCT00000001\n"
        "AB  - BACKGROUND: x.\n\nPMC - PMC2\nPMID- 2\nTI  - Two\n",
    ),
    "wos": (
        wos,
        "export.ciw",
        "FN Clarivate\nVR 1.0\nPT J\nAU Smith, J\n   Doe, A\nTI A title\n   continued\n"
        "SO JOURNAL\nPY 2020\nBP 1\nEP 9\nDI 10.1/x\nUT MEDLINE:123\nER\n\nEF\n",
    ),
    "endnote_tagged": (
        endnote_tagged,
        "export.enw",
        "%0 Journal Article\n%T A title\n%A Smith, J and Doe, A\n%J Journal\n%D 2020\n"
        "%K one\ntwo\n%X Abstract\n\n%0 Book\n%T Second\n",
    ),
    "ovid": (
        ovid,
        "export.txt",
        "<1>\nAuthor\n  Smith, J 1;  Doe, A *\nTitle\n  A title.[Article]\nSource\n"
        "  Journal.   8(6):10-20, May 2015.\nAbstract\n  Text.\n\n<2>\nTitle\n  Two\n",
    ),
    "bibtex": (
        bibtex,
        "export.bib",
        '@string{jn = "Journal"}\n@article{a, title={Caf{\\\'e} {T}itle}, author={Smith, J and '
        "Doe, A}, journal=jn, year=2020, pages={1--9}, doi={10.1/X}}\n"
        '@book{b, title="Second", author = jn # " Editors"}\n',
    ),
    "csv": (
        csv_exports,
        "export.csv",
        'SEARCH QUERY,x\n\nTitle,Authors,Year,DOI,Abstract\n"A, title","Smith J, Doe A",2020,'
        '10.1/x,"Multi\nline"\nSecond,"[\'Doe, A\']",2021,,\n',
    ),
    "json": (
        csl_json,
        "export.json",
        '[{"title": "A", "author": [{"family": "Smith", "given": "J"}], "issued": '
        '{"date-parts": [[2020]]}, "DOI": "10.1/x"},\n {"title": "B", "authors": ["Doe, A"]}]',
    ),
    "pubmed_xml": (
        pubmed_xml,
        "export.xml",
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>A <i>title</i></ArticleTitle><Abstract><AbstractText Label='A'>x"
        "</AbstractText></Abstract><AuthorList><Author><LastName>Smith</LastName>"
        "<ForeName>J</ForeName></Author></AuthorList></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>",
    ),
    "endnote_xml": (
        endnote_xml,
        "export.xml",
        "<xml><records><record><ref-type name='Journal Article'>17</ref-type><contributors>"
        "<authors><author><style>Smith, J</style></author></authors></contributors><titles>"
        "<title><style>A title</style></title></titles><dates><year>2020</year></dates>"
        "</record></records></xml>",
    ),
}

# Pieces of every syntax above, so random text often looks like a (broken) export.
TOKENS = [
    "TY  - ", "ER  - ", "TI  - ", "AU  - ", "KW - ", "PMID- ", "FAU - ", "AB  - ", "      ",
    "PT J", "ER", "EF", "   ", "%0 ", "%T ", "%A ", "<1>", "\n  ", "@article{", "@string{",
    "}", "{", '"', ",", ";", "\t", "[", "]", "<PubmedArticle>", "</PubmedArticle>",
    "<record>", "</record>", "<title>", "&amp;", "&#xD;", "NCT01234567", "10.1/x", "2024///",
    "\ufeff", "\r\n", "\n", "\n\n", "é", "\u0301", "\x00", "\ufffd",
]  # fmt: skip

text_pieces = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=60)
edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "insert", "duplicate", "truncate"]),
        st.floats(0, 1),
        st.floats(0, 1),
        st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)),
    ),
    min_size=1,
    max_size=6,
)


def mutate(text: str, steps: list[tuple[str, float, float, str]]) -> str:
    for op, a, b, piece in steps:
        i, j = sorted((int(a * len(text)), int(b * len(text))))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i]
    return text


def only_records_or_failure(module, text: str, name: str) -> None:
    try:
        for item in module.FORMAT.parse(io.StringIO(text), Path(name)):
            assert isinstance(item, (ParsedRecord, RecordError)), type(item)
            if isinstance(item, ParsedRecord):
                assert item.source_index >= 0
                assert item.source_line is None or item.source_line >= 1
                assert unicodedata.is_normalized("NFC", item.title)
                assert item.year is None or isinstance(item.year, int)
                assert all(isinstance(a, str) and a for a in item.authors)
                assert item.doi == item.doi.lower()
    except ImportFailure as exc:
        assert str(exc).startswith(name)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_samples_are_valid():
    for module, name, text in SAMPLES.values():
        items = list(module.FORMAT.parse(io.StringIO(text), Path(name)))
        assert len(items) >= 1 and all(isinstance(i, ParsedRecord) for i in items), name


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(SAMPLES))
@FAST
@given(pieces=text_pieces)
def test_random_text(fmt, pieces):
    module, name, _ = SAMPLES[fmt]
    only_records_or_failure(module, "".join(pieces), name)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", list(SAMPLES))
@FAST
@given(steps=edits)
def test_mutated_exports(fmt, steps):
    module, name, sample = SAMPLES[fmt]
    only_records_or_failure(module, mutate(sample, steps), name)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(max_size=600),
    suffix=st.sampled_from(
        [".ris", ".nbib", ".bib", ".csv", ".xml", ".json", ".enw", ".isi", ".txt"]
    ),
)
def test_random_bytes_through_detection(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"file{suffix}"
        path.write_bytes(data)
        try:
            fmt = detect(path)
            _problems, items = parse(fmt, path)
            for item in items:
                assert isinstance(item, (ParsedRecord, RecordError))
        except ImportFailure as exc:
            assert str(exc).startswith(path.name)
