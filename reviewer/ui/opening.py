"""Opening a review from the window: a file that cannot be written is offered read-only.

A review made by a newer Reviewer, or one on a read-only disk, in a read-only folder
or an immutable file, cannot be changed here; rather than fail, the window says why
and offers to open it read-only, where everything can be read, searched, filtered and
exported, and nothing changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from reviewer.review.project import open_default_review
from reviewer.store import Store, StoreError
from reviewer.store.errors import NewerReviewError, ReadOnlyError
from reviewer.ui import plain


def open_review_asking(
    parent: QWidget | None, path: str | Path, *, read_only: bool = False, demo: bool = False
) -> Store | None:
    """The review at ``path``, opened read-only if asked or if the reviewer agrees to;
    ``None`` when it cannot be opened (the reviewer was told why). ``demo``: a review
    that does not exist yet is made as the demo review (the app's first start)."""
    try:
        if read_only:
            return Store(path, read_only=True)
        return open_default_review(path) if demo else Store(path)
    except (ReadOnlyError, NewerReviewError) as exc:
        if not offer_read_only(parent, str(exc)):
            return None
    except StoreError as exc:
        plain.warn(parent, "Cannot open review", str(exc))
        return None
    try:
        return Store(path, read_only=True)
    except StoreError as exc:
        plain.warn(parent, "Cannot open review", str(exc))
        return None


def offer_read_only(parent: QWidget | None, reason: str) -> bool:
    """Ask whether to open a review that cannot be changed read-only."""
    box = plain.message(
        parent,
        QMessageBox.Icon.Warning,
        "This review cannot be changed here",
        reason,
        QMessageBox.StandardButton.Cancel,
    )
    box.setObjectName("offer_read_only")
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(read_only)
    box.exec()
    return box.clickedButton() is read_only
