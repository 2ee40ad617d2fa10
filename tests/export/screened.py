"""A screened copy of the demo review, made through the same functions the app uses.

Two reviewers screen titles and abstracts (agreeing, disagreeing, some conflicts
resolved), one screens full texts (with a report that could not be retrieved),
and the included records get values with provenance, a note and a tag. Two
duplicates are added so that PRISMA has something to remove.
"""

from __future__ import annotations

from reviewer.annotate import add_note
from reviewer.domain import ParsedRecord, Span
from reviewer.review import screening as sc
from reviewer.review.tags import add_tag
from reviewer.store import Store

TA, FT = "title_abstract", "full_text"


def add_duplicates(store: Store) -> list[int]:
    first, second = store.record_ids()[:2]
    source = store.record(first).source_id
    dups = [ParsedRecord(title=store.record(rid).title, text="copy") for rid in (first, second)]
    return store.add_records(source, dups, duplicate_of=[first, second])


def screen_titles(store: Store) -> None:
    for i, rid in enumerate(sc.records_at_stage(store, TA)):
        if i % 5 == 0:
            sc.decide(store, rid, "exclude", "alice", TA, reason="wrong population")
            sc.decide(store, rid, "exclude", "bob", TA, reason="wrong study design", note="n=1")
        elif i % 5 == 1:
            sc.decide(store, rid, "include", "alice", TA)
            sc.decide(store, rid, "exclude", "bob", TA, reason="wrong intervention")
            if i % 10 == 1:
                sc.resolve(store, rid, TA, "include", "", "carol", note="abstract mentions it")
        elif i == 3:
            sc.decide(store, rid, "maybe", "alice", TA, note="check the full text")
            sc.decide(store, rid, "include", "bob", TA)
        else:
            sc.decide(store, rid, "include", "alice", TA)
            sc.decide(store, rid, "include", "bob", TA)


def screen_full_texts(store: Store) -> None:
    at_full_text = sc.records_at_stage(store, FT)
    for i, rid in enumerate(at_full_text[:-1]):  # the last one is left undecided
        if i % 4 == 0:
            sc.decide(store, rid, "exclude", "alice", FT, reason="full text not retrievable")
        elif i % 4 == 1:
            sc.decide(store, rid, "exclude", "alice", FT, reason="wrong outcomes")
        else:
            sc.decide(store, rid, "include", "alice", FT, note="eligible")


def extract(store: Store) -> list[int]:
    """Values with provenance on the included records; returns their ids."""
    included = sc.records_at_stage(store, "extraction")
    for n, rid in enumerate(included):
        text = store.record(rid).text
        word = text.split()[3]
        at = text.index(word)
        span = Span.from_text(text, at, at + len(word), page=1)
        store.set_value(rid, "sample_size", 40 + n, "alice", provenance=[span])
        store.set_value(rid, "age", 61.5, "bob")
        store.set_value(rid, "condition", word, "alice", provenance=[span])
        second = Span.from_text(text, 0, 5)
        store.set_value(rid, "interventions", ["lenalidomide", "dexamethasone"], "alice",
                        provenance=[span, second])  # fmt: skip
    if included:
        add_note(store, included[0], 0, 10, "check the dose", "bob")
        add_tag(store, included[0], "RCT", "alice")
    return included


def screened_demo(path) -> Store:
    store = Store(path)
    add_duplicates(store)
    screen_titles(store)
    screen_full_texts(store)
    extract(store)
    return store
