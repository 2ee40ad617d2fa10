"""Sources named by their database: PRISMA, the exports and merges use the name (issue 10)."""

from __future__ import annotations

import csv
import shutil

import pytest

from reviewer.export.csv_export import export_csv
from reviewer.export.prisma import prisma_svg
from reviewer.ingest import import_paths
from reviewer.review import merge
from reviewer.review.project import create_review
from reviewer.review.sources import guess_database
from reviewer.review.stats import stats
from reviewer.store import Store
from tests.conftest import DATA

EXPORTS = DATA / "search_exports" / "dimitrov_snhl"


@pytest.fixture
def store(tmp_path):
    s = create_review(tmp_path / "snhl.review")
    import_paths(s, [EXPORTS / n for n in ("medline.csv", "embase.csv", "scopus.csv")])
    yield s
    s.close()


def test_prisma_counts_records_per_named_database(store):
    by_file = {s.name: s.id for s in store.sources()}
    store.set_source_label(by_file["medline.csv"], "MEDLINE (PubMed)", "ann")
    store.set_source_label(by_file["embase.csv"], "Embase via Ovid", "ann")
    prisma = stats(store)["prisma"]
    assert prisma["identified_per_source"] == {
        "MEDLINE (PubMed)": 15, "Embase via Ovid": 14, "scopus.csv": 14,
    }  # fmt: skip
    svg = prisma_svg(prisma).replace("\u00a0", " ")
    assert "Embase via Ovid (n = 14)" in svg and "medline.csv" not in svg


def test_exports_name_the_database(store, tmp_path):
    store.set_source_label(store.sources()[2].id, "Scopus", "ann")
    out = tmp_path / "all.csv"
    export_csv(store, out, decision="any")
    with open(out, encoding="utf-8", newline="") as fh:
        sources = {row["source"] for row in csv.DictReader(fh)}
    assert sources == {"medline.csv", "embase.csv", "Scopus"}


def test_a_name_is_an_event_and_travels_with_a_merge(store, tmp_path):
    other_path = tmp_path / "bob.review"
    store.db.execute("pragma wal_checkpoint(truncate)")
    shutil.copy(store.path, other_path)
    with Store(other_path) as other:
        other.set_source_label(1, "PubMed", "bob")
    merge.merge(store, other_path, reviewer="ann")
    assert store.sources()[0].label == "PubMed"
    (event,) = [e for e in store.events() if e.kind == "source.label"]
    assert event.payload == {"source_id": 1, "name": "medline.csv", "before": "", "after": "PubMed"}


def test_a_database_is_suggested_from_the_file_name(store):
    assert [guess_database(s) for s in store.sources()] == [
        "MEDLINE (PubMed)", "Embase", "Scopus",
    ]  # fmt: skip
