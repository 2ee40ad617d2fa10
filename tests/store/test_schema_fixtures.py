"""Review files written by each released schema version open in this one, migrated, with
nothing lost, and end with the schema a new review gets (tests/data/schemas/)."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from reviewer.review import screening as sc
from reviewer.review.tags import tags
from reviewer.store import Store, migrations

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
EXPECTED = json.loads((SCHEMAS / "expected.json").read_text(encoding="utf-8"))


def unpack(stem: str, into: Path) -> Path:
    path = into / f"{stem}.review"
    with gzip.open(SCHEMAS / f"{stem}.review.gz", "rb") as src, open(path, "wb") as out:
        shutil.copyfileobj(src, out)
    return path


def schema(path: Path) -> list[tuple[str, str, str]]:
    """Every table, index, trigger and view with its SQL, as SQLite keeps them."""
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "select type, name, sql from sqlite_master where name != 'sqlite_sequence' "
            "and name not like '%_fts_%' order by type, name"
        ).fetchall()


def test_every_released_version_has_a_file():
    names = {stem for stem in EXPECTED}
    assert {p.name.removesuffix(".review.gz") for p in SCHEMAS.glob("*.review.gz")} == names
    # each version's newest migration is one of today's, and each file misses some
    known = [name for name, _fn in migrations.MIGRATIONS]
    for made in EXPECTED.values():
        assert set(made["migrations"]) < set(known)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_an_old_file_migrates_and_keeps_its_data(stem, tmp_path, template):
    made = EXPECTED[stem]
    path = unpack(stem, tmp_path)
    with sqlite3.connect(path) as conn:
        before = [r[0] for r in conn.execute("select name from _migrations order by rowid")]
    assert before == made["migrations"]

    with Store(path) as store:
        assert migrations.applied(store.db) == before + [
            name for name, _fn in migrations.MIGRATIONS if name not in before
        ]
        assert store.integrity_check() == "ok"
        assert store.record_count() == made["records"]
        assert {str(i): store.record(i).title for i in store.record_ids()} == made["titles"]
        decisions = sorted(
            [d.record_id, d.stage, d.reviewer, d.decision, d.reason, d.note]
            for d in store.decisions()
        )
        assert decisions == made["decisions"]
        assert [c.record_id for c in sc.conflicts(store, "title_abstract")] == made["conflicts"]
        wanted = made["value"]
        value = store.values(wanted["record_id"])[wanted["field"]]
        assert value.value == wanted["value"]
        assert [s.quote for s in value.provenance] == [wanted["quote"]]
        rid, tag = made["tag"]
        assert tags(store, rid) == [tag]
        rid, note = made["note"]
        assert [h.note for h in store.highlights(rid)] == [note]
        assert len(store.events()) == made["events"]
        # a search finds the old records, and new work is saved beside the old
        assert store.record_ids(made["titles"]["1"].split()[0])
        sc.decide(store, 4, "include", "cy")
        assert sc.final_decision(store, 4, "title_abstract") == "include"

    fresh = tmp_path / "new.review"
    Store.create(fresh, "new", template).close()
    assert schema(path) == schema(fresh)
