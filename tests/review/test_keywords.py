"""Keyword highlighting: wildcards, whole words, phrases, overlaps, and the terms kept
per review."""

from __future__ import annotations

import pytest

from reviewer.review import keywords as kw
from reviewer.store import Store


def spans(text, include=(), exclude=()):
    compiled = kw.compile_terms(list(include), list(exclude))
    return [(text[s.start : s.end], s.kind) for s in kw.find_spans(text, compiled)]


def test_wildcards_stand_for_the_rest_of_a_word():
    text = "Randomised, randomized and non-randomised trials; a random effect."
    assert spans(text, ["random*"]) == [
        ("Randomised", "include"),
        ("randomized", "include"),
        ("randomised", "include"),  # after the hyphen: a word of its own
        ("random", "include"),
    ]
    assert spans("rituximab and lenalidomide", ["*mab"]) == [("rituximab", "include")]
    assert spans("paediatric and pediatric wards", ["p*diatric"]) == [
        ("paediatric", "include"),
        ("pediatric", "include"),
    ]


def test_whole_words_only_and_case_insensitive():
    assert spans("Rats, rat, rather, pirate", exclude=["rat"]) == [("rat", "exclude")]
    assert spans("RAT and Rat", exclude=["rat"]) == [("RAT", "exclude"), ("Rat", "exclude")]


def test_phrases_match_across_line_breaks():
    text = "a randomised\ncontrolled  trial of placebo"
    assert spans(text, ["randomi?ed controlled trial", "random* controlled trial"]) == [
        ("randomised\ncontrolled  trial", "include")
    ]


def test_special_characters_are_literal():
    assert spans("the (RCT) design, and C++ or IL-6", ["(RCT)", "C++", "IL-6"]) == [
        ("(RCT)", "include"),
        ("C++", "include"),
        ("IL-6", "include"),
    ]


def test_overlaps_keep_the_earliest_then_longest_match():
    text = "in vitro and in vivo mice"
    assert spans(text, include=["mice"], exclude=["in vitro", "vitro", "in vivo"]) == [
        ("in vitro", "exclude"),
        ("in vivo", "exclude"),
        ("mice", "include"),
    ]
    # the longer phrase wins over the term it contains
    assert spans("randomised controlled trial", ["randomised", "randomised controlled trial"]) == [
        ("randomised controlled trial", "include")
    ]


def test_no_terms_no_spans_and_bad_terms_refused():
    assert kw.compile_terms([], []) == []
    assert kw.find_spans("anything", []) == []
    with pytest.raises(ValueError):
        kw.compile_terms(["*"], [])
    assert kw.clean_terms(["  placebo ", "", "Placebo", "dose  finding"]) == [
        "placebo",
        "dose finding",
    ]


def test_terms_are_kept_per_review_with_an_event(review_path, template):
    store = Store.create(review_path, "Keywords", template)
    assert kw.keyword_terms(store) == {"include": [], "exclude": []}
    kw.set_keyword_terms(store, ["random*", "placebo"], ["mice", "rat*"], "ann")
    store.close()
    with Store(review_path) as again:
        assert kw.keyword_terms(again) == {
            "include": ["random*", "placebo"],
            "exclude": ["mice", "rat*"],
        }
        assert [s.kind for s in kw.highlight(again, "placebo in rats")] == ["include", "exclude"]
        [event] = [e for e in again.events() if e.kind == "setting.set"]
        assert event.payload["name"] == "keyword_terms"
        assert event.payload["after"]["exclude"] == ["mice", "rat*"]
