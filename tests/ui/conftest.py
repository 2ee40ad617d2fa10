"""pytest-qt set-up: settings in a temporary INI file, background jobs run inline."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _qt_settings(tmp_path, qapp):
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("ReviewerTests")
    QCoreApplication.setApplicationName("ReviewerTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "ini"))
    QSettings().clear()
    QSettings().setValue("reviewer/name", "tester")
    yield


@pytest.fixture(autouse=True)
def _no_blocking_message_boxes(monkeypatch):
    """A message box a test did not expect would wait for a click forever: fail instead.
    (A test that expects one replaces it with its own recorder.)"""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(kind):
        def show(_parent, title, text, *args, **kwargs):
            raise AssertionError(f"unexpected QMessageBox.{kind}: {title}: {text}")

        return show

    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))


@pytest.fixture
def sync_jobs(monkeypatch):
    from reviewer.ui.jobs import JobRunner

    monkeypatch.setattr(JobRunner, "synchronous", True)
    return JobRunner


@pytest.fixture
def window(qtbot, demo_review, sync_jobs):
    from reviewer.store import Store
    from reviewer.ui.main_window import MainWindow

    w = MainWindow(Store(demo_review))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    w.store.close()
