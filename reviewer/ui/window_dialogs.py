"""The dialogs the main window's menus open about the review and the current record.

Possible duplicates and unmerging, each original of a merged record, the named
sources, the PRISMA diagram, the keyboard shortcuts and About: each opened from the
session (the review, who, the current record, ``ops`` for what it changes) and kept
while it is open, so a test or a second click finds it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from reviewer.review import operations as op
from reviewer.store.duplicates import group_sources, originals
from reviewer.ui import plain
from reviewer.ui.duplicates_view import DuplicatesDialog
from reviewer.ui.export_dialog import ExportController, PrismaDialog
from reviewer.ui.help_dialogs import PANE_KEYS, ShortcutsDialog, menu_shortcuts
from reviewer.ui.originals_dialog import OriginalsDialog
from reviewer.ui.session import Session
from reviewer.ui.sources_dialog import SourcesDialog


class WindowDialogs:
    """Opens the review's and the record's dialogs over ``window`` (see the module doc)."""

    def __init__(self, session: Session, window: QMainWindow, exporter: ExportController):
        self.session = session
        self.window = window  # their parent; its menu bar lists the shortcuts
        self.exporter = exporter
        self.sources_dialog: SourcesDialog | None = None
        self.originals_dialog: OriginalsDialog | None = None
        self.prisma_dialog: PrismaDialog | None = None
        self.duplicates_dialog: DuplicatesDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None

    def show_sources(self) -> None:
        s = self.session
        dialog = SourcesDialog(s.store, s.reviewer, self.window, ops=s.ops)
        self.sources_dialog = dialog
        dialog.show()

    def show_originals(self) -> None:
        """Each record of the current record's duplicate group, as imported."""
        s = self.session
        if s.current_id is None:
            return
        group = group_sources(s.store, s.current_id)
        records = originals(s.store, s.store.records([rid for rid, _n in group]))
        self.originals_dialog = OriginalsDialog(
            [(f"{name or 'unknown source'} (record {rid})", records[rid]) for rid, name in group],
            self.window,
        )
        self.originals_dialog.show()

    def show_prisma(self) -> None:
        self.prisma_dialog = PrismaDialog(self.session.store, self.window, self.exporter)
        self.prisma_dialog.show()

    def show_duplicates(self) -> None:
        s = self.session
        dialog = DuplicatesDialog(s.store, s.reviewer, self.window, ops=s.ops)
        self.duplicates_dialog = dialog
        dialog.show()

    def unmerge_current(self) -> None:
        s = self.session
        if s.current_id is None:
            return
        try:
            s.ops.run(op.unmerge(s.current_id, s.reviewer))
        except ValueError as exc:
            plain.inform(self.window, "Not merged", str(exc))
            return

    def about(self) -> None:
        from reviewer.ui.about import show_about

        show_about(self.window)

    def show_shortcuts(self) -> None:
        bar = self.window.menuBar()
        menus = [a.menu() for a in bar.actions() if a.menu() is not None]
        rows = menu_shortcuts(menus) + list(PANE_KEYS)  # type: ignore[arg-type]
        self.shortcuts_dialog = ShortcutsDialog(rows, self.window)
        self.shortcuts_dialog.show()
