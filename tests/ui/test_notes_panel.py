"""The notes panel: notes listed per record or for the review, searched, and acted on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reviewer.annotate.notes import add_note, delete_note, edit_note
from reviewer.domain import ParsedRecord, Source
from reviewer.store import Store
from reviewer.ui.notes_panel import NotesPanel

TEXT = "In 182 patients the median progression-free survival was 18.6 months with placebo."


def at(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


@pytest.fixture
def store(demo_review):
    s = Store(demo_review)
    with s.atomic():
        sid = s.add_source(Source(name="n.txt", sha256="notes", size=1, format="text"))
        s.rids = s.add_records(
            sid,
            [ParsedRecord(title="First trial", text=TEXT), ParsedRecord(title="Second", text=TEXT)],
        )
    yield s
    s.close()


@pytest.fixture
def panel(qtbot):
    p = NotesPanel()
    qtbot.addWidget(p)
    p.resize(360, 500)
    p.show()
    return p


def comments(panel: NotesPanel) -> list[str]:
    return [n.note for n in panel.notes_shown()]


def test_lists_the_records_notes_in_text_order_with_quote_reviewer_and_time(panel, store):
    first, second = store.rids
    add_note(store, first, *at("placebo"), "Which placebo?", "bob")
    add_note(store, first, *at("182 patients"), "randomised or screened?", "ann")
    add_note(store, second, *at("18.6 months"), "other record", "ann")
    panel.reload(store, first)
    assert comments(panel) == ["randomised or screened?", "Which placebo?"]
    text = panel.list.item(0).text().splitlines()
    assert text[0] == "“182 patients”" and text[1] == "randomised or screened?"
    assert text[2].startswith("ann · 20")
    assert panel.count.text() == "2 notes on this record"


def test_whole_review_toggle_and_search(qtbot, panel, store):
    first, second = store.rids
    add_note(store, first, *at("placebo"), "Which placebo?", "bob")
    add_note(store, second, *at("18.6 months"), "check the supplement", "ann")
    panel.reload(store, first)
    panel.whole_review.setChecked(True)
    assert comments(panel) == ["Which placebo?", "check the supplement"]
    assert panel.list.item(1).text().startswith(f"#{second} Second")
    panel.search.setText("SUPPLEMENT")
    qtbot.waitUntil(lambda: comments(panel) == ["check the supplement"])
    assert "matching “SUPPLEMENT”" in panel.count.text()
    panel.search.setText("18.6")  # the words noted are searched too
    qtbot.waitUntil(lambda: comments(panel) == ["check the supplement"])
    panel.search.setText("")
    panel.whole_review.setChecked(False)
    qtbot.waitUntil(lambda: comments(panel) == ["Which placebo?"])


def test_clicking_a_note_asks_to_show_its_words(qtbot, panel, store):
    first, _ = store.rids
    add_note(store, first, *at("placebo"), "Which placebo?", "bob")
    panel.reload(store, first)
    rect = panel.list.visualItemRect(panel.list.item(0))
    with qtbot.waitSignal(panel.note_activated) as got:
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert got.args == [first, *at("placebo")]


def test_edit_and_delete_are_requests_the_window_carries_out(qtbot, panel, store, monkeypatch):
    first, _ = store.rids
    nid = add_note(store, first, *at("placebo"), "Which placebo?", "bob")
    panel.reload(store, first)
    assert not panel.edit_button.isEnabled()
    assert panel.select_note(nid) and panel.edit_button.isEnabled()
    monkeypatch.setattr(panel, "ask_comment", lambda current: current + " Matching.")
    with qtbot.waitSignal(panel.note_edit_requested) as got:
        qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert got.args == [nid, "Which placebo? Matching."]
    assert store.highlight(nid).note == "Which placebo?"  # the panel writes nothing itself
    edit_note(store, nid, got.args[1], "bob")  # as the window would
    panel.refresh()
    assert comments(panel) == ["Which placebo? Matching."]
    assert panel.current_note_id() == nid  # the selection survives a refresh
    monkeypatch.setattr(panel, "ask_comment", lambda current: None)  # cancelled
    with qtbot.assertNotEmitted(panel.note_edit_requested, wait=50):
        panel.edit_current()
    with qtbot.waitSignal(panel.note_delete_requested) as got:
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert got.args == [nid]
    delete_note(store, nid, "bob")
    panel.refresh()
    assert comments(panel) == [] and panel.count.text() == "0 notes on this record"


def test_no_review_or_no_record_lists_nothing(panel, store):
    panel.reload(None, None)
    assert comments(panel) == []
    panel.reload(store, None)
    assert comments(panel) == []
