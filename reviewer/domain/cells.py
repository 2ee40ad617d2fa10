"""Turning stored values into spreadsheet cells that cannot run as formulas.

Titles, quotes and notes come from imported files and from other people, so a
cell may begin with ``=HYPERLINK(...)``. Excel and LibreOffice evaluate such text
when a CSV is opened (and when an XLSX cell is edited), which is how CSV
injection works. As OWASP advises, text that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'``, so it shows as the text
it is; so does text that begins with their full-width or small forms (``＝``,
``﹦`` ..., which some spreadsheets read as the ASCII ones), or with spaces, line
breaks, zero-width spaces or a BOM before any of them (which a spreadsheet may
skip). Only *text* is neutralised: a value stored as a number is written as a
number, so a statistician's columns stay numeric. NUL characters, which end a
cell early in Excel and LibreOffice, are left out.
"""

from __future__ import annotations

import math
from typing import Any

# what a formula starts with: the ASCII signs, their full-width and small forms
FORMULA_SIGNS = "=+-@" "\uff1d\uff0b\uff0d\uff20" "\ufe66\ufe62\ufe63\ufe6b"
FORMULA_STARTS = (*FORMULA_SIGNS, "\t", "\r")  # neutralised wherever they start a cell
# skipped before a sign by some spreadsheet, so they must not hide one
BLANKS = " \t\r\n\u00a0\u200b\u200c\u200d\u2060\ufeff\u3000"
_FIRST = frozenset(FORMULA_SIGNS + BLANKS)
LIST_SEPARATOR = "; "  # what the template reads back as list items

Cell = str | int | float | bool | None


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula."""
    if not text or text[0] not in _FIRST:
        return False
    if text.startswith(FORMULA_STARTS):
        return True
    rest = text.lstrip(BLANKS)
    return bool(rest) and rest[0] in FORMULA_SIGNS


def safe_text(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet could take it for a formula, and
    without NUL characters."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return "'" + text if needs_quote(text) else text


def is_number(value: Any) -> bool:
    """A real, finite number (``bool`` is not one, NaN and infinity cannot be cells)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def cell(value: Any) -> Cell:
    """A stored value as one cell: numbers and booleans as they are, everything else
    as text; a list of one number is that number, longer lists are joined with ``; ``."""
    if value is None or isinstance(value, bool) or is_number(value):
        return value
    if isinstance(value, list):
        if len(value) == 1 and is_number(value[0]):
            return value[0]
        return LIST_SEPARATOR.join(_item(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_item(v)}" for k, v in value.items())
    return str(value)


def _item(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_text(value: Cell) -> str:
    """A cell as CSV text: empty for nothing, ``true``/``false``, numbers as written
    by Python (``12`` for ``12.0``), text neutralised. (Called for every filled cell
    of a 100,000-row table, hence text first and ``safe_text`` written out.)"""
    kind = value.__class__
    if kind is str:
        if "\x00" in value:  # type: ignore[operator]
            value = value.replace("\x00", "")  # type: ignore[union-attr]
        return "'" + value if needs_quote(value) else value  # type: ignore[arg-type,operator]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return _item(value)
    return str(value)
