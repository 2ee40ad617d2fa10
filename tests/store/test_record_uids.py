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


def test_uids_are_hex_unique_and_later_batches_sort_after(review_path, template):
    """A uid is 32 lowercase hex digits, time first: a batch imported later sorts after
    the ones before it (so its uids go at the end of their index), and no two meet."""
    import re

    store = Store.create(review_path, "uids", template)
    first = local.uids_of(
        store, store.add_records(None, [ParsedRecord(title=f"A{i}") for i in range(50)])
    )
    second = local.uids_of(
        store, store.add_records(None, [ParsedRecord(title=f"B{i}") for i in range(50)])
    )
    every = [*first.values(), *second.values()]
    assert all(re.fullmatch(r"[0-9a-f]{32}", u) for u in every)
    assert len(set(every)) == 100
    assert max(u[:12] for u in first.values()) <= min(u[:12] for u in second.values())
    assert len({u[12:] for u in every}) == 100  # the random part differs within a batch
    store.close()
