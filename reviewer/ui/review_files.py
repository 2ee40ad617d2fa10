"""The review's files: a new review (empty, or from a JSON export), opening one, the
import choosers, a copy for another reviewer, and the Recent reviews menu.

A component of the main window, given the session (``reviewer.ui.session``), the
Recent reviews menu it keeps, what opens a review in the window and what imports
files into it; long work (building from JSON, copying) runs as jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QInputDialog, QMenu

from reviewer.export.json_import import import_review_json
from reviewer.review.project import create_review
from reviewer.store import Store, StoreError
from reviewer.store.copies import copy_name, copy_review
from reviewer.ui import file_dialogs as dialogs
from reviewer.ui import plain
from reviewer.ui.screening_actions import REVIEW_FILTER
from reviewer.ui.session import Session

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings()


class ReviewFiles(QObject):
    """New, open, JSON, copies and Recent reviews (see the module docstring)."""

    def __init__(
        self,
        session: Session,
        recent_menu: QMenu,
        open_review: Callable[..., bool],
        import_paths: Callable[[list[str]], None],
    ):
        super().__init__(session)
        self.s = session
        self.recent_menu = recent_menu
        self.open_review = open_review  # (path, read_only=False) -> whether it opened
        self.import_paths = import_paths
        self.last_copy = ""

    def new_review(self) -> None:
        path = dialogs.save_file(
            self.s.widget,
            "New review",
            "reviews",
            "new.review",
            REVIEW_FILTER,
            self.s.store.path.parent,
        )
        if not path:
            return
        if not path.endswith(".review"):
            path += ".review"
        try:
            store = create_review(path)
        except StoreError as exc:
            plain.warn(self.s.widget, "Cannot create review", str(exc))
            return
        store.close()
        self.open_review(path)

    def choose_json_export(self) -> None:
        src = dialogs.open_file(
            self.s.widget,
            "JSON export",
            "exports",
            "JSON (*.json);;All files (*)",
            self.s.store.path.parent,
        )
        if not src:
            return
        dest = dialogs.save_file(
            self.s.widget,
            "New review",
            "reviews",
            Path(src).with_suffix(".review").name,
            REVIEW_FILTER,
        )
        if dest:
            self.new_review_from_json(src, dest)

    def new_review_from_json(self, src: str, dest: str) -> None:
        """Build a review from a JSON export in the background, then open it."""
        reviewer = self.s.reviewer

        def work(progress, cancelled) -> str:
            import_review_json(
                src,
                dest,
                reviewer=reviewer,
                progress=lambda d, t: progress((d, t)),
                cancel=cancelled,
            ).close()
            return dest

        self.s.jobs.start(
            work,
            on_success=self.open_review,
            on_failure=lambda m: plain.warn(self.s.widget, "Cannot build the review", m),
        )

    def choose_review(self, read_only: bool = False) -> None:
        path = dialogs.open_file(
            self.s.widget,
            "Open review read-only" if read_only else "Open review",
            "reviews",
            REVIEW_FILTER,
            self.s.store.path.parent,
        )
        if path:
            self.open_review(path, read_only=read_only)

    def choose_import_files(self) -> None:
        paths = dialogs.open_files(
            self.s.widget, "Import files", "imports", "", self.s.store.path.parent
        )
        if paths:
            self.import_paths(paths)

    def choose_import_folder(self) -> None:
        path = dialogs.existing_folder(
            self.s.widget, "Import folder", "imports", self.s.store.path.parent
        )
        if path:
            self.import_paths([path])

    def save_copy(self) -> None:
        """File → Save a copy for another reviewer: ask who it is for and where."""
        who, ok = QInputDialog.getText(
            self.s.widget,
            "Save a copy for another reviewer",
            "Who is the copy for? (it is named after them, so that the two copies are "
            "told apart)\n\nThey screen their copy; File → Merge another copy brings "
            "their work back here.",
        )
        if not ok:
            return
        who = who.strip()
        stem = self.s.store.path.stem + (f"-{_file_word(who)}" if who else "-copy")
        path = dialogs.save_file(self.s.widget, "Save the copy as", "copies", f"{stem}.review", REVIEW_FILTER,
            self.s.store.path.parent,
        )  # fmt: skip
        if path:
            if not path.endswith(".review"):
                path += ".review"
            self.copy_for(path, copy_name(self.s.store.name, who))

    def copy_for(self, dest: str, name: str) -> None:
        """Write the copy in the background (SQLite's backup API: a consistent copy with
        the latest work, while this window keeps the review open)."""
        review_path = self.s.store.path

        def work(progress, cancelled) -> str:
            with Store(review_path) as store:
                copy_review(store, dest, name, lambda d, t: progress((d, t)), cancelled)
            return dest

        def done(path: str) -> None:
            self.last_copy = path
            self.remember_recent(Path(path), name, opened=False)
            self.s.status(f"Copy “{name}” saved as {path}", 10000)

        self.s.jobs.start(
            work,
            on_success=done,
            on_failure=lambda m: plain.warn(self.s.widget, "Copy not saved", m),
        )

    def remember_recent(self, path: Path, name: str, opened: bool = True) -> None:
        """Put a review in Recent reviews under its name (two copies of one review have
        different names, and the file beside it): first when it was ``opened``, else
        second (a copy just saved; the next start still opens this review)."""
        s = settings()
        recent = [p for p in _as_list(s.value("recent", [])) if p != str(path)]
        recent.insert(0 if opened else min(1, len(recent)), str(path))
        recent = recent[:MAX_RECENT]
        names = {p: n for p, n in (s.value("recent_names", {}) or {}).items() if p in recent}
        names[str(path)] = name
        s.setValue("recent", recent)
        s.setValue("recent_names", names)
        if opened:
            s.setValue("last_review", str(path))
        self.recent_menu.clear()
        for p in recent:
            label = f"{names.get(p) or Path(p).stem}  —  {p}"
            act = self.recent_menu.addAction(label.replace("&", "&&"))
            act.setData(p)
            act.triggered.connect(lambda _c=False, p=p: self.open_review(p))


def _as_list(value: Any) -> list[str]:
    """A list from the settings (a single entry comes back as a plain string)."""
    if not value:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


def _file_word(who: str) -> str:
    """A person's name as part of a file name."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in who.strip()).strip("-") or "copy"
