"""Side-by-side annotation in the window: selection to field, drops, notes, template edits."""

from __future__ import annotations

import json
import re

from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QInputDialog, QLineEdit

from reviewer.annotate import template_ops
from reviewer.ui.mime import SPAN_MIME
from tests.conftest import CORPUS


def span_of(window, words: str) -> tuple[int, int]:
    text = window.store.record(window.current_id).text
    start = text.index(words)
    return start, start + len(words)


def test_selection_sets_a_field_with_provenance_and_highlight(qtbot, window):
    start, end = span_of(window, "42 RRMM patients")
    window.document.set_field_requested.emit("sample_size", start, end, False)
    fv = window.store.values(window.current_id)["sample_size"]
    assert fv.value == 42
    assert (fv.provenance[0].start, fv.provenance[0].end) == (start, end)
    assert window.findChild(QLineEdit, "field_sample_size").text() == "42"
    drawn = [(h.start, h.end, h.kind, h.field) for h in window.document.highlights()]
    assert (start, end, "value", "sample_size") in drawn
    window.undo()
    assert "sample_size" not in window.store.values(window.current_id)


def test_a_selection_that_does_not_fit_shows_why(qtbot, window):
    start, end = span_of(window, "Cleveland Clinic")
    window.document.set_field_requested.emit("sample_size", start, end, False)
    editor = window.form.editors["sample_size"]
    assert editor.error.isVisible() and editor.error.text()
    assert "sample_size" not in window.store.values(window.current_id)


def test_dropping_a_selection_on_a_field(qtbot, window):
    start, end = span_of(window, "62.5")
    mime = QMimeData()
    payload = {"record_id": window.current_id, "start": start, "end": end}
    mime.setData(SPAN_MIME, QByteArray(json.dumps(payload).encode()))
    target = window.findChild(QLineEdit, "field_age")
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.form.editors["age"].eventFilter(target, event)
    fv = window.store.values(window.current_id)["age"]
    assert fv.value == 62.5 and fv.provenance[0].quote == "62.5"


def test_clicking_a_highlight_focuses_its_field(qtbot, window):
    window.document.highlight_clicked.emit("age")
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "field_age").hasFocus())


def test_notes_are_added_listed_and_undone(qtbot, window, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("check the dose", True))
    start, end = span_of(window, "azacitidine")
    window.document.note_requested.emit(start, end)
    notes = [h for h in window.store.highlights(window.current_id) if h.field is None]
    assert [(n.span.quote, n.note) for n in notes] == [("azacitidine", "check the dose")]
    assert any(h.kind == "note" for h in window.document.highlights())
    window.undo()
    assert not window.store.highlights(window.current_id)


def test_template_change_rebuilds_the_form(qtbot, window):
    template_ops.add_field(
        window.store, {"key": "dose_mg", "label": "Dose", "type": "number", "unit": "mg"}, "tester"
    )
    window.extraction.template_changed(window.store.template())
    assert window.findChild(QLineEdit, "field_dose_mg") is not None
    start, end = span_of(window, "40 mg")
    window.document.set_field_requested.emit("dose_mg", start, end, False)
    assert window.store.values(window.current_id)["dose_mg"].value == 40


CORPUS_PDF = CORPUS / "pdf" / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf"


def test_annotating_a_corpus_pdf_keeps_the_page(qtbot, window):
    window.importer.start([str(CORPUS_PDF)])
    rid = max(window.store.record_ids())
    window.go_to_record(rid)
    record = window.store.record(rid)
    assert len(record.page_offsets) > 1
    match = re.search(r"\d[\d,]* (?:women|participants|smokers)", record.text)
    assert match is not None
    window.document.set_field_requested.emit("sample_size", match.start(), match.end(), False)
    fv = window.store.values(rid)["sample_size"]
    span = fv.provenance[0]
    assert record.text[span.start : span.end] == match.group()
    page = sum(1 for off in record.page_offsets if off <= span.start)
    assert span.page == page
    drawn = [(h.start, h.end) for h in window.document.highlights() if h.kind == "value"]
    assert (span.start, span.end) in drawn
