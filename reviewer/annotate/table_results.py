"""A table taken from a PDF page, into the study's results: arms by outcomes.

A trial's results table has an outcome per row and an arm per column ("Physical
activity group (n=392)", "Control group (n=393)"), often with a column or two of
effect estimates ("Odds ratio (95% CI)"). The reviewer says what each column is
(an arm, a comparison, or nothing) and which rows are outcomes; this makes the
arms and outcomes that are not there yet (found by name when they are), and puts
each cell's words on the arm's result, or on the comparison, exactly as words
dropped on the results grid would be (``results_edit.values_from_words``): "30 (8)"
on a dichotomous outcome gives 30 events, "7.7 (5.0)" a mean and SD, "1.21 (0.70 to
2.10)" an estimate and its interval. Every value keeps the cell's words, page and
span as provenance. Cells whose words are not together in the PDF's text, or that
state nothing the result can hold, are left out and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer.annotate.results_edit import values_from_words
from reviewer.annotate.spans import selection_span
from reviewer.domain.pdf_table import PdfTable, TableCell
from reviewer.domain.results import RESULT_COLUMNS_BY_KIND, kind_of, new_item_id
from reviewer.store import Store
from reviewer.store import results as rs
from reviewer.store.results import CellChange

_NUMBER_FIRST = re.compile(r"^\s*[-\u2212]?\d")
_N_EQUALS = re.compile(r"\(?\s*n\s*=\s*\d[\d,]*\s*\)?", re.IGNORECASE)
_MEASURES = (
    ("OR", re.compile(r"odds\s+ratio|\bOR\b", re.IGNORECASE)),
    ("HR", re.compile(r"hazard\s+ratio|\bHR\b", re.IGNORECASE)),
    ("RR", re.compile(r"risk\s+ratio|relative\s+risk|rate\s+ratio|\bRR\b", re.IGNORECASE)),
    ("SMD", re.compile(r"standardi[sz]ed\s+mean\s+difference|\bSMD\b", re.IGNORECASE)),
    ("MD", re.compile(r"mean\s+difference|\bMD\b|difference\s+between", re.IGNORECASE)),
    ("RD", re.compile(r"risk\s+difference|\bRD\b", re.IGNORECASE)),
)


@dataclass(frozen=True)
class ColumnUse:
    """What a table column holds: ``"arm"`` (named ``name``), ``"comparison"`` (an
    estimate of ``measure``), or ``"skip"``."""

    use: str = "skip"
    name: str = ""
    measure: str = ""


@dataclass
class Applied:
    """What putting a table into the results did."""

    cells: int = 0
    arms: int = 0  # made
    outcomes: int = 0  # made
    skipped: list[str] = field(default_factory=list)


def data_rows(table: PdfTable) -> list[int]:
    """Rows with a label and a number at the start of some other cell."""
    return [
        i
        for i, row in enumerate(table.rows)
        if row and row[0] is not None and any(c and _NUMBER_FIRST.match(c.text) for c in row[1:])
    ]


def column_titles(table: PdfTable) -> list[str]:
    """Each column's header: the cells above the first data row, joined."""
    rows = data_rows(table)
    top = rows[0] if rows else len(table.rows)
    titles = []
    for c in range(table.columns):
        parts = [r[c].text for r in table.rows[:top] if c < len(r) and r[c] is not None]
        titles.append(" ".join(parts))
    return titles


def guess_uses(table: PdfTable) -> list[ColumnUse]:
    """A first guess: the label column is skipped, a column titled like an effect
    measure is a comparison, any other column with numbers is an arm."""
    rows = data_rows(table)
    uses = []
    for c, title in enumerate(column_titles(table)):
        has_numbers = any(
            c < len(table.rows[r])
            and table.rows[r][c]
            and _NUMBER_FIRST.match(table.rows[r][c].text)
            for r in rows
        )
        measure = next((m for m, pattern in _MEASURES if pattern.search(title)), "")
        if c == 0 or not has_numbers:
            uses.append(ColumnUse())
        elif measure:
            uses.append(ColumnUse("comparison", measure=measure))
        else:
            uses.append(ColumnUse("arm", name=arm_name(title) or f"Arm {c}"))
    return uses


def arm_name(title: str) -> str:
    """A column title without its "(n=392)"."""
    return " ".join(_N_EQUALS.sub(" ", title).split()).strip(" ,;:")


