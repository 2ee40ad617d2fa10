"""Suggestions in the form: shown apart from values, accepted or rejected with one click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from reviewer.domain import Suggestion
from reviewer.suggest import SUGGESTER_VERSION


def put_suggestions(window, *pairs):
    """Store suggestions for the current record at the first occurrence of each quote."""
    rid = window.current_id
    text = window.store.record(rid).text
    items = []
    for field, value, quote, conf in pairs:
        start = text.index(quote)
        items.append(
            Suggestion(
                field=field,
                value=value,
                start=start,
                end=start + len(quote),
                quote=quote,
                confidence=conf,
                suggester="test",
                version=SUGGESTER_VERSION,
            )
        )
    window.store.replace_suggestions(rid, items)
    window.show_record(rid)
    return rid


def test_suggestion_shown_distinct_and_accepted(qtbot, window):
    rid = put_suggestions(window, ("age", 62.5, "62.5", 0.8), ("year", 2021, "2021", 0.9))
    editor = window.form.editors["age"]
    assert editor.suggestion_row.isVisible()
    assert editor.text() == ""  # a suggestion is not a value
    assert "62.5" in editor.candidates.currentText() and "80%" in editor.candidates.currentText()
    qtbot.mouseClick(editor.accept_button, Qt.MouseButton.LeftButton)
    fv = window.store.values(rid)["age"]
    assert fv.value == 62.5 and fv.provenance[0].quote == "62.5"
    assert window.findChild(QLineEdit, "field_age").text() == "62.5"
    # nothing is offered any more; the row keeps its height until the next record
    assert not editor.candidates.isVisible() and not editor.accept_button.isVisible()


def test_reject_hides_it_for_good(qtbot, window):
    rid = put_suggestions(window, ("age", 62.5, "62.5", 0.8))
    editor = window.form.editors["age"]
    qtbot.mouseClick(editor.reject_button, Qt.MouseButton.LeftButton)
    assert not editor.candidates.isVisible()
    assert "age" not in window.store.values(rid)
    window.move(1)
    window.move(-1)
    assert not window.form.editors["age"].suggestion_row.isVisible()


def test_several_candidates_offer_a_choice(qtbot, window):
    put_suggestions(window, ("sample_size", 42, "42", 0.9), ("sample_size", 41, "41", 0.5))
    editor = window.form.editors["sample_size"]
    assert editor.candidates.count() == 2
    editor.candidates.setCurrentIndex(1)
    qtbot.mouseClick(editor.accept_button, Qt.MouseButton.LeftButton)
    assert window.store.values(window.current_id)["sample_size"].value == 41


def test_accept_all_shortcut(qtbot, window):
    rid = put_suggestions(window, ("age", 62.5, "62.5", 0.8), ("year", 2021, "2021", 0.9))
    window.table.setFocus()
    qtbot.keyClick(
        window,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    values = window.store.values(rid)
    assert values["age"].value == 62.5 and values["year"].value == 2021


def test_focusing_a_field_highlights_its_quote(qtbot, window):
    rid = put_suggestions(window, ("age", 62.5, "62.5", 0.8))
    text = window.store.record(rid).text
    start = text.index("62.5")
    window.findChild(QLineEdit, "field_age").setFocus()
    qtbot.waitUntil(lambda: window.document.highlighted() == [(start, start + 4)])
    cursor = window.document.text.textCursor()
    assert abs(cursor.position() - start) <= 4  # scrolled to it


def test_hazard_ratio_shows_its_interval_and_p_value(qtbot, window):
    rid = window.current_id
    text = window.store.record(rid).text
    start = text.index("60.2")
    detail = {"ci_level": 95.0, "ci_low": 0.48, "ci_high": 0.8, "p_value": "<.001"}
    window.store.replace_suggestions(
        rid,
        [
            Suggestion(
                field="hazard_ratio",
                value=[0.62],
                start=start,
                end=start + 4,
                quote="60.2",
                confidence=0.85,
                suggester="test",
                version=SUGGESTER_VERSION,
                detail=detail,
            )
        ],
    )
    window.show_record(rid)
    shown = window.form.editors["hazard_ratio"].candidates.currentText()
    assert "0.62 (95% CI 0.48–0.8; p<.001)" in shown
