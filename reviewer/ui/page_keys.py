"""The keys of the page view's canvas: scrolling, zoom, find, copy, go to page.

Split from ``page_canvas``: the keys it answers itself even where the window has the
same shortcut (Ctrl+F finds in the document here, as in any reader), and what each does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

if TYPE_CHECKING:
    from reviewer.ui.page_canvas import PageCanvas

OWN_KEYS = (
    QKeySequence.StandardKey.Find,
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.SelectAll,
    QKeySequence.StandardKey.ZoomIn,
    QKeySequence.StandardKey.ZoomOut,
    QKeySequence.StandardKey.FindNext,
    QKeySequence.StandardKey.FindPrevious,
)


def claims_shortcut(key: QKeyEvent) -> bool:
    """Whether the canvas answers ``key`` itself though the window has it as a shortcut."""
    return bool(
        any(key.matches(k) for k in OWN_KEYS)
        or key.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Space)
        or (
            key.modifiers() & Qt.KeyboardModifier.ControlModifier
            and key.key() in (Qt.Key.Key_G, Qt.Key.Key_Equal, Qt.Key.Key_Plus, Qt.Key.Key_Minus)
        )
    )


def press_key(canvas: PageCanvas, event: QKeyEvent) -> bool:
    """Answer a key on the canvas: False if it is not one of the page view's."""
    owner = canvas.owner
    key = event.key()
    ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
    shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
    bar = canvas.verticalScrollBar()
    page_step = max(40, canvas.viewport().height() - 40)
    if ctrl and key == Qt.Key.Key_G:  # go to page, as in Okular (before FindNext's Ctrl+G)
        owner.toolbar.page_spin.setFocus()
        owner.toolbar.page_spin.selectAll()
    elif event.matches(QKeySequence.StandardKey.Find):
        owner.find.open()
    elif event.matches(QKeySequence.StandardKey.FindNext):
        owner.find.next(1)
    elif event.matches(QKeySequence.StandardKey.FindPrevious):
        owner.find.next(-1)
    elif event.matches(QKeySequence.StandardKey.Copy):
        owner.document.text.copy()
    elif event.matches(QKeySequence.StandardKey.SelectAll):
        owner.document.text.selectAll()
    elif ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
        owner.toolbar.zoom_in()
    elif ctrl and key == Qt.Key.Key_Minus:
        owner.toolbar.zoom_out()
    elif key == Qt.Key.Key_Escape:
        if owner.find_bar.isVisible():
            owner.find.close()
        elif owner.selection is not None:
            owner.pointer.set_selection(0, 0)
    elif key == Qt.Key.Key_Space:
        bar.setValue(bar.value() + (-page_step if shift else page_step))
    elif key == Qt.Key.Key_PageDown:
        bar.setValue(bar.value() + page_step)
    elif key == Qt.Key.Key_PageUp:
        bar.setValue(bar.value() - page_step)
    elif key == Qt.Key.Key_Down:
        bar.setValue(bar.value() + bar.singleStep())
    elif key == Qt.Key.Key_Up:
        bar.setValue(bar.value() - bar.singleStep())
    elif key == Qt.Key.Key_Home:
        owner.go_to_page(0)
    elif key == Qt.Key.Key_End:
        owner.go_to_page(len(canvas.sizes) - 1)
    else:
        return False
    return True
