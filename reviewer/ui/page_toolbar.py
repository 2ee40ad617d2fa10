"""The page view's toolbar: thumbnails, page number, zoom, the Table tool and Find.

The toolbar shows where the reader is and how large the pages are drawn, and sets
them; what it sets lives in the page view and its canvas (``page_view``,
``page_canvas``), which tell it back when the page or the zoom changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QToolBar, QToolButton

from reviewer.ui.page_canvas import MAX_ZOOM, MIN_ZOOM

if TYPE_CHECKING:
    from reviewer.ui.page_view import PageView

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


class PageToolbar(QToolBar):
    """The bar above the pages of ``owner`` (see the module doc)."""

    def __init__(self, owner: PageView):
        super().__init__()
        self.owner = owner
        self.setObjectName("page_toolbar")
        self.setIconSize(QSize(16, 16))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.thumbs_action = self.addAction("▤")
        self.thumbs_action.setObjectName("page_thumbnails")
        self.thumbs_action.setCheckable(True)
        self.thumbs_action.setToolTip("Page thumbnails")
        self.thumbs_action.toggled.connect(self.toggle_thumbnails)
        self.addAction("‹", lambda: owner.go_to_page(owner.current_page() - 1)).setToolTip(
            "Previous page"
        )
        self.page_spin = QSpinBox()
        self.page_spin.setObjectName("page_number")
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.setMinimum(1)
        self.page_spin.setToolTip("Go to page (Ctrl+G)")
        self.page_spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.page_spin.valueChanged.connect(lambda v: owner.go_to_page(v - 1))
        self.addWidget(self.page_spin)
        self.page_count = QLabel(" / 0 ")
        self.addWidget(self.page_count)
        self.addAction("›", lambda: owner.go_to_page(owner.current_page() + 1)).setToolTip(
            "Next page"
        )
        self.addSeparator()
        self.addAction("−", self.zoom_out).setToolTip("Zoom out (Ctrl+-)")
        self.zoom_combo = QComboBox()
        self.zoom_combo.setObjectName("page_zoom")
        self.zoom_combo.addItem("Fit width", "width")
        self.zoom_combo.addItem("Fit page", "page")
        for z in ZOOMS:
            self.zoom_combo.addItem(f"{round(z * 100)}%", z)
        self.zoom_combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.zoom_combo.activated.connect(lambda i: self.zoom_chosen(self.zoom_combo.itemData(i)))
        self.addWidget(self.zoom_combo)
        self.addAction("+", self.zoom_in).setToolTip("Zoom in (Ctrl++)")
        self.addSeparator()
        self.table_action = self.addAction("Table")
        self.table_action.setObjectName("page_table_tool")
        self.table_action.setCheckable(True)
        self.table_action.setToolTip(
            "Draw a rectangle over a table to take its rows (or drag with Alt held)"
        )
        self.find_action = self.addAction("Find")
        self.find_action.setObjectName("page_find")
        self.find_action.setToolTip("Find in the document (Ctrl+F; F3 next, Shift+F3 previous)")
        self.find_action.triggered.connect(lambda: owner.find.open())
        for button in self.findChildren(QToolButton):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def toggle_thumbnails(self, shown: bool) -> None:
        owner = self.owner
        owner.thumbnails.setVisible(shown)
        if shown:
            owner.thumbnails.sync(owner.current_page())
        owner.schedule()

    def update_page_label(self) -> None:
        count = self.owner.page_total()
        self.page_count.setText(f" / {count} ")
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, count))
        self.page_spin.setValue(self.owner.current_page() + 1 if count else 1)
        self.page_spin.blockSignals(False)

    def zoom_in(self) -> None:
        canvas = self.owner.canvas
        canvas.set_zoom(next((z for z in ZOOMS if z > canvas.zoom + 1e-6), MAX_ZOOM))

    def zoom_out(self) -> None:
        canvas = self.owner.canvas
        smaller = [z for z in ZOOMS if z < canvas.zoom - 1e-6]
        canvas.set_zoom(smaller[-1] if smaller else MIN_ZOOM)

    def zoom_chosen(self, data: object) -> None:
        canvas = self.owner.canvas
        if data in ("width", "page"):
            canvas.set_fit(str(data))
        else:
            canvas.set_zoom(float(data))  # type: ignore[arg-type]
        canvas.setFocus()

    def zoomed(self) -> None:
        """The canvas's zoom changed: the list shows it (a zoom of its own added)."""
        canvas = self.owner.canvas
        fit = canvas.fit
        index = self.zoom_combo.findData(fit) if fit else -1
        if index < 0:
            label = f"{round(canvas.zoom * 100)}%"
            index = self.zoom_combo.findText(label)
            if index < 0:
                self.zoom_combo.setEditable(False)
                self.zoom_combo.addItem(label, canvas.zoom)
                index = self.zoom_combo.count() - 1
        self.zoom_combo.setCurrentIndex(index)
        self.owner.schedule()
