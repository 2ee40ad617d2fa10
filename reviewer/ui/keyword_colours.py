"""Keyword colouring for the record list: a title in green when it holds an inclusion
term, in red when it holds an exclusion term.

The document view marks each term where it occurs; the list has room for one
colour per row, so exclusion wins: a title that says "randomised" and "rats" is
most likely a record to exclude, and a red row is the cue a screener needs. The
colours are the document view's (``legend.KEYWORD_COLOURS``), so a term looks
the same in both places. The matching itself is ``reviewer.review.keywords``'s:
compile once with ``compiled_terms(store)`` and pass the result for every row.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from reviewer.review.keywords import Compiled
from reviewer.ui.legend import KEYWORD_COLOURS
from reviewer.ui.theme import readable

BACKGROUND_ALPHA = 40  # of 255: a row's tint is a faint wash of the term's colour


def keyword_kind(title: str, compiled: Compiled) -> str | None:
    """``"exclude"`` when an exclusion term occurs in ``title``, else ``"include"`` when
    an inclusion term does, else ``None``."""
    if not title or not compiled:
        return None
    found = {kind for pattern, kind in compiled if pattern.search(title)}
    if "exclude" in found:
        return "exclude"
    return "include" if "include" in found else None


def keyword_colour(title: str, compiled: Compiled) -> QColor | None:
    """The text colour for a title (ForegroundRole), or ``None`` when no term occurs."""
    kind = keyword_kind(title, compiled)
    return None if kind is None else readable(KEYWORD_COLOURS[f"keyword_{kind}"])


def keyword_background(title: str, compiled: Compiled) -> QColor | None:
    """A faint tint of the same colour for the row (BackgroundRole), or ``None``."""
    colour = keyword_colour(title, compiled)
    if colour is not None:
        colour.setAlpha(BACKGROUND_ALPHA)
    return colour
