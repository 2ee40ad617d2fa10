"""Text from documents is shown as text, never read as markup.

Qt guesses whether a string is HTML (``Qt::mightBeRichText``) wherever a tooltip, a
label or a message box shows it, and renders it as HTML when it looks like some: a
title ``<img src="file:///etc/passwd">`` would make the app open that file, and
``file:///dev/zero`` read until memory ran out. So nothing from a document, another
reviewer or a file name reaches Qt as a string it may guess about:

- every tooltip in the app goes through ``PlainToolTips``, an application-wide event
  filter that shows the tooltip's text escaped (whatever widget or item model gave
  it, including ones written later);
- labels that show data are made with ``label`` (``Qt.PlainText``), message boxes with
  ``message`` (``Qt.PlainText`` too) or ``warn``/``inform``/``ask`` (text escaped);
- ``shown`` marks the explicit bidirectional controls in a string (an override turns
  ``gnp.exe`` into what reads as ``exe.png``), so a list or a label shows them as
  ``[RLO]``, not their effect.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTabBar,
    QToolTip,
    QWidget,
)

_BIDI_NAMES = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}  # fmt: skip
_BIDI = re.compile("[" + "".join(_BIDI_NAMES) + "]")
BIDI_MARK = "\u25c7"  # ◇: where a control stood, in text that must keep its length
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown(text: str) -> str:
    """``text`` for a list, label or tooltip: explicit bidi controls named (``[RLO]``)
    rather than obeyed, and other control characters (NUL ...) left out."""
    if text.isascii():
        return _CONTROLS.sub("", text) if not text.isprintable() else text
    text = _BIDI.sub(lambda m: f"[{_BIDI_NAMES[m.group()]}]", text)
    return _CONTROLS.sub("", text)


def same_length(text: str) -> str:
    """``text`` with each explicit bidi control replaced by ``BIDI_MARK``: for the document
    view, whose offsets must stay those of the record's text."""
    return text if text.isascii() else _BIDI.sub(BIDI_MARK, text)


_ESCAPED = '<p style="white-space:pre-wrap">'


def as_html(text: str) -> str:
    """Rich text that shows exactly ``text``: escaped, spaces and line breaks kept."""
    return f"{_ESCAPED}{html.escape(shown(text), quote=False)}</p>"


def is_as_html(text: str) -> bool:
    """Whether ``text`` is what ``as_html`` made (escaped already: shown as it is)."""
    return (
        text.startswith(_ESCAPED) and text.endswith("</p>") and "<" not in text[len(_ESCAPED) : -4]
    )


def label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A label for data: plain text, whatever the text looks like."""
    widget = QLabel(parent)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    widget.setText(shown(text))
    return widget


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    box = QMessageBox(icon, title, shown(text), buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


# The everyday boxes go through QMessageBox's own static functions (so that whatever
# watches those, a test among them, sees every message), with the text escaped.


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, as_html(text))


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, as_html(text))


def ask(parent: QWidget | None, title: str, text: str, *, default_yes: bool = False) -> bool:
    yes, cancel = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel
    answer = QMessageBox.question(
        parent, title, as_html(text), yes | cancel, yes if default_yes else cancel
    )
    return answer == yes


def show_tooltip(pos: QPoint, text: str, widget: QWidget, rect: QRect | None = None) -> None:
    """Show ``text`` as a tooltip, as text."""
    if not text:
        QToolTip.hideText()
        return
    rich = text if is_as_html(text) else as_html(text)
    if rect is None:
        QToolTip.showText(pos, rich, widget)
    else:
        QToolTip.showText(pos, rich, widget, rect)


class PlainToolTips(QObject):
    """Shows every tooltip of the application as plain text (see the module docstring).

    It answers the tooltip event itself: the text comes from the item under the mouse
    (item views, their headers, tab bars) or from the widget, and is shown escaped.
    Widgets with none are left to Qt, which passes the event on to their parent.
    """

    @classmethod
    def install(cls) -> PlainToolTips:
        app = QApplication.instance()
        assert app is not None
        existing = app.findChild(PlainToolTips)
        if existing is not None:
            return existing
        guard = cls(app)
        app.installEventFilter(guard)
        return guard

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.ToolTip or not isinstance(obj, QWidget):
            return False
        assert isinstance(event, QHelpEvent)
        found = tooltip_at(obj, event.pos())
        if found is None:
            return False
        text, rect = found
        if not text:
            QToolTip.hideText()
            event.ignore()
            return True
        show_tooltip(event.globalPos(), text, obj, rect)
        return True


def tooltip_at(widget: QWidget, pos: QPoint) -> tuple[str, QRect | None] | None:
    """The tooltip text Qt would show for ``widget`` at ``pos`` (and the area it is for);
    ``None`` where ``widget`` has none of its own."""
    view = widget.parentWidget()
    if isinstance(view, QAbstractItemView) and view.viewport() is widget:
        model = view.model()
        if model is None:
            return "", None
        if isinstance(view, QHeaderView):
            section = view.logicalIndexAt(pos)
            if section < 0:
                return "", None
            tip = model.headerData(section, view.orientation(), Qt.ItemDataRole.ToolTipRole)
            return (str(tip) if tip else ""), None
        index = view.indexAt(pos)
        if not index.isValid():
            return "", None
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        return (str(tip) if tip else ""), view.visualRect(index)
    if isinstance(widget, QTabBar):
        tab = widget.tabAt(pos)
        return (widget.tabToolTip(tab) if tab >= 0 else ""), None
    tip = widget.toolTip()
    return (tip, None) if tip else None
