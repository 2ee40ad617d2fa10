"""Duplicate keys kept in the review: an import reads only the stored records it needs.

Each stored record's keys (folded title, markers, first and last characters, DOI) are
indexed in ``dedup_keys``; an import looks up the stored records sharing a key with
what it adds instead of loading every record of the review. Importing a file in
three parts must give exactly the groups and candidates of importing it at once, a
review whose keys are missing (made before they were kept) gets them on its next
import, and checking a few records reads a few stored records, not the review.
"""

from __future__ import annotations

import random
from pathlib import Path

from reviewer.domain import ParsedRecord
from reviewer.ingest import import_paths
from reviewer.ingest.dedup import Deduplicator
from reviewer.review.project import create_review
from reviewer.store import duplicates

WORDS = [
    "lenalidomide",
    "maintenance",
    "myeloma",
    "transplantation",
    "randomised",
    "trial",
    "survival",
    "relapse",
    "bortezomib",
    "dexamethasone",
    "elderly",
    "patients",
    "outcomes",
    "cohort",
    "response",
    "quality",
    "life",
    "thalidomide",
    "induction",
    "consolidation",
    "phase",
    "study",
]


def corpus(n: int = 240, seed: int = 11) -> list[dict]:
    """Records with every kind of repeat: DOI, PMID, re-spelled title, typo, erratum."""
    rng = random.Random(seed)
    out: list[dict] = []
    for i in range(n):
        if i > 10 and rng.random() < 0.4:
            j = rng.randrange(len(out))
            base = dict(out[j])
            kind = rng.choice(["doi", "pmid", "title", "typo", "erratum", "part"])
            if kind == "doi":
                base["title"] = f"Another title for {i} " + " ".join(rng.sample(WORDS, 4))
            elif kind == "pmid":
                base["doi"] = ""
                base["title"] = base["title"].upper()
            elif kind == "title":
                base.update(doi="", pmid="", title=base["title"].upper() + ".")
            elif kind == "typo":
                t = base["title"]
                k = len(t) // 2
                base.update(doi="", pmid="", title=t[:k] + "x" + t[k + 1 :])
            elif kind == "erratum":
                base.update(doi="", pmid="", title="Erratum: " + base["title"])
            else:
                base.update(doi="", pmid="", title=base["title"] + ", part II")
            out.append(base)
            continue
        out.append(
            {
                "title": " ".join(rng.sample(WORDS, 9)) + f" {i}",
                "authors": [f"Author{i % 17} A", f"Smith{i % 5} B"],
                "year": 2000 + i % 15,
                "doi": f"10.1000/r{i}" if rng.random() < 0.5 else "",
                "pmid": str(3_000_000 + i) if rng.random() < 0.5 else "",
            }
        )
    return out


def write_ris(path: Path, records: list[dict]) -> Path:
    lines = []
    for r in records:
        lines += ["TY  - JOUR", f"TI  - {r['title']}"]
        lines += [f"AU  - {a}" for a in r["authors"]]
        lines.append(f"PY  - {r['year']}")
        if r["doi"]:
            lines.append(f"DO  - {r['doi']}")
        if r["pmid"]:
            lines.append(f"AN  - {r['pmid']}")
        lines += ["ER  - ", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def outcome(store) -> tuple[dict, list]:
    cands = [(c.record_id, c.candidate_of, c.score) for c in duplicates.candidates(store, None)]
    return duplicates.duplicate_map(store), cands


def test_importing_in_parts_finds_what_importing_at_once_finds(tmp_path):
    records = corpus()
    whole = write_ris(tmp_path / "all.ris", records)
    with create_review(tmp_path / "once.review") as store:
        import_paths(store, [whole])
        at_once = outcome(store)
    merged, cands = at_once
    assert sum(1 for v in merged.values() if v) > 40 and len(cands) > 5  # all stages met

    third = len(records) // 3
    parts = [records[:third], records[third : 2 * third], records[2 * third :]]
    with create_review(tmp_path / "parts.review") as store:
        for n, part in enumerate(parts):
            import_paths(store, [write_ris(tmp_path / f"part{n}.ris", part)])
        assert outcome(store) == at_once
        keyed = store.db.execute("select count(*) from dedup_keys").fetchone()[0]
        assert keyed == store.record_count() == len(records)


def test_a_review_without_keys_gets_them_on_its_next_import(tmp_path):
    records = corpus()
    half = len(records) // 2
    with create_review(tmp_path / "once.review") as store:
        import_paths(store, [write_ris(tmp_path / "all.ris", records)])
        at_once = outcome(store)
    with create_review(tmp_path / "old.review") as store:
        import_paths(store, [write_ris(tmp_path / "a.ris", records[:half])])
        # as a review made before migration m008 is: records, and no keys
        with store.atomic():
            store.db.execute("delete from dedup_keys")
            store.db.execute("delete from review_meta where key = 'dedup_keys'")
        import_paths(store, [write_ris(tmp_path / "b.ris", records[half:])])
        assert outcome(store) == at_once
        assert store.db.execute("select count(*) from dedup_keys").fetchone()[0] == len(records)


def test_checking_a_few_records_reads_a_few_stored_ones(tmp_path):
    records = corpus(600, seed=3)
    with create_review(tmp_path / "big.review") as store:
        import_paths(store, [write_ris(tmp_path / "big.ris", records)])
        dedup = Deduplicator.from_store(store)
        try:
            first = store.record(1)
            again = ParsedRecord(title=first.title.lower(), authors=first.authors, year=first.year)
            verdict = dedup.assign(again, store.record_count() + 1)
            held = sum(len(v) for v in dedup.by_title.values()) + sum(
                len(v) for v in dedup.blocks.values()
            )
        finally:
            dedup.close()
    assert verdict.duplicate_of == 1
    assert held < 20  # the records sharing its keys, not the review's 600
