"""Filters and their counts, checked against a plain-Python reading of the same rules
on a randomly screened review (duplicates, three reviewers, resolutions, tags, a
full text), for every combination of options."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter

import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.review import filters, screening, tags
from reviewer.review.settings import exclusion_reasons
from reviewer.store import Store
from reviewer.store.fulltexts import FullText
from reviewer.store.fulltexts import write as _write

REVIEWERS = ("ann", "bob", "cy")
REASONS = ("wrong population", "wrong outcomes", "wrong study design")
TAGS = ("RCT", "pediatric")
WORDS = ("myeloma", "placebo", "relapse", "mice", "dose")


@pytest.fixture(scope="module")
def review(tmp_path_factory, request):
    from reviewer.review.project import default_template

    path = tmp_path_factory.mktemp("filters") / "f.review"
    store = Store.create(path, "Filters", default_template())
    rng = random.Random(7)
    n = 80
    with store.atomic():
        sid = store.add_source(Source(name="s.ris", sha256="f" * 64, size=1, format="ris"))
        recs = [
            ParsedRecord(
                title=f"Study {i} {rng.choice(WORDS)}", text=" ".join(rng.sample(WORDS, 2))
            )
            for i in range(n)
        ]
        dups = [rng.randrange(1, i + 1) if i > 5 and rng.random() < 0.1 else None for i in range(n)]
        store.add_records(sid, recs, duplicate_of=dups)
    for stage in ("title_abstract", "full_text", "extraction"):
        for rid in screening.records_at_stage(store, stage):
            for reviewer in REVIEWERS:
                if rng.random() < 0.6:
                    _random_decision(store, rng, rid, stage, reviewer)
            if rng.random() < 0.15:
                decision = rng.choice(("include", "exclude"))
                reason = rng.choice(REASONS) if decision == "exclude" else ""
                screening.resolve(store, rid, stage, decision, reason, "judge")
    for rid in range(1, n + 1):
        for tag in TAGS:
            if rng.random() < 0.2:
                tags.add_tag(store, rid, tag, "ann")
    # records screened, then found to be duplicates (a later deduplication): they leave
    # every stage, and no count may include their decisions, resolutions or tags
    decided = [r[0] for r in store.db.execute("select distinct record_id from decisions")]
    resolved = [r[0] for r in store.db.execute("select record_id from resolutions")]
    for rid in (decided[-1], resolved[-1]):
        store.db.execute("update records set duplicate_of = 1 where id = ?", [rid])
    # a full text whose words only it has: search must find its record
    ft = FullText(3, "/x.pdf", "0" * 64, 1, "zebrafish larvae", [0], "ann", "t")
    with store.atomic():
        _write(store, ft)
    request.addfinalizer(store.close)
    return store


def _random_decision(store, rng, rid, stage, reviewer):
    decision = rng.choice(("include", "include", "exclude", "maybe"))
    reason = ""
    if decision == "exclude" and (stage == "full_text" or rng.random() < 0.7):
        reason = rng.choice(REASONS)
    screening.decide(store, rid, decision, reviewer, stage=stage, reason=reason)


# -- the rules, read plainly ------------------------------------------------------------------


class Plain:
    """Every record's screening state, computed in Python from the tables."""

    def __init__(self, store: Store):
        self.dup = {r.id: r.duplicate_of is not None for r in store.records()}
        self.decisions = {(d.record_id, d.stage, d.reviewer): d for d in store.decisions()}
        self._of: dict[tuple[int, str], list] = {}  # the decisions by record and stage
        for (rid, stage, _), d in self.decisions.items():
            self._of.setdefault((rid, stage), []).append(d)
        self.resolutions = {
            (r[0], r[1]): (r[2], r[3])
            for r in store.db.execute("select record_id, stage, decision, reason from resolutions")
        }
        self.tags = {(r[0], r[1].casefold()) for r in store.db.execute("select * from record_tags")}
        self.texts = {
            r.id: f"{r.title} {' '.join(r.authors)} {r.text}".lower() for r in store.records()
        }
        self.texts[3] += " zebrafish larvae"

    def of(self, rid, stage):
        return self._of.get((rid, stage), [])

    def final(self, rid, stage):
        if (rid, stage) in self.resolutions:
            return self.resolutions[(rid, stage)][0]
        kinds = {d.decision == "exclude" for d in self.of(rid, stage)}
        if kinds == {True}:
            return "exclude"
        if kinds == {False}:
            return "include"
        return None

    def conflict(self, rid, stage):
        kinds = {d.decision == "exclude" for d in self.of(rid, stage)}
        return kinds == {True, False} and (rid, stage) not in self.resolutions

    def reason(self, rid, stage):
        if (rid, stage) in self.resolutions:
            return self.resolutions[(rid, stage)][1]
        given = Counter(
            d.reason for d in self.of(rid, stage) if d.decision == "exclude" and d.reason
        )
        return min(given.items(), key=lambda kv: (-kv[1], kv[0]))[0] if given else ""

    def at_stage(self, stage):
        ids = [rid for rid, dup in self.dup.items() if not dup]
        for earlier in ("title_abstract", "full_text"):
            if earlier == stage:
                break
            ids = [rid for rid in ids if self.final(rid, earlier) == "include"]
        return ids

    def passes(self, rid, f, skip=()):
        mine = self.decisions.get((rid, f.stage, f.reviewer)) if f.reviewer else None
        if f.decision is not None and "decision" not in skip:
            if f.reviewer:
                got = mine.decision if mine else "undecided"
                if got != f.decision:
                    return False
            elif f.decision == "maybe":
                if not any(d.decision == "maybe" for d in self.of(rid, f.stage)):
                    return False
            elif f.decision == "undecided":
                if self.of(rid, f.stage) or (rid, f.stage) in self.resolutions:
                    return False
            elif self.final(rid, f.stage) != f.decision:
                return False
        if (
            f.conflict is not None
            and "conflict" not in skip
            and self.conflict(rid, f.stage) != f.conflict
        ):
            return False
        if f.reason and "reason" not in skip:
            got = (mine.reason if mine else "") if f.reviewer else self.reason(rid, f.stage)
            if got != f.reason:
                return False
        if f.tag and "tag" not in skip and (rid, f.tag.casefold()) not in self.tags:
            return False
        if f.reviewer and f.decision is None and "reviewer" not in skip and mine is None:
            return False
        return not (f.search and f.search not in self.texts[rid])

    def ids(self, f):
        return [rid for rid in self.at_stage(f.stage) if self.passes(rid, f)]

    def counts(self, store, f):
        def over(facet):
            return [
                r for r in self.at_stage(f.stage) if self.passes(r, f, filters._FACET_SKIPS[facet])
            ]

        base = over("decision")
        if f.reviewer:
            got = Counter(
                self.decisions[(r, f.stage, f.reviewer)].decision
                if (r, f.stage, f.reviewer) in self.decisions
                else "undecided"
                for r in base
            )
        else:
            got = Counter(self.final(r, f.stage) for r in base if self.final(r, f.stage))
            got["maybe"] = sum(
                any(d.decision == "maybe" for d in self.of(r, f.stage)) for r in base
            )
            got["undecided"] = sum(
                not self.of(r, f.stage) and (r, f.stage) not in self.resolutions for r in base
            )
        conflicts = sum(self.conflict(r, f.stage) for r in over("conflict"))
        reasons = dict.fromkeys(exclusion_reasons(store), 0)
        for r in over("reason"):
            if f.reviewer:
                d = self.decisions.get((r, f.stage, f.reviewer))
                reason = d.reason if d else ""
            else:
                reason = self.reason(r, f.stage)
            if reason:
                reasons[reason] = reasons.get(reason, 0) + 1
        tag_counts = {t: 0 for t in TAGS}
        for r in over("tag"):
            for t in TAGS:
                tag_counts[t] += (r, t.casefold()) in self.tags
        reviewers = Counter(
            who
            for r in over("reviewer")
            for (rid, s, who) in self.decisions
            if (rid, s) == (r, f.stage)
        )
        return {
            "total": len(self.ids(f)),
            "decision": {k: got.get(k, 0) for k in filters.DECISION_OPTIONS},
            "conflict": {"conflict": conflicts, "no_conflict": len(over("conflict")) - conflicts},
            "reason": reasons,
            "tag": dict(sorted(tag_counts.items(), key=lambda kv: kv[0].casefold())),
            "reviewer": dict(sorted(reviewers.items())),
        }


