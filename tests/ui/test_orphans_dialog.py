"""The orphans dialog: spans lost when a record's text changed, listed for the reviewer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewer.annotate.anchors import dismiss_orphan, reattach_orphan
from reviewer.annotate.notes import add_note
from reviewer.annotate.selection import set_from_selection
from reviewer.annotate.text_replace import replace_record_text
from reviewer.domain import ParsedRecord, Source
from reviewer.store import Store
from reviewer.ui.orphans_dialog import OrphansDialog

OLD = "Methods. In all, 182 patients were randomised to lenalidomide or placebo. Results follow."
NEW = "Methods. The trial is described elsewhere. Results follow, with 180 patients analysed."


def at(quote: str, text: str = OLD) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def store(demo_review):
    s = Store(demo_review)
    with s.atomic():
        sid = s.add_source(Source(name="o.txt", sha256="orphans", size=1, format="text"))
        s.rid, s.other = s.add_records(
            sid, [ParsedRecord(title="Trial", text=OLD), ParsedRecord(title="Other", text=OLD)]
        )
    for rid in (s.rid, s.other):
        set_from_selection(s, rid, "sample_size", *at("182 patients"), "ann")
        add_note(s, rid, *at("lenalidomide or placebo"), "which placebo?", "bob")
        replace_record_text(s, rid, NEW, "ann")
    yield s
    s.close()


@pytest.fixture
def dialog(qtbot, store):
    d = OrphansDialog()
    qtbot.addWidget(d)
    d.show()
    d.reload(store, store.rid)
    return d


def cells(dialog: OrphansDialog, col: int) -> list[str]:
    return [dialog.table.item(r, col).text() for r in range(dialog.table.rowCount())]


def test_lists_the_records_orphans_with_field_and_old_words(dialog, store):
    assert cells(dialog, 1) == ["Sample size", "note"]
    assert cells(dialog, 2) == ["“182 patients”", "“lenalidomide or placebo”"]
    assert cells(dialog, 0) == [f"#{store.rid}"] * 2
    assert dialog.count.text() == "2 orphaned spans on this record"
    assert not dialog.reattach_button.isEnabled()
    dialog.whole_review.setChecked(True)
    assert len(dialog.orphans_shown()) == 4


def test_reattach_and_dismiss_are_requests_for_the_selected_orphan(qtbot, dialog, store):
    size, note = dialog.orphans_shown()
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.reattach_requested) as got:
        qtbot.mouseClick(dialog.reattach_button, Qt.MouseButton.LeftButton)
    assert got.args == [size.id]
    reattach_orphan(store, size.id, *at("180 patients", NEW), "ann")  # as the window would
    dialog.refresh()
    assert [o.id for o in dialog.orphans_shown()] == [note.id]
    assert store.values(store.rid)["sample_size"].provenance[-1].quote == "180 patients"
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.dismiss_requested) as got:
        qtbot.mouseClick(dialog.dismiss_button, Qt.MouseButton.LeftButton)
    assert got.args == [note.id]
    dismiss_orphan(store, note.id, "bob")
    dialog.refresh()
    assert dialog.orphans_shown() == [] and dialog.count.text() == "0 orphaned spans on this record"


def test_double_click_asks_for_the_orphans_record(qtbot, dialog, store):
    dialog.whole_review.setChecked(True)
    row = [o.record_id for o in dialog.orphans_shown()].index(store.other)
    dialog.table.selectRow(row)
    with qtbot.waitSignal(dialog.record_requested) as got:
        dialog.table.itemDoubleClicked.emit(dialog.table.item(row, 2))
    assert got.args == [store.other]