def apply_table(
    store: Store,
    record_id: int,
    table: PdfTable,
    uses: list[ColumnUse],
    rows: list[int],
    kind: str,
    reviewer: str,
) -> Applied:
    """Put ``rows`` of ``table`` (spans in the record's text) into the record's results,
    the columns read as ``uses`` say, each row an outcome of ``kind``."""
    done = Applied()
    results = rs.study_results(store, record_id)
    titles = column_titles(table)
    first_data = min(data_rows(table), default=len(table.rows))
    with store.atomic():
        arms: dict[int, str] = {}
        header_n = {c: _header_n(table, c, first_data) for c, use in enumerate(uses)}
        roles = iter(("experimental", "control"))
        for c, use in enumerate(uses):
            if use.use == "arm":
                arms[c] = _arm(store, record_id, table, c, use, first_data, results, roles,
                               reviewer, done)  # fmt: skip
        now = rs.study_results(store, record_id)
        role = {a: now.get(a).value("role") if now.get(a) else None for a in arms.values()}
        exp = [a for a in arms.values() if role[a] == "experimental"]
        ctrl = [a for a in arms.values() if role[a] == "control"]
        field_ = RESULT_COLUMNS_BY_KIND.get(kind, RESULT_COLUMNS_BY_KIND["other"])[0]
        for r in rows:
            row = table.rows[r]
            label = _label(table, r)
            if row[0] is None or not label:
                done.skipped.append(f"row {r + 1}: no outcome name in the first column")
                continue
            outcome = _outcome(store, record_id, row[0], label, kind, results, reviewer, done)
            for c, use in enumerate(uses):
                cell = row[c] if c < len(row) else None
                if cell is None or use.use == "skip":
                    continue
                where = f"row {r + 1}, {titles[c] or f'column {c + 1}'}"
                if not cell.exact:
                    done.skipped.append(f"{where}: its words are not together in the PDF's text")
                    continue
                if use.use == "arm":
                    existing = rs.study_results(store, record_id).result_for(outcome, arms[c])
                    item = existing.id if existing else new_item_id("result")
                    prelude = [] if existing else [CellChange(item, "outcome", outcome),
                                                   CellChange(item, "arm", arms[c])]  # fmt: skip
                    if _put(store, record_id, item, field_, cell, prelude, where, reviewer, done):
                        _n_from_header(store, record_id, item, header_n[c], reviewer, done)
                elif len(exp) != 1 or len(ctrl) != 1:
                    done.skipped.append(
                        f"{where}: a comparison needs one experimental and one control arm"
                    )
                else:
                    item = new_item_id("comparison")
                    prelude = [CellChange(item, "outcome", outcome),
                               CellChange(item, "experimental", exp[0]),
                               CellChange(item, "control", ctrl[0]),
                               CellChange(item, "measure", use.measure or "RR")]  # fmt: skip
                    _put(store, record_id, item, "estimate", cell, prelude, where, reviewer, done)
    return done


def _arm(store, record_id, table, c, use, first_data, results, roles, reviewer, done) -> str:  # noqa: ANN001
    """The arm a column names: one of that name already there, else a new one, named
    (and its participants counted) from the header cells, with their words."""
    wanted = " ".join(use.name.split()).casefold()
    for arm in results.arms:
        if " ".join(str(arm.value("name") or "").split()).casefold() == wanted:
            return arm.id
    item = new_item_id("arm")
    changes = [CellChange(item, "name", use.name), CellChange(item, "role", next(roles, "other"))]
    header = [r[c] for r in table.rows[:first_data] if c < len(r) and r[c] is not None]
    named = [h for h in header if h.exact and arm_name(h.text)]  # not the "(n=392)" alone
    spans = [selection_span(store, record_id, h.start, h.end) for h in named]
    if spans:
        changes[0] = CellChange(item, "name", use.name, spans)
    rs.set_cells(store, record_id, changes, reviewer)
    n_cell = _header_n(table, c, first_data)
    if n_cell is not None:
        try:
            values = values_from_words("arm", "n_randomised", _N_EQUALS.search(n_cell.text).group())
        except ValueError:
            values = {}
        span = selection_span(store, record_id, n_cell.start, n_cell.end)
        changes = [CellChange(item, k, v, [span]) for k, v in values.items()]
        rs.set_cells(store, record_id, changes, reviewer)
    done.arms += 1
    return item


def _label(table: PdfTable, r: int) -> str:
    """A row's outcome name: its first cell, and the next rows' when they only carry on
    its words (a label wrapped onto a second line)."""
    parts = [table.rows[r][0].text] if table.rows[r] and table.rows[r][0] else []
    for row in table.rows[r + 1 :]:
        if row and row[0] is not None and not any(row[1:]) and row[0].text[:1].islower():
            parts.append(row[0].text)
        else:
            break
    return " ".join(parts)


def _outcome(
    store, record_id, cell: TableCell, label: str, kind: str, results, reviewer, done
) -> str:  # noqa: ANN001
    wanted = " ".join(label.split()).casefold()
    for outcome in results.outcomes:
        if " ".join(str(outcome.value("name") or "").split()).casefold() == wanted:
            return outcome.id
    item = new_item_id("outcome")
    name_span = [selection_span(store, record_id, cell.start, cell.end)] if cell.exact else []
    rs.set_cells(store, record_id, [CellChange(item, "name", label, name_span),
                                    CellChange(item, "kind", kind)], reviewer)  # fmt: skip
    done.outcomes += 1
    return item


def _put(store, record_id, item, field_, cell, prelude, where, reviewer, done) -> bool:  # noqa: ANN001
    try:
        values = values_from_words(kind_of(item), field_, cell.text)
    except ValueError as exc:
        done.skipped.append(f"{where}: {exc}")
        return False
    span = selection_span(store, record_id, cell.start, cell.end)
    changes = [*prelude, *(CellChange(item, k, v, [span]) for k, v in values.items())]
    rs.set_cells(store, record_id, changes, reviewer)
    done.cells += len(values)
    return True


def _header_n(table: PdfTable, c: int, first_data: int) -> TableCell | None:
    """The header cell of column ``c`` stating its participants, "(n=392)"."""
    for row in table.rows[:first_data]:
        cell = row[c] if c < len(row) else None
        if cell is not None and cell.exact and _N_EQUALS.search(cell.text):
            return cell
    return None


def _n_from_header(store, record_id, item, cell, reviewer, done) -> None:  # noqa: ANN001
    """A result's n, when its words did not say it, from its column's "(n=392)"."""
    if cell is None:
        return
    result = rs.study_results(store, record_id).get(item)
    if result is None or result.value("n") is not None:
        return
    try:
        values = values_from_words("result", "n", _N_EQUALS.search(cell.text).group())
    except ValueError:
        return
    span = selection_span(store, record_id, cell.start, cell.end)
    rs.set_cells(store, record_id, [CellChange(item, k, v, [span]) for k, v in values.items()],
                 reviewer)  # fmt: skip
    done.cells += len(values)
