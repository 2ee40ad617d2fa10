"""Who funded the study, from "Funded by ...", "FUNDING: ..." or "This study was supported by ...".

"Supported by" is also ordinary English ("the finding is supported by data"), so
outside a funding statement it only counts when what follows names an organisation
or a grant. The value is the funder as printed, cut where the statement moves on
(to the trial number, or to "which employs ...").
"""

from __future__ import annotations

import re

from reviewer.domain import Suggestion
from reviewer.suggest.base import make
from reviewer.suggest.document import Document

NAME = "rules.funding"

_GRANT_FROM = r"(?:(?:an?\s+(?:unrestricted\s+)?(?:research\s+)?)?grants?\s+from\s+)?(?:the\s+)?"
_FUNDER = r"(?P<v>[A-Z][^;.()\n]{1,150}?)"
_STOP = r"(?=\s*(?:[;.)\n]|$|,\s*(?:which|who|and\s+the\s+(?:funder|sponsor))|\s+(?:ClinicalTrials|[A-Z]{3,}\s+ClinicalTrials)))"
_PATTERNS: tuple[tuple[re.Pattern[str], float, bool], ...] = (
    (
        re.compile(rf"\b(?:Funded|Sponsored)\s+by\s+{_GRANT_FROM}{_FUNDER}{_STOP}"),
        0.85,
        False,
    ),
    (re.compile(rf"\bFunding(?:\s+sources?)?\s*:\s*{_FUNDER}{_STOP}", re.IGNORECASE), 0.85, False),
    (
        re.compile(
            rf"\b(?:This|The|Our)\s+(?:study|work|trial|research|project|analysis)\s+(?:was|is)\s+"
            rf"(?:\w+\s+)?(?:funded|supported|sponsored|financed)\s+(?:in part\s+)?by\s+"
            rf"{_GRANT_FROM}{_FUNDER}{_STOP}"
        ),
        0.85,
        False,
    ),
    (
        re.compile(
            rf"\bFinancial support\s+(?:was\s+provided\s+by|from|:)\s*{_FUNDER}{_STOP}",
            re.IGNORECASE,
        ),
        0.8,
        False,
    ),
    (
        re.compile(rf"\bSupported\s+(?:in part\s+)?by\s+{_GRANT_FROM}{_FUNDER}{_STOP}"),
        0.7,
        True,
    ),
)
_ORGANISATION = re.compile(
    r"\b(?:grant|foundation|institute|council|agency|ministry|society|fund|association|"
    r"university|inc|ltd|llc|gmbh|pharma\w*|therapeutics|oncology|company|national|research|"
    r"program(?:me)?|cent(?:er|re)|trust|award|NIH|NCI|Novartis|Celgene|Janssen|Amgen|Takeda|"
    r"Roche|Genentech|Pfizer|Sanofi|AbbVie|Bristol|Merck|AstraZeneca|Karyopharm)\b",
    re.IGNORECASE,
)
_NOTHING = re.compile(
    r"^(?:none|nil|not applicable|n/?a)\b|\bno (?:specific |external )?funding\b|\breceived no\b|"
    r"\bnot receive\b",
    re.IGNORECASE,
)
# "Funding: This study was funded by X." is read by the sentence pattern, not as a funder
_STATEMENT = re.compile(
    r"^(?:This|The|Our)\s+(?:study|work|trial|research|project|analysis|authors?)\b"
)


def suggest(doc: Document) -> list[Suggestion]:
    for pattern, confidence, needs_organisation in _PATTERNS:
        for m in pattern.finditer(doc.text, 0, doc.body_end):
            value = " ".join(m.group("v").split()).rstrip(" ,")
            if _NOTHING.search(value) or _STATEMENT.match(value) or len(value.split()) > 20:
                continue
            if needs_organisation and not _ORGANISATION.search(value):
                continue
            return [make(doc, "funding", value, m.start("v"), m.end("v"), confidence, NAME)]
    return []