OPTIONS = {
    "stage": ("title_abstract", "full_text", "extraction"),
    "decision": (None, "include", "exclude", "maybe", "undecided"),
    "conflict": (None, True, False),
    "reason": (None, "wrong population"),
    "tag": (None, "rct"),
    "reviewer": (None, "bob"),
    "search": ("", "placebo", "zebrafish"),
}


def all_filters():
    keys = list(OPTIONS)
    for values in itertools.product(*(OPTIONS[k] for k in keys)):
        yield filters.Filter(**dict(zip(keys, values, strict=True)))


def test_the_random_review_has_every_situation(review):
    plain = Plain(review)
    ta = plain.at_stage("title_abstract")
    assert any(plain.dup.values())
    assert any(plain.dup[r] for (r, _, _) in plain.decisions)  # screened, then a duplicate
    assert any(plain.dup[r] for (r, _) in plain.resolutions)
    assert any(plain.conflict(r, "title_abstract") for r in ta)
    assert any((r, "title_abstract") in plain.resolutions for r in ta)
    assert plain.at_stage("extraction")


def test_ids_and_counts_follow_the_rules_for_every_combination(review):
    plain = Plain(review)
    checked = 0
    # some records, in the ranking's order (not import order), some duplicates among them
    among = random.Random(3).sample(range(1, 81), 30) + [999]
    for f in all_filters():
        kwargs = dataclasses.asdict(f)
        expected_ids = plain.ids(f)
        assert filters.filter_record_ids(review, **kwargs) == expected_ids, f
        # the list's first page (issue 14): the same records, however it is worked out
        for limit in (1, 7):
            first = filters.filter_record_ids(review, limit=limit, **kwargs)
            assert first == expected_ids[:limit], (f, limit)
        # those of some records, as the list in relevance order asks for its first page
        some = filters.filter_record_ids(review, among=among, **kwargs)
        assert some == [rid for rid in expected_ids if rid in among], f
        ids, counts = filters.filter_records(review, **kwargs)
        assert ids == expected_ids, f
        assert counts == plain.counts(review, f), f
        checked += 1
    assert checked == 3 * 5 * 3 * 2 * 2 * 2 * 3


