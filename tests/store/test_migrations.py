"""Migrations: numbered, each in a transaction, and old review files open in new versions."""

from __future__ import annotations

import sqlite_utils

from reviewer.store import Store, migrations


def test_initial_migration_creates_the_schema():
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    tables = set(db.table_names())
    assert {
        "review_meta",
        "sources",
        "records",
        "templates",
        "field_values",
        "suggestions",
        "decisions",
        "highlights",
        "events",
        "records_fts",
    } <= tables
    assert {
        "title",
        "authors",
        "journal",
        "year",
        "volume",
        "issue",
        "pages",
        "doi",
        "pmid",
        "text",
        "source_id",
        "source_start",
        "source_end",
    } <= set(db["records"].columns_dict)
    assert {"id", "time", "reviewer", "kind", "payload"} <= set(db["events"].columns_dict)
    assert {"name", "sha256", "size", "format", "imported_at"} <= set(db["sources"].columns_dict)
    assert migrations.applied(db) == [name for name, _ in migrations.MIGRATIONS]


def test_applying_twice_changes_nothing():
    db = sqlite_utils.Database(memory=True)
    assert migrations.apply(db)
    assert migrations.apply(db) == []


def test_a_review_made_by_an_older_version_opens(tmp_path, template):
    """A file that has only the first migration (as version 0.1 wrote it) gains the rest."""
    path = tmp_path / "old.review"
    db = sqlite_utils.Database(path)
    first = migrations.MIGRATIONS[0][0]
    migrations.apply(db, upto=first)
    db.execute("insert into review_meta (key, value) values ('name', 'Old review')")
    db.execute(
        "insert into templates (name, json, created_at) values (?, ?, '2020')",
        [template.name, template.model_dump_json()],
    )
    db.execute("insert into records (title, text) values ('An old record', 'body')")
    db.conn.commit()
    db.close()
    with Store(path) as store:
        assert migrations.applied(store.db) == [n for n, _ in migrations.MIGRATIONS]
        assert store.name == "Old review"
        assert [r.title for r in store.records()] == ["An old record"]
        assert store.record_ids("old") == [1]


def test_a_failing_migration_rolls_back_whole(tmp_path, monkeypatch):
    path = tmp_path / "r.review"
    db = sqlite_utils.Database(path)
    migrations.apply(db)

    def m999_broken(db):
        db.execute("create table half_done (x)")
        db.execute("insert into half_done values (1)")
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m999_broken", m999_broken)]
    )
    try:
        migrations.apply(db)
    except RuntimeError:
        pass
    assert "half_done" not in db.table_names()
    assert "m999_broken" not in migrations.applied(db)


def test_m007_adds_source_labels_and_record_originals():
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db, upto="m006_identifier_index")
    db.execute(
        "insert into sources (name, sha256, size, format, imported_at) "
        "values ('medline.csv', 'x', 1, 'csv', '2024')"
    )
    migrations.apply(db)
    assert db["sources"].columns_dict["label"] is str
    assert db.execute("select label from sources").fetchall() == [("",)]
    assert set(db["record_originals"].columns_dict) == {
        "record_id", "fields", "text", "page_offsets", "saved_at",
    }  # fmt: skip
