"""The document view's text area, its context menu and its field shortcuts.

A right click on the text (or on a PDF page showing it, ``page_view``) offers to set or
add to a template field from the selection, what other targets add (the results grid),
a note, and removing the span or note under the mouse; Ctrl+1 ... Ctrl+0 set the first
ten fields; a copy or a drag carries the record's own words and offsets. Given the
view, kept apart from how the view draws its text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import QMenu, QPlainTextEdit

if TYPE_CHECKING:
    from reviewer.ui.document_view import DocumentView

FIELD_SHORTCUTS = ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5",
                   "Ctrl+6", "Ctrl+7", "Ctrl+8", "Ctrl+9", "Ctrl+0")  # fmt: skip


class TextArea(QPlainTextEdit):
    """The read-only text: copies and drags carry the record's own words and offsets."""

    def __init__(self, owner: DocumentView):
        super().__init__()
        self.owner = owner

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt API)
        mime = self.owner.selection_mime()
        return mime if mime is not None else super().createMimeDataFromSelection()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt API)
        return False

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        menu = self.owner.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()


def add_field_shortcuts(view: DocumentView) -> None:
    """Ctrl+1 ... Ctrl+0 set the template's first ten fields from the selection."""
    for i, keys in enumerate(FIELD_SHORTCUTS):
        act = QAction(f"field {i + 1}", view)
        act.setObjectName(f"field_shortcut_{i + 1}")
        act.setShortcut(QKeySequence(keys))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(lambda _c=False, i=i: view.request_field(i))
        view.addAction(act)


def context_menu(view: DocumentView, point: QPoint | None, offset: int | None = None) -> QMenu:
    """The menu for a right click at ``point`` (viewport coordinates), or on the
    character at ``offset`` (another view of the record knows it)."""
    menu = QMenu(view)
    sel = view.selection()
    set_menu = menu.addMenu("Set field from selection")
    set_menu.setObjectName("menu_set_field")
    add_menu = menu.addMenu("Add to field")
    add_menu.setObjectName("menu_add_to_field")
    for submenu, append in ((set_menu, False), (add_menu, True)):
        _fill_field_menu(view, submenu, append)
        submenu.setEnabled(sel is not None and bool(view.fields))
    for extend in view.menu_extenders:
        extend(menu, sel)
    note = menu.addAction("Add note…")
    note.setObjectName("menu_add_note")
    note.setEnabled(sel is not None)
    if sel is not None:
        note.triggered.connect(lambda: view.note_requested.emit(*sel))
    if point is not None:
        offset = view.offset_at(point)
    if offset is not None:
        _add_mark_actions(view, menu, offset)
    menu.addSeparator()
    copy = menu.addAction("Copy")
    copy.setShortcut(QKeySequence.StandardKey.Copy)
    copy.setEnabled(sel is not None)
    copy.triggered.connect(view.text.copy)
    select_all = menu.addAction("Select all")
    select_all.triggered.connect(view.text.selectAll)
    return menu


def _fill_field_menu(view: DocumentView, menu: QMenu, append: bool) -> None:
    group = None
    for i, (key, label, field_group) in enumerate(view.fields):
        if field_group and field_group != group:
            menu.addSection(field_group.capitalize())
            group = field_group
        shortcut = f"\t{FIELD_SHORTCUTS[i]}" if i < len(FIELD_SHORTCUTS) and not append else ""
        act = menu.addAction(f"{label}{shortcut}")
        act.setObjectName(f"{'add' if append else 'set'}_{key}")
        act.triggered.connect(lambda _c=False, i=i, a=append: view.request_field(i, a))


def _add_mark_actions(view: DocumentView, menu: QMenu, offset: int) -> None:
    labels = {key: label for key, label, _g in view.fields}
    actions = []
    for m in view.marks_at(offset):
        if m.kind == "value" and m.field and m.ref is not None:
            act = QAction(f"Remove this span from {labels.get(m.field, m.field)}", menu)
            act.setObjectName(f"remove_span_{m.field}")
            act.triggered.connect(
                lambda _c=False, m=m: view.span_remove_requested.emit(m.field, m.ref)
            )
            actions.append(act)
        elif m.kind == "note" and m.ref is not None:
            act = QAction("Delete this note", menu)
            act.setObjectName("delete_note")
            act.triggered.connect(lambda _c=False, m=m: view.note_delete_requested.emit(m.ref))
            actions.append(act)
    if actions:
        menu.addSeparator()
        for act in actions:
            menu.addAction(act)