def test_counts_with_nothing_chosen(review):
    counts = filters.filter_counts(review, "title_abstract")
    at_stage = len(screening.records_at_stage(review, "title_abstract"))
    assert counts["total"] == at_stage
    d = counts["decision"]
    assert d["include"] + d["exclude"] + d["undecided"] + counts["conflict"]["conflict"] == at_stage


def test_punctuation_only_search_matches_nothing(review):
    assert filters.filter_record_ids(review, search='"*') == []
    assert filters.filter_counts(review, search="()")["total"] == 0


def test_an_unknown_decision_option_is_refused(review):
    with pytest.raises(ValueError, match="unknown decision"):
        filters.filter_record_ids(review, decision="perhaps")


def test_a_viewer_is_a_point_of_view_never_a_filter(review):
    """Bug 2 of issue 10: the blinded viewer reads decisions as theirs, and an "any"
    decision still lists every record at the stage, decided by them or not."""
    every = filters.filter_record_ids(review, "title_abstract")
    assert filters.filter_record_ids(review, "title_abstract", viewer="ann") == every
    mine = set(filters.filter_record_ids(review, "title_abstract", reviewer="ann"))
    undecided = filters.filter_record_ids(
        review, "title_abstract", decision="undecided", viewer="ann"
    )
    assert set(undecided) == set(every) - mine
    counts = filters.filter_counts(review, "title_abstract", viewer="ann")
    assert counts["total"] == len(every)
    assert counts["decision"]["undecided"] == len(undecided)
