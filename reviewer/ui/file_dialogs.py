"""File dialogs that start where the reviewer last was, for each kind of file.

Searches are exported into one folder, full texts collected in another and exports
written to a third; a dialog that always opened in the home folder made the reviewer
walk back to each every time. Each kind of file (``imports``, ``fulltexts``,
``exports``, ``reviews`` …) remembers its last folder in the settings; the first
time, the open review's folder is offered, then the home folder.

Tests replace these four functions (they are the only place the window opens a
native file dialog), so no test ever waits on one.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

_KEY = "folders/{}"


def last_folder(kind: str, fallback: Path | None = None) -> Path:
    """The folder a dialog for ``kind`` opens in."""
    saved = QSettings().value(_KEY.format(kind), "")
    for candidate in (Path(str(saved)) if saved else None, fallback, Path.home()):
        if candidate is not None and candidate.is_dir():
            return candidate
    return Path.home()


def remember(kind: str, path: str | Path) -> None:
    """Remember the folder of ``path`` (or ``path`` itself, a folder) for ``kind``."""
    p = Path(path)
    QSettings().setValue(_KEY.format(kind), str(p if p.is_dir() else p.parent))


def open_file(
    parent: QWidget, title: str, kind: str, filters: str = "", fallback: Path | None = None
) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(last_folder(kind, fallback)), filters)
    if path:
        remember(kind, path)
    return path


def open_files(
    parent: QWidget, title: str, kind: str, filters: str = "", fallback: Path | None = None
) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent, title, str(last_folder(kind, fallback)), filters
    )
    if paths:
        remember(kind, paths[0])
    return list(paths)


def save_file(
    parent: QWidget,
    title: str,
    kind: str,
    name: str,
    filters: str = "",
    fallback: Path | None = None,
) -> str:
    """A path to write, offered as ``name`` in the remembered folder; typed without a
    suffix, it gets the one of the file type chosen."""
    start = last_folder(kind, fallback) / name
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    if path and not Path(path).suffix:
        m = re.search(r"\*(\.\w+)", chosen or "")
        path += m.group(1) if m else ""
    if path:
        remember(kind, path)
    return path


def existing_folder(parent: QWidget, title: str, kind: str, fallback: Path | None = None) -> str:
    path = QFileDialog.getExistingDirectory(parent, title, str(last_folder(kind, fallback)))
    if path:
        remember(kind, path)
    return path
