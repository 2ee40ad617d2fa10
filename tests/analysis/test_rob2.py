"""RoB 2: the algorithms' proposals, the template fields, quotes as support, the plot."""

from __future__ import annotations

import pytest

from reviewer.analysis import rob2, rob2_tool
from reviewer.annotate.selection import set_from_selection
from reviewer.domain import ParsedRecord
from reviewer.export.formats import export
from reviewer.review.project import create_review


def answers(**kw: str) -> dict[str, str]:
    return {k[1:].replace("_", "."): v for k, v in kw.items()}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (answers(q1_1="Y", q1_2="Y", q1_3="N"), "Low"),
        (answers(q1_1="NI", q1_2="PY", q1_3="NI"), "Low"),
        (answers(q1_1="N", q1_2="Y", q1_3="N"), "Some concerns"),
        (answers(q1_1="Y", q1_2="Y", q1_3="Y"), "Some concerns"),
        (answers(q1_1="Y", q1_2="NI", q1_3="N"), "Some concerns"),
        (answers(q1_1="Y", q1_2="NI", q1_3="PY"), "High"),
        (answers(q1_1="Y", q1_2="N"), "High"),
        (answers(q1_1="Y", q1_2="Y"), None),  # not answered enough to propose
    ],
)
def test_domain_1(given, expected):
    assert rob2_tool.domain1(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (answers(q2_1="N", q2_2="N", q2_6="Y"), "Low"),
        (answers(q2_1="Y", q2_2="N", q2_3="N", q2_6="Y"), "Low"),
        (answers(q2_1="Y", q2_2="Y", q2_3="NI", q2_6="Y"), "Some concerns"),
        (answers(q2_1="Y", q2_2="Y", q2_3="Y", q2_4="N", q2_6="Y"), "Some concerns"),
        (answers(q2_1="Y", q2_2="Y", q2_3="Y", q2_4="Y", q2_5="Y", q2_6="Y"), "Some concerns"),
        (answers(q2_1="Y", q2_2="Y", q2_3="Y", q2_4="PY", q2_5="N", q2_6="Y"), "High"),
        (answers(q2_1="N", q2_2="N", q2_6="N", q2_7="N"), "Some concerns"),
        (answers(q2_1="N", q2_2="N", q2_6="NI", q2_7="Y"), "High"),
        (answers(q2_6="N", q2_7="Y"), "High"),  # high whatever part 1 says
    ],
)
def test_domain_2(given, expected):
    assert rob2_tool.domain2(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (answers(q3_1="Y"), "Low"),
        (answers(q3_1="N", q3_2="PY"), "Low"),
        (answers(q3_1="N", q3_2="N", q3_3="PN"), "Low"),
        (answers(q3_1="NI", q3_2="N", q3_3="Y", q3_4="N"), "Some concerns"),
        (answers(q3_1="N", q3_2="N", q3_3="Y", q3_4="PY"), "High"),
    ],
)
def test_domain_3(given, expected):
    assert rob2_tool.domain3(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (answers(q4_1="Y"), "High"),
        (answers(q4_1="N", q4_2="Y"), "High"),
        (answers(q4_1="N", q4_2="N", q4_3="N"), "Low"),
        (answers(q4_1="N", q4_2="NI", q4_3="N"), "Some concerns"),
        (answers(q4_1="N", q4_2="N", q4_3="Y", q4_4="N"), "Low"),
        (answers(q4_1="N", q4_2="N", q4_3="Y", q4_4="Y", q4_5="N"), "Some concerns"),
        (answers(q4_1="PN", q4_2="PN", q4_3="Y", q4_4="Y", q4_5="PY"), "High"),
    ],
)
def test_domain_4(given, expected):
    assert rob2_tool.domain4(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (answers(q5_1="Y", q5_2="N", q5_3="N"), "Low"),
        (answers(q5_1="NI", q5_2="N", q5_3="PN"), "Some concerns"),
        (answers(q5_1="Y", q5_2="NI", q5_3="N"), "Some concerns"),
        (answers(q5_1="Y", q5_2="N", q5_3="PY"), "High"),
    ],
)
def test_domain_5(given, expected):
    assert rob2_tool.domain5(given) == expected


def test_overall_and_the_reviewers_judgement_overrides_the_proposal():
    assert rob2_tool.overall(["Low"] * 5) == "Low"
    assert rob2_tool.overall(["Low", "Some concerns", "Low", "Low", "Low"]) == "Some concerns"
    assert rob2_tool.overall(["Low", None, "High", "Low", "Low"]) == "High"
    assert rob2_tool.overall(["Low", None, "Low", "Low", "Low"]) is None
    values = {"rob2_1_1": "Y", "rob2_1_2": "Y", "rob2_1_3": "N", "rob2_d2": "High"}
    x = rob2.assess(7, values)
    assert x.proposed[1] == "Low" and x.final(2) == "High" and x.final_overall == "High"


def test_template_fields_and_quotes_only_support_answers(tmp_path):
    template = rob2.with_rob2(create_review(tmp_path / "t.review").template())
    assert rob2.has_rob2(template)
    assert len(rob2.fields()) == 22 + 5 + 1
    store = create_review(tmp_path / "r.review", template=template)
    text = "Allocation used sealed opaque envelopes held by the pharmacy."
    store.add_records(None, [ParsedRecord(title="T", text=text)])
    full = store.record(1).text
    start = full.index("sealed")
    with pytest.raises(ValueError, match="choose RoB 1.2 first"):
        set_from_selection(store, 1, "rob2_1_2", start, start + 23, "ann")
    store.set_value(1, "rob2_1_2", "Y", "ann")
    fv = set_from_selection(store, 1, "rob2_1_2", start, start + 23, "ann")
    assert fv.value == "Y" and fv.provenance[0].quote == "sealed opaque envelopes"
    store.close()


def test_traffic_light_plot(tmp_path):
    template = rob2.with_rob2(create_review(tmp_path / "t.review").template())
    store = create_review(tmp_path / "r.review", template=template)
    store.add_records(None, [ParsedRecord(title="T1", authors=["Smith, J"], year=2001, text="x"),
                             ParsedRecord(title="T2", authors=["Jones A"], year=2003, text="y")])  # fmt: skip
    for rid, answer in ((1, "Y"), (2, "N")):
        for q in ("1_1", "1_2"):
            store.set_value(rid, f"rob2_{q}", answer, "ann")
        store.set_value(rid, "rob2_1_3", "N", "ann")
    rows = rob2.assessments(store)
    assert [(x.record_id, x.proposed[1]) for x in rows] == [(1, "Low"), (2, "High")]
    assert export(store, "rob2-png", tmp_path / "rob.png").path.read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in export(store, "rob2-svg", tmp_path / "rob.svg").path.read_text()
    with pytest.raises(ValueError, match="writes a .svg file"):
        export(store, "rob2-svg", tmp_path / "rob.png")
    store.close()
