"""Whatever the text, suggesting never fails and every quote is the text at its offsets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.domain import ParsedRecord
from reviewer.suggest import suggest

PIECES = [
    "A total of 1,024 patients were randomized.",
    "The median age was 67 years (range, 45-88).",
    "HR 0.62; 95% CI 0.48-0.80; P<.001.",
    "Grade ≥3 adverse events occurred in 12%.",
    "ORR was 45% vs 30%.",
    "median follow-up of 3.2 years",
    "Patients received Revlimid plus dexamethasone (Rd) versus placebo.",
    "relapsed/refractory multiple myeloma (RRMM)",
    "(Funded by Celgene; NCT01234567.)",
    "BACKGROUND:",
    "RESULTS:",
    "Related Articles",
    "İstanbul ǅ ß ﬁ",  # characters whose case mapping changes length
    "\n",
    "  ",
    "(",
    ")",
    "%",
    "versus",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=30),
    st.text(max_size=40),
)
def test_suggest_never_fails_and_quotes_match(pieces, title):
    text = " ".join(pieces)
    record = ParsedRecord(
        title=title, authors=[title[:5]] if title else [], journal=title[-6:], text=text
    )
    for s in suggest(record):
        assert 0 <= s.start <= s.end <= len(text)
        assert s.quote == text[s.start : s.end]
        assert 0 < s.confidence <= 1


def test_empty_and_missing_text():
    assert suggest(ParsedRecord(text="")) == []
    assert suggest(ParsedRecord(title="Only a title", text="   \n ")) == []
