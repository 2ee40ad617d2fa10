"""The first-start question for the reviewer's name, and when it is not asked."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog

from reviewer.ui.app import ask_reviewer_name_once


def test_the_name_is_asked_once_and_kept(qtbot, monkeypatch):
    QSettings().remove("reviewer/name")
    monkeypatch.delenv("REVIEWER_NAME", raising=False)
    asked = []
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *a, **k: asked.append(k["text"]) or ("mk", True)
    )
    ask_reviewer_name_once()
    ask_reviewer_name_once()
    assert len(asked) == 1 and QSettings().value("reviewer/name") == "mk"


def test_a_name_from_the_environment_is_not_asked_again(qtbot, monkeypatch):
    QSettings().remove("reviewer/name")
    monkeypatch.setenv("REVIEWER_NAME", "ann")
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(1) or ("x", True))
    ask_reviewer_name_once()
    assert asked == []
