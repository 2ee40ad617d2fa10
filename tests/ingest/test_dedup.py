"""Deduplication: what is merged automatically, what is only a candidate, what is neither.

The rules under test (issue 3): exact DOI or PMID; then the same normalised title with
years at most one apart and a shared author surname; then similar titles, stored as
candidates for a person. An erratum, a part II, or the same title years apart by other
authors are different articles. The first record imported is the one a group keeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest import import_paths
from reviewer.ingest.dedup import Deduplicator, surnames, title_key
from reviewer.store import Store, duplicates

TITLE = "Lenalidomide maintenance after autologous transplantation for multiple myeloma"


def rec(title: str = TITLE, **kw) -> ParsedRecord:
    kw.setdefault("authors", ["McCarthy PL", "Owzar K"])
    kw.setdefault("year", 2012)
    return ParsedRecord(title=title, **kw)


def verdicts(*records: ParsedRecord) -> list:
    """Each record's verdict, as an import of them in this order would give (ids 1, 2 ...)."""
    d = Deduplicator()
    return [d.assign(r, i) for i, r in enumerate(records, start=1)]


def merged(*records: ParsedRecord) -> list[int | None]:
    return [v.duplicate_of for v in verdicts(*records)]


# -- stage 1: identifiers -----------------------------------------------------------------


def test_the_same_doi_in_any_spelling_is_a_duplicate_of_the_first():
    out = verdicts(
        rec(doi="10.1056/NEJMoa1114083"),
        rec("Something else entirely", doi="https://doi.org/10.1056/nejmoa1114083"),
        rec("And another title", doi="doi:10.1056/NEJMOA1114083."),
    )
    assert [v.duplicate_of for v in out] == [None, 1, 1]
    assert out[1].stage == "doi"


def test_the_same_pmid_is_a_duplicate():
    out = verdicts(rec(pmid="22571200"), rec("Other words", pmid="22571200", authors=[]))
    assert out[1].duplicate_of == 1 and out[1].stage == "pmid"


# -- stage 2: the same normalised title, year within one, a shared surname --------------------


def test_the_same_title_spelled_differently_with_a_shared_author_is_merged():
    out = verdicts(
        rec(),
        rec(TITLE.upper() + ".", authors=["McCarthy, P. L.", "Someone Else"], year=2013),
        rec("Lenalidomide  maintenance, after autologous-transplantation for Multiple Myeloma?"),
    )
    assert [v.duplicate_of for v in out] == [None, 1, 1]
    assert out[1].stage == "title"


def test_accents_and_markup_do_not_hide_a_duplicate():
    assert merged(
        rec("Étude de la <i>lénalidomide</i> chez le sujet âgé", authors=["Müller A"]),
        rec("Etude de la lenalidomide chez le sujet age", authors=["Muller A"]),
    ) == [None, 1]


def test_records_without_authors_on_both_sides_match_on_title_and_year():
    assert merged(rec(authors=[]), rec(authors=[])) == [None, 1]


@pytest.mark.parametrize(
    "other",
    [
        rec(year=2016),  # the same title four years later ...
        rec(authors=["Attal M", "Lauwers-Cances V"]),  # ... or by other authors
        rec(year=2016, authors=["Attal M"]),  # ... or both
        rec(doi="10.1000/other"),  # two different DOIs say two articles
    ],
    ids=["years-apart", "other-authors", "both", "different-doi"],
)
def test_the_same_title_alone_is_not_enough(other):
    first = rec(doi="10.1056/nejmoa1114083") if other.doi else rec()
    out = verdicts(first, other)
    assert out[1].duplicate_of is None
    assert out[1].candidates == ()  # and not even a candidate


@pytest.mark.parametrize(
    "notice",
    [
        f"Erratum: {TITLE}",
        f"Correction to: {TITLE}",
        f"Corrigendum to “{TITLE}”",
        f"{TITLE}. Erratum",
        f"Retraction notice: {TITLE}",
        f"Reply to: {TITLE}",
    ],
)
def test_an_erratum_or_a_notice_is_not_a_duplicate(notice):
    # same authors, same year: only the marker in the title tells them apart
    out = verdicts(rec(), rec(notice))
    assert out[1].duplicate_of is None
    assert out[1].candidates == ()


def test_an_erratum_is_a_duplicate_of_the_same_erratum():
    assert merged(rec(f"Erratum: {TITLE}"), rec(f"ERRATUM - {TITLE}.")) == [None, 1]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (f"{TITLE}, part I", f"{TITLE}, part II"),
        (f"{TITLE}: Part 1", f"{TITLE}: Part 2"),
        (TITLE, f"{TITLE}, part II."),
        (f"{TITLE}. Part two", f"{TITLE}. Part three"),
    ],
)
def test_parts_of_a_series_are_not_duplicates(first, second):
    out = verdicts(rec(first), rec(second))
    assert out[1].duplicate_of is None
    assert out[1].candidates == ()


def test_the_same_part_spelled_two_ways_is_one_part():
    assert title_key(f"{TITLE}, Part II")[1] == title_key(f"{TITLE}: part 2")[1] == ("part 2",)
    assert merged(rec(f"{TITLE}, Part II"), rec(f"{TITLE} - PART II")) == [None, 1]


# -- stage 3: similar titles are candidates, never merged -----------------------------------


