"""The page view's chrome: thumbnails down the side, the find bar, and the Text | Pages
switch above the document (with what the reviewer should know about the PDF, and
*Locate PDF…* when it has moved).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QToolButton,
    QWidget,
)

from reviewer.ui.plain import as_html

if TYPE_CHECKING:
    from reviewer.ui.page_view import PageView

THUMB_WIDTH = 96
MAX_FIND_HITS = 5000


def known_pdf_location(sha256: str) -> str | None:
    """Where the reviewer showed this PDF to be on this computer, if they did."""
    value = QSettings().value(f"pdf_locations/{sha256}", "")
    return str(value) if value else None


def remember_pdf_location(sha256: str, path: str) -> None:
    QSettings().setValue(f"pdf_locations/{sha256}", path)


def plain_tooltip(text: str) -> str:
    """Tooltip text that Qt shows as it is, never as markup (``plain.as_html``, which
    ``plain.PlainToolTips`` recognises and shows unchanged)."""
    return as_html(text)


class Thumbnails(QListWidget):
    """Small pages down the side: a click goes to the page."""

    def __init__(self, owner: PageView):
        super().__init__()
        self.owner = owner
        self.setObjectName("page_thumbnails_list")
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setFlow(QListWidget.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListWidget.Movement.Static)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setSpacing(4)
        self.setFixedWidth(THUMB_WIDTH + 36)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.itemClicked.connect(lambda item: owner.go_to_page(self.row(item)))
        self.verticalScrollBar().valueChanged.connect(lambda _v: owner.schedule())
        self._placeholders: dict[tuple[int, int], QIcon] = {}

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        self.clear()
        for i, (w, h) in enumerate(sizes):
            item = QListWidgetItem(self._placeholder(w, h), str(i + 1))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)

    def _placeholder(self, w: float, h: float) -> QIcon:
        size = (THUMB_WIDTH, max(1, int(THUMB_WIDTH * h / max(1.0, w))))
        if size not in self._placeholders:
            pixmap = QPixmap(*size)
            pixmap.fill(Qt.GlobalColor.white)
            self._placeholders[size] = QIcon(pixmap)
        return self._placeholders[size]

    def set_image(self, page: int, image: QImage) -> None:
        item = self.item(page)
        if item is not None:
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    def visible_pages(self) -> list[int]:
        if not self.count():
            return []
        first = self.indexAt(QPoint(10, 5)).row()
        last = self.indexAt(QPoint(10, self.viewport().height() - 5)).row()
        first = max(0, first)
        last = self.count() - 1 if last < 0 else last
        return list(range(first, last + 1))

    def sync(self, page: int) -> None:
        if self.isVisible() and 0 <= page < self.count() and self.currentRow() != page:
            self.blockSignals(True)
            self.setCurrentRow(page)
            self.scrollToItem(self.item(page))
            self.blockSignals(False)


class FindBar(QWidget):
    """Find in the document: Enter next, Shift+Enter previous, Escape closes."""

    def __init__(self, owner: PageView):
        super().__init__()
        self.owner = owner
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self.edit = QLineEdit()
        self.edit.setObjectName("page_find_text")
        self.edit.setPlaceholderText("Find in the document")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("page_find_count")
        row.addWidget(self.edit, 1)
        row.addWidget(self.count)
        for text, tip, step in (("↑", "Previous (Shift+Enter)", -1), ("↓", "Next (Enter)", 1)):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, s=step: owner.find.next(s))
            row.addWidget(button)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Escape)")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(owner.find.close)
        row.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(lambda: owner.find.changed(self.edit.text()))
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        self.edit.installEventFilter(self)

    def text(self) -> str:
        return self.edit.text()

    def show_count(self, hit: int, total: int, searched: bool) -> None:
        if not searched:
            self.count.setText("")
        elif total == 0:
            self.count.setText("not found")
        else:
            more = "+" if total >= MAX_FIND_HITS else ""
            self.count.setText(f"{hit + 1} of {total}{more}")

    def eventFilter(self, obj, event: QEvent) -> bool:  # noqa: N802, ANN001 (Qt API)
        if event.type() == QEvent.Type.KeyPress:
            key: QKeyEvent = event  # type: ignore[assignment]
            if key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self.owner.find.changed(self.edit.text())
                    return True
                shift = key.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.owner.find.next(-1 if shift else 1)
                return True
            if key.key() == Qt.Key.Key_Escape:
                self.owner.find.close()
                return True
        return False


class ViewSwitch(QWidget):
    """Text | Pages above a record that has a PDF, and what to know about that PDF."""

    def __init__(self, pages: PageView):
        super().__init__()
        self.pages = pages
        self.setObjectName("view_switch")
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 2)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        for mode, label, tip in (
            ("text", "Text", "The record's text (Ctrl+Shift+T toggles)"),
            ("pages", "Pages", "The PDF as pages (Ctrl+Shift+T toggles)"),
        ):
            button = QToolButton()
            button.setObjectName(f"view_{mode}")
            button.setText(label)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, m=mode: pages.set_mode(m))
            self.group.addButton(button)
            self.buttons[mode] = button
            row.addWidget(button)
        self.message = QLabel()
        self.message.setObjectName("view_notice")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b26a00;")
        row.addWidget(self.message, 1)
        self.locate = QToolButton()
        self.locate.setObjectName("locate_pdf")
        self.locate.setText("Locate PDF…")
        self.locate.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.locate.clicked.connect(self._locate)
        row.addWidget(self.locate)
        toggle = QAction("Toggle text and pages", pages.document)
        toggle.setObjectName("toggle_pages")
        toggle.setShortcut(QKeySequence("Ctrl+Shift+T"))
        toggle.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        toggle.triggered.connect(
            lambda: pages.set_mode("text" if pages.mode() == "pages" else "pages")
        )
        pages.document.addAction(toggle)
        pages.mode_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, _mode: str = "") -> None:
        pages = self.pages
        self.setVisible(pages.has_pdf())
        mode = pages.mode()
        usable = pages.pdf is not None and pages.pdf.found and not pages.open_error
        self.buttons["pages"].setEnabled(usable)
        self.buttons["pages"].setToolTip(
            "The PDF as pages (Ctrl+Shift+T toggles)" if usable else pages.notice()
        )
        self.buttons[mode].setChecked(True)
        self.message.setText(pages.notice())
        self.locate.setVisible(pages.pdf is not None and not pages.pdf.found)
        stack = pages.document.stack
        target = pages if mode == "pages" else pages.document.text
        if stack.currentWidget() is not target:
            had_focus = stack.currentWidget().hasFocus() or pages.canvas.hasFocus()
            stack.setCurrentWidget(target)
            if had_focus:
                (pages.canvas if mode == "pages" else pages.document.text).setFocus()
            if mode == "pages":
                pages.schedule()

    def _locate(self) -> None:
        pdf = self.pages.pdf
        if pdf is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, f"Where is {pdf.name}?", str(pdf.path.parent), "PDF files (*.pdf)"
        )
        if not path:
            return
        from reviewer.ingest.reading import sha256_of

        if sha256_of(path) != pdf.sha256:
            answer = QMessageBox.question(
                self,
                "A different PDF",
                "This file is not the PDF the record's text was read from (its content "
                "differs). Show it anyway? Marks are drawn only on pages whose text is "
                "the record's.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        remember_pdf_location(pdf.sha256, path)
        self.pages.load(self.pages.record)
