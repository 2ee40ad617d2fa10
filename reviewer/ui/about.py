"""Help → About: what the app is, and exactly which version and build is running.

The details are the ones a bug report needs, so the text can be selected and copied.
"""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from reviewer.paths import data_dir
from reviewer.version import build_info


def about_details() -> str:
    """Version, build and the libraries under the window, one per line (plain text)."""
    info = build_info()
    build = info.build_line()
    return "\n".join(
        [
            f"Version {info.version}",
            build[:1].upper() + build[1:],
            f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}",
            f"User data: {data_dir()}",
        ]
    )


def about_box(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("About Reviewer")
    icon = QGuiApplication.windowIcon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.PlainText)  # a path could look like markup
    box.setText(
        "Reviewer — offline systematic reviews.\n"
        "Import, screen, extract with provenance, export.\n\n" + about_details()
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box


def show_about(parent: QWidget | None) -> None:
    about_box(parent).exec()
