"""Importing from the window: drag and drop, progress with cancel, the report, column mapping."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from reviewer.ingest import Progress


def drop(window, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_dropping_files_and_folders_imports_them(qtbot, window, tmp_path):
    before = window.store.record_count()
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "one.txt").write_text("Dropped article one\nbody\n", encoding="utf-8")
    (folder / "two.md").write_text("# Dropped article two\nbody\n", encoding="utf-8")
    single = tmp_path / "three.txt"
    single.write_text("Dropped article three\nbody\n", encoding="utf-8")
    drop(window, [folder, single])
    assert window.store.record_count() == before + 3
    assert window.importer.last_report.added == 3


def test_progress_dialog_shows_file_and_rate(qtbot, window):
    window.importer.dialog = None
    from PySide6.QtWidgets import QProgressDialog

    window.importer.dialog = QProgressDialog(window)
    window.importer._progress(Progress("/x/big.ris", 1, 3, 12_000, 4_000.0))
    text = window.importer.dialog.labelText()
    assert "big.ris" in text and "file 2 of 3" in text
    assert "12,000 records" in text and "4,000 records/s" in text


def test_cancel_stops_after_the_current_batch_and_keeps_whole_records(window, tmp_path):
    from reviewer.ingest import import_paths
    from reviewer.store import Store

    files = []
    for i in range(4):
        f = tmp_path / f"g{i}.txt"
        f.write_text(f"Other {i}\nbody\n", encoding="utf-8")
        files.append(f)
    before = window.store.record_count()
    seen: list[Progress] = []
    with Store(window.store.path) as store:  # as the worker thread does
        report = import_paths(store, files, progress=seen.append, cancel=lambda: bool(seen))
    assert report.cancelled and report.added == 1
    assert window.store.record_count() == before + 1
    assert window.store.integrity_check() == "ok"
    window.importer.start([str(f) for f in files])  # importing again finishes the rest
    assert window.importer.last_report.added == 3
    assert window.store.record_count() == before + 4
