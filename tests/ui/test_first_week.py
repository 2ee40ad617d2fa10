"""The window bugs a reviewer met in a first week on real data (issue 10), each driven
through the real widgets on a copy of the demo review."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from reviewer.review import screening, settings

TA, FT = "title_abstract", "full_text"


def _choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


# -- bug 2: a blinded reviewer's filters never turn into "records I decided" ------------------


def test_touching_a_filter_keeps_the_undecided_records_while_blinded(qtbot, window):
    assert settings.is_blinded(window.store)
    every = list(window.model.ids)
    for rid in every[:3]:
        screening.decide(window.store, rid, "exclude", "tester", reason="wrong population")
    panel = window.filter_panel
    _choose(panel.combos["decision"], "exclude")
    assert window.model.ids == every[:3]
    _choose(panel.combos["decision"], None)  # back to "any"
    assert window.model.ids == every
    _choose(panel.combos["decision"], "undecided")
    assert window.model.ids == every[3:]  # the ones *I* have not screened
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert window.model.ids == every
    assert window.count_label.text() == f"{len(every)} records at title/abstract"


def test_the_full_text_stage_lists_its_records_after_a_filter_change(qtbot, window):
    ids = list(window.model.ids)
    for rid in ids[:4]:
        screening.decide(window.store, rid, "include", "tester")
    window.set_stage(FT)
    assert window.model.ids == ids[:4]
    _choose(window.filter_panel.combos["decision"], "include")
    _choose(window.filter_panel.combos["decision"], None)
    assert window.model.ids == ids[:4]
    assert "0 shown" not in window.count_label.text()


# -- bug 11: once unblinded the list shows the final decision; Ctrl+Shift+S brings Statistics


def test_after_unblinding_the_list_shows_final_decisions_and_conflicts(qtbot, window):
    ids = window.model.ids
    screening.decide(window.store, ids[0], "include", "tester")
    screening.decide(window.store, ids[0], "exclude", "bob", reason="wrong population")
    screening.decide(window.store, ids[1], "include", "tester")
    screening.decide(window.store, ids[1], "include", "bob")
    screening.decide(window.store, ids[2], "exclude", "bob", reason="wrong population")
    window.records.reload()

    def column(row: int) -> str:
        return window.model.index(row, 2).data()

    assert [column(0), column(1), column(2)] == ["include", "include", ""]  # blinded: mine
    settings.set_blinded(window.store, False, "tester")
    window.screening.blinding_changed()
    assert [column(0), column(1), column(2)] == ["conflict", "include", "exclude"]
    assert "Your decision: include" in window.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)


def test_panel_shortcuts_bring_their_tab_forward(qtbot, window):
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    window.activateWindow()
    qtbot.keyClick(window.table, Qt.Key.Key_C, ctrl_shift)
    assert window.menus.in_front(window.docks["conflicts"])
    qtbot.keyClick(window.table, Qt.Key.Key_S, ctrl_shift)
    assert window.menus.in_front(window.docks["stats"])
    assert not window.menus.in_front(window.docks["conflicts"])
    assert window.docks["conflicts"].isVisible()  # still open, behind its tab
    qtbot.keyClick(window.table, Qt.Key.Key_C, ctrl_shift)
    assert window.menus.in_front(window.docks["conflicts"])
    qtbot.keyClick(window.table, Qt.Key.Key_C, ctrl_shift)  # in front: the key hides it
    assert not window.docks["conflicts"].isVisible()


# -- bug 6: a full-text exclusion reason is shown again when the record is opened again ------


def test_a_full_text_exclusion_reason_is_shown_when_the_record_is_reopened(
    qtbot, window, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    ids = window.model.ids
    for rid in ids[:2]:
        screening.decide(window.store, rid, "include", "tester")
    window.set_stage(FT)
    first = window.current_id
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("wrong study design", True))
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E)
    assert window.store.decision(first, FT, "tester").reason == "wrong study design"
    assert window.current_id != first
    window.go_to_record(first)
    assert window.reason_combo.currentText() == "wrong study design"
    assert "wrong study design" in window.decision_label.text()


# -- bug 8: the History panel shows the current record as soon as it is opened ----------------


def test_the_history_panel_shows_the_current_record_when_opened(qtbot, window):
    rid = window.current_id
    screening.decide(window.store, rid, "include", "tester")
    assert not window.docks["history"].isVisible()
    window.menus.toggle_dock(window.docks["history"])
    assert window.history_panel.record_id == rid
    assert window.history_panel.table.rowCount() >= 1


# -- bug 4: the extraction form fits its panel at every window size ----------------------------


def _form_fits(window) -> None:
    from PySide6.QtCore import QPoint

    form = window.form
    viewport = form.scroll.viewport()
    assert form.scroll.horizontalScrollBar().maximum() == 0
    assert form._body.width() <= viewport.width()
    shown = [e for e in form.editors.values() if e.suggestion_row.isVisible()]
    assert shown, "the record has suggestions to show"
    for editor in shown:
        for button in (editor.accept_button, editor.reject_button):
            right = button.mapTo(viewport, QPoint(button.width(), 0)).x()
            assert right <= viewport.width(), editor.spec.key


def _article(window) -> int:
    """The demo's longest record (an article, with many long suggestions)."""
    return max(window.store.record_ids(), key=lambda r: len(window.store.record(r).text))


