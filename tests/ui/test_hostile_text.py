"""Nothing in a file is read as markup: hostile text everywhere the window shows data.

A record whose title, authors, journal, abstract and keywords are
``<img src="file:///…/canary.png">`` (and so are a note, a value, a tag, an exclusion
reason, a reviewer's name, a field's label and help, and the source file's name) is
shown in every pane. Every label, button, list cell and tooltip that shows it must
show the characters, not an image: a label that Qt would read as rich text must
hold them escaped, and every tooltip the window shows for them is escaped. The canary
file is watched (inotify): nothing may open it. Before, hovering the record list
showed the title as HTML and Qt opened the file.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QImage, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMessageBox,
    QToolTip,
    QWidget,
)

from reviewer.annotate.notes import add_note
from reviewer.domain import Decision
from reviewer.ingest import import_paths
from reviewer.review.settings import set_blinded, set_exclusion_reasons
from reviewer.review.tags import add_tag
from reviewer.store import Store
from reviewer.ui import plain

MARK = "ZQX"  # in every hostile string, to find where it is shown


class FileWatch:
    """Whether a file is opened (Linux inotify; ``None`` where that is not available)."""

    IN_ACCESS, IN_OPEN = 0x1, 0x20

    def __init__(self, path: Path):
        self.fd = -1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            self.fd = libc.inotify_init1(os.O_NONBLOCK)
            if (
                self.fd >= 0
                and libc.inotify_add_watch(
                    self.fd, str(path).encode(), self.IN_OPEN | self.IN_ACCESS
                )
                < 0
            ):
                os.close(self.fd)
                self.fd = -1
        except (OSError, AttributeError):
            self.fd = -1

    def opened(self) -> bool | None:
        if self.fd < 0:
            return None
        try:
            return bool(os.read(self.fd, 4096))
        except BlockingIOError:
            return False

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "canary.png"
    image = QImage(300, 300, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(path))
    watch = FileWatch(path)
    yield path, watch
    watch.close()


def hostile(canary: Path, what: str) -> str:
    return f'<img src="{canary.as_uri()}" width="300" height="300"><b>{MARK} {what}</b>'


@pytest.fixture
def hostile_window(qtbot, tmp_path, demo_review, sync_jobs, canary):
    from reviewer.ui.main_window import MainWindow

    image, _watch = canary
    ris = tmp_path / "<i>ZQX source<i>.ris"  # no slash can be in a name
    ris.write_text(
        "TY  - JOUR\n"
        f"TI  - {hostile(image, 'title')}\n"
        f"AU  - {hostile(image, 'author')}\n"
        f"JO  - {hostile(image, 'journal')}\n"
        f"KW  - {hostile(image, 'keyword')}\n"
        "PY  - 2020\n"
        f"AB  - The abstract. {hostile(image, 'abstract')} More words here.\n"
        "ER  - \n",
        encoding="utf-8",
    )
    path = tmp_path / "hostile.review"
    shutil.copy(demo_review, path)
    with Store(path) as store:
        report = import_paths(store, [ris])
        assert report.added == 1
        rid = store.record_count()
        bad = hostile(image, "reviewer")
        reason = hostile(image, "reason")
        set_exclusion_reasons(store, ["wrong population", reason], "tester")
        set_blinded(store, False, "tester")
        store.set_decision(Decision(record_id=rid, reviewer="tester", decision="include"))
        store.set_decision(
            Decision(record_id=rid, reviewer=bad, decision="exclude", reason=reason,
                     note=hostile(image, "decision note"))
        )  # fmt: skip
        store.set_value(rid, "title", hostile(image, "value"), "tester")
        add_note(store, rid, 0, 20, hostile(image, "note"), bad)
        add_tag(store, rid, hostile(image, "tag"), "tester")
        template = store.template()
        first = template.fields[0].model_copy(
            update={"label": hostile(image, "label"), "help": hostile(image, "help")}
        )
        store.set_template(
            template.model_copy(update={"fields": [first, *template.fields[1:]]}), "tester"
        )
    window = MainWindow(Store(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.go_to_record(rid)
    yield window, rid
    window.close()
    window.store.close()


def read_as_markup(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    """Whether Qt reads ``text`` as HTML and finds the hostile tag in it."""
    if fmt == Qt.TextFormat.PlainText or fmt == Qt.TextFormat.MarkdownText:
        return False
    rich = fmt == Qt.TextFormat.RichText or Qt.mightBeRichText(text)
    return rich and "<img" in text


def paint_tooltip() -> None:
    """Paint the tooltip shown (offscreen, Qt lays it out only when it is painted)."""
    for top in QApplication.topLevelWidgets():
        if top.inherits("QTipLabel") and top.isVisible():
            top.grab()


def tooltip_shown(widget: QWidget, pos: QPoint) -> str:
    """What the window shows when the mouse rests on ``widget`` at ``pos``."""
    QToolTip.hideText()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)
    if not QToolTip.isVisible():
        return ""
    paint_tooltip()
    return QToolTip.text()


def check_tooltip(widget: QWidget, pos: QPoint, where: str, found: list[str]) -> None:
    text = tooltip_shown(widget, pos)
    if MARK not in text:
        return
    found.append(where)
    assert not read_as_markup(text), f"{where}: tooltip shown as HTML: {text[:120]}"
    assert "&lt;img" in text, f"{where}: tooltip does not show the tag: {text[:120]}"


def scan(window, found: list[str]) -> None:
    """Every visible label, button, item and tooltip of every open window."""
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        name = f"{type(widget).__name__} {widget.objectName()}"
        if isinstance(widget, QLabel) and MARK in widget.text():
            found.append(name)
            assert not read_as_markup(widget.text(), widget.textFormat()), name
        if isinstance(widget, QAbstractButton) and MARK in widget.text():
            found.append(name)  # buttons draw their text plain
        if widget.toolTip() and MARK in widget.toolTip():
            check_tooltip(widget, widget.rect().center(), f"tooltip of {name}", found)
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            scan_items(widget, name, found)


def scan_items(view: QAbstractItemView, name: str, found: list[str]) -> None:
    model = view.model()
    if model is None:
        return
    root = view.rootIndex()
    try:
        columns = model.columnCount(root)
    except TypeError:  # a list model's is private
        columns = 1
    for row in range(min(model.rowCount(root), 300)):
        for col in range(columns):
            index = model.index(row, col, root)
            shown = str(index.data() or "")
            tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
            if MARK not in shown + tip:
                continue
            found.append(f"{name} cell")
            if "\u202e" in shown:
                pytest.fail(f"{name}: an override character shown unmarked")
            if tip:
                view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
                rect = view.visualRect(index)
                if rect.isValid() and view.viewport().rect().contains(rect.center()):
                    check_tooltip(view.viewport(), rect.center(), f"{name} item", found)


def test_no_markup_from_a_file_is_interpreted_anywhere(qtbot, hostile_window, canary):
    window, rid = hostile_window
    _image, watch = canary
    found: list[str] = []
    for dock in ("conflicts", "stats", "history"):
        window.docks[dock].show()
    window.notes_dock.show()
    window.history_panel.reload(window.store, rid)
    window.notes_panel.whole_review.setChecked(True)
    window.conflicts_view.reload() if hasattr(window.conflicts_view, "reload") else None
    window.dialogs.show_duplicates()
    window.importer.report_dialog = None
    QApplication.processEvents()
    window.grab()  # paint everything once
    scan(window, found)
    # the document's own tooltips: a mark (the note) under the mouse
    text = window.document.text
    cursor = text.textCursor()
    cursor.setPosition(5)
    rect = text.cursorRect(cursor)
    check_tooltip(text.viewport(), rect.center(), "document note", found)

    seen = set(found)
    for where in (
        "QTableView records item",  # the record list's tooltip: where the file was opened
        "QTableWidget conflicts_table item",
        "QTableWidget history_table item",
        "QListWidget notes_list cell",
        "document note",
        "tooltip of QLineEdit field_title",
    ):
        assert where in seen, (where, sorted(seen))
    assert sum(1 for f in found if f.startswith("QLabel")) >= 4  # header, meta, label, stats
    assert watch.opened() in (False, None), "the canary file was opened"


def test_message_boxes_and_labels_show_text_as_text(qtbot, canary):
    image, watch = canary
    text = hostile(image, "message")
    box = plain.message(None, QMessageBox.Icon.Warning, "Title", text)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.show()
    box.grab()
    label = plain.label(text)
    qtbot.addWidget(label)
    label.show()
    label.grab()
    assert label.text() == text
    assert not read_as_markup(label.text(), label.textFormat())
    assert watch.opened() in (False, None)


def test_a_right_to_left_override_is_named_in_the_list_not_obeyed():
    assert plain.shown("\u202egnp.exe") == "[RLO]gnp.exe"
    assert plain.shown("Zo\u00eb \u2067x\u2069") == "Zo\u00eb [RLI]x[PDI]"
    assert plain.shown("a\x00b") == "ab"
    assert len(plain.same_length("\u202egnp.exe")) == len("\u202egnp.exe")


def test_the_watch_sees_qt_open_a_file_named_in_markup(qtbot, canary):
    """What the window must never do: a raw title as a tooltip makes Qt read the file."""
    image, watch = canary
    if watch.opened() is None:
        pytest.skip("no inotify here")
    widget = QWidget()
    widget.resize(200, 200)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    QToolTip.showText(widget.mapToGlobal(QPoint(5, 5)), hostile(image, "raw"), widget)
    qtbot.waitUntil(QToolTip.isVisible, timeout=1000)
    paint_tooltip()
    QToolTip.hideText()
    assert watch.opened() is True


def test_an_override_in_a_title_is_named_in_the_list_and_the_document(window):
    from reviewer.domain import ParsedRecord

    (rid,) = window.store.add_records(
        None, [ParsedRecord(title="\u202egnp.exe", text="Invoice \u202egnp.exe attached")]
    )
    window.reload_records()
    window.go_to_record(rid)
    row = window.model.row_of(rid)
    assert window.model.index(row, 0).data() == "[RLO]gnp.exe"  # not what reads "exe.png"
    assert window.document.header.text() == "[RLO]gnp.exe"
    shown = window.document.text.toPlainText()
    assert "\u202e" not in shown and shown == "Invoice \u25c7gnp.exe attached"
