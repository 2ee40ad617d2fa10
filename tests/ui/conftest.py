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
