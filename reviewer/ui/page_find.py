"""Find in a record's PDF: the hits in its text, the current one, and going to each.

The page view's find bar (``page_chrome.FindBar``) types the query and steps through
the hits; the hits are spans of the record's text, so the canvas draws them as it
draws any span, and a hit is brought into view like a value's words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from reviewer.ui.page_chrome import MAX_FIND_HITS

if TYPE_CHECKING:
    from reviewer.ui.page_view import PageView


class PageFind:
    """The hits of the find bar's query in ``view``'s record (see the module doc)."""

    def __init__(self, view: PageView):
        self.view = view
        self.hits: list[tuple[int, int]] = []
        self.hit = -1

    def open(self) -> None:
        bar = self.view.find_bar
        bar.show()
        bar.edit.setFocus()
        bar.edit.selectAll()

    def close(self) -> None:
        self.view.find_bar.hide()
        self.hits, self.hit = [], -1
        self.view.canvas.update()
        self.view.canvas.setFocus()

    def changed(self, query: str) -> None:
        view = self.view
        self.hits, self.hit = [], -1
        if query.strip() and view.record is not None:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            for m in pattern.finditer(view.record.text):
                self.hits.append((m.start(), m.end()))
                if len(self.hits) >= MAX_FIND_HITS:
                    break
        if self.hits:
            self.next(0)
        view.find_bar.show_count(self.hit, len(self.hits), bool(query.strip()))
        view.canvas.update()

    def next(self, step: int = 1) -> None:
        """Go to the next (``step`` 1), previous (-1) or first-from-here (0) hit."""
        if not self.hits:
            return
        view = self.view
        if self.hit < 0 or step == 0:
            page = view.current_page()
            base = view.base(page)
            if base is None and page < len(view.expected):
                base = view.expected[page][0]
            starts = [s for s, _e in self.hits]
            self.hit = min(bisect_right(starts, (base or 0) - 1), len(self.hits) - 1)
        else:
            self.hit = (self.hit + step) % len(self.hits)
        view.find_bar.show_count(self.hit, len(self.hits), True)
        view.reveal(*self.hits[self.hit])
        view.canvas.update()
