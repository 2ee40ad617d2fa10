"""The selection on a PDF's pages, and what the mouse points at, in the record's text.

The canvas (``page_canvas``) knows points on a page; the document view knows
offsets in the record's text. This turns the one into the other through the page's
character layout: where a dragged selection reaches, the character or word under the
mouse, the mark to focus on a click, the document's context menu for that word, and
the cells of a table under a drawn rectangle (to copy, or to send to the results).
The selection is the document view's: set here, it is set there, and switching
between the text and the pages keeps it (or the place being read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMenu

from reviewer.ingest.pdf_layout import Rect
from reviewer.ingest.pdf_tables import PdfTable, table_in

if TYPE_CHECKING:
    from reviewer.ui.page_view import PageView


class PagePointer:
    """The selection on ``view``'s pages, and points there as offsets in its record's
    text (see the module doc)."""

    def __init__(self, view: PageView):
        self.view = view
        self.last_table: PdfTable | None = None

    def set_selection(self, start: int, end: int) -> None:
        """Select record offsets ``start:end`` here and in the text view."""
        view = self.view
        if end <= start:
            view.selection = None
            view.document.select(start, start)
        else:
            view.selection = (start, end)
            view.document.select(start, end)
        view.canvas.update()

    def text_selection_changed(self) -> None:
        view = self.view
        sel = view.document.selection()
        if sel != view.selection:
            view.selection = sel
            view.canvas.update()

    def selected_text(self) -> str:
        view = self.view
        if view.selection is None or view.record is None:
            return ""
        return view.record.text[view.selection[0] : view.selection[1]]

    def follow_text(self) -> None:
        """Coming from the text: show the selection, else where the text was."""
        view = self.view
        sel = view.document.selection()
        if sel is not None:
            view.reveal(*sel)
            return
        first = view.document.text.firstVisibleBlock()
        if first.isValid():
            page = view.page_of(first.position())
            if page is not None:
                view.go_to_page(page)

    def lead_text(self) -> None:
        """Going to the text: show the selection there, else the page's start."""
        view = self.view
        sel = view.selection
        if sel is not None:
            view.document.select(*sel)
            view.document.text.centerCursor()
            return
        page = view.current_page()
        base = view.bases.get(page)
        if base is None and page < len(view.expected):
            base = view.expected[page][0]
        if base is not None:
            view.document.select(base, base)
            view.document.text.centerCursor()

    def caret(self, page: int, x: float, y: float) -> int | None:
        """The record offset a selection dragged to point ``(x, y)`` of ``page`` reaches."""
        base = self.view.base(page)
        if base is None:
            return None
        local = self.view.layouts[page].caret_at(x, y)
        return None if local is None else base + local

    def offset_at(self, page: int, x: float, y: float) -> int | None:
        """The record offset of the character printed at ``(x, y)`` on ``page``."""
        base = self.view.base(page)
        if base is None:
            return None
        local = self.view.layouts[page].char_at(x, y, slack=0.5)
        return None if local is None else base + local

    def word_at(self, page: int, x: float, y: float) -> tuple[int, int] | None:
        base = self.view.base(page)
        if base is None:
            return None
        layout = self.view.layouts[page]
        local = layout.char_at(x, y, slack=0.5)
        if local is None:
            return None
        start, end = layout.word_at(local)
        return base + start, base + end

    def context_menu_at(self, point: QPointF) -> QMenu:
        """The document's menu (set a field from the selection, notes, copy) for a right
        click at ``point`` of the canvas, with the marks of the word under it."""
        place = self.view.canvas._point_at(point)
        offset = self.offset_at(*place) if place else None
        return self.view.document.context_menu(None, offset)

    def clicked(self, page: int, x: float, y: float) -> None:
        """A click (not a drag): a value's or suggestion's box focuses its field."""
        mark = self.view.marks.mark_at(page, x, y)
        if mark is None:
            return
        if mark.kind in ("value", "suggestion") and mark.field:
            self.view.document.highlight_clicked.emit(mark.field)
        elif mark.kind == "note" and mark.ref is not None:
            self.view.document.note_clicked.emit(mark.ref)

    def table_at(self, page: int, rect: Rect) -> PdfTable | None:
        """The cells of a table under ``rect`` (points) on ``page``, spans in the record."""
        base = self.view.base(page)
        layout = self.view.layouts.get(page)
        if layout is None:
            return None
        table = table_in(layout, rect)
        if base is None:
            table.problems.append(
                "this page's text is not in the record's text, so the cells have no spans"
            )
            return table
        return table.shifted(base)

    def take_table(self, page: int, rect: Rect) -> None:
        table = self.table_at(page, rect)
        if table is None:
            return
        self.last_table = table
        self.view.table_selected.emit(table)
        from reviewer.ui.pdf_table_dialog import TableDialog

        dialog = TableDialog(table, self.view.results_target, self.view)
        dialog.show()
        self.table_dialog = dialog