def test_a_typo_makes_a_candidate_not_a_merge():
    typo = TITLE.replace("autologous", "autologus")
    out = verdicts(rec(), rec(typo))
    assert out[1].duplicate_of is None
    ((kept, score),) = out[1].candidates
    assert kept == 1 and 90 <= score < 100


def test_a_candidate_points_at_the_kept_record_of_a_group():
    typo = TITLE.replace("maintenance", "maintenence")
    out = verdicts(rec(doi="10.1/a"), rec(doi="10.1/A"), rec(typo))
    assert out[1].duplicate_of == 1
    assert [kept for kept, _ in out[2].candidates] == [1]


def test_a_different_title_with_the_same_opening_is_no_candidate():
    other = TITLE[:40] + " is followed by something else altogether in the other one"
    assert verdicts(rec(), rec(other))[1].candidates == ()


def test_a_short_title_is_never_matched_on_title_alone():
    assert merged(rec("Editorial"), rec("Editorial")) == [None, None]


def test_surnames_from_the_spellings_databases_use():
    assert surnames(["Smith J"]) == surnames(["Smith, J."]) == surnames(["John Smith"])
    assert surnames(["van der Berg AB"]) == {"berg"}
    assert surnames(["Dolores Chirlaque M"]) & surnames(["Dolores, Chirlaque M."])


# -- through the importer ------------------------------------------------------------------


def ris(*records: dict) -> str:
    out = []
    for r in records:
        lines = ["TY  - JOUR", f"TI  - {r['title']}"]
        lines += [f"AU  - {a}" for a in r.get("authors", ["McCarthy PL"])]
        lines.append(f"PY  - {r.get('year', 2012)}")
        if r.get("doi"):
            lines.append(f"DO  - {r['doi']}")
        lines.append("ER  - ")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "Dedup", template)
    yield s
    s.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicates_within_one_batch_and_against_the_review(store, tmp_path, monkeypatch):
    from reviewer.ingest import batches

    monkeypatch.setattr(batches, "BATCH", 3)
    first = write(tmp_path, "a.ris", ris(
        {"title": "Alpha trial of lenalidomide in myeloma", "doi": "10.1/alpha"},
        {"title": "ALPHA TRIAL OF LENALIDOMIDE IN MYELOMA."},  # same batch, by title
        {"title": "Beta study of bortezomib in lymphoma"},
        {"title": "Another name", "doi": "https://doi.org/10.1/ALPHA"},  # next batch, DOI
    ))  # fmt: skip
    second = write(tmp_path, "b.ris", ris(
        {"title": "Beta study of bortezomib in lymphoma", "year": 2013},  # the review's
        {"title": "Erratum: Beta study of bortezomib in lymphoma"},
    ))  # fmt: skip
    report = import_paths(store, [first, second])
    assert (report.added, report.duplicates) == (3, 3)
    assert duplicates.duplicate_map(store) == {1: None, 2: 1, 3: None, 4: 1, 5: 3, 6: None}
    assert duplicates.group(store, 4) == [1, 2, 4]
    # every record stays stored with its source, in import order
    assert [(r.source_id, r.source_index) for r in store.records()] == [
        (1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (2, 1)
    ]  # fmt: skip
    assert duplicates.counts_by_source(store) == {1: (4, 2), 2: (2, 1)}


def test_a_typo_is_stored_as_a_pending_candidate(store, tmp_path):
    typo = TITLE.replace("transplantation", "transplantaton")
    path = write(tmp_path, "c.ris", ris({"title": TITLE}, {"title": typo}))
    report = import_paths(store, [path])
    assert (report.added, report.duplicates) == (2, 0)
    assert "duplicates view" in report.files[0].notes[-1]
    (cand,) = duplicates.candidates(store)
    assert (cand.record_id, cand.candidate_of, cand.status) == (2, 1, "pending")
    assert duplicates.duplicate_map(store) == {1: None, 2: None}


def test_a_second_review_session_finds_duplicates_of_stored_records(store, tmp_path):
    import_paths(store, [write(tmp_path, "a.ris", ris({"title": TITLE, "doi": "10.1/x"}))])
    report = import_paths(store, [write(tmp_path, "b.ris", ris({"title": TITLE.lower()}))])
    assert report.duplicates == 1
    assert duplicates.duplicate_map(store) == {1: None, 2: 1}


def test_records_added_from_elsewhere_during_an_import_stop_it_cleanly(
    store, tmp_path, monkeypatch
):
    """Duplicates are checked ahead of the writes with the ids records will get; if the
    review grows meanwhile, the import stops with a clear error and resumes later."""
    from reviewer.domain import Source
    from reviewer.ingest import batches

    monkeypatch.setattr(batches, "BATCH", 2)
    titles = [f"Trial number {i} of lenalidomide in myeloma" for i in range(6)]
    path = write(tmp_path, "a.ris", ris(*({"title": t} for t in titles)))

    def elsewhere(progress):
        if progress.records_done == 2:
            with store.atomic():
                sid = store.add_source(Source(name="x", sha256="1" * 64, size=1, format="ris"))
                store.add_records(sid, [ParsedRecord(title=titles[0])])

    report = import_paths(store, [path], progress=elsewhere)
    assert report.added == 2
    assert "from elsewhere" in report.files[0].errors[0]
    report = import_paths(store, [path])  # resumes, with the review as it is now
    assert (report.added, report.duplicates) == (4, 0)
    assert [r.title for r in store.records()] == [titles[0], titles[1], titles[0], *titles[2:]]
