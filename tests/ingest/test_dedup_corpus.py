"""Automatic merges on make_corpus.py's 2,000 records reach precision and recall >= 0.98.

The corpus (``../shared/bench/make_corpus.py``, default duplicate rate) holds
near-duplicates as a second database would export them (case, punctuation, authors
re-spelled, a field missing, a character dropped, a year later) and records that only
look like an earlier one (an erratum, a part II). Its truth file names each duplicate
and the record it repeats, by 1-based position, which in a fresh review is the record
id. Both the RIS and the MEDLINE export go through the real ``import_paths``. The test
reads the bench's generator from tests/data/bench.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.ingest import import_paths
from reviewer.review.project import create_review
from reviewer.store import duplicates
from tests.conftest import make_corpus

N = 2000


def corpus(path: Path) -> dict[int, int]:
    make_corpus(N, path)
    rows = path.with_suffix(".truth.tsv").read_text().splitlines()[1:]
    return dict((int(d), int(o)) for d, o in (r.split("\t") for r in rows))


def precision_recall(merged: dict[int, int | None], truth: dict[int, int]) -> tuple[float, float]:
    """A merge is right when both records belong to one true group (chains followed)."""

    def root(k: int) -> int:
        while k in truth:
            k = truth[k]
        return k

    made = {k: v for k, v in merged.items() if v}
    right = sum(1 for k, v in made.items() if root(k) == root(v))
    return right / len(made), right / len(truth)


@pytest.mark.parametrize("suffix", ["ris", "nbib"])
def test_automatic_merges_are_precise_and_complete(tmp_path, suffix):
    path = tmp_path / f"corpus.{suffix}"
    truth = corpus(path)
    with create_review(tmp_path / "r.review") as store:
        report = import_paths(store, [path])
        assert report.added + report.duplicates == N
        assert not report.files[0].errors
        merged = duplicates.duplicate_map(store)
        precision, recall = precision_recall(merged, truth)
        print(f"{suffix}: precision {precision:.4f}, recall {recall:.4f}")
        assert precision >= 0.98
        assert recall >= 0.98
        # what the automatic stages leave (a dropped character with no DOI) waits as
        # candidates, and none of them merges anything by itself
        for cand in duplicates.candidates(store):
            assert merged[cand.record_id] is None


def test_forgetting_what_was_checked_changes_no_verdict(tmp_path, monkeypatch):
    """A long import forgets the records it checked once they are stored, and reads
    them back by key (issue 14: memory flat at 1,000,000 records): every merge and
    every candidate is the same as when it remembers them all."""
    from reviewer.ingest import batches

    path = tmp_path / "corpus.ris"
    corpus(path)
    results = []
    for forget_every in (10**9, 300):
        monkeypatch.setattr(batches, "BATCH", 100)
        monkeypatch.setattr(batches, "FORGET_EVERY", forget_every)
        with create_review(tmp_path / f"r{forget_every}.review") as store:
            import_paths(store, [path])
            cands = sorted((c.record_id, c.candidate_of) for c in duplicates.candidates(store))
            results.append((duplicates.duplicate_map(store), cands))
    assert results[0] == results[1]
    assert any(results[0][0].values()) and results[0][1]  # there was something to find
