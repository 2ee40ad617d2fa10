"""Migration m013: every record has a uid that stays with it (the name events give it
on a shared server), and records imported later get one too."""

from __future__ import annotations

from reviewer.domain import ParsedRecord
from reviewer.store import Store, migrations
from reviewer.store import sync as local


def test_existing_records_get_uids_and_new_ones_too(review_path, template):
    store = Store.create(review_path, "uids", template)
    migrations_run = [name for name, _fn in migrations.MIGRATIONS]
    assert "m013_record_uids" in migrations_run
    ids = store.add_records(None, [ParsedRecord(title=f"R{i}") for i in range(3)])
    uids = local.uids_of(store, ids)
    assert len(set(uids.values())) == 3 and all(len(u) == 32 for u in uids.values())
    assert local.ids_of(store, uids.values()) == {u: i for i, u in uids.items()}
    # an unpublished review logs no records.add events: they travel only once published
    assert not [e for e in store.events() if e.kind == "records.add"]
    store.close()


def test_a_copy_keeps_its_uids(review_path, template, tmp_path):
    import shutil

    store = Store.create(review_path, "uids", template)
    ids = store.add_records(None, [ParsedRecord(title="A"), ParsedRecord(title="B")])
    before = local.uids_of(store, ids)
    store.close()
    shutil.copy(review_path, tmp_path / "copy.review")
    with Store(tmp_path / "copy.review") as copy:
        assert local.uids_of(copy, ids) == before
