"""Starting the app: the QApplication, the review to open, and the screenshot command."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
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


REVIEW_SUFFIX = ".review"


def split_opened_files(files: Sequence[str | Path]) -> tuple[Path | None, list[Path]]:
    """Files given to ``reviewer-gui`` (a double-click, "Open with"): the first ``.review``
    is the review to open; the other files, citations or PDFs, are imported into it."""
    paths = [Path(f).absolute() for f in files]
    reviews = [p for p in paths if p.suffix.lower() == REVIEW_SUFFIX]
    review = reviews[0] if reviews else None
    return review, [p for p in paths if p.suffix.lower() != REVIEW_SUFFIX]


def gui_script(argv: Sequence[str] | None = None) -> int:
    """``reviewer-gui [FILE ...]``: what the menu entry and the file manager start."""
    import argparse

    from reviewer.version import VersionAction

    parser = argparse.ArgumentParser(
        prog="reviewer-gui",
        description="Open Reviewer's window. A .review file is opened; other files "
        "(RIS, BibTeX, MEDLINE, PDFs ...) are imported into the open review.",
    )
    parser.add_argument("--version", action=VersionAction, help="show version and build, then exit")
    parser.add_argument("files", nargs="*", metavar="FILE")
    args = parser.parse_args(argv)
    review, imports = split_opened_files(args.files)
    return main(review=review, imports=imports)


def main(
    review: Path | None = None, imports: Sequence[Path] = (), read_only: bool = False
) -> int:
    app = application()
    window = open_window(review, imports, read_only)
    if window is None:
        return 1
    return app.exec()


def open_window(
    review: Path | None = None, imports: Sequence[Path] = (), read_only: bool = False
):
    """Open the review (see ``review_to_open``) in a shown window, import ``imports`` into it
    in the background; None when the review cannot be opened (the user has been told).
    A review this version cannot write is offered read-only (``reviewer.ui.opening``)."""
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.opening import open_review_asking

    path = review_to_open(review)
    store = open_review_asking(None, path, read_only=read_only, demo=True)
    if store is None:
        return None
    ask_reviewer_name_once()
    window = MainWindow(store)
    window.show()
    if imports and not store.read_only:
        window.importer.start([str(p) for p in imports])
    return window


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
    page: int | None = None,
) -> Path:
    """Render the main window offscreen with the first record selected, save a PNG.

    With ``page`` (1-based), the record's PDF is shown as pages at that page, with
    the boxes of its values; ``ValueError`` if the record has no PDF to show."""
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
    if page is not None:
        window.splitter.setSizes([int(width * 0.22), int(width * 0.48), int(width * 0.3)])
        try:
            _show_page(window, page)
        except ValueError:
            window.close()
            store.close()
            raise
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"{out}: could not write the PNG")
    window.close()
    store.close()
    return out


def _show_page(window, page: int, timeout: float = 30.0) -> None:  # noqa: ANN001 (MainWindow)
    """Show the current record's PDF at ``page`` and wait until it is drawn."""
    import time

    pages = window.pages
    pages.set_mode("pages", remember=False)
    if pages.mode() != "pages":
        raise ValueError(pages.notice() or "this record has no PDF to show as pages")
    end = time.monotonic() + timeout
    while not pages.is_open() and not pages.open_error and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    if pages.open_error:
        raise ValueError(pages.open_error)
    if not 1 <= page <= pages.page_total():
        raise ValueError(f"the PDF has {pages.page_total()} pages, not a page {page}")
    pages.go_to_page(page - 1)
    while time.monotonic() < end:
        QApplication.processEvents()
        if pages.idle():
            break
        time.sleep(0.01)
    QApplication.processEvents()