import pytest  # noqa: E402


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800), (1600, 1000)])
def test_the_form_fits_its_panel_with_suggestions(qtbot, window, size):
    window.resize(*size)
    window.go_to_record(_article(window))
    qtbot.wait(10)
    _form_fits(window)


def test_accepting_a_suggestion_does_not_move_the_rows_below(qtbot, window):
    from PySide6.QtCore import QPoint

    window.resize(1024, 700)
    window.go_to_record(_article(window))
    qtbot.wait(10)
    editors = [e for e in window.form.editors.values() if e.suggestion_row.isVisible()]
    first, later = editors[0], list(window.form.editors.values())[-1]
    body = window.form._body
    before = later.widget.mapTo(body, QPoint(0, 0)).y()
    qtbot.mouseClick(first.accept_button, Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert window.store.values(window.current_id).get(first.spec.key) is not None
    assert later.widget.mapTo(body, QPoint(0, 0)).y() == before


def test_a_long_suggestion_shows_its_whole_text_in_a_tooltip(qtbot, window):
    window.go_to_record(_article(window))
    editor = next(e for e in window.form.editors.values() if e.suggestion_row.isVisible())
    tip = editor.candidates.toolTip()
    s = editor.current_suggestion()
    assert s is not None and " ".join(s.quote.split()) in " ".join(tip.split())


# -- bug 14: people read labels, never internal names -----------------------------------------


def test_choices_undo_and_history_read_as_labels(qtbot, window):
    from reviewer.review.audit import history

    combo = window.form.editors["study_design"].widget
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Randomized controlled trial" in labels
    assert not any("_" in label for label in labels)
    combo.setCurrentIndex(combo.findText("Randomized controlled trial"))
    combo.activated.emit(combo.currentIndex())  # what a click on the item does
    rid = window.current_id
    assert window.store.values(rid)["study_design"].value == "randomized_controlled_trial"
    window.undo()
    message = window.statusBar().currentMessage()
    assert message == "Undid set Study design", message
    rows = history(window.store, rid)
    assert rows[0].summary == "Study design: set"
    assert rows[0].after == "Randomized controlled trial"
    window.go_to_record(rid)  # the stored code is shown by its label again
    window.redo()
    assert window.form.editors["study_design"].widget.currentText() == "Randomized controlled trial"


def test_suggested_choices_read_as_labels(qtbot, window):
    window.go_to_record(_article(window))
    editor = window.form.editors["study_design"]
    assert editor.suggestion_row.isVisible()
    assert "_" not in editor.candidates.currentText().split("(")[0]


# -- bug 13: the keyboard -----------------------------------------------------------------------


def test_tab_leaves_the_record_list_without_changing_record(qtbot, window):
    window.activateWindow()
    window.table.setFocus()
    first = window.current_id
    qtbot.keyClick(window.table, Qt.Key.Key_Tab)
    assert window.current_id == first
    assert not window.table.hasFocus()


def test_sending_a_selection_to_a_field_does_not_move_the_document(qtbot, window):
    rid = _article(window)
    window.go_to_record(rid)
    view = window.document.text
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(10)
    # words on screen, a little below the top of the view
    cursor = view.cursorForPosition(view.viewport().rect().topLeft() + QPoint(5, 40))
    start = window.document._offsets.to_py(cursor.position())
    text = window.store.record(rid).text
    end = text.find(" ", start + 3)
    window.document.select(start, end)
    before = bar.value()
    window.extraction.set_field_from_text("condition", start, end)
    qtbot.wait(10)
    assert window.store.values(rid)["condition"].provenance[0].start == start
    assert bar.value() == before


def test_a_field_whose_words_are_off_screen_still_brings_them_into_view(qtbot, window):
    rid = _article(window)
    window.go_to_record(rid)
    view = window.document.text
    view.verticalScrollBar().setValue(0)
    text = window.store.record(rid).text
    start = len(text) - 40
    window.document.highlight([(start, start + 10, "#ffe082")])
    cursor = view.textCursor()
    assert view.viewport().rect().contains(view.cursorRect(cursor))
    assert view.verticalScrollBar().value() > 0


# -- bug 10: a folder of full texts says, for each file that matched nothing, what was tried --


def test_the_full_text_report_says_what_was_tried(qtbot, window, tmp_path, monkeypatch):
    import shutil

    from PySide6.QtWidgets import QMessageBox

    from tests.conftest import CORPUS

    folder = tmp_path / "pdfs"
    folder.mkdir()
    shutil.copy(CORPUS / "pdf" / "clinical_oa" / "Ussher2015_BMJ_RCT_smoking_pregnancy.pdf", folder)
    shutil.copy(CORPUS / "pdf" / "edge_cases" / "minimal-highlight-with-note.pdf", folder)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    window.screening.import_fulltext_folder(str(folder))
    (report,) = shown
    assert "0 PDFs attached" in report and "2 PDFs matched no record" in report
    assert "DOI 10.1136/bmj.h2145 found in the PDF, but no record has it" in report
    assert "no DOI found in the PDF" in report
    assert "most similar title is" in report


# -- bug 7: an export that selects nothing says so, and why ------------------------------------


def test_an_empty_export_from_the_window_says_0_records_and_why(
    qtbot, window, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    out = tmp_path / "included.csv"
    window.exporter.start(str(out), "csv", table="extraction", stage=None, decision=None)
    assert out.exists()
    (message,) = warned
    assert "0 records: nothing is included at the last stage" in message
    assert "0 records" in window.exporter.last_message


# -- bug 9: File → Save a copy for another reviewer ---------------------------------------------


def test_save_a_copy_for_another_reviewer(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from reviewer.store import Store

    rid = window.current_id
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_I)  # the latest work, still in the -wal
    dest = tmp_path / "copies" / "demo-Bob.review"
    dest.parent.mkdir()
    offered = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Bob", True))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[1:]))

    def save(parent, title, start, filters):
        offered.append(start)
        return (str(dest), filters) if not dest.exists() else ("", "")  # then: Cancel

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    window.files.save_copy()
    assert offered[0].endswith("demo-Bob.review")
    assert sorted(p.name for p in dest.parent.iterdir()) == ["demo-Bob.review"]
    with Store(dest) as copy:
        assert copy.decision(rid, "title_abstract", "tester").decision == "include"
        assert copy.name == "Lenalidomide demo review — Bob's copy"
    # told apart in Recent reviews (this review stays first: it opens next time)
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts[0].startswith("Lenalidomide demo review  —  ")
    assert texts[1].startswith("Lenalidomide demo review — Bob's copy  —  ")
    # ... and in the window title
    window.switch_review(str(dest))
    assert (
        window.windowTitle() == "Lenalidomide demo review — Bob's copy (demo-Bob.review) — Reviewer"
    )
    # the next save dialog opens in the folder used last for copies
    offered.clear()
    window.files.save_copy()
    assert offered[0].startswith(str(dest.parent))
    assert warned == []


# -- bug 3: a merged duplicate shows its abstract, where it came from, and each original ------


def test_a_merged_record_shows_its_abstract_sources_and_originals(qtbot, tmp_path, sync_jobs):
    from reviewer.ingest import import_paths
    from reviewer.review.project import create_review
    from reviewer.store import duplicates as dup
    from reviewer.ui.main_window import MainWindow
    from tests.conftest import DATA

    exports = DATA / "search_exports" / "dimitrov_snhl"
    store = create_review(tmp_path / "snhl.review")
    import_paths(store, [exports / n for n in ("medline.csv", "embase.csv", "scopus.csv")])
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    kept = store.record(dup.merged_ids(store)[0]).duplicate_of
    window.go_to_record(kept)
    abstract = store.record(kept).abstract
    assert abstract and abstract.strip()[:80] in window.document.text.toPlainText()
    assert window.document.sources_row.isVisible()
    assert window.document.sources.text().startswith(
        "Merged from 3 records: medline.csv · embase.csv · scopus.csv"
    )
    qtbot.mouseClick(window.document.originals_button, Qt.MouseButton.LeftButton)
    texts = window.dialogs.originals_dialog.texts()
    assert len(texts) == 3
    assert "(no abstract in this source)" in texts[0]  # PubMed's CSV
    assert abstract.strip()[:80] in "\n".join(texts[1:])
    window.dialogs.originals_dialog.close()
    window.close()
    store.close()


# -- friction: PRISMA sources are named by the reviewer, once -----------------------------------


def test_sources_are_named_once_in_a_dialog(qtbot, window):
    window.dialogs.show_sources()
    dialog = window.dialogs.sources_dialog
    first = window.store.sources()[0]
    edit = dialog.editors[first.id]
    edit.setText("Reference list of the guideline")
    edit.editingFinished.emit()
    assert window.store.sources()[0].label == "Reference list of the guideline"
    window.go_to_record(window.model.ids[0])
    record = window.store.record(window.current_id)
    if record.source_id == first.id:
        assert "from Reference list of the guideline" in window.document.meta.text()
    dialog.close()


# -- friction: Help lists the keyboard shortcuts and says the version ---------------------------


def test_help_lists_the_shortcuts_and_the_version(qtbot, window):
    import reviewer
    from reviewer.ui.about import about_details

    window.findChild(QAction, "help_shortcuts").trigger()
    rows = window.dialogs.shortcuts_dialog.rows
    keys = {(what, keys) for _where, what, keys in rows}
    assert ("Statistics panel", "Ctrl+Shift+S") in keys
    assert ("Save a copy for another reviewer…", "") not in keys  # only what has keys
    assert any(k == "I or 1" for _w, k in keys)
    assert any(what == "Export…" and k == "Ctrl+E" for what, k in keys)
    assert window.dialogs.shortcuts_dialog.table.rowCount() == len(rows)
    assert reviewer.__version__ in about_details()  # Help → About (issue 19's box)
    window.dialogs.shortcuts_dialog.close()


# -- friction: empty states, and nothing offered that cannot be done ----------------------------


def test_a_new_review_says_what_to_do_and_offers_nothing_it_cannot_do(qtbot, tmp_path, sync_jobs):
    from reviewer.review.project import create_review
    from reviewer.ui.main_window import MainWindow

    store = create_review(tmp_path / "new.review")
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    assert window.middle_pages.currentWidget() is window.empty_state
    assert window.empty_state.title.text() == "This review has no records yet"
    assert "drop files and folders" in window.empty_state.body.text()
    assert [b.text() for b in window.empty_state.actions] == ["Import files…", "Import folder…"]
    assert not any(b.isEnabled() for b in window.buttons.values())
    assert not window.findChild(QAction, "menu_include").isEnabled()
    assert not any(e.widget.isEnabled() for e in window.form.editors.values())
    assert window.decision_label.text() == ""
    window.close()
    store.close()


def test_filters_that_leave_nothing_say_so_and_clear_in_one_click(qtbot, window):
    window.search.setText("zzzzqqqq")
    window.records.apply_search()
    assert window.model.rowCount() == 0
    assert window.empty_state.title.text() == "No record matches the filters"
    assert not any(e.suggestion_row.isVisible() for e in window.form.editors.values())
    qtbot.mouseClick(window.empty_state.actions[0], Qt.MouseButton.LeftButton)
    window.records.apply_search()
    assert window.model.rowCount() == 34
    assert window.middle_pages.currentWidget() is window.document


def test_counts_are_worded_for_people(qtbot, window):
    from reviewer.ui.filter_panel import FilterPanel

    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_counts({"total": 1})
    assert panel.total.text() == "1 record"
    panel.set_counts({"total": 1453})
    assert panel.total.text() == "1,453 records"
    assert not window.filter_panel.total.isVisibleTo(window)  # one count under the list
    assert window.count_label.text() == "34 records at title/abstract"


def test_kappa_is_interpreted(qtbot, window):
    from reviewer.review.agreement import kappa_words

    ids = window.model.ids
    for i, rid in enumerate(ids[:10]):
        screening.decide(window.store, rid, "include" if i < 5 else "exclude", "tester",
                         reason="" if i < 5 else "wrong population")  # fmt: skip
        screening.decide(window.store, rid, "include" if i < 6 else "exclude", "bob",
                         reason="" if i < 6 else "wrong population")  # fmt: skip
    window.menus.toggle_dock(window.docks["stats"])
    label = window.stats_panel.content.findChild(
        QLabel, "stats_kappa_words_title_abstract_bob_tester"
    )
    assert label is not None and label.text() == "substantial agreement (Landis & Koch)"
    assert kappa_words(0.8) == "substantial" and kappa_words(0.81) == "almost perfect"


# -- friction: the export dialog remembers its choices -----------------------------------------


def test_the_export_dialog_offers_the_last_choices_again(qtbot, window):
    from reviewer.ui.export_dialog import ExportDialog

    first = ExportDialog(window)
    qtbot.addWidget(first)
    first.fmt.setCurrentIndex(first.fmt.findData("csv"))
    first.decision.setCurrentIndex(first.decision.findData("any"))
    first.bom.setChecked(True)
    first.accept()
    again = ExportDialog(window)
    qtbot.addWidget(again)
    options = again.options()
    assert (options["fmt"], options["decision"], options["bom"]) == ("csv", "any", True)


def test_a_first_start_fits_the_screen_and_gives_the_list_its_share(qtbot, demo_review):
    """With no saved window state the window fits the screen it opens on (a 1024 x 700
    laptop must not lose the form and status bar off its edge), and the list gets its
    share of the width, not what the document leaves over."""
    from reviewer.store import Store
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.review_files import settings

    s = settings()
    s.remove("window/geometry")
    s.remove("window/splitter")
    w = MainWindow(Store(demo_review))
    qtbot.addWidget(w)
    room = w.screen().availableGeometry()
    assert w.width() <= room.width() and w.height() <= room.height()
    w.show()
    qtbot.waitExposed(w)
    list_width = w.splitter.sizes()[0]
    assert list_width >= w.splitter.width() * 0.25, w.splitter.sizes()
    w.close()
    w.store.close()
