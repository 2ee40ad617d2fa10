"""Keyboard screening through the stages: reasons, next undecided, progress, full texts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog


def keys(qtbot, window, *pressed):
    window.table.setFocus()
    for k in pressed:
        qtbot.keyClick(window.table, k)


def test_included_records_move_on_to_full_text(qtbot, window):
    total = window.model.rowCount()
    first, second = window.model.ids[:2]
    keys(qtbot, window, Qt.Key.Key_I, Qt.Key.Key_E)
    assert window.progress_label.text().startswith(f"2 of {total} screened")
    window.set_stage("full_text")
    assert window.model.ids == [first]  # only the included record reached full text
    assert window.progress_label.text().startswith("0 of 1 screened")


def test_full_text_exclusion_asks_for_a_reason(qtbot, window, monkeypatch):
    rid = window.current_id
    keys(qtbot, window, Qt.Key.Key_I)
    window.set_stage("full_text")
    asked = []

    def pick(*args, **kwargs):
        asked.append(args[3])  # the review's list of reasons
        return ("wrong outcomes", True)

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    keys(qtbot, window, Qt.Key.Key_E)
    d = window.store.decision(rid, "full_text", "tester")
    assert d.decision == "exclude" and d.reason == "wrong outcomes"
    assert "wrong population" in asked[0]


def test_after_the_reason_the_keys_go_on_to_the_next_record(qtbot, window, monkeypatch):
    first, second = window.model.ids[:2]
    keys(qtbot, window, Qt.Key.Key_I, Qt.Key.Key_I)
    window.set_stage("full_text")
    window.select_row(window.model.row_of(first))

    def pick(*args, **kwargs):
        window.search.setFocus()  # the dialog had the keyboard; it goes elsewhere on close
        return ("wrong outcomes", True)

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert window.store.decision(first, "full_text", "tester").decision == "exclude"
    assert window.current_id == second and window.table.hasFocus()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_I)  # the next key decides the next record
    assert window.store.decision(second, "full_text", "tester").decision == "include"


def test_cancelling_the_reason_records_nothing(qtbot, window, monkeypatch):
    rid = window.current_id
    keys(qtbot, window, Qt.Key.Key_I)
    window.set_stage("full_text")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    keys(qtbot, window, Qt.Key.Key_E)
    assert window.store.decision(rid, "full_text", "tester") is None


def test_reason_chosen_in_the_bar_is_stored(qtbot, window):
    rid = window.current_id
    window.reason_combo.setCurrentIndex(window.reason_combo.findData("wrong study design"))
    keys(qtbot, window, Qt.Key.Key_E)
    assert window.store.decision(rid, "title_abstract", "tester").reason == "wrong study design"
    assert window.reason_combo.currentIndex() == 0  # reset for the next record


def test_next_undecided_skips_decided_records(qtbot, window):
    ids = window.model.ids
    window.select_row(1)
    keys(qtbot, window, Qt.Key.Key_I)  # decide the second record
    window.select_row(0)
    keys(qtbot, window, Qt.Key.Key_I)  # the first: the next undecided is the third
    assert window.current_id == ids[2]


def test_dropping_a_pdf_on_a_record_attaches_its_full_text(qtbot, window, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from tests.ingest.test_document_pdf import make_pdf

    rid = window.current_id
    text = window.store.record(rid).text
    start = text.index("42 RRMM patients")
    window.document.set_field_requested.emit("sample_size", start, start + 16, False)
    pdf = tmp_path / "article.pdf"
    pdf.write_bytes(
        make_pdf(
            [
                [(18, "Azacitidine in myeloma")],
                [
                    (10, "Methods. The trial cohort included 42 RRMM patients"),
                    (10, "who were treated with azacitidine."),
                ],
            ]
        )
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    rect = window.table.visualRect(window.model.index(0, 0))
    point = window.table.viewport().mapTo(window, rect.center())
    window.dropEvent(
        QDropEvent(
            QPointF(point),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    record = window.store.record(rid)
    assert "who were treated with azacitidine" in record.text  # the PDF's text is shown
    assert len(record.page_offsets) == 2
    assert "treated with azacitidine" in window.document.text.toPlainText()
    fv = window.store.values(rid)["sample_size"]
    (span,) = fv.provenance
    assert record.text[span.start : span.end] == "42 RRMM patients"  # found again
    assert span.page == 2
    assert window.store.record_count() == 34  # nothing was imported as a new record
