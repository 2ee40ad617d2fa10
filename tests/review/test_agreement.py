"""Agreement statistics against values worked out by hand.

Notation: a = both include, b = first include / second exclude, c = first exclude /
second include, d = both exclude, n = a + b + c + d; po = (a + d) / n;
pe = p1 p2 + (1 - p1)(1 - p2) with p1 = (a + b) / n and p2 = (a + c) / n;
kappa = (po - pe) / (1 - pe); PABAK = 2 po - 1.
"""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.review import agreement as ag
from reviewer.review import screening
from reviewer.review.stats import stats
from reviewer.store import Store


def test_a_textbook_table():
    # a=20 b=5 c=10 d=15, n=50: po = 35/50 = 0.7; p1 = 25/50 = 0.5, p2 = 30/50 = 0.6;
    # pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4; PABAK = 0.4
    t = ag.PairTable(20, 5, 10, 15)
    assert t.n == 50
    assert ag.percent_agreement(t) == pytest.approx(70.0)
    assert ag.cohens_kappa(t) == pytest.approx(0.4)
    assert ag.pabak(t) == pytest.approx(0.4)
    assert t.matrix() == [[20, 5], [10, 15]]


def test_the_kappa_paradox_high_agreement_low_kappa():
    # a=40 b=5 c=5 d=0, n=50: po = 0.8; p1 = p2 = 0.9; pe = 0.81 + 0.01 = 0.82;
    # kappa = (0.8 - 0.82) / 0.18 = -1/9; PABAK = 0.6 (what it is for)
    t = ag.PairTable(40, 5, 5, 0)
    assert ag.cohens_kappa(t) == pytest.approx(-1 / 9)
    assert ag.pabak(t) == pytest.approx(0.6)
    assert ag.percent_agreement(t) == pytest.approx(80.0)


def test_complete_disagreement():
    # a=0 b=3 c=2 d=0, n=5: po = 0; p1 = 0.6, p2 = 0.4; pe = 0.24 + 0.24 = 0.48;
    # kappa = -0.48 / 0.52 = -12/13; PABAK = -1
    t = ag.PairTable(0, 3, 2, 0)
    assert ag.cohens_kappa(t) == pytest.approx(-12 / 13)
    assert ag.pabak(t) == -1
    assert ag.percent_agreement(t) == 0


def test_perfect_agreement_using_both_categories_is_kappa_one():
    # a=3 d=2: po = 1; pe = 0.6*0.6 + 0.4*0.4 = 0.52; kappa = 0.48 / 0.48 = 1
    t = ag.PairTable(3, 0, 0, 2)
    assert ag.cohens_kappa(t) == pytest.approx(1.0)
    assert ag.pabak(t) == 1


def test_perfect_agreement_on_one_category_leaves_kappa_undefined():
    # a=10: po = 1 and pe = 1*1 + 0*0 = 1, so kappa is 0/0: None, not 1 or 0
    for t in (ag.PairTable(10, 0, 0, 0), ag.PairTable(0, 0, 0, 7)):
        assert ag.cohens_kappa(t) is None
        assert ag.percent_agreement(t) == 100
        assert ag.pabak(t) == 1


def test_no_records_in_common_gives_no_numbers():
    t = ag.PairTable()
    assert (ag.cohens_kappa(t), ag.percent_agreement(t), ag.pabak(t)) == (None, None, None)


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Agreement", template)
    with s.atomic():
        sid = s.add_source(Source(name="t.ris", sha256="b" * 64, size=1, format="ris"))
        s.add_records(sid, [ParsedRecord(title=f"Study {i}") for i in range(50)])
    yield s
    s.close()


def _decide_pattern(store, pattern):
    """pattern: (ann's decision, bob's decision, how many records)."""
    rid = 1
    for ann, bob, count in pattern:
        for _ in range(count):
            screening.decide(store, rid, ann, "ann")
            screening.decide(store, rid, bob, "bob")
            rid += 1
    return rid


def test_pairs_are_tabled_from_decisions_with_maybe_as_include(store):
    # the textbook table again, with some includes given as "maybe"
    _decide_pattern(
        store,
        [
            ("include", "include", 15),
            ("maybe", "include", 3),
            ("include", "maybe", 2),
            ("include", "exclude", 3),
            ("maybe", "exclude", 2),
            ("exclude", "include", 10),
            ("exclude", "exclude", 15),
        ],
    )
    screening.decide(store, 1, "exclude", "cy")  # cy screened one record, with ann and bob
    pairs = {p.reviewers: p for p in ag.agreement(store, "title_abstract")}
    assert set(pairs) == {("ann", "bob"), ("ann", "cy"), ("bob", "cy")}
    ann_bob = pairs[("ann", "bob")]
    assert ann_bob.table == ag.PairTable(20, 5, 10, 15)
    assert ann_bob.kappa == pytest.approx(0.4)
    # ann and cy share record 1 only: ann include, cy exclude
    assert pairs[("ann", "cy")].table == ag.PairTable(0, 1, 0, 0)
    assert ag.agreement(store, "full_text") == []


def test_stats_json_shape(store):
    _decide_pattern(store, [("include", "include", 4), ("exclude", "exclude", 4)])
    screening.decide(store, 9, "include", "ann")
    screening.decide(store, 9, "exclude", "bob", reason="wrong population")
    screening.decide(store, 10, "exclude", "ann", reason="wrong outcomes")
    screening.decide(store, 1, "exclude", "ann", stage="full_text", reason="wrong outcomes")
    screening.decide(
        store, 2, "exclude", "ann", stage="full_text", reason="full text not retrievable"
    )
    screening.decide(store, 3, "include", "ann", stage="full_text")
    out = stats(store)
    ta = out["stages"]["title_abstract"]
    assert ta["records"] == 50
    assert ta["screened"] == 10
    assert ta["decisions"] == {"include": 9, "exclude": 10, "maybe": 0}  # ann 5+5, bob 4+5
    assert ta["final"] == {"include": 4, "exclude": 5, "conflict": 1, "undecided": 40}
    assert ta["reviewers"]["ann"] == {"screened": 10, "include": 5, "exclude": 5, "maybe": 0}
    assert ta["reasons"] == {"unspecified": 4, "wrong outcomes": 1}
    [pair] = ta["agreement"]
    assert pair == {
        "reviewers": ["ann", "bob"],
        "n": 9,
        "kappa": pytest.approx(0.7805, abs=1e-4),  # a=4 b=1 c=0 d=4: po=8/9, pe=0.4938
        "percent_agreement": pytest.approx(88.8889, abs=1e-4),
        "pabak": pytest.approx(0.7778, abs=1e-4),
        "table": [[4, 1], [0, 4]],
    }
    prisma = out["prisma"]
    assert prisma["identified"] == 50
    assert prisma["screened"] == 50
    assert prisma["excluded_screening"] == 5
    assert prisma["sought_for_retrieval"] == 4
    assert prisma["not_retrieved"] == 1
    assert prisma["assessed_for_eligibility"] == 3
    assert prisma["excluded_full_text"] == 1
    assert prisma["excluded_full_text_reasons"] == {"wrong outcomes": 1}
    assert prisma["included"] == 1
    assert out["records"]["per_source"] == [
        {"source_id": 1, "name": "t.ris", "label": "", "format": "ris", "records": 50,
         "duplicates": 0}
    ]  # fmt: skip
