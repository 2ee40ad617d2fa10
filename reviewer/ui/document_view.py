"""The document view: a record's text, read-only, always plain text, with its marks.

Text from imported files is data: it goes in with ``setPlainText`` so that no
markup in a document is ever interpreted, and nothing it names is loaded.

Marks (values, suggestions, notes, keywords; see ``reviewer.ui.legend`` for how
each looks) are drawn as extra selections, but only those that cross the
paragraphs on screen: handed all 500 marks of a long record, Qt lays out the
whole document to find their rectangles (about 100 ms for 300,000 characters),
while the few on screen cost a millisecond and are redone when the view scrolls
or is resized. Finding the mark under the mouse is a search in our own sorted
list, never a question to Qt.

Every offset this widget takes or emits is a Python string offset into
``record.text``. Qt counts UTF-16 units and reads "\\r\\n" as one line break, so
the text is shown with "\\r\\n" as " \\n" and a lone "\\r" as "\\n" (same length),
and characters beyond the Basic Multilingual Plane (mathematical letters in PDF
text) are mapped by ``document_text.Offsets``. A paragraph longer than ``LONG_BLOCK``
characters (text extracted without a single line break) gets a line break in place of a space every few
thousand characters: offsets are unchanged, and Qt is spared laying out 300,000
characters as one paragraph at every scroll; a run without spaces gets a line break
inserted, which ``Offsets`` maps too. Bidi controls show as a mark, not obeyed.
Copying and dragging take the words from ``record.text`` itself, so none of these
substitutions ever leaves the view. The context menu is ``document_menu``; the marks as
data (and a record's marks from the store) are ``highlight_items``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from reviewer.domain import Record
from reviewer.ui import document_menu
from reviewer.ui.document_text import Offsets, citation, shown_text
from reviewer.ui.highlight_items import LAYER, HighlightItem, Marks
from reviewer.ui.legend import FLASH_COLOUR, Legend, char_format, fill
from reviewer.ui.mime import SPAN_MIME
from reviewer.ui.plain import show_tooltip, shown

_FLASH_PATTERN = (True, True, False, True, True, False)  # 150 ms steps
_CLICKABLE = ("value", "suggestion")


class DocumentView(QWidget):
    """A record's text with its marks; the window connects the signals to the core."""

    highlight_clicked = Signal(str)  # field key of the value or suggestion clicked
    note_clicked = Signal(int)  # note id
    set_field_requested = Signal(str, int, int, bool)  # field key, start, end, append
    note_requested = Signal(int, int)  # start, end of the selection to note on
    span_remove_requested = Signal(str, int)  # field key, index of the span in its provenance
    note_delete_requested = Signal(int)  # note id
    selection_changed = Signal()
    originals_requested = Signal()  # the reader asks to see each original of a merged record
    # for another view of the same record (the page view of a PDF, ``page_view``)
    record_shown = Signal()
    marks_changed = Signal()
    focus_changed = Signal(bool)  # the focused field's spans changed; scroll to them?
    span_flashed = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setStyleSheet("font-weight: 600; font-size: 14px; padding: 4px;")
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setStyleSheet("padding: 0 4px 4px 4px;")
        self.meta.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, any palette
        # a merged record: which sources it was completed from, and a way to each original
        self.sources = QLabel()
        self.sources.setObjectName("record_sources")
        self.sources.setWordWrap(True)
        self.sources.setTextFormat(Qt.TextFormat.PlainText)
        self.sources.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.originals_button = QPushButton("See each original…")
        self.originals_button.setObjectName("show_originals")
        self.originals_button.setToolTip(
            "The record shows the most complete value of each field of its duplicates; "
            "see each one as it was imported"
        )
        self.originals_button.clicked.connect(self.originals_requested)
        self.sources_row = QWidget()
        row = QHBoxLayout(self.sources_row)
        row.setContentsMargins(4, 0, 4, 4)
        row.addWidget(self.sources, 1)
        row.addWidget(self.originals_button)
        self.sources_row.hide()
        self.text = document_menu.TextArea(self)
        self.text.setObjectName("document_text")
        self.text.setReadOnly(True)
        self.text.setAcceptDrops(False)
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.document().setUndoRedoEnabled(False)
        font = QFont(self.text.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.text.setFont(font)
        self.legend = Legend()
        layout.addWidget(self.header)
        layout.addWidget(self.meta)
        layout.addWidget(self.sources_row)
        self.stack = QStackedWidget()  # the text, and other views of the record
        self.stack.addWidget(self.text)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend)

        self.record: Record | None = None
        self._offsets = Offsets("")
        self._marks = Marks()
        self._focus: list[tuple[int, int, str]] = []
        self._flash: tuple[int, int] | None = None
        self._flash_step = 0
        self._drawn: list[tuple[int, int, str]] = []
        self._formats: dict[tuple[str, str | None], QTextCharFormat] = {}
        self.fields: list[tuple[str, str, str | None]] = []
        # other targets for a selection (the results grid) add their entries to the menu
        self.menu_extenders: list[Callable[[QMenu, tuple[int, int] | None], None]] = []
        self._press: QPoint | None = None
        self._redrawing = False
        self._redraw_again = False

        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(150)
        self._flash_timer.timeout.connect(self._flash_tick)
        self.text.verticalScrollBar().valueChanged.connect(lambda _v: self._redraw())
        self.text.selectionChanged.connect(self.selection_changed)
        self.text.viewport().installEventFilter(self)
        document_menu.add_field_shortcuts(self)

    # -- the record --------------------------------------------------------------------

    def show_record(
        self, record: Record | None, source_name: str = "", merged_from: Sequence[str] = ()
    ) -> None:
        """Show ``record`` (from ``source_name``); ``merged_from`` names the sources of
        its duplicate group when it has been completed from more than one record."""
        self.record = record
        merged = record is not None and len(merged_from) > 1
        self.sources_row.setVisible(merged)
        if merged:
            names = list(dict.fromkeys(merged_from))
            self.sources.setText(
                f"Merged from {len(merged_from)} records: {' · '.join(names)} "
                "(the most complete value of each field)"
            )
            source_name = ""
        self._marks = Marks()
        self._focus = []
        self._flash = None
        self._flash_timer.stop()
        if record is None:
            self.header.setText("")
            self.meta.setText("")
            self._offsets = Offsets("")
            self.text.setPlainText("")
        else:
            self.header.setText(shown(record.title) or "(untitled)")
            self.meta.setText(shown(" · ".join(citation(record, source_name))))
            text, breaks = shown_text(record.text)
            self._offsets = Offsets(record.text, breaks)
            self.text.setPlainText(text)
        self._redraw()
        self.record_shown.emit()

    # -- marks -------------------------------------------------------------------------

    def set_fields(self, fields: Sequence[tuple[str, ...]]) -> None:
        """The template's fields as ``(key, label)`` or ``(key, label, group)``, in order:
        the context menu offers them and Ctrl+1 ... Ctrl+0 set the first ten."""
        self.fields = [(f[0], f[1], f[2] if len(f) > 2 else None) for f in fields]

    def set_highlights(self, items: Iterable[HighlightItem | tuple]) -> None:
        """Replace the marks on the text (values, suggestions, notes, keywords)."""
        length = len(self.record.text) if self.record else 0
        marks = [m if isinstance(m, HighlightItem) else HighlightItem(*m) for m in items]
        for m in marks:
            if m.kind not in LAYER:
                raise ValueError(f"no style for a mark of kind {m.kind!r}")
        self._marks = Marks(m for m in marks if 0 <= m.start < m.end <= length)
        self.legend.set_keywords(any(m.kind.startswith("keyword") for m in self._marks.items))
        self._redraw()
        self.marks_changed.emit()

    def highlights(self) -> list[HighlightItem]:
        return list(self._marks.items)

    def marks_at(self, offset: int) -> list[HighlightItem]:
        """The marks holding the character at ``offset``, values first."""
        return sorted(self._marks.at(offset), key=lambda m: -LAYER[m.kind])

    def tooltip_at(self, offset: int) -> str:
        seen: list[str] = []
        for m in self.marks_at(offset):
            if m.tooltip and m.tooltip not in seen:
                seen.append(m.tooltip)
        return "\n".join(seen)

    def highlight(self, spans: Sequence[tuple[int, int, str]], scroll: bool = True) -> None:
        """Mark ``(start, end, colour)`` spans on top of everything (the focused field's
        words) and scroll to the first."""
        length = len(self.record.text) if self.record else 0
        self._focus = [(s, e, c) for s, e, c in spans if 0 <= s < e <= length]
        self._redraw()
        if scroll and self._focus:
            self._scroll_to(self._focus[0][0])
        self.focus_changed.emit(scroll)

    def highlighted(self) -> list[tuple[int, int]]:
        """The spans given to ``highlight``, as shown."""
        return [(s, e) for s, e, _c in self._focus]

    def focused(self) -> list[tuple[int, int, str]]:
        """The spans given to ``highlight`` with their colours."""
        return list(self._focus)

    def focus_span(self, start: int, end: int) -> None:
        """Scroll to ``start:end`` and make it flash, so the eye finds it."""
        length = len(self.record.text) if self.record else 0
        if not 0 <= start < end <= length:
            return
        self._scroll_to(start)
        self._flash = (start, end)
        self._flash_step = 0
        self._flash_timer.start()
        self._redraw()
        self.span_flashed.emit(start, end)

    def flashing(self) -> tuple[int, int] | None:
        """The span being flashed right now (lit or not), or None."""
        return self._flash

    def drawn(self) -> list[tuple[int, int, str]]:
        """What is drawn now: ``(start, end, kind)`` of the marks on screen, in drawing
        order ('focus' and 'flash' for the layers on top)."""
        return list(self._drawn)

    def _flash_tick(self) -> None:
        self._flash_step += 1
        if self._flash_step >= len(_FLASH_PATTERN):
            self._flash_timer.stop()
            self._flash = None
        self._redraw()

    def _scroll_to(self, offset: int) -> None:
        """Bring ``offset`` on screen; words already on screen stay where they are (and
        the reader's selection with them), so nothing jumps under the eye."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._offsets.to_doc(offset))
        if self.text.viewport().rect().contains(self.text.cursorRect(cursor)):
            return
        self.text.setTextCursor(cursor)
        self.text.centerCursor()

    def _visible(self) -> tuple[int, int]:
        """The part of the text on screen (whole paragraphs), as Python offsets."""
        text = self.text
        block = text.firstVisibleBlock()
        if not block.isValid():
            return 0, 0
        first = block.previous() if block.previous().isValid() else block
        offset = text.contentOffset()
        bottom = text.viewport().height()
        last = block
        while block.isValid():
            last = block
            if text.blockBoundingGeometry(block).translated(offset).top() > bottom:
                break
            block = block.next()
        to_py = self._offsets.to_py
        return to_py(first.position()), to_py(last.position() + last.length())

    def _redraw(self) -> None:
        """Give Qt the marks that cross the screen, plus the focus and flash layers.

        Handing Qt selections can make it lay out more text, which moves the scroll
        bar, which asks for a redraw: that one waits for this to finish (a nested
        ``setExtraSelections`` would free what the outer one is using) and is then
        done in turn.
        """
        if self._redrawing:
            self._redraw_again = True
            return
        self._redrawing = True
        try:
            for _ in range(3):
                self._redraw_again = False
                self._redraw_once()
                if not self._redraw_again:
                    break
        finally:
            self._redrawing = False

    def _redraw_once(self) -> None:
        if self.record is None:
            self._drawn = []
            self.text.setExtraSelections([])
            return
        lo, hi = self._visible()
        marks = sorted(self._marks.overlapping(lo, hi), key=lambda m: (LAYER[m.kind], m.start))
        drawn = [(m.start, m.end, m.kind) for m in marks]
        selections = [self._selection(m.start, m.end, self._format(m.kind, m.group)) for m in marks]
        for start, end, colour in self._focus:
            selections.append(self._selection(start, end, _fill(colour)))
            drawn.append((start, end, "focus"))
        if self._flash is not None and _FLASH_PATTERN[self._flash_step]:
            start, end = self._flash
            selections.append(self._selection(start, end, _fill(FLASH_COLOUR)))
            drawn.append((start, end, "flash"))
        self._drawn = drawn
        self.text.setExtraSelections(selections)

    def _format(self, kind: str, group: str | None) -> QTextCharFormat:
        key = (kind, group if kind in ("value", "suggestion") else None)
        if key not in self._formats:
            self._formats[key] = char_format(*key)
        return self._formats[key]

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._offsets.to_doc(start))
        cursor.setPosition(self._offsets.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor  # type: ignore[misc]
        sel.format = fmt  # type: ignore[misc]
        return sel

    # -- selection, menu, shortcuts, drag -----------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The selected text as ``(start, end)`` offsets into the record's text, or None."""
        cursor = self.text.textCursor()
        if self.record is None or not cursor.hasSelection():
            return None
        to_py = self._offsets.to_py
        return to_py(cursor.selectionStart()), to_py(cursor.selectionEnd())

    def select(self, start: int, end: int) -> None:
        """Select ``start:end`` of the record's text (as a reviewer's drag would)."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._offsets.to_doc(start))
        cursor.setPosition(self._offsets.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)

    def selection_mime(self) -> QMimeData | None:
        """What a copy or a drag of the selection carries: the words, and the span."""
        sel = self.selection()
        if sel is None or self.record is None:
            return None
        start, end = sel
        mime = QMimeData()
        mime.setText(self.record.text[start:end])
        payload = {"record_id": self.record.id, "start": start, "end": end}
        mime.setData(SPAN_MIME, QByteArray(json.dumps(payload).encode()))
        return mime

    def request_field(self, index: int, append: bool = False) -> bool:
        """Ask for field number ``index`` of the template to be set from the selection."""
        sel = self.selection()
        if sel is None or not 0 <= index < len(self.fields):
            return False
        self.set_field_requested.emit(self.fields[index][0], sel[0], sel[1], append)
        return True

    def context_menu(self, point: QPoint | None, offset: int | None = None) -> QMenu:
        """The menu for a right click at ``point`` (viewport coordinates), or on the
        character at ``offset`` (another view of the record knows it)."""
        return document_menu.context_menu(self, point, offset)

    # -- the mouse --------------------------------------------------------------------

    def offset_at(self, point: QPoint) -> int | None:
        """The offset of the character under ``point`` (viewport coordinates), if any."""
        if self.record is None:
            return None
        doc = self.text.document()
        nearest = self.text.cursorForPosition(point).position()
        cursor = QTextCursor(doc)
        for pos in (nearest - 1, nearest):
            if not 0 <= pos < doc.characterCount() - 1:
                continue
            cursor.setPosition(pos)
            left = self.text.cursorRect(cursor)
            cursor.setPosition(pos + 1)
            right = self.text.cursorRect(cursor)
            same_line = left.top() == right.top()
            if (
                same_line
                and left.left() <= point.x() < right.left()
                and (left.top() <= point.y() <= left.bottom())
            ):
                return self._offsets.to_py(pos)
        return None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.ToolTip:
            self._show_tooltip(event)  # type: ignore[arg-type]
            return True
        if kind == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._redraw)  # after Qt has laid the text out anew
        elif kind == QEvent.Type.MouseButtonPress:
            mouse: QMouseEvent = event  # type: ignore[assignment]
            left = mouse.button() == Qt.MouseButton.LeftButton
            self._press = mouse.position().toPoint() if left else None
        elif kind == QEvent.Type.MouseButtonRelease and self._press is not None:
            mouse = event  # type: ignore[assignment]
            point = mouse.position().toPoint()
            moved = (point - self._press).manhattanLength()
            self._press = None
            if moved < QApplication.startDragDistance():
                QTimer.singleShot(0, self, lambda p=point: self._clicked(p))
        return False

    def _clicked(self, point: QPoint) -> None:
        """A click (not a drag) on a value or suggestion focuses its field."""
        if self.text.textCursor().hasSelection():
            return
        offset = self.offset_at(point)
        if offset is None:
            return
        for m in self.marks_at(offset):
            if m.kind in _CLICKABLE and m.field:
                self.highlight_clicked.emit(m.field)
                return
            if m.kind == "note" and m.ref is not None:
                self.note_clicked.emit(m.ref)
                return

    def _show_tooltip(self, event: QHelpEvent) -> None:
        offset = self.offset_at(event.pos())
        tip = self.tooltip_at(offset) if offset is not None else ""
        if tip:
            show_tooltip(event.globalPos(), tip, self.text.viewport())
        else:
            QToolTip.hideText()
            event.ignore()


def _fill(colour: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(fill(colour))  # deeper in a dark palette, behind its light text
    return fmt
