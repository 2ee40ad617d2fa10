"""The main window's menus, its single-key pane actions and its panel toggles.

Every entry is made by ``WindowMenus.add``, which remembers those that change the
review so that a review open read-only turns them all off at once; a panel's entry
brings it forward from behind another tab (``toggle_dock``). ``build_menus`` lays out
the menu bar from the components that do the work, given as they are (files,
screening, extraction, results, export, dialogs) and the window's own few actions as
callables: nothing here knows the window's class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLineEdit, QMainWindow, QMenu, QTabBar, QWidget

from reviewer.ui.screening_actions import DECISION_KEYS

# Menu entries that change the review: disabled while it is open read-only.
_CHANGES = (
    "&Import files…", "Import &folder…", "Import full-text PDFs…",
    "&Merge another copy of this review…", "Not a duplicate (unmerge this record)",
    "Review settings (reasons, keywords, blinding)…", "Accept all suggestions",
    "Compute suggestions for all records", "Edit template…", "&Undo", "&Redo",
    "Add RoB 2 to the template", "&Import results (CSV)…", "Decide all shown…",
)  # fmt: skip


class WindowMenus:
    """Makes the window's menu entries and panel toggles (see the module doc)."""

    def __init__(self, window: QMainWindow):
        self.window = window  # the entries' parent; its tab bars say which panel is in front
        self.changing: list[QAction] = []
        self.undo_action: QAction | None = None
        self.redo_action: QAction | None = None

    def add(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None) -> QAction:
        act = QAction(text, self.window)
        if text in _CHANGES or text.split("\t")[0] in ("Include", "Exclude", "Maybe"):
            self.changing.append(act)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def set_read_only(self, read_only: bool) -> None:
        """Everything in the menus that would change the review is off (or on again)."""
        for act in self.changing:
            act.setEnabled(not read_only)

    def show_undo(self, can_undo: bool, can_redo: bool, undo_label: str, redo_label: str) -> None:
        """The Edit menu names what Undo and Redo would do."""
        assert self.undo_action is not None and self.redo_action is not None
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)
        self.undo_action.setText(f"&Undo {undo_label}".rstrip())
        self.redo_action.setText(f"&Redo {redo_label}".rstrip())

    def dock_action(self, dock: QDockWidget, shortcut: str) -> QAction:
        """A menu entry that brings a panel forward (docks share one tabbed area, so a
        panel can be open behind another tab), and hides it when it is in front."""
        act = QAction(f"{dock.windowTitle()} panel", self.window)
        act.setObjectName(f"show_{dock.objectName()}")
        act.setCheckable(True)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _c=False, d=dock: self.toggle_dock(d))
        dock.visibilityChanged.connect(lambda _v, d=dock, a=act: a.setChecked(self.in_front(d)))
        return act

    def toggle_dock(self, dock: QDockWidget) -> None:
        if self.in_front(dock):
            dock.hide()
            return
        dock.show()
        dock.raise_()
        if dock.widget() is not None:
            dock.widget().setFocus()

    def in_front(self, dock: QDockWidget) -> bool:
        """Shown, and not behind another panel's tab."""
        if not dock.isVisible():
            return False
        for bar in self.window.findChildren(QTabBar):
            for i in range(bar.count()):
                if bar.tabText(i) == dock.windowTitle():
                    return bar.currentIndex() == i
        return True  # alone in its area: no tab bar


def pane_action(panes: tuple[QWidget, ...], name: str, keys: tuple[str, ...], slot: Any) -> None:
    """A key that works while the focus is in one of ``panes`` (and nowhere else)."""
    for pane in panes:
        act = QAction(name, pane)
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        pane.addAction(act)


