"""One record, read once: its sentences, its title, and the drugs and diseases it names.

Every field suggester asks the same questions of a record (where is the title, which
sentences are background, which drugs appear where), so ``Document`` answers them
once, lazily, and the suggesters share the answers. It also knows which parts of a
web page are not the article (a "Related Articles" list below it), so no suggester
reads a neighbouring story.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from reviewer.suggest import lexicon
from reviewer.suggest.lexicon import Mention
from reviewer.suggest.textutil import Sentence, ci, find_loose, lower_text, split_sentences

# where the article ends on a saved web page
_PAGE_FURNITURE = re.compile(
    r"^[ \t]*(?:Related (?:Articles|Videos|Content|Posts|Stories|Reading|Links)|"
    r"You (?:may|might) also (?:like|be interested in)|More (?:from|on) this topic|"
    r"Recommended (?:for you|articles)|Read (?:more|next)|Trending|Most Popular)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
BACKGROUND_SECTIONS = frozenset(
    {"BACKGROUND", "INTRODUCTION", "RATIONALE", "CONTEXT", "IMPORTANCE"}
)
# a sentence about some other study than the one the record reports
_OTHER_STUDY = ci(
    r"\b(?:previous|previously (?:published|reported|described)|prior|earlier|recent(?:ly)?|"
    r"other|published|historical|landmark|contemporaneous|pivotal)\s+(?:[\w()-]+\s+){0,8}?"
    r"(?:stud(?:y|ies)|trials?|reports?|analys[ie]s|data)\b|"
    r"\b(?:ongoing|future|planned|further|larger?)\s+(?:[\w-]+\s+){0,3}?(?:stud(?:y|ies)|trials?|"
    r"research|settings?)\b|"
    r"\b(?:stud(?:y|ies)|trials?|meta-analys[ie]s|analys[ie]s)\s+(?:have\s+|has\s+)?"
    r"(?:reported|showed|shown|demonstrated|suggested|found)\b|"
    r"\b(?:comparable|similar|consistent) (?:to|with) (?:[\w()-]+\s+){0,8}?(?:stud(?:y|ies)|trials?)\b|"
    r"\b(?:should|need to|needs to) be (?:tested|evaluated|confirmed|investigated|explored)\b|"
    r"\b(?:is|are) (?:needed|warranted|under (?:way|consideration|investigation))\b|"
    r"\bcalls? for\b|\bwarrants?\b|\bwould be (?:needed|useful|required)\b"
)
# "N Engl J Med. 2019; 381(8):727-738 [PubMed]" under a title
_CITATION_LINE = ci(r"\[PubMed\]|\b(?:19|20)\d\d\s*[;:]\s*\w|\bdoi:\s*10\.")
_HEADLINE_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "of", "on",
     "or", "per", "the", "to", "vs", "via", "with", "without"}
)  # fmt: skip


@dataclass
class Meta:
    """The bibliographic fields an importer parsed, as far as the record has them."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    journal: str = ""
    year: int | None = None
    doi: str = ""
    trial_ids: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, record: Any) -> Meta:
        year = getattr(record, "year", None)
        return cls(
            title=(getattr(record, "title", "") or "").strip(),
            authors=[a for a in (getattr(record, "authors", None) or []) if a and a.strip()],
            journal=(getattr(record, "journal", "") or "").strip(),
            year=int(year) if isinstance(year, int | str) and str(year).isdigit() else None,
            doi=(getattr(record, "doi", "") or "").strip(),
            trial_ids=list(getattr(record, "trial_ids", None) or []),
        )


