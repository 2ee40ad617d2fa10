"""The recall-curve dock: includes found against records screened, the stopping
rule's verdict in words, and saving the picture as PNG or SVG.

The picture is drawn by ``reviewer.rank.curve`` (matplotlib's Agg renderer) on the
ranking thread and shown here as an image; the panel only holds what it was given
and asks for a new picture when it is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from reviewer.rank.stopping import HELP


class RecallCurvePanel(QWidget):
    """Shows a rendered recall curve and the verdict; asks for re-rendering on resize."""

    render_wanted = Signal(QSize)  # the picture's new size, in device pixels
    save_wanted = Signal(str)  # "png" or "svg"
    targets_changed = Signal(float, float)  # the review's recall target and confidence

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recall_curve")
        self.verdict = QLabel("The stopping rule needs decisions at this stage.")
        self.verdict.setObjectName("recall_verdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        self.verdict.setToolTip(HELP)
        self.picture = QLabel()
        self.picture.setObjectName("recall_picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(240, 160)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.verdict, 1)
        self.targets: dict[str, QComboBox] = {}
        for name, label, values, tip in (
            ("recall", "Recall ≥", (0.8, 0.9, 0.95, 0.99), "The share of all includes to find"),
            ("confidence", "confidence", (0.9, 0.95, 0.99), "How sure the rule must be"),
        ):
            combo = QComboBox()
            combo.setObjectName(f"stop_{name}")
            combo.setToolTip(f"{tip} (a setting of the review, shared with the team)")
            for v in values:
                combo.addItem(f"{round(v * 100)}%", v)
            combo.activated.connect(lambda _i: self._targets_chosen())
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
            self.targets[name] = combo
        how = QPushButton("How is this decided?")
        how.setObjectName("recall_help")
        how.clicked.connect(self.show_help)
        bar.addWidget(how)
        for fmt in ("png", "svg"):
            b = QPushButton(f"Save as {fmt.upper()}…")
            b.setObjectName(f"recall_save_{fmt}")
            b.setEnabled(False)
            b.clicked.connect(lambda _c=False, f=fmt: self.save_wanted.emit(f))
            bar.addWidget(b)
            self.buttons[fmt] = b
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.picture, 1)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(250)
        self._resize_timer.timeout.connect(lambda: self.render_wanted.emit(self.picture_size()))

    def picture_size(self) -> QSize:
        ratio = self.devicePixelRatioF()
        size = self.picture.size()
        return QSize(max(240, int(size.width() * ratio)), max(160, int(size.height() * ratio)))

    def set_targets(self, recall: float, confidence: float) -> None:
        """Show the review's targets (adding a value set elsewhere, e.g. by the CLI)."""
        for name, value in (("recall", recall), ("confidence", confidence)):
            combo = self.targets[name]
            index = combo.findData(value)
            if index < 0:
                combo.addItem(f"{value * 100:g}%", value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)

    def _targets_chosen(self) -> None:
        self.targets_changed.emit(
            float(self.targets["recall"].currentData()),
            float(self.targets["confidence"].currentData()),
        )

    def set_verdict(self, text: str) -> None:
        self.verdict.setText(text)

    def set_picture(self, png: bytes | None) -> None:
        if not png:
            self.picture.clear()
            for b in self.buttons.values():
                b.setEnabled(False)
            return
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.picture.setPixmap(pixmap)
        for b in self.buttons.values():
            b.setEnabled(True)

    def show_help(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("The stopping rule")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(HELP)
        box.setIcon(QMessageBox.Icon.Information)
        self.help_box = box
        box.show()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.isVisible():
            self._resize_timer.start()
