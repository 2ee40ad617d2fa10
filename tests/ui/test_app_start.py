"""Starting the app as the desktop does: files given to ``reviewer-gui``, and Help → About."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reviewer import __version__
from reviewer.ui.about import about_box
from reviewer.ui.app import gui_script, open_window, split_opened_files
from reviewer.version import build_info

DATA = Path(__file__).resolve().parent.parent / "data"
RIS = DATA / "corpus/ris/asreview_citation_file_formatting/_baseline_zotero.ris"


def test_a_review_file_is_opened_and_other_files_imported(tmp_path):
    review, imports = split_opened_files(
        [tmp_path / "a.ris", tmp_path / "team.REVIEW", tmp_path / "b.pdf", tmp_path / "c.review"]
    )
    assert review == tmp_path / "team.REVIEW"
    # one review per window: a second .review is not imported as if it held citations
    assert imports == [tmp_path / "a.ris", tmp_path / "b.pdf"]


def test_double_clicked_review_opens_with_the_citations_dropped_on_it(
    qtbot, demo_review, sync_jobs, tmp_path
):
    ris = tmp_path / "export.ris"
    shutil.copy(RIS, ris)
    review, imports = split_opened_files([str(demo_review), str(ris)])
    window = open_window(review, imports)
    qtbot.addWidget(window)
    try:
        assert window.store.path == demo_review
        assert window.importer.last_report.added == 10
        assert window.store.record_count() == 34 + 10
    finally:
        window.close()
        window.store.close()


def test_gui_version_does_not_open_a_window(capsys):
    with pytest.raises(SystemExit) as exit_:
        gui_script(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"reviewer {__version__} (")


def test_about_shows_version_and_build_as_plain_text(qtbot):
    box = about_box(None)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert f"Version {__version__}" in box.text()
    assert "From source" in box.text() or "Build " in box.text()
    assert build_info().build_line().lower() in box.text().lower()
    assert "Qt 6." in box.text()


def test_help_menu_opens_about(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr("reviewer.ui.about.QMessageBox.exec", lambda box: shown.append(box.text()))
    about = next(
        a
        for menu in window.menuBar().actions()
        if menu.menu() is not None
        for a in menu.menu().actions()
        if a.text().replace("&", "") == "About Reviewer"
    )
    about.trigger()
    assert shown and f"Version {__version__}" in shown[0]
