"""The drug and disease lexicons shipped in resources/lexicon, and matching against them."""

from __future__ import annotations

import json

import pytest

from reviewer.suggest import lexicon


def _names(text: str) -> list[str]:
    return [n for m in lexicon.drug_matcher().find(text) for n in m.names]


def test_the_drug_lexicon_is_substantial_and_consistent():
    data = json.loads((lexicon.lexicon_dir() / "drugs.json").read_text(encoding="utf-8"))
    generics = {d["name"] for d in data["drugs"]}
    assert len(generics) >= 300
    assert all(
        name == name.lower() or " " in name or "-" in name for name in generics if name.islower()
    )
    for regimen in data["regimens"]:
        assert set(regimen["components"]) <= generics, regimen["name"]
    for name in ("VRd", "KRd", "DRd", "Rd"):
        assert any(r["name"] == name for r in data["regimens"])


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Revlimid", ["lenalidomide"]),
        ("treated with Len and Dex", ["lenalidomide", "dexamethasone"]),
        ("VELCADE", ["bortezomib"]),
        ("KRd", ["carfilzomib", "lenalidomide", "dexamethasone"]),
        ("R-CHOP", ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"]),
        ("brentuximab vedotin", ["brentuximab vedotin"]),
        ("Ara-C", ["cytarabine"]),
        ("5-FU", ["fluorouracil"]),
    ],
)
def test_brands_abbreviations_and_regimens_map_to_generic_names(text, names):
    assert _names(text) == names


def test_abbreviations_match_only_as_printed():
    assert _names("len") == []  # "Len" is lenalidomide; "len" is not
    assert _names("lenalidomide-based regimens") == ["lenalidomide"]
    assert _names("Lenalidomide") == ["lenalidomide"]


def test_the_longest_phrase_wins():
    found = lexicon.conditions().matcher.find("peripheral T-cell lymphoma")
    assert [m.names[0] for m in found] == ["peripheral T-cell lymphoma"]


def test_the_version_changes_with_the_lexicon():
    from reviewer.suggest import SUGGESTER_VERSION

    assert SUGGESTER_VERSION.endswith(lexicon.lexicon_digest())
