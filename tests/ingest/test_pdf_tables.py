"""Cells of a table from a rectangle on a real article's page, and a plain word when
the page gives no reliable cells."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from reviewer.ingest.formats.pdf import PDFIUM_LOCK
from reviewer.ingest.pdf_read import read_layout
from reviewer.ingest.pdf_tables import table_in, tsv

USSHER = (
    Path(__file__).resolve().parents[1]
    / "data" / "corpus" / "pdf" / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"
)  # fmt: skip


@pytest.fixture(scope="module")
def page7():
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(USSHER))
    layout = read_layout(doc, 6)  # Table 3 (abstinence) and Table 4 (depression)
    with PDFIUM_LOCK:
        doc.close()
    return layout


def around(layout, first: str, last: str, pad: float = 2.0, right: float | None = None):
    """A rectangle from the first character of ``first`` to the end of ``last``."""
    a = layout.box(layout.text.index(first))
    end = layout.text.index(last) + len(last) - 1
    b = layout.box(end)
    return (a[0] - pad, a[1] - pad, (right if right is not None else b[2]) + pad, b[3] + pad)


def test_table_3_gives_arms_by_outcomes(page7):
    rect = around(page7, "Outcomes", "1.66 (0.82 to 3.37)", right=page7.width - 30)
    rect = (rect[0], rect[1] - 25, rect[2], rect[3])  # from the column headers down
    table = table_in(page7, rect)
    rows = table.texts()
    assert table.reliable, table.message()
    assert table.columns == 5
    assert ["", "Physical activity group", "Control group", "Odds ratio* (95% CI)",
            "Fully adjusted odds"] in rows  # fmt: skip
    assert [
        "Self reported continuous abstinence‡ at end of pregnancy§",
        "30 (8)",
        "25 (6)",
        "1.21 (0.70 to 2.10)",
        "1.37 (0.78 to 2.41)",
    ] in rows
    assert ["Self reported continuous abstinence 6 months after birth", "24 (6)", "16 (4)",
            "1.55 (0.81 to 2.97)", "1.66 (0.82 to 3.37)"] in rows  # fmt: skip
    for row in table.rows:  # every cell's span holds its words
        for cell in row:
            if cell is not None:
                assert cell.exact
                assert " ".join(page7.text[cell.start : cell.end].split()) == cell.text


def test_notes_under_a_table_do_not_break_its_columns(page7):
    rect = around(page7, "Table 3", "§Between 36 weeks", right=page7.width - 30)
    table = table_in(page7, rect)
    assert table.reliable, table.message()
    assert ["Secondary:", "", "", "", ""] in table.texts()


def test_spans_move_into_the_records_text(page7):
    table = table_in(page7, around(page7, "Baseline", "5.0)"))
    shifted = table.shifted(1000)
    cell = next(c for c in shifted.rows[0] if c is not None)
    first = next(c for c in table.rows[0] if c is not None)
    assert (cell.start, cell.end) == (first.start + 1000, first.end + 1000)


def test_a_rectangle_half_over_the_text_beside_says_the_cells_are_unreliable(page7):
    a = page7.box(page7.text.index("Table 4"))
    b = page7.box(page7.text.index("visit time and baseline EPDS"))
    table = table_in(page7, (a[0] - 2, a[1] - 2, 420, b[3] + 2))  # into the body text
    assert not table.reliable
    assert table.message().startswith("The PDF's text gives no reliable cells here")


def test_a_tight_rectangle_over_table_4(page7):
    a = page7.box(page7.text.index("Visit time"))
    b = page7.box(page7.text.index("0.52 (−0.45 to 1.50)") + 19)
    table = table_in(page7, (a[0] - 2, a[1] - 2, 330, b[3] + 2))
    assert ["6 month follow-up", "133, 6.6 (4.7)", "146, 6.8 (4.8)", "0.52 (−0.45 to 1.50)"] in (
        table.texts()
    )


def test_no_text_and_running_text(page7):
    empty = table_in(page7, (1, 1, 5, 5))
    assert empty.rows == [] and not empty.reliable
    assert "no text" in empty.message()
    a = page7.box(page7.text.index("Bias in outcome ascertainment"))
    prose = table_in(page7, (a[0] - 1, a[1] - 1, a[0] + 150, a[3] + 60))
    assert not prose.reliable and "No columns line up" in prose.message()


def test_tsv_keeps_numbers_and_defuses_formulas():
    text = tsv([["=HYPERLINK(1)", "-0.45", "a\tb"], ["+x", "", "12"]])
    assert text == "'=HYPERLINK(1)\t-0.45\ta b\n'+x\t\t12\n"
