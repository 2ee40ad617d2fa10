"""Ctrl+Z / Ctrl+Shift+Z undo and redo value edits, accepted suggestions and decisions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from reviewer.domain import Suggestion
from reviewer.suggest import SUGGESTER_VERSION


def ctrl(qtbot, window, key, shift=False):
    mods = Qt.KeyboardModifier.ControlModifier
    if shift:
        mods |= Qt.KeyboardModifier.ShiftModifier
    window.table.setFocus()
    qtbot.keyClick(window.table, key, mods)


def test_undo_and_redo_a_value_edit(qtbot, window):
    rid = window.current_id
    line = window.findChild(QLineEdit, "field_sample_size")
    line.setFocus()
    qtbot.keyClicks(line, "42")
    window.form.editors["sample_size"].save()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "41")
    window.form.editors["sample_size"].save()
    assert window.store.values(rid)["sample_size"].value == 41
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert window.store.values(rid)["sample_size"].value == 42
    assert line.text() == "42"
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert "sample_size" not in window.store.values(rid)
    ctrl(qtbot, window, Qt.Key.Key_Z, shift=True)
    assert window.store.values(rid)["sample_size"].value == 42
    kinds = [e.kind for e in window.store.events(rid)]
    assert kinds == ["value.set", "value.set", "value.undo", "value.undo", "value.redo"]


def test_undo_a_decision_restores_the_previous_one(qtbot, window):
    first = window.current_id
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_I)
    window.select_row(0)
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert window.store.decision(first, "title_abstract", "tester").decision == "exclude"
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert window.store.decision(first, "title_abstract", "tester").decision == "include"
    ctrl(qtbot, window, Qt.Key.Key_Z)
    assert window.store.decision(first, "title_abstract", "tester") is None
    assert window.model.index(0, 2).data() == ""


def test_accept_all_is_one_undo_step(qtbot, window):
    rid = window.current_id
    text = window.store.record(rid).text
    sugs = []
    for field, value, quote in (("age", 62.5, "62.5"), ("year", 2021, "2021")):
        start = text.index(quote)
        sugs.append(
            Suggestion(
                field=field,
                value=value,
                start=start,
                end=start + len(quote),
                quote=quote,
                confidence=0.9,
                suggester="t",
                version=SUGGESTER_VERSION,
            )
        )
    window.store.replace_suggestions(rid, sugs)
    window.show_record(rid)
    window.extraction.accept_all()
    assert {"age", "year"} <= set(window.store.values(rid))
    window.undo()
    assert not {"age", "year"} & set(window.store.values(rid))
    window.redo()
    assert window.store.values(rid)["age"].provenance[0].quote == "62.5"
