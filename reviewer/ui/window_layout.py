"""Where the main window's parts sit: the panels docked under it, its size, its splitter.

The Notes, Conflicts, Statistics and History panels share one tabbed area at the
bottom, hidden until asked for; a panel opened on a record reads it at once. The
window comes back at the size and with the column widths it was closed with, and
starts at 1400 x 900 (or the screen) with the list, document and form at 3 : 4 : 3.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QSplitter, QWidget

from reviewer.ui import plain
from reviewer.ui.history_panel import HistoryPanel
from reviewer.ui.session import Session
from reviewer.ui.stats_panel import StatsPanel


def build_docks(
    window: QMainWindow,
    session: Session,
    notes: QWidget,
    conflicts: QWidget,
    stats: StatsPanel,
    history: HistoryPanel,
) -> tuple[QDockWidget, dict[str, QDockWidget]]:
    """The Notes dock, and the Conflicts, Statistics and History docks by name."""
    notes_dock = QDockWidget("Notes", window)
    notes_dock.setObjectName("notes_dock")
    notes_dock.setWidget(notes)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, notes_dock)
    notes_dock.hide()
    docks: dict[str, QDockWidget] = {}
    for name, title, widget in (
        ("conflicts", "Conflicts", conflicts),
        ("stats", "Statistics", stats),
        ("history", "History", history),
    ):
        dock = QDockWidget(title, window)
        dock.setObjectName(f"{name}_dock")
        dock.setWidget(widget)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.hide()
        docks[name] = dock
    window.tabifyDockWidget(notes_dock, docks["conflicts"])
    window.tabifyDockWidget(docks["conflicts"], docks["stats"])
    window.tabifyDockWidget(docks["stats"], docks["history"])
    docks["stats"].visibilityChanged.connect(lambda shown: stats.reload() if shown else None)
    # a panel opened on a record shows that record at once, not from the next one on
    docks["history"].visibilityChanged.connect(
        lambda shown: history.reload(session.store, session.current_id) if shown else None
    )
    return notes_dock, docks


def read_only_badge() -> QLabel:
    """The status bar's sign that the review is open read-only (hidden until it is)."""
    label = plain.label("Read-only")
    label.setObjectName("read_only")
    label.setStyleSheet("color: white; background: #6d4c41; padding: 1px 6px; border-radius: 3px;")
    label.setToolTip("This review is open read-only: nothing can be changed")
    return label


def restore_geometry(window: QMainWindow, splitter: QSplitter, s: QSettings) -> None:
    geom = s.value("window/geometry")
    if isinstance(geom, QByteArray) and not geom.isEmpty():
        window.restoreGeometry(geom)  # Qt moves it back onto a screen that is there
    else:  # first start: 1400 x 900, or the whole screen when that is smaller
        screen = window.screen()
        room = screen.availableGeometry() if screen is not None else None
        frame = 40  # a title bar and borders the window manager adds
        width = min(1400, room.width()) if room is not None else 1400
        height = min(900, room.height() - frame) if room is not None else 900
        window.resize(width, height)
    split = s.value("window/splitter")
    if isinstance(split, QByteArray) and not split.isEmpty():
        splitter.restoreState(split)
    else:  # the list, the document and the form: 3 : 4 : 3 of the width
        width = window.width()
        # at its coming width first: growing later would give the extra to the document
        splitter.resize(width, splitter.height())
        splitter.setSizes([width * 3 // 10, width * 4 // 10, width * 3 // 10])


def save_geometry(window: QMainWindow, splitter: QSplitter, s: QSettings) -> None:
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/splitter", splitter.saveState())
    s.sync()
