"""Text that reads like a trial report, shared by the annotation tests."""

from __future__ import annotations

TEXT = (
    "Background. Lenalidomide maintenance after transplant was studied in a randomised "
    "controlled trial. Methods. A total of 1,234 patients were screened and 182 patients "
    "were randomised to lenalidomide or placebo. Results. After a median follow-up of "
    "3 years, the median progression-free survival was 18.6 months with lenalidomide and "
    "12.1 months with placebo. The overall response rate was 45% with lenalidomide and "
    "30% with placebo. Grade 3 neutropenia occurred in 45% of patients on lenalidomide."
)


def at(quote: str, nth: int = 0, text: str = TEXT) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``quote`` in ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(quote, pos + 1)
    return pos, pos + len(quote)
