"""CSL-JSON and RefLib JSON reference lists, read one object at a time."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.base import ImportFailure, RecordError
from reviewer.ingest.encoding import open_text
from reviewer.ingest.formats import csl_json

DATA = Path(__file__).resolve().parents[1] / "data" / "corpus"


def parse_text(text: str, name: str = "refs.json") -> list[ParsedRecord | RecordError]:
    return list(csl_json.parse(io.StringIO(text), Path(name)))


def test_reflib_library():
    path = DATA / "json" / "reflib_iebh" / "blue-light.json"
    stream, _ = open_text(path)
    with stream:
        items = list(csl_json.parse(stream, path))
    assert len(items) == len(json.loads(path.read_text(encoding="utf-8"))) == 102
    first = items[0]
    assert first.title == (
        "Formulation of Herbal Gel of Antirrhinum majus Extract and Evaluation of its "
        "Anti-Propionibacterium acne Effects"
    )
    assert first.authors[0] == "Shahtalebi, M. A." and first.journal == "Adv Biomed Res"
    assert (first.year, first.doi, first.pmcid) == (2018, "10.4103/abr.abr_99_17", "PMC5887696")
    assert first.extra["id"] == "895" and first.source_line == 2


def test_csl_json_names_and_dates():
    text = json.dumps(
        [
            {
                "id": "a",
                "type": "article-journal",
                "title": "Café trial",
                "author": [{"family": "Smith", "given": "J"}, {"literal": "The Group"}],
                "issued": {"date-parts": [[2020, 5]]},
                "container-title": "J Med",
                "DOI": "10.1/ABC",
                "PMID": "123",
                "keyword": "a, b",
            }
        ],
        indent=1,
    )
    (rec,) = parse_text(text)
    assert rec.authors == ["Smith, J", "The Group"]
    assert (rec.year, rec.journal, rec.doi, rec.pmid, rec.keywords) == (
        2020,
        "J Med",
        "10.1/abc",
        "123",
        ["a", "b"],
    )


def test_large_arrays_stream_across_chunks():
    refs = [{"title": f"Reference {i}", "abstract": "x" * 500} for i in range(1000)]
    text = "[\n" + ",\n".join(json.dumps(r) for r in refs) + "\n]"
    items = parse_text(text)
    assert len(items) == 1000 and items[-1].title == "Reference 999"
    assert items[-1].source_line == 1001


def test_broken_json_after_records_keeps_them():
    items = parse_text('[{"title": "Kept"},\n{"title": ')
    assert items[0].title == "Kept"
    assert isinstance(items[1], RecordError) and items[1].line == 2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"cases": []}', "not a list of references"),
        ("[]", "empty"),
        ("[1, 2]", "something other than references"),
        ("[", "ends before"),
    ],
)
def test_json_that_is_not_a_reference_list(text, says):
    with pytest.raises(ImportFailure, match=says):
        parse_text(text)


def test_sniff():
    assert csl_json.sniff('[{"title": "x", "author": []}]', Path("a.txt")) >= 0.9
    assert csl_json.sniff('{"schema": 1}', Path("a.json")) == 0.4
    assert csl_json.sniff("plain text", Path("a.txt")) == 0.0
