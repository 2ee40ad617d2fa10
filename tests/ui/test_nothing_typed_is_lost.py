"""Nothing typed is lost: not to a kill, not to a full disk, not to switching records.

Every change in a form field is kept at once as a draft in the review file; a kill
right after typing (before the value's save after a pause) leaves the draft, which
the next window saves. A value that cannot be saved (the disk is full, or not valid
yet) keeps its text in its field with the reason beside it, when another record is
shown and back, until it can be saved; closing the window asks first. A review that
cannot be written opens read-only, where nothing can be typed.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reviewer.store import Store, drafts
from reviewer.store.errors import DiskFullError
from reviewer.ui.form import Unsaved
from reviewer.ui.main_window import MainWindow
from tests.ui.test_main_window import field, type_into


def on_disk(path: Path, record_id: int) -> tuple[dict[str, str], dict]:
    """Drafts and values in the file, read by another connection (as another process)."""
    with Store(path, read_only=True) as other:
        typed = drafts.of_record(other, record_id, "tester")
        return typed, {k: v.value for k, v in other.values(record_id).items()}


def test_each_keystroke_is_on_disk_before_the_value_is_saved(qtbot, window, demo_review):
    rid = window.current_id
    type_into(qtbot, field(window, "sample_size"), "18")
    typed, values = on_disk(demo_review, rid)
    assert typed == {"sample_size": "18"} and "sample_size" not in values
    qtbot.keyClicks(field(window, "sample_size"), "2")
    assert on_disk(demo_review, rid)[0] == {"sample_size": "182"}
    window.form.flush()  # the pause, or leaving the field: saved, and the draft goes
    typed, values = on_disk(demo_review, rid)
    assert typed == {} and values["sample_size"] == 182


def test_a_draft_another_program_held_off_is_written_once_it_lets_go(
    qtbot, window, demo_review
):
    """Another program (a command beside the window) holds the review's write lock while
    the reviewer types in one field and moves on to the next: the first field's draft,
    refused meanwhile, is written again by itself, not only at a next key in its field."""
    rid = window.current_id
    other = sqlite3.connect(demo_review, isolation_level=None)
    other.execute("begin immediate")  # the write lock, held
    try:
        type_into(qtbot, field(window, "sample_size"), "182")
        assert window.form.only_in_memory() == [(rid, "sample_size", "182")]
    finally:
        other.execute("rollback")
        other.close()
    qtbot.keyClicks(field(window, "age"), "6")  # the next field: nothing typed in the first
    qtbot.waitUntil(lambda: on_disk(demo_review, rid)[0].get("sample_size") == "182")
    assert window.form.only_in_memory() == []


_KILLED_WHILE_TYPING = """
import os, signal, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings, QCoreApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
QCoreApplication.setOrganizationName("ReviewerTests")
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
os.environ["REVIEWER_NAME"] = "tester"
from reviewer.store import Store
from reviewer.ui.main_window import MainWindow
window = MainWindow(Store(sys.argv[1]))
window.show()
for key, text in (("sample_size", "182"), ("age", "sixty")):
    line = window.findChild(QLineEdit, "field_" + key)
    line.setFocus()
    QTest.keyClicks(line, text)
