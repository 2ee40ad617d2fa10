"""The annotation migration: where orphaned spans wait for the reviewer."""

from __future__ import annotations

import sqlite_utils

from reviewer.store import migrations


def test_annotation_migration_creates_the_orphans_table():
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    assert "m002_annotation" in migrations.applied(db)
    assert {
        "record_id", "kind", "field", "highlight_id", "start", "end", "quote", "prefix",
        "suffix", "page", "note", "reviewer", "time", "orphaned_at", "status",
    } <= set(db["anchor_orphans"].columns_dict)  # fmt: skip
