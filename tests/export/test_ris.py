"""RIS of the included (or any selected) records, read back with rispy as a reference
manager would, with the screening history in the notes (N1)."""

from __future__ import annotations

import rispy

from reviewer.domain import ParsedRecord, Source
from reviewer.export.ris_export import export_ris
from reviewer.review import screening as sc
from reviewer.store import Store


def _load(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return rispy.load(f)


def test_included_records_with_their_decisions_in_the_notes(screened_review, tmp_path):
    store = Store(screened_review)
    out = tmp_path / "included.ris"
    report = export_ris(store, out)
    entries = _load(out)
    included = sc.records_at_stage(store, "extraction")
    assert report.rows == len(entries) == len(included)
    for entry, rid in zip(entries, included, strict=True):
        record = store.record(rid)
        assert entry["id"] == str(rid)
        assert entry["title"] == " ".join(record.title.split())
        assert entry.get("authors", []) == record.authors
        assert entry["type_of_reference"] == "JOUR"
        notes = entry["notes"]
        assert notes[0].startswith("Screening, title/abstract: include.")
        assert notes[1].startswith("Screening, full text: include.")
        assert "alice: include" in notes[1] and "note: eligible" in notes[1]
    with_year = next(e for e in entries if e.get("year"))
    assert with_year["year"].isdigit()
    store.close()


def test_any_filtered_set_and_exclusion_reasons(screened_review, tmp_path):
    store = Store(screened_review)
    out = tmp_path / "excluded.ris"
    report = export_ris(store, out, stage="full_text", decision="exclude")
    entries = _load(out)
    assert report.rows == len(entries) == 12
    reasons = {e["notes"][-1].split(": exclude (")[1].split(")")[0] for e in entries}
    assert reasons == {"full text not retrievable", "wrong outcomes"}
    store.close()


def test_line_breaks_in_values_cannot_end_or_add_a_record(review_path, template, tmp_path):
    store = Store.create(review_path, "ris", template)
    with store.atomic():
        sid = store.add_source(Source(name="x.ris", sha256="f" * 64, size=1, format="ris"))
        store.add_records(
            sid,
            [
                ParsedRecord(
                    title="Evil\r\nER  - \r\nTY  - BOOK\nTI  - Injected",
                    authors=["Doe\u2028J"],
                    abstract="line one\n\nline two",
                    pages="12\u201319",
                    type="chap",
                ),
                ParsedRecord(title="Second", year=2020),
            ],
        )
    out = tmp_path / "all.ris"
    export_ris(store, out, decision="any")
    entries = _load(out)
    assert len(entries) == 2
    assert entries[0]["title"] == "Evil ER - TY - BOOK TI - Injected"
    assert entries[0]["authors"] == ["Doe J"]
    assert entries[0]["abstract"] == "line one line two"
    assert (entries[0]["start_page"], entries[0]["end_page"]) == ("12", "19")
    assert entries[0]["type_of_reference"] == "CHAP"
    assert entries[1]["title"] == "Second" and entries[1]["year"] == "2020"
    assert "notes" not in entries[1]
    store.close()