print(window.current_id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # at once: long before the 600 ms save
"""


def test_values_typed_just_before_a_kill_are_restored(qtbot, tmp_path, demo_review, sync_jobs):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.run(
        [sys.executable, "-c", _KILLED_WHILE_TYPING, str(demo_review), str(tmp_path / "ini")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr
    rid = int(child.stdout.split()[0])
    typed, values = on_disk(demo_review, rid)
    assert typed == {"sample_size": "182", "age": "sixty"} and "sample_size" not in values

    window = MainWindow(Store(demo_review))  # the next session
    qtbot.addWidget(window)
    window.show()
    window.go_to_record(rid)
    assert window.store.values(rid)["sample_size"].value == 182  # a valid value: saved
    age = window.form.editors["age"]  # not a number: kept, shown, with why
    qtbot.waitUntil(lambda: "number" in age.error.text())
    assert age.text() == "sixty" and age.error.isVisible()
    assert age.error.text().startswith("Restored (typed before Reviewer last closed)")
    assert "Restored what was typed" in window.statusBar().currentMessage()
    assert on_disk(demo_review, rid)[0] == {"age": "sixty"}
    window.close()
    window.store.close()


def fill_the_disk(store: Store, record_id: int) -> None:
    """The review's file may not grow (``max_page_count``) and the room left in it is
    used up, so the next value cannot be saved: SQLite's "database or disk is full"."""
    store.db.execute("pragma synchronous=off")  # filling is setup: no need to wait
    store.db.execute("create table filler (b blob)")
    pages = store.db.execute("pragma page_count").fetchone()[0]
    store.db.execute(f"pragma max_page_count = {pages}")
    for size in (1 << 20, 1 << 16, 1 << 12, 1 << 8):  # the free pages first, in big pieces
        try:
            while True:
                store.db.execute("insert into filler values (zeroblob(?))", [size])
        except sqlite3.OperationalError:
            pass
    for i in range(10_000):  # then the room left in the pages the values and events use
        try:
            store.set_value(record_id, "age", float(i), "filler")
        except DiskFullError:
            store.db.execute("pragma synchronous=full")
            return
    raise AssertionError("the disk never filled")


def test_a_value_the_full_disk_refuses_stays_typed_until_it_can_be_saved(
    qtbot, window, monkeypatch
):
    rid = window.current_id
    other = window.model.id_at(3)
    # the disk fills for the window's writing connection (its writer thread's)
    window.ops.write(lambda store: fill_the_disk(store, other))
    editor = window.form.editors["sample_size"]
    type_into(qtbot, field(window, "sample_size"), "182")
    editor.save()
    assert editor.error.isVisible()
    assert editor.error.text() == "Disk full: not saved yet, kept here"
    assert editor.text() == "182"
    assert "sample_size" not in window.store.values(rid)

    window.move(1)  # another record, and back: the text is still there, still unsaved
    window.go_to_record(rid)
    editor = window.form.editors["sample_size"]
    assert editor.text() == "182" and editor.error.isVisible()

    asked: list[str] = []
    # the reviewer: no (undone before the fixture closes the window)
    monkeypatch.setattr(window.extraction, "may_lose_unsaved", lambda: asked.append("asked") or False)
    assert (rid, "sample_size") in window.form.unsaved

    window.ops.write(lambda store: store.db.execute("pragma max_page_count = 1073741823"))
    editor.save()
    assert not editor.error.isVisible()
    assert window.store.values(rid)["sample_size"].value == 182
    assert window.form.unsaved == {}


def test_closing_with_text_that_could_not_be_kept_asks_first(qtbot, window, monkeypatch):
    window.form.unsaved[(window.current_id, "sample_size")] = Unsaved("182", on_disk=False)
    answers = iter([False, True])
    questions: list[str] = []

    def ask(_parent, _title, text, **_kw) -> bool:
        questions.append(text)
        return next(answers)

    monkeypatch.setattr("reviewer.ui.plain.ask", ask)
    assert not window.close()  # "Cancel": the window stays, with the text
    assert window.isVisible() and "182" in questions[0]
    assert window.close()


def test_a_review_that_cannot_be_changed_opens_read_only_in_the_window(
    qtbot, tmp_path, demo_review, sync_jobs
):
    newer = tmp_path / "newer.review"
    shutil.copy(demo_review, newer)
    conn = sqlite3.connect(newer)
    conn.execute("pragma user_version = 99")
    conn.commit()
    conn.close()
    before = newer.read_bytes()

    from reviewer.ui.opening import open_review_asking

    def answer(button_text: str) -> None:
        """Press a button of the question, once it is shown (it runs its own loop)."""

        def click() -> None:
            for box in QApplication.topLevelWidgets():
                if box.objectName() == "offer_read_only" and box.isVisible():
                    for b in box.buttons():
                        if button_text in b.text():
                            b.click()
                            return
            QTimer.singleShot(10, click)

        QTimer.singleShot(0, click)

    answer("Cancel")
    assert open_review_asking(None, newer) is None
    answer("Open read-only")
    store = open_review_asking(None, newer)
    assert store is not None and store.read_only

    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    assert "(read-only)" in window.windowTitle()
    assert window.read_only_label.isVisible()
    assert field(window, "sample_size").isReadOnly()
    assert not window.buttons["include"].isEnabled()
    decided_before = len(window.store.events())
    window.decide("include")  # by key: refused with a message, nothing written
    assert "read-only" in window.statusBar().currentMessage()
    assert len(window.store.events()) == decided_before
    window.close()
    window.store.close()
    assert newer.read_bytes() == before