def build_menus(
    menus: WindowMenus,
    *,
    files: Any,
    recent_menu: QMenu,
    screening: Any,
    extraction: Any,
    results: Any,
    exporter: Any,
    dialogs: Any,
    docks: dict[str, QDockWidget],
    search: QLineEdit,
    decide: Callable[[str], None],
    move: Callable[[int], None],
    undo: Callable[[], None],
    redo: Callable[[], None],
    close: Callable[[], Any],
    ask_reviewer_name: Callable[[], None],
) -> None:
    """The menu bar: File, Records, Screening, Extraction, Edit, Analysis, Help.

    ``docks`` holds the panels by name (conflicts, stats, history, ranking, notes)."""
    bar = menus.window.menuBar()
    add = menus.add
    m = bar.addMenu("&File")
    f = files
    add(m, "&New review…", f.new_review, QKeySequence.StandardKey.New)
    add(m, "&Open review…", f.choose_review, QKeySequence.StandardKey.Open)
    add(m, "Open review read-only…", lambda: f.choose_review(read_only=True))
    add(m, "New review from a JSON export…", f.choose_json_export)
    m.addMenu(recent_menu)
    m.addSeparator()
    add(m, "&Import files…", f.choose_import_files, "Ctrl+I")
    add(m, "Import &folder…", f.choose_import_folder, "Ctrl+Shift+I")
    add(m, "Import full-text PDFs…", screening.choose_fulltext_folder)
    add(m, "Save a &copy for another reviewer…", f.save_copy)
    add(m, "&Merge another copy of this review…", screening.choose_merge)
    m.addSeparator()
    add(m, "&Export…", exporter.choose, "Ctrl+E")
    add(m, "PRISMA flow &diagram…", dialogs.show_prisma)
    m.addSeparator()
    add(m, "&Quit", close, QKeySequence.StandardKey.Quit)

    m = bar.addMenu("&Records")
    add(m, "Possible &duplicates…", dialogs.show_duplicates, "Ctrl+D")
    add(m, "Not a duplicate (unmerge this record)", dialogs.unmerge_current)
    m.addSeparator()
    add(m, "Name the &sources (databases, registers)…", dialogs.show_sources)

    m = bar.addMenu("&Screening")
    for kind, keys in DECISION_KEYS.items():
        act = add(
            m,
            f"{kind.capitalize()}\t{keys[0]} / {keys[1]}",
            lambda _c=False, k=kind: decide(k),
        )
        act.setObjectName(f"menu_{kind}")
        screening.menu_actions[kind] = act
    act = add(m, "Decide all shown…", lambda: screening.bulk.decide_shown())
    act.setObjectName("decide_shown")
    m.addSeparator()
    add(m, "Next record\tJ", lambda: move(1))
    add(m, "Previous record\tK", lambda: move(-1))
    add(m, "Next undecided record\tN", screening.go_to_next_undecided)
    m.addSeparator()
    add(m, "Set reviewer name…", ask_reviewer_name)
    add(m, "Review settings (reasons, keywords, blinding)…", screening.edit_review_settings)
    m.addSeparator()
    for name, key in (
        ("conflicts", "Ctrl+Shift+C"),
        ("stats", "Ctrl+Shift+S"),
        ("history", "Ctrl+Shift+H"),
        ("ranking", "Ctrl+Shift+R"),
    ):
        m.addAction(menus.dock_action(docks[name], key))

    m = bar.addMenu("E&xtraction")
    x = extraction
    act = add(m, "Accept all suggestions", x.accept_all, "Ctrl+Shift+A")
    act.setObjectName("accept_all")
    add(m, "Compute suggestions for all records", x.compute_all_suggestions)
    m.addSeparator()
    add(m, "Edit template…", x.edit_template)
    add(m, "Orphaned highlights…", x.show_orphans)
    m.addAction(menus.dock_action(docks["notes"], "Ctrl+Shift+N"))

    m = bar.addMenu("&Edit")
    menus.undo_action = add(m, "&Undo", undo, QKeySequence.StandardKey.Undo)
    menus.redo_action = add(m, "&Redo", redo, "Ctrl+Shift+Z")
    m.addSeparator()
    add(
        m,
        "&Find",
        lambda: (search.setFocus(), search.selectAll()),
        QKeySequence.StandardKey.Find,
    )

    results.fill_menu(bar.addMenu("&Analysis"), add)

    m = bar.addMenu("&Help")
    act = add(m, "&Keyboard shortcuts", dialogs.show_shortcuts, "F1")
    act.setObjectName("help_shortcuts")
    add(m, "&About Reviewer", dialogs.about)
