"""A streaming XLSX writer: each row becomes XML and goes into the zip as it comes.

Why not XlsxWriter: even in its ``constant_memory`` mode it spends about 5 µs per
cell on this machine (a cell is checked, stored, then formatted on the next row),
and a 100,000-record workbook with its provenance, screening and event sheets has
5-10 million cells: a minute or more, against the 30 s the export may take. Here
a row is one string join (under 1 µs a cell), and memory holds one row plus the
first ``WIDTH_SAMPLE`` rows, which size the columns.

What is written is the small, well-known subset of SpreadsheetML that Excel,
LibreOffice and openpyxl read: inline strings (no shared-string table to keep in
memory), numbers, booleans, one bold header style, a frozen first row, an
autofilter over the data and column widths. No cell is ever a formula, and text
that a spreadsheet could take for one is neutralised here (``cells.safe_text``),
so no caller can forget it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, islice
from math import isfinite
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from reviewer.domain.cells import needs_quote, safe_text

MAX_ROWS = 1_048_576  # Excel's limit, header included
MAX_CHARS = 32_767  # Excel's limit for one cell
WIDTH_SAMPLE = 1_000  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60
BATCH = 500  # rows joined before each write to the zip

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Characters XML cannot carry (or would change: CR becomes LF) are written as Excel's
# _xHHHH_ escapes; a literal "_x0041_" in the text is protected the same way.
_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


@dataclass
class Sheet:
    """One worksheet to write: its name, column names and rows of cells
    (``str``, ``int``, ``float`` or ``bool``; ``None`` and ``""`` leave a cell empty)."""

    name: str
    header: list[str]
    rows: Iterable[list[Any]]


def column_letters(n: int) -> list[str]:
    out = []
    for i in range(1, n + 1):
        name = ""
        while i:
            i, rem = divmod(i - 1, 26)
            name = chr(65 + rem) + name
        out.append(name)
    return out


def xml_text(text: str) -> str:
    """``text`` ready to go between XML tags, cut to what a cell can hold."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if not _NEEDS_WORK.search(text):
        return text
    if "\x00" in text:  # it would end the cell early in Excel
        text = text.replace("\x00", "")
    text = _ESCAPES.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value: Any, style: str = "") -> str:
    kind = type(value)
    if kind is str:
        text = xml_text(safe_text(value))
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if kind is bool:
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}"{style}><v>{value!r}</v></c>'


def _row(r: int, row: list[Any], letters: list[str]) -> str:
    """One ``<row>``; the hot loop of an export, so ``_cell`` is written out inline."""
    rs = str(r)
    parts = [f'<row r="{rs}">']
    add = parts.append
    needs_work = _NEEDS_WORK.search
    for c, value in enumerate(row):
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            if not value:
                continue
            if needs_quote(value):
                value = "'" + value
            if needs_work(value) or len(value) > MAX_CHARS:
                value = xml_text(value)
            add(
                f'<c r="{letters[c]}{rs}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
            )
        elif kind is bool:
            add(f'<c r="{letters[c]}{rs}" t="b"><v>{int(value)}</v></c>')
        elif kind is float and not isfinite(value):  # no cell holds NaN: it is written as text
            add(f'<c r="{letters[c]}{rs}" t="inlineStr"><is><t>{value!r}</t></is></c>')
        else:
            add(f'<c r="{letters[c]}{rs}"><v>{value!r}</v></c>')
    add("</row>")
    return "".join(parts)


def _widths(header: list[str], sample: list[list[Any]]) -> list[float]:
    widths = [len(h) for h in header]
    for row in sample:
        for c, value in enumerate(row):
            if value is not None:
                widths[c] = max(widths[c], len(value if type(value) is str else str(value)))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def _sheet_head(header: list[str], widths: list[float], letters: list[str]) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    head = "".join(_cell(f"{letters[c]}1", h, ' s="1"') for c, h in enumerate(header))
    return (
        f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f'<sheetData><row r="1">{head}</row>'
    )


def write_sheet(out: Any, sheet: Sheet, on_row: Any = None) -> int:
    """Write ``sheet`` as worksheet XML to the binary stream ``out``; return its data rows.

    ``on_row()`` is called after each row (progress, cancel). Rows beyond Excel's
    limit are not written.
    """
    letters = column_letters(max(1, len(sheet.header)))
    rows = iter(sheet.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    out.write(_sheet_head(sheet.header, _widths(sheet.header, sample), letters).encode())
    n = 0
    batch: list[str] = []
    for n, row in enumerate(chain(sample, rows), start=2):
        if n > MAX_ROWS:
            n -= 1
            break
        batch.append(_row(n, row, letters))
        if len(batch) == BATCH:
            out.write("".join(batch).encode())
            batch = []
        if on_row:
            on_row()
    out.write("".join(batch).encode())
    last = max(n, 1)
    ref = f"A1:{letters[-1]}{max(last, 2)}"
    out.write(f'</sheetData><autoFilter ref="{ref}"/></worksheet>'.encode())
    return last - 1


def _content_types(n: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    return (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>'
    )


def _workbook(names: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    return (
        f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'
    )


def _workbook_rels(n: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    return (
        f'{XML_HEAD}<Relationships xmlns="{PKG_REL}">{rels}'
        f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
    )


_ROOT_RELS = (
    f'{XML_HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
    f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
# Style 0: the default; style 1: the header (bold, blue-grey fill, bottom border,
# wrapped, top-aligned).
_STYLES = (
    f'{XML_HEAD}<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDCE6F1"/>'
    '<bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>'
    "<diagonal/></border></borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" '
    'applyFill="1" applyBorder="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_workbook(path: str | Path, sheets: list[Sheet], on_row: Any = None) -> dict[str, int]:
    """Write ``sheets`` in order to an ``.xlsx`` at ``path``; return rows per sheet."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook([s.name for s in sheets]))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        zf.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w") as out:
                counts[sheet.name] = write_sheet(out, sheet, on_row)
    return counts
