"""A JSON export read back into a new review gives the same review: records with
their sources, values with provenance, who and when, decisions, resolutions, notes,
tags and settings, and so the same numbers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.annotate.template_ops import remove_field
from reviewer.export.common import ExportCancelled
from reviewer.export.json_export import export_json
from reviewer.export.json_import import ReviewJsonError, import_review_json
from reviewer.review import screening as sc
from reviewer.review.settings import exclusion_reasons, set_exclusion_reasons
from reviewer.review.stats import stats
from reviewer.store import Store
from tests.consistency import assert_consistent


@pytest.fixture
def store(screened_review):
    s = Store(screened_review)
    rid = sc.records_at_stage(s, "extraction")[0]
    s.set_value(rid, "funding", "a public grant", "alice")
    remove_field(s, "funding", "carol")  # a removed field's values travel too
    set_exclusion_reasons(s, [*exclusion_reasons(s), "animal study"], "carol")
    yield s
    s.close()


def snapshot(store: Store) -> dict[str, Any]:
    sources = {s.id: s.name for s in store.sources()}
    records = []
    for r in store.records():
        data = r.model_dump(exclude={"source_id"})
        data["source"] = sources.get(r.source_id)
        records.append(data)
    return {
        "name": store.name,
        "template": store.template().model_dump(),
        "sources": [s.model_dump(exclude={"id"}) for s in store.sources()],
        "records": records,
        "values": {
            rid: {k: v.model_dump() for k, v in store.values(rid).items()}
            for rid in store.record_ids()
        },  # fmt: skip
        "decisions": sorted(
            (d.model_dump() for d in store.decisions()),
            key=lambda d: (d["record_id"], d["stage"], d["reviewer"]),
        ),
        "resolutions": store.db.execute(
            "select * from resolutions order by record_id, stage"
        ).fetchall(),
        "notes": [h.model_dump(exclude={"id"}) for h in store.find_highlights(notes_only=True)],
        "tags": store.db.execute(
            "select record_id, tag from record_tags order by record_id, tag"
        ).fetchall(),
        "reasons": exclusion_reasons(store),
        "screening": store.db.execute(
            "select * from screening order by record_id, stage"
        ).fetchall(),
    }


def test_round_trip_gives_the_same_review(store, tmp_path):
    exported = tmp_path / "review.json"
    export_json(store, exported)
    seen = []
    copy = import_review_json(
        exported, tmp_path / "copy.review", progress=lambda d, t: seen.append((d, t))
    )
    before, after = snapshot(store), snapshot(copy)
    assert after["values"] and after["decisions"] and after["resolutions"] and after["notes"]
    for key in before:
        assert after[key] == before[key], key
    assert stats(copy) == stats(store)
    assert seen[-1] == (store.record_count(), store.record_count())
    assert copy.events()[-1].kind == "review.import"
    assert copy.integrity_check() == "ok"
    assert_consistent(store)
    assert_consistent(copy)  # what was read back is the projection of the events it logged

    again = tmp_path / "again.json"
    export_json(copy, again)
    first, second = (json.loads(p.read_text(encoding="utf-8")) for p in (exported, again))
    for data in (first, second):
        data["review"].pop("exported_at")
    assert second == first
    copy.close()


def test_provenance_still_quotes_the_text(store, tmp_path):
    exported = tmp_path / "review.json"
    export_json(store, exported)
    copy = import_review_json(exported, tmp_path / "copy.review")
    checked = 0
    for rid in copy.record_ids():
        text = copy.record(rid).text
        for value in copy.values(rid).values():
            for span in value.provenance:
                assert text[span.start : span.end] == span.quote
                checked += 1
    assert checked > 10
    copy.close()


def test_reformatted_export_is_read_too(store, tmp_path):
    """Another tool may rewrite the file (indented, keys reordered inside objects)."""
    exported = tmp_path / "review.json"
    export_json(store, exported)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(json.loads(exported.read_text("utf-8")), indent=3), "utf-8")
    copy = import_review_json(pretty, tmp_path / "copy.review")
    assert snapshot(copy)["values"] == snapshot(store)["values"]
    copy.close()


def test_cancel_and_bad_files_leave_no_review(store, tmp_path, monkeypatch):
    import reviewer.export.json_import as json_import

    exported = tmp_path / "review.json"
    export_json(store, exported)
    target = tmp_path / "cancelled.review"
    monkeypatch.setattr(json_import, "BATCH", 5)
    with pytest.raises(ExportCancelled):
        import_review_json(exported, target, cancel=lambda: True)
    assert not list(tmp_path.glob("cancelled.review*"))

    bad = tmp_path / "bad.json"
    template = json.dumps(store.template().model_dump(mode="json"))
    for text in (
        '{"records": []}',
        "[1, 2]",
        '{"review": {}, "template": ',
        '{"review": {}, "template": {"name": 1}, "records": []}',
        '{"review": {}, "template": ' + template + ', "records": [{"values": [{}]}]}',
    ):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ReviewJsonError):
            import_review_json(bad, tmp_path / "bad.review")
        assert not list(tmp_path.glob("bad.review*"))
