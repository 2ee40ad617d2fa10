"""Starting the app: the QApplication, the review to open, and the screenshot command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from reviewer.paths import APP_NAME, APP_ORG, default_review_path, resources_dir
from reviewer.review.project import open_default_review
from reviewer.store import StoreError
from reviewer.ui import plain


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(APP_ORG)
        QCoreApplication.setApplicationName(APP_NAME)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "reviewer.svg")))
        app.setDesktopFileName("reviewer")
        _say_store_errors()
    return app  # type: ignore[return-value]


def _say_store_errors() -> None:
    """A change the review refused (a full disk, a read-only file, a lock held too long)
    and no code caught is told in a message box, not only as a traceback on the console.
    """
    previous = sys.excepthook

    def hook(kind, value, tb) -> None:  # noqa: ANN001 (sys.excepthook's signature)
        if isinstance(value, StoreError):
            plain.warn(QApplication.activeWindow(), "The review was not changed", str(value))
            return
        previous(kind, value, tb)

    sys.excepthook = hook


def review_to_open(review: Path | None) -> Path:
    """The review named on the command line, else the last one opened, else the demo."""
    if review is not None:
        return review
    last = QSettings().value("last_review", "")
    if last and Path(str(last)).exists():
        return Path(str(last))
    return default_review_path()


def main(review: Path | None = None, read_only: bool = False) -> int:
    app = application()
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.opening import open_review_asking

    path = review_to_open(review)
    store = open_review_asking(None, path, read_only=read_only, demo=True)
    if store is None:
        return 1
    ask_reviewer_name_once()
    window = MainWindow(store)
    window.show()
    return app.exec()


def ask_reviewer_name_once() -> None:
    """On first start, ask who is reviewing: every decision, value and note carries it."""
    import getpass

    from PySide6.QtWidgets import QInputDialog

    settings = QSettings()
    if settings.value("reviewer/name"):
        return
    name, ok = QInputDialog.getText(
        None,
        "Welcome to Reviewer",
        "Your name or initials (recorded with every decision, value and note;\n"
        "change it later under Screening → Set reviewer name):",
        text=getpass.getuser(),
    )
    settings.setValue("reviewer/name", (name.strip() if ok and name.strip() else getpass.getuser()))


def screenshot(
    review: Path | None,
    out: Path,
    width: int = 1400,
    height: int = 900,
    record_id: int | None = None,
) -> Path:
    """Render the main window offscreen with the first record selected, save a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    application()
    from reviewer.ui.main_window import MainWindow

    store = open_default_review(review)
    window = MainWindow(store)
    window.resize(width, height)
    window.splitter.setSizes([int(width * 0.3), int(width * 0.4), int(width * 0.3)])
    window.show()
    window.select_row(0)
    if record_id is not None:
        window.go_to_record(record_id)
    QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"{out}: could not write the PNG")
    window.close()
    store.close()
    return out
