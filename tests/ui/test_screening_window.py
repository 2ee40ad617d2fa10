"""The screening panels inside the window: filters, conflicts, keywords, history, merge."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt

from reviewer.review import keywords, screening, settings
from reviewer.review.operations import Changes
from reviewer.store import Store


def test_filters_narrow_the_list_with_counts(qtbot, window):
    ids = window.model.ids
    for rid in ids[:3]:
        screening.decide(window.store, rid, "exclude", "tester", reason="wrong population")
    window.records.reload()
    assert window.filter_counts["decision"]["exclude"] == 3
    window.records.filters_changed(
        {"decision": "exclude", "conflict": None, "reason": None, "tag": None, "reviewer": None}
    )
    assert window.model.ids == ids[:3]
    assert window.count_label.text().startswith("3 shown")
    window.records.filters_changed({})
    assert window.model.ids == ids


def test_conflicts_are_resolved_from_the_dock(qtbot, window):
    rid = window.model.ids[0]
    screening.decide(window.store, rid, "include", "ann")
    screening.decide(window.store, rid, "exclude", "bob", reason="wrong population")
    settings.set_blinded(window.store, False, "tester")
    window.screening.blinding_changed()
    window.docks["conflicts"].show()
    assert [c.record_id for c in screening.conflicts(window.store, "title_abstract")] == [rid]
    assert window.conflicts_view.select_record(rid)
    assert window.conflicts_view.resolve_current("include")  # an operation, on the writer
    assert screening.final_decision(window.store, rid, "title_abstract") == "include"
    assert window.filter_counts["conflict"]["conflict"] == 0


def test_keywords_colour_the_document_and_the_list(qtbot, window):
    keywords.set_keyword_terms(window.store, ["azacitid*"], ["mouse", "mice"], "tester")
    window.ops.announce(Changes(settings=frozenset(["keyword_terms"])))  # as the dialog does
    kinds = {h.kind for h in window.document.highlights()}
    assert "keyword_include" in kinds
    colour = window.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert colour is not None  # the first title names azacitidine


def test_history_lists_changes_of_the_record(qtbot, window):
    window.docks["history"].show()
    window.table.setFocus()
    rid = window.current_id
    qtbot.keyClick(window.table, Qt.Key.Key_I)
    window.select_row(0)
    assert window.current_id == rid
    table = window.history_panel.table
    cells = [
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c)
    ]
    assert table.rowCount() >= 1
    assert any("include" in c for c in cells) and "tester" in cells


def test_merge_another_copy_from_the_window(qtbot, window, tmp_path):
    other = tmp_path / "other.review"
    window.store.db.execute("pragma wal_checkpoint(full)")
    shutil.copy(window.store.path, other)
    rid = window.model.ids[1]
    with Store(other) as copy:
        screening.decide(copy, rid, "include", "bob")
    window.screening.merge_from(str(other))
    assert window.store.decision(rid, "title_abstract", "bob").decision == "include"
    assert window.merge_dialog is not None
    window.merge_dialog.close()
