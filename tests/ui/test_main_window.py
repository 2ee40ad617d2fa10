"""The main window driven like a reviewer drives it: select, edit, switch, reopen, decide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from reviewer.store import Store
from reviewer.ui.main_window import MainWindow


def field(window: MainWindow, key: str) -> QLineEdit:
    return window.findChild(QLineEdit, f"field_{key}")


def type_into(qtbot, widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_window_shows_the_review(window):
    assert window.store.name in window.windowTitle()
    assert window.model.rowCount() == window.store.record_count() > 0
    assert window.current_id == window.model.id_at(0)
    record = window.store.record(window.current_id)
    # QTextDocument.toPlainText shows no-break spaces as spaces; offsets stay one to one
    assert window.document.text.toPlainText() == record.text.replace("\xa0", " ")
    assert set(window.form.editors) == set(window.store.template().keys)


def test_document_text_is_never_rich_text(qtbot, window, tmp_path):
    hostile = tmp_path / "hostile.html.txt"
    hostile.write_text(
        "<b>Bold?</b> <img src='http://example.invalid/x.png'> "
        "<a href='file:///etc/passwd'>link</a>\n",
        encoding="utf-8",
    )
    window.importer.start([str(hostile)])
    window.search.setText("bold")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.select_row(0)
    shown = window.document.text.toPlainText()
    assert "<b>Bold?</b>" in shown and "<img src=" in shown  # shown literally, not rendered


def test_edit_switch_reopen_keeps_the_value(qtbot, window, demo_review):
    first = window.current_id
    type_into(qtbot, field(window, "sample_size"), "182")
    type_into(qtbot, field(window, "interventions"), "lenalidomide; dexamethasone")
    window.move(1)  # switching records saves what was typed
    assert window.current_id != first
    assert field(window, "sample_size").text() == ""
    window.move(-1)
    assert field(window, "sample_size").text() == "182"
    window.close()
    window.store.close()

    with Store(demo_review) as store:
        values = store.values(first)
        assert values["sample_size"].value == 182
        assert values["interventions"].value == ["lenalidomide", "dexamethasone"]
        assert values["sample_size"].reviewer == "tester"
        again = MainWindow(store)
        qtbot.addWidget(again)
        assert again.current_id == first
        assert again.findChild(QLineEdit, "field_sample_size").text() == "182"
        again.close()


def test_typing_is_saved_without_leaving_the_field(qtbot, window, demo_review):
    """Killing the app right after typing loses nothing: the value is saved after a pause."""
    type_into(qtbot, field(window, "age"), "62.5")
    rid = window.current_id

    def stored() -> bool:
        with Store(demo_review) as other:  # a second connection, as after a restart
            v = other.values(rid).get("age")
            return v is not None and v.value == 62.5

    qtbot.waitUntil(stored, timeout=3000)


def test_invalid_value_shows_error_beside_field_and_is_not_saved(qtbot, window):
    editor = window.form.editors["sample_size"]
    type_into(qtbot, field(window, "sample_size"), "forty")
    editor.save()
    assert editor.error.isVisible()
    assert "whole number" in editor.error.text()
    assert "sample_size" not in window.store.values(window.current_id)
    type_into(qtbot, field(window, "sample_size"), "40")
    editor.save()
    assert not editor.error.isVisible()
    assert window.store.values(window.current_id)["sample_size"].value == 40


def test_choice_field(qtbot, window):
    combo = window.findChild(QComboBox, "field_study_design")
    combo.setCurrentIndex(combo.findText("Cohort"))
    combo.activated.emit(combo.currentIndex())
    assert window.store.values(window.current_id)["study_design"].value == "cohort"


def test_decision_by_keyboard(qtbot, window):
    window.table.setFocus()
    first = window.current_id
    qtbot.keyClick(window.table, Qt.Key.Key_I)
    assert window.store.decision(first, "title_abstract", "tester").decision == "include"
    second = window.current_id
    assert second != first  # the next record opens
    qtbot.keyClick(window.table, Qt.Key.Key_2)
    assert window.store.decision(second, "title_abstract", "tester").decision == "exclude"
    qtbot.keyClick(window.table, Qt.Key.Key_K)
    assert window.current_id == second
    qtbot.keyClick(window.table, Qt.Key.Key_M)
    assert window.store.decision(second, "title_abstract", "tester").decision == "maybe"
    assert window.model.index(0, 2).data() == "include"
    total = window.store.record_count()
    assert window.progress_label.text().startswith(f"2 of {total} screened")


def test_typing_letters_in_the_form_records_no_decision(qtbot, window):
    rid = window.current_id
    type_into(qtbot, field(window, "condition"), "mie")
    assert window.store.decision(rid, "title_abstract", "tester") is None
    assert field(window, "condition").text() == "mie"


def test_decision_buttons(qtbot, window):
    rid = window.current_id
    qtbot.mouseClick(window.buttons["exclude"], Qt.MouseButton.LeftButton)
    assert window.store.decision(rid, "title_abstract", "tester").decision == "exclude"


def test_search_filters_the_list(qtbot, window):
    total = window.model.rowCount()
    window.search.setText("azacitidine")
    qtbot.waitUntil(lambda: window.model.rowCount() < total)
    ids = set(window.model.ids)
    assert ids == set(window.store.record_ids("azacitidine"))
    for rid in ids:
        rec = window.store.record(rid)
        assert "azacitidine" in (rec.title + rec.text).lower()
    window.search.setText("")
    qtbot.waitUntil(lambda: window.model.rowCount() == total)
    window.search.setText("zzzznotaword")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert window.current_id is None
    assert not window.form.editors["title"].widget.isEnabled()


def test_geometry_and_splitter_are_remembered(qtbot, window, demo_review):
    size = (max(700, window.minimumSizeHint().width() + 4), 560)  # within the 800x600 screen
    window.resize(*size)
    window.splitter.setSizes([200, 300, 250])
    sizes = window.splitter.sizes()
    window.close()
    again = MainWindow(Store(demo_review))
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == size
    assert again.splitter.sizes() == sizes
    again.close()
    again.store.close()


def test_import_in_background_with_report(qtbot, window, tmp_path):
    before = window.store.record_count()
    a = tmp_path / "a.txt"
    a.write_text("First extra article\nbody\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    window.importer.start([str(a), str(empty)])
    report = window.importer.last_report
    assert report is not None and report.added == 1
    assert window.store.record_count() == before + 1
    assert window.model.rowCount() == before + 1
    dialog = window.importer.report_dialog
    assert dialog.table.rowCount() == 2
    assert "empty.txt: the file is empty" in dialog.messages.toPlainText()


def test_new_and_recent_reviews(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "fresh.review"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    old = window.store.path
    window.files.new_review()
    assert window.store.path == target
    assert window.model.rowCount() == 0
    assert "fresh" in window.windowTitle()
    paths = [a.data() for a in window.recent_menu.actions()]
    assert paths[:2] == [str(target), str(old)]
    titles = [a.text() for a in window.recent_menu.actions()]
    assert titles[0].startswith("fresh  —  ") and titles[1].startswith("Lenalidomide demo review")
    window.recent_menu.actions()[1].trigger()
    assert window.store.path == old