class Document:
    """A record's text with what the suggesters need to know about it."""

    def __init__(self, record: Any):
        self.record = record
        self.text: str = getattr(record, "text", "") or ""
        self.lower = lower_text(self.text)  # for the lower-case patterns (see textutil.ci)
        self.meta = Meta.of(record)
        m = _PAGE_FURNITURE.search(self.text)
        self.body_end = m.start() if m else len(self.text)
        # what a suggester works out once per document for the others (the study design,
        # ``reviewer.suggest.design.design_of``), kept here so the modules above need not
        # be imported by this one
        self.memo: dict[str, Any] = {}

    # -- sentences ---------------------------------------------------------------------

    @cached_property
    def sentences(self) -> list[Sentence]:
        return list(split_sentences(self.text, 0, self.body_end))

    @cached_property
    def _starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start : s.end]

    def is_title(self, s: Sentence) -> bool:
        t = self.title_span
        return t is not None and s.start <= t[0] < s.end

    def about_other_study(self, s: Sentence) -> bool:
        return bool(_OTHER_STUDY.search(self.lower, s.start, s.end))

    @cached_property
    def own(self) -> list[Sentence]:
        """Sentences of the abstract that report this study: not the header lines, not
        background, not about another study."""
        return [
            s
            for s in self.sentences
            if s.start >= self.abstract_start
            and s.section not in BACKGROUND_SECTIONS
            and not self.about_other_study(s)
        ]

    def own_sentences(self) -> list[Sentence]:
        return self.own

    @cached_property
    def _own_starts(self) -> frozenset[int]:
        return frozenset(s.start for s in self.own)

    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect_right(self._starts, pos) - 1
        if i < 0 or pos >= self.sentences[i].end:
            return None
        return self.sentences[i]

    def own_matches(
        self, pattern: re.Pattern[str], cased: bool = False
    ) -> Iterator[tuple[re.Match[str], Sentence]]:
        """Matches of ``pattern`` (a lower-case pattern unless ``cased``) that lie within one
        sentence about this study, in text order: one scan, not one search per sentence."""
        text = self.text if cased else self.lower
        for m in pattern.finditer(text, self.abstract_start, self.body_end):
            s = self.sentence_at(m.start())
            if s is not None and m.end() <= s.end and s.start in self._own_starts:
                yield m, s

    def own_with(self, keyword: re.Pattern[str]) -> list[Sentence]:
        """The sentences about this study that contain ``keyword``, in text order."""
        out: list[Sentence] = []
        for _m, s in self.own_matches(keyword):
            if not out or out[-1] is not s:
                out.append(s)
        return out

    def has(self, pattern: re.Pattern[str]) -> bool:
        """A cheap test before a suggester's slower patterns: does the text name the outcome?"""
        return pattern.search(self.lower, self.abstract_start, self.body_end) is not None

    @cached_property
    def abstract_start(self) -> int:
        """Where the text after the title begins, past a citation line under it."""
        if self.title_span is None:
            return 0
        pos = self.text.find("\n", self.title_span[1])
        if pos < 0:
            return len(self.text)
        while True:
            nl = self.text.find("\n", pos + 1)
            line = self.text[pos + 1 : nl if nl >= 0 else len(self.text)]
            if not line.strip() or len(line) > 400 or not self._header_line(line):
                return pos + 1
            if nl < 0:
                return len(self.text)
            pos = nl

    def _header_line(self, line: str) -> bool:
        """A line under the title that is not yet the abstract: the citation, a DOI, the
        authors."""
        if _CITATION_LINE.search(line.lower()) and len(line) < 250:
            return True
        journal = self.meta.journal
        if journal and len(line) < 250 and line.strip().lower().startswith(journal.lower()):
            return True  # "World Journal of Surgery. 2017": the citation importers compose
        first = self.meta.authors[0].split(",")[0].split()[0] if self.meta.authors else ""
        return bool(first) and len(first) > 1 and line.lstrip().startswith(first)

    # -- the title -----------------------------------------------------------------------

    @cached_property
    def title_span(self) -> tuple[int, int] | None:
        """Where the title is printed: the importer's title found in the text, else a
        headline near the top of a web page."""
        if self.meta.title:
            span = find_loose(
                self.text,
                self.meta.title.rstrip(". "),
                0,
                min(len(self.text), 5000),
                lower=self.lower,
            )
            if span:
                return span
        return self._headline()

    def _headline(self) -> tuple[int, int] | None:
        """The first line near the top that is set like a headline: title case, 4-30 words,
        no closing full stop."""
        pos = 0
        seen = 0
        for line in self.text[: min(self.body_end, 3000)].split("\n"):
            start, pos = pos, pos + len(line) + 1
            stripped = line.strip()
            if not stripped:
                continue
            seen += 1
            if seen > 6:
                return None
            if looks_like_headline(stripped):
                lead = len(line) - len(line.lstrip())
                return start + lead, start + lead + len(stripped)
        return None

    # -- drugs and diseases ------------------------------------------------------------------

    @cached_property
    def _words(self) -> lexicon.Words:
        return lexicon.Words.of(self.text, lexicon.words(self.text, 0, self.body_end))

    @cached_property
    def drugs(self) -> list[Mention]:
        matcher = lexicon.drug_matcher()
        found = matcher.find(self.text, 0, self.body_end, self._words)
        return self._not_header(
            _defined(self.text, _with_abbreviations(self.text, self._words, found))
        )

    @cached_property
    def diseases(self) -> list[Mention]:
        matcher = lexicon.conditions().matcher
        found = matcher.find(self.text, 0, self.body_end, self._words)
        return self._not_header(
            _defined(self.text, _with_abbreviations(self.text, self._words, found))
        )

    def _not_header(self, mentions: list[Mention]) -> list[Mention]:
        """Without the names in the lines between the title and the abstract: a journal
        called "Multiple Sclerosis" or "Pain" is not what was studied (though it may
        spell out what an abbreviation of the title stands for)."""
        title = self.title_span
        if title is None or self.abstract_start <= title[1]:
            return mentions
        return [m for m in mentions if not title[1] <= m.start < self.abstract_start]

    @cached_property
    def _drug_starts(self) -> list[int]:
        return [m.start for m in self.drugs]

    def drugs_in(self, start: int, end: int) -> list[Mention]:
        i = bisect_right(self._drug_starts, start - 1)
        out = []
        for m in self.drugs[i:]:
            if m.start >= end:
                break
            if m.end <= end:
                out.append(m)
        return out

    def diseases_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.diseases if start <= m.start and m.end <= end]


