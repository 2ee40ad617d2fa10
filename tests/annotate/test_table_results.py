"""A PDF table into the study's results: arms by outcomes, every value with its cell's
words, page and span."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from reviewer.annotate.table_results import (
    ColumnUse,
    apply_table,
    column_titles,
    data_rows,
    guess_uses,
)
from reviewer.ingest import import_paths
from reviewer.ingest.formats.pdf import PDFIUM_LOCK
from reviewer.ingest.pdf_layout import page_starts
from reviewer.ingest.pdf_read import read_layout
from reviewer.ingest.pdf_tables import table_in
from reviewer.review.project import create_review
from reviewer.store import results as rs

USSHER = (
    Path(__file__).resolve().parents[1]
    / "data" / "corpus" / "pdf" / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
)  # fmt: skip


@pytest.fixture
def review(tmp_path):
    pdf = Path(shutil.copy(USSHER, tmp_path / "ussher.pdf"))
    store = create_review(tmp_path / "r.review", "tables")
    import_paths(store, [pdf])
    rid = max(store.record_ids())
    record = store.record(rid)
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(pdf))
    layout = read_layout(doc, 6)
    with PDFIUM_LOCK:
        doc.close()
    a = layout.box(layout.text.index("Outcomes"))
    b = layout.box(layout.text.index("1.66 (0.82 to 3.37)") + 18)
    base = page_starts(record.text, record.page_offsets)[6][0]
    table = table_in(layout, (a[0] - 2, a[1] - 25, layout.width - 30, b[3] + 2)).shifted(base)
    yield store, rid, table
    store.close()


def test_the_columns_and_rows_are_read(review):
    _store, _rid, table = review
    titles = column_titles(table)
    assert titles[1] == "Physical activity group (n=392)" and titles[2] == "Control group (n=393)"
    assert [u.use for u in guess_uses(table)] == ["skip", "arm", "arm", "comparison", "comparison"]
    assert [u.measure for u in guess_uses(table)][3:] == ["OR", "OR"]
    assert [u.name for u in guess_uses(table)][1:3] == ["Physical activity group", "Control group"]
    assert len(data_rows(table)) == 3


def test_a_table_becomes_arms_outcomes_results_and_comparisons(review):
    store, rid, table = review
    done = apply_table(store, rid, table, guess_uses(table), data_rows(table), "dichotomous", "ann")
    assert (done.arms, done.outcomes, done.skipped) == (2, 3, [])
    results = rs.study_results(store, rid)
    arms = {a.value("name"): a for a in results.arms}
    assert set(arms) == {"Physical activity group", "Control group"}
    assert arms["Physical activity group"].value("role") == "experimental"
    assert arms["Control group"].value("n_randomised") == 393
    end_of_pregnancy = next(o for o in results.outcomes if "end of pregnancy" in o.value("name"))
    assert end_of_pregnancy.value("name").endswith("with biochemical validation¶")  # wrapped
    assert end_of_pregnancy.value("kind") == "dichotomous"
    result = results.result_for(end_of_pregnancy.id, arms["Physical activity group"].id)
    assert (result.value("events"), result.value("n")) == (30, 392)
    events = result.cells["events"].provenance[0]
    text = store.record(rid).text
    assert (events.quote, events.page, text[events.start : events.end]) == ("30 (8)", 7, "30 (8)")
    assert result.cells["n"].provenance[0].quote == "(n=392)"
    (odds, adjusted) = [c for c in results.comparisons if c.value("outcome") == end_of_pregnancy.id]
    assert (odds.value("measure"), odds.value("estimate"), odds.value("ci_low"),
            odds.value("ci_high")) == ("OR", 1.21, 0.70, 2.10)  # fmt: skip
    assert adjusted.value("estimate") == 1.37


def test_a_second_time_fills_the_same_arms_and_outcomes(review):
    store, rid, table = review
    uses = guess_uses(table)
    apply_table(store, rid, table, uses, data_rows(table), "dichotomous", "ann")
    again = apply_table(store, rid, table, uses[:3] + [ColumnUse(), ColumnUse()],
                        data_rows(table), "dichotomous", "ann")  # fmt: skip
    assert (again.arms, again.outcomes) == (0, 0)
    assert len(rs.study_results(store, rid).results) == 6


def test_what_cannot_be_read_is_listed(review):
    store, rid, table = review
    uses = [ColumnUse(), ColumnUse("arm", "Exercise"), ColumnUse(), ColumnUse(),
            ColumnUse("comparison", measure="OR")]  # fmt: skip
    done = apply_table(store, rid, table, uses, data_rows(table), "continuous", "ann")
    assert any("one experimental and one control arm" in s for s in done.skipped)
