"""The status bar's view of a published review's sync, and what the window does when
others' changes arrive.

``SyncLink`` is the window's one hook: for a review on a server it starts a
``SyncController``, adds the status button (online/offline, last sync, what waits to
go; a click syncs now, or asks for the password the server wanted) and refreshes
what others changed. A review not on a server gets neither.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit, QStatusBar, QToolButton, QWidget

from reviewer.review.operations import Changes
from reviewer.review.sync import Local, SyncReport
from reviewer.store import sync as local
from reviewer.ui.session import Session
from reviewer.ui.sync_controller import SyncController, SyncStatus


class SyncStatusButton(QToolButton):
    """``● Online · synced 14:02 · 3 to send`` (plain text: the server's words are data)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.setAutoRaise(True)
        self.status: SyncStatus | None = None
        self.controller: SyncController | None = None
        self.clicked.connect(self._clicked)

    def _clicked(self) -> None:
        if self.controller is not None:
            _sync_now(self.window(), self.controller)

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        if status.syncing:
            head = "⟳ Syncing"
        elif status.online:
            head = "● Online"
        else:
            head = "○ Offline"
        parts = [head]
        if status.last_sync:
            parts.append(f"synced {_clock(status.last_sync)}")
        if status.waiting:
            parts.append(
                f"{status.waiting:,} to send" if status.online else f"{status.waiting:,} waiting"
            )
        self.setText(" · ".join(parts))
        tip = [f"Server: {status.server}"]
        if status.message and not status.online:
            tip.append(f"Not connected: {status.message}")
            tip.append("Working offline is fine: everything is sent when the server is back.")
        tip.append("Click to sync now.")
        self.setToolTip("\n".join(tip))  # a plain-text tooltip: no markup from the server


def _clock(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
    except ValueError:
        return iso


class SyncLink(QObject):
    """The window's link to a server (see the module docstring): given the session,
    the status bar its button goes in, and what to do when the server's role becomes
    the reviewer's name (the list reads decisions as someone else now)."""

    def __init__(
        self, session: Session, status_bar: QStatusBar, reviewer_changed: Callable[[], None]
    ):
        super().__init__(session)
        self.s = session
        self.status_bar = status_bar
        self.reviewer_changed = reviewer_changed
        self.controller: SyncController | None = None
        self.button: SyncStatusButton | None = None

    def start(self, write: Local) -> SyncController | None:
        """Start syncing the open review when it is on a server (stopping any earlier
        controller), its writes done by ``write`` (the review's writer); adopt the
        server role as the reviewer's name."""
        self.stop()
        s = self.s
        meta = local.sync_meta(s.store)
        if meta is None or not meta.url:
            if self.button is not None:
                self.button.hide()
            return None
        if meta.user and s.reviewer != meta.user:
            s.reviewer = meta.user  # the server accepts a copy's events only under its role
            self.reviewer_changed()
        if self.button is None:
            self.button = SyncStatusButton(s.widget)
            self.status_bar.addPermanentWidget(self.button)
        button = self.button
        button.show()
        controller = SyncController(s.store.path, self, on_local=write)
        self.controller = controller
        button.show_status(controller.status)
        controller.status_changed.connect(button.show_status)
        controller.synced.connect(self.refresh)
        button.controller = controller  # the button syncs whichever review is open now
        controller.start()
        return controller

    def refresh(self, report: SyncReport) -> None:
        """Show what others' events changed: a change notice like any operation's, from
        which the list (new records, changed rows), the open record, conflicts, counts
        and blinding refresh themselves."""
        if self.s.store is None or self.s.store.closed:
            return
        changes = Changes.synced(report.records, report.records_added, report.settings)
        self.s.ops.announce(changes, self.controller)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _sync_now(parent: QWidget, controller: SyncController) -> None:
    status = controller.status
    if not status.online and "password" in status.message.lower():
        password, ok = QInputDialog.getText(
            parent,
            "Server password",
            f"Password for {status.server}\n(kept in the system keyring, not in the review):",
            QLineEdit.EchoMode.Password,
        )
        if ok and password:
            controller.sync_now(password)
        return
    controller.sync_now()


def server_role(store: Any) -> str:
    """The server role a review on a server syncs as ("" for any other review)."""
    meta = local.sync_meta(store)
    return meta.user if meta else ""
