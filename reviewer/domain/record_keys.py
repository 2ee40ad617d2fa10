"""The keys two records of one article share: a title folded to its letters and
digits (with its notice and part markers), its first and last characters, and the DOI.

Deduplication (``reviewer.ingest.dedup``) compares records by them, and the store keeps
them indexed for every record (``reviewer.store.dedup_keys``), so both take them from
here: plain rules on text, no database and nothing else of ours.
"""

from __future__ import annotations

import re
import unicodedata

from reviewer.domain.identifiers import normalise_doi

# The rules that make a record's stored keys (``key_row``): a change to them must
# change this, and every review's keys are worked out again on its next import.
KEY_VERSION = "1"

# A title this short ("Editorial", "Reply") says too little to match on.
MIN_TITLE_CHARS = 12
# A head key is "<" and this many first characters of the folded title (a tail key ">"
# and the last as many): one typo leaves at least one of them alike.
BLOCK_CHARS = 24

NON_WORD = re.compile(r"[\W_]+")
# ASCII that is not a letter or digit (dropped from bytes: ``str.translate`` is slower)
_ASCII_PUNCTUATION = bytes(c for c in range(128) if not chr(c).isalnum())
_TAG = re.compile(r"<[^>]{0,40}>")  # <i>, <sup> in titles from PubMed and publishers
_NOTICE = re.compile(
    r"\b(?:(errat(?:um|a)|corrigend(?:um|a)|correction)"
    r"|(retract(?:ion|ed)|withdrawn|expression of concern)"
    r"|(reply|in response)"
    r"|(comment(?:ary)? on)"
    r"|(addendum))\b"
)
_NOTICE_KINDS = ("correction", "retraction", "reply", "comment", "addendum")
_PART = re.compile(r"\b(?:part|pt)\s+([ivx]{1,5}|\d{1,3}|one|two|three|four|five|six)\b")
_ROMAN = {"i": 1, "v": 5, "x": 10}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _hints_notice(title: str) -> bool:
    """Does the title hold a word a notice's title holds? (Tested with ``in``, word by
    word: three times quicker than one pattern, and it runs for every record imported.)"""
    return (
        "errat" in title or "corrigend" in title or "correction" in title
        or "retract" in title or "withdrawn" in title or "concern" in title
        or "reply" in title or "response" in title or "comment" in title
        or "addendum" in title
    )  # fmt: skip



def fold(text: str) -> str:
    """Lower case without accents: ``Müller`` and ``MULLER`` become ``muller``."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def title_key(title: str) -> tuple[str, tuple[str, ...]]:
    """A title folded to its letters and digits alone, and its markers.

    ``Multiple myeloma: a review.``, ``MULTIPLE MYELOMA - A REVIEW`` and ``Multiple
    Myeloma, a Review`` all give ``multiplemyelomaareview``.
    """
    if "<" in title:
        title = _TAG.sub("", title)
    low = title.lower()
    if low.isascii():
        compact = low.encode("ascii").translate(None, _ASCII_PUNCTUATION).decode("ascii")
    else:
        low = fold(low)
        compact = NON_WORD.sub("", low)
    return compact, title_markers(low)


def title_markers(title: str) -> tuple[str, ...]:
    """What kind of notice a (lower-case) title announces, and which part of a series it is.

    ``Erratum: X`` and ``X, part II`` share nearly all of X's words but are other
    articles; two titles can only be the same article when their markers agree.
    """
    marks: set[str] = set()  # nearly always stays empty
    if _hints_notice(title):
        words = NON_WORD.sub(" ", title)
        for m in _NOTICE.finditer(words):
            marks.add(next(k for k, g in zip(_NOTICE_KINDS, m.groups(), strict=True) if g))
    if "part" in title or "pt " in title or "pt." in title:
        m = _PART.search(NON_WORD.sub(" ", title))
        if m:
            marks.add(f"part {_part_number(m.group(1))}")
    return tuple(sorted(marks)) if marks else ()


def _part_number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    total, prev = 0, 0
    for ch in reversed(token):
        value = _ROMAN[ch]
        total += -value if value < prev else value
        prev = max(prev, value)
    return total


def key_row(title: str, doi: str) -> tuple[str, str, str, str, str]:
    """A record's duplicate keys as stored (``reviewer.store.dedup_keys``): folded title,
    markers, first and last characters (all empty for a title too short to match on)
    and normalised DOI."""
    return key_row_of(title_key(title), normalise_doi(doi) if doi else "")


def key_row_of(key: tuple[str, tuple[str, ...]], doi: str) -> tuple[str, str, str, str, str]:
    title, marks = key
    if len(title) < MIN_TITLE_CHARS:
        return "", "", "", "", doi
    head, tail = block_keys(title)
    return title, "|".join(marks), head, tail, doi


def block_keys(title: str) -> tuple[str, str]:
    """A title's first and last characters: one typo leaves at least one of them alike."""
    return "<" + title[:BLOCK_CHARS], ">" + title[-BLOCK_CHARS:]
