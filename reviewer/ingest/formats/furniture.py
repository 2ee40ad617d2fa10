"""Page furniture: the lines of a web page that are not the article.

"Advertisement", an advertising disclaimer, image credits, share bars, "Related Articles"
lists, copyright footers, a site's menu: recognised line by line here, and cut out of a
record's text (``remove_cuts``) with each cut kept as a range of the source, so nothing is
lost. Which lines near the top are navigation depends on the headline, which
``article`` finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = "\n \t\u00a0"

_AD_LINE = re.compile(
    r"^(?:advertisements?|ad|ads|sponsored(?: content| links?)?|paid content|"
    r"story continues below(?: this)? advertisement|continue reading(?: below)?|"
    r"skip to (?:main )?content|scroll to continue(?: with content)?)$",
    re.I,
)
_MARKDOWN_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
_AD_NOTICE = re.compile(r"advertis", re.I)
_AD_NOTICE_HINT = re.compile(
    r"endorse|supports? our mission|on (?:our|this) (?:site|website)", re.I
)
_IMAGE_CREDIT = re.compile(
    r"^(?:images?|photos?|photograph|picture|illustration|credit|image credit|photo credit)"
    r"\s*:|\|\s*(?:image|photo) credit\s*:|(?:getty images|shutterstock|stock\.adobe\.com)\s*$",
    re.I,
)
RELATED_HEADING = re.compile(
    r"^(?:related (?:articles?|videos?|content|stories|posts|links|reading|news|topics)|"
    r"more (?:articles|stories|news|on this topic)|recommended(?: for you| reading| articles)?|"
    r"you (?:may|might) also (?:like|be interested in)|read (?:more|next)|trending(?: now)?|"
    r"most (?:read|popular)|popular (?:articles|stories))$",
    re.I,
)
RELATED_END = 200  # a line this long is prose again: the list has ended
# A site's menu or a share bar: three or more short items between separators
# ("News | Conference Coverage | Drug Approvals", "Home · About · Contact").
_MENU_SEPARATOR = re.compile(r"\s*[|\u2022\u00b7\u2016]\s*")
_MENU_ITEM_WORDS = 4
_SHARE_WORDS = frozenset(
    {"share", "tweet", "email", "e-mail", "print", "facebook", "twitter", "x", "linkedin",
     "pinterest", "whatsapp", "reddit", "bluesky", "mastodon", "copy", "link", "save", "on",
     "this", "article", "page", "story", "via", "the"}
)  # fmt: skip
_SHARE_SITES = frozenset(
    {"facebook", "twitter", "x", "linkedin", "pinterest", "whatsapp", "reddit", "email"}
)
_FOOTER = re.compile(r"^(?:(?:\u00a9|\(c\)|copyright)\s*\d{4}|all rights reserved\.?$)", re.I)
_SHARE = re.compile(
    r"^(?:share|tweet|email|print|facebook|twitter|linkedin|pinterest|whatsapp)"
    r"(?: (?:this|on) [\w ]+)?$",
    re.I,
)


@dataclass
class Cut:
    """A stretch of source that is page furniture, and what kind."""

    start: int
    end: int
    kind: str


def is_menu(text: str) -> bool:
    """A line of three or more short items between separators: a site's menu, not prose.
    (A table row has the same shape; the callers only ask about the top of a page.)"""
    items = [p for p in _MENU_SEPARATOR.split(text) if p.strip()]
    return len(items) >= 3 and all(len(p.split()) <= _MENU_ITEM_WORDS for p in items)


def is_share_bar(text: str) -> bool:
    """A line made only of sharing words ("Facebook Twitter LinkedIn Email")."""
    words = re.findall(r"[\w-]+", text.lower())
    return (
        len(words) >= 2
        and all(w in _SHARE_WORDS for w in words)
        and sum(w in _SHARE_SITES for w in words) >= 2
    )


def is_furniture_line(text: str) -> bool:
    return line_kind(text) is not None


def is_furniture(text: str) -> bool:
    """Whether a line (stripped) is page furniture: an advert, a credit, a related list."""
    return line_kind(text) is not None or bool(RELATED_HEADING.match(text))


def line_kind(text: str) -> str | None:
    if _MARKDOWN_IMAGE.match(text):
        return "image"
    if _AD_LINE.match(text):
        return "advertisement"
    if _AD_NOTICE.search(text) and _AD_NOTICE_HINT.search(text) and len(text) < 400:
        return "advertisement"
    if _IMAGE_CREDIT.search(text):
        return "image credit"
    if _FOOTER.match(text):
        return "footer"
    if _SHARE.match(text) or is_share_bar(text):
        return "sharing links"
    return None


def remove_cuts(source: str, cuts: list[Cut]) -> tuple[str, list[dict[str, object]]]:
    """The source without the cuts. Each cut takes the blank lines after it along, so the
    paragraphs around it keep one blank line between them; cuts that run to the very end
    take the blank lines before them instead."""
    spans: list[Cut] = []
    for cut in sorted(cuts, key=lambda c: c.start):
        end = _skip_space(source, cut.end)
        if spans and cut.start < spans[-1].end:
            spans[-1].end = max(spans[-1].end, end)
        else:
            spans.append(Cut(cut.start, end, cut.kind))
    _extend_tail(source, spans)
    kept: list[str] = []
    pos = 0
    for span in spans:
        kept.append(source[pos : span.start])
        pos = span.end
    kept.append(source[pos:])
    removed = [{"start": c.start, "end": c.end, "kind": c.kind} for c in spans]
    return "".join(kept), removed


def _skip_space(source: str, pos: int) -> int:
    while pos < len(source) and source[pos] in _SPACE:
        pos += 1
    return pos


def _extend_tail(source: str, spans: list[Cut]) -> None:
    """Spans that together reach the end of the source also take the whitespace before."""
    end = len(source)
    for i in range(len(spans) - 1, -1, -1):
        span = spans[i]
        if span.end != end:
            break
        floor = spans[i - 1].end if i else 0
        while span.start > floor and source[span.start - 1] in _SPACE:
            span.start -= 1
        end = span.start
