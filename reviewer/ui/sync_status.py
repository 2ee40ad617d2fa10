"""The status bar's view of a published review's sync, and what the window does when
others' changes arrive.

``attach_sync`` is the window's one hook: for a review on a server it starts a
``SyncController``, adds the status button (online/offline, last sync, what waits to
go; a click syncs now, or asks for the password the server wanted) and refreshes
what others changed. A review not on a server gets neither.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QInputDialog, QLineEdit, QToolButton, QWidget

from reviewer.review.operations import Changes
from reviewer.review.sync import SyncReport
from reviewer.store import sync as local
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


def attach_sync(window: Any) -> SyncController | None:
    """Start syncing the window's review when it is on a server (stopping any earlier
    controller); adopt the server role as the reviewer's name."""
    old = getattr(window, "sync_controller", None)
    if old is not None:
        old.stop()
        window.sync_controller = None
    button = getattr(window, "sync_button", None)
    meta = local.sync_meta(window.store)
    if meta is None or not meta.url:
        if button is not None:
            button.hide()
        return None
    if meta.user and window.reviewer != meta.user:
        # the server accepts a copy's events only under its own role
        window.reviewer = meta.user
        window.model.reviewer = meta.user
        window.records.reload()
        window._update_status()
    if button is None:
        button = SyncStatusButton(window)
        window.statusBar().addPermanentWidget(button)
        window.sync_button = button
    button.show()
    # the sync's writes go through the window's writer (bound now: a review opened later
    # has a writer of its own)
    controller = SyncController(window.store.path, window, on_local=window.writer.call)
    window.sync_controller = controller
    button.show_status(controller.status)
    controller.status_changed.connect(button.show_status)
    controller.synced.connect(lambda report: refresh_window(window, report))
    button.controller = controller  # the button syncs whichever review is open now

    controller.start()
    return controller


def _sync_now(window: Any, controller: SyncController) -> None:
    status = controller.status
    if not status.online and "password" in status.message.lower():
        password, ok = QInputDialog.getText(
            window,
            "Server password",
            f"Password for {status.server}\n(kept in the system keyring, not in the review):",
            QLineEdit.EchoMode.Password,
        )
        if ok and password:
            controller.sync_now(password)
        return
    controller.sync_now()


def refresh_window(window: Any, report: SyncReport) -> None:
    """Show what others' events changed: a change notice like any operation's, from
    which the list (new records, changed rows), the open record, conflicts, counts and
    blinding refresh themselves."""
    if window.store is None:
        return
    changes = Changes.synced(report.records, report.records_added, report.settings)
    window.ops.announce(changes, window.sync_controller)


def server_role(store: Any) -> str:
    """The server role a review on a server syncs as ("" for any other review)."""
    meta = local.sync_meta(store)
    return meta.user if meta else ""


def stop_sync(window: Any) -> None:
    controller = getattr(window, "sync_controller", None)
    if controller is not None:
        controller.stop()
        window.sync_controller = None