# "multiple sclerosis (MS)", "exemestane (EXE)": an abbreviation the text defines
_DEFINED_AS = re.compile(r"\s*\(\s*(?P<abbr>[A-Za-z][A-Za-z0-9]{1,9})\s*[),;]")


def _with_abbreviations(text: str, words: lexicon.Words, mentions: list[Mention]) -> list[Mention]:
    """The mentions plus every later use of an abbreviation the text defines for one of
    them, read as the same term (the way a reader resolves "MS" after "multiple sclerosis
    (MS)"). Only abbreviations printed with a capital letter, and never a word the
    lexicon already reads."""
    defined: dict[str, lexicon.Term] = {}
    for m in mentions:
        d = _DEFINED_AS.match(text, m.end)
        if d is None:
            continue
        abbr = d.group("abbr")
        if abbr.lower() == text[m.start : m.end].lower() or not any(c.isupper() for c in abbr):
            continue
        defined.setdefault(
            abbr,
            lexicon.Term(m.names, abbr, "abbreviation", m.term.concept, m.term.depth,
                         m.term.category),
        )  # fmt: skip
    if not defined:
        return mentions
    taken = {(m.start, m.end) for m in mentions}
    covered = [(m.start, m.end) for m in mentions]
    extra = []
    for w in words.matches:
        term = defined.get(w.group())
        if term is None or (w.start(), w.end()) in taken:
            continue
        if any(a <= w.start() < b for a, b in covered):
            continue
        extra.append(Mention(w.start(), w.end(), term))
    return sorted(mentions + extra, key=lambda m: m.start)


def _defined(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions that can be trusted: an abbreviation ("BV", "MM") only where the text also
    spells out what it stands for, a short regimen name ("Kd", "Rd") only where one of
    its drugs is named; elsewhere they are as likely to mean something else."""
    spelled = {
        n for m in mentions if m.term.kind not in {"abbreviation", "regimen"} for n in m.names
    }
    out = []
    for m in mentions:
        if m.term.kind == "abbreviation" and m.names[0] not in spelled:
            continue
        printed = text[m.start : m.end]
        if m.term.concept and len(printed) <= 4 and printed.islower():
            continue  # a dictionary's short name ("serc", "aids") printed as an ordinary word
        short = m.term.kind == "regimen" and not _distinctive(text[m.start : m.end])
        if short and not spelled.intersection(m.names):
            continue
        out.append(m)
    return out


def _distinctive(name: str) -> bool:
    """A regimen name that means nothing else: "R-CHOP", "VRd"; not "Rd" or "ICE"."""
    return len(name) >= 4 or (len(name) == 3 and not name.isupper())


def looks_like_headline(line: str) -> bool:
    words = line.split()
    if not 4 <= len(words) <= 30 or line.endswith((".", ":", "?", "!", ",")):
        return False
    if re.match(r"^(?:\W|\d{1,2}[/.]\d|[A-Z][a-z]+ \d{1,2}, \d{4})", line):
        return False  # bullets, dates
    significant = [w for w in words if w.lower().strip("()'\"") not in _HEADLINE_SMALL_WORDS]
    if len(significant) < 3:
        return False
    capitalised = sum(1 for w in significant if w[:1].isupper() or w[:1].isdigit())
    return capitalised / len(significant) >= 0.8
