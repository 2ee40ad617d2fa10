"""Counts in words, the same everywhere a person reads them: "1 record", "1,453 records".

Kept apart from the layers (like ``paths``) so the command line, the exports' messages
and the window all say a number the same way.
"""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun, singular or plural, thousands separated."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
