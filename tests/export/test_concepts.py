"""Accepted terms keep their concept id, so an extraction table can group synonyms."""

from __future__ import annotations

from reviewer.domain import ParsedRecord, Source
from reviewer.export.tables import extraction_table, provenance_table
from reviewer.review import extraction
from reviewer.review.project import create_review, default_template
from reviewer.suggest.runner import compute_suggestions

ABSTRACTS = {
    "Salbutamol in asthma": "Children were randomly assigned to salbutamol or placebo.",
    "Albuterol in asthma": "Adults were randomly assigned to albuterol or placebo.",
}


def test_salbutamol_and_albuterol_export_one_concept(tmp_path):
    store = create_review(tmp_path / "r.review", "t", default_template())
    source = store.add_source(Source(name="a.ris", sha256="0" * 64, size=1, format="ris"))
    with store.atomic():
        store.add_records(
            source,
            [ParsedRecord(title=t, text=f"{t}\n\n{body}") for t, body in ABSTRACTS.items()],
        )
    compute_suggestions(store)
    for rid in store.record_ids():
        for s in extraction.pending_by_field(store, rid)["interventions"]:
            extraction.accept(store, s.id, "ann")

    table = extraction_table(store, store.record_ids())
    rows = [dict(zip(table.header, row, strict=True)) for row in table.rows(lambda c: c)]
    assert [r["interventions"] for r in rows] == ["salbutamol", "albuterol"]
    concepts = {r["interventions__concept"] for r in rows}
    assert len(concepts) == 1 and concepts.pop().startswith("DRUGBANK:")

    spans = provenance_table(store, store.record_ids())
    by_field = [dict(zip(spans.header, row, strict=True)) for row in spans.rows(lambda c: c)]
    assert {r["concept"] for r in by_field if r["field"] == "interventions"} == {
        rows[0]["interventions__concept"]
    }
    store.close()
