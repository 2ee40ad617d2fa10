"""The document view: marks drawn where they belong, and selections turned into requests."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QToolTip

from reviewer.annotate.notes import add_note
from reviewer.annotate.selection import set_from_selection
from reviewer.domain import ParsedRecord, Source, Suggestion
from reviewer.store import Store
from reviewer.ui.document_view import DocumentView
from reviewer.ui.highlight_items import HighlightItem, items_for_record
from reviewer.ui.legend import GROUP_COLOURS, KEYWORD_COLOURS, NOTE_FILL
from reviewer.ui.mime import SPAN_MIME
from reviewer.ui.plain import as_html

TEXT = (
    "Lenalidomide maintenance after transplant.\n\n"
    "Methods. A total of 1,234 patients were screened and 182 patients were randomised "
    "to lenalidomide or placebo.\n\n"
    "Results. After a median follow-up of 3 years, the median progression-free survival "
    "was 18.6 months with lenalidomide and 12.1 months with placebo. The overall response "
    "rate was 45% with lenalidomide and 30% with placebo.\n"
)
FIELDS = [("sample_size", "Sample size", "population"), ("age", "Age", "population"),
          ("interventions", "Interventions", "intervention")]  # fmt: skip


def at(quote: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(quote, pos + 1)
    return pos, pos + len(quote)


def add_record(store: Store, text: str, title: str = "Trial") -> int:
    with store.atomic():
        sid = store.add_source(Source(name=f"{title}.txt", sha256=title, size=1, format="text"))
        (rid,) = store.add_records(sid, [ParsedRecord(title=title, text=text)])
    return rid


@pytest.fixture
def view(qtbot):
    v = DocumentView()
    qtbot.addWidget(v)
    v.resize(800, 900)
    v.show()
    qtbot.waitExposed(v)
    return v


@pytest.fixture
def shown(view, store):
    """The view showing the trial record, with the template's first fields offered."""
    rid = add_record(store, TEXT)
    view.show_record(store.record(rid), "trial.txt")
    view.set_fields(FIELDS)
    view.record_id = rid
    return view


def char_point(view: DocumentView, offset: int) -> QPoint:
    """The middle of the character at ``offset``, in viewport coordinates."""
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(offset)
    left = view.text.cursorRect(cursor)
    cursor.setPosition(offset + 1)
    right = view.text.cursorRect(cursor)
    return QPoint((left.left() + right.left()) // 2, left.center().y())


def selections(view: DocumentView) -> dict[tuple[int, int], QTextCharFormat]:
    return {
        (s.cursor.selectionStart(), s.cursor.selectionEnd()): QTextCharFormat(s.format)
        for s in view.text.extraSelections()
    }


def test_each_kind_is_drawn_at_its_offsets_in_its_style(shown):
    value, sugg, note = at("182 patients"), at("18.6 months"), at("placebo")
    inc, exc = at("randomised"), at("transplant")
    shown.set_highlights(
        [
            HighlightItem(*value, "value", "sample_size", "population", "Sample size: 182", 0),
            (*sugg, "suggestion", "median_pfs_months", "outcomes", "Suggested", 7),
            (*note, "note", None, "other", "Note by ann: which placebo?", 3),
            (*inc, "keyword_include", None, "other", "Inclusion term"),
            (*exc, "keyword_exclude", None, "other", "Exclusion term"),
        ]
    )
    drawn = shown.drawn()
    for span, kind in ((value, "value"), (sugg, "suggestion"), (note, "note"),
                       (inc, "keyword_include"), (exc, "keyword_exclude")):  # fmt: skip
        assert (*span, kind) in drawn
    # keywords go under notes, notes under suggestions, suggestions under values
    assert [k for _s, _e, k in drawn][2:] == ["note", "suggestion", "value"]
    assert {k for _s, _e, k in drawn[:2]} == {"keyword_include", "keyword_exclude"}
    fmt = selections(shown)
    assert fmt[value].background().color().name() == GROUP_COLOURS["population"]
    assert fmt[sugg].underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert fmt[sugg].background().color().alpha() < 255  # a faint wash, not a fill
    assert fmt[note].background().color().name() == NOTE_FILL
    assert fmt[inc].foreground().color().name() == KEYWORD_COLOURS["keyword_include"]
    assert fmt[exc].foreground().color().name() == KEYWORD_COLOURS["keyword_exclude"]
    # the words under each mark are the ones meant
    for s in shown.text.extraSelections():
        assert s.cursor.selectedText() in {"182 patients", "18.6 months", "placebo",
                                           "randomised", "transplant"}  # fmt: skip


def test_marks_outside_the_text_are_dropped_and_unknown_kinds_refused(shown):
    shown.set_highlights([(5, len(TEXT) + 10, "value", "age", "population", "")])
    assert shown.highlights() == [] and shown.drawn() == []
    with pytest.raises(ValueError, match="no style"):
        shown.set_highlights([(0, 5, "shiny", None, "other", "")])


def test_only_marks_on_screen_are_handed_to_qt_and_scrolling_brings_the_rest(qtbot, view, store):
    paragraphs = [f"Paragraph {i}: the median survival was {i}.5 months." for i in range(2000)]
    text = "\n".join(paragraphs)
    view.show_record(store.record(add_record(store, text, "long")))
    first, last = at("Paragraph 1:", text), at("Paragraph 1999:", text)
    view.set_highlights([(*first, "value", "age", "population", "first"),
                         (*last, "value", "age", "population", "last")])  # fmt: skip
    assert (*first, "value") in view.drawn() and (*last, "value") not in view.drawn()
    view.focus_span(*last)
    assert (*last, "value") in view.drawn() and (*first, "value") not in view.drawn()
    assert (*last, "flash") in view.drawn() and view.flashing() == last
    qtbot.waitUntil(lambda: view.flashing() is None, timeout=3000)
    assert (*last, "flash") not in view.drawn()


def test_text_is_plain_and_offsets_survive_crlf_and_wide_characters(view, store):
    text = "<b>not bold</b>\r\nThe \U0001d6fc level\rwas 𝛽 = 0.62 in 182 patients.\r\n"
    rid = add_record(store, text, "wide")
    view.show_record(store.record(rid))
    assert view.text.toPlainText().startswith("<b>not bold</b>")  # markup is text
    span = at("182 patients", text)
    view.set_highlights([(*span, "value", "sample_size", "population", "Sample size: 182")])
    (sel,) = view.text.extraSelections()
    assert sel.cursor.selectedText() == "182 patients"
    view.select(*span)
    assert view.selection() == span
    assert view.selection_mime().text() == "182 patients"


def test_a_paragraph_with_no_line_break_is_broken_for_display_only(view, store):
    text = ("The median survival was 18.6 months in the lenalidomide arm. " * 800).strip()
    rid = add_record(store, text, "blob")
    view.show_record(store.record(rid))
    doc = view.text.document()
    assert doc.blockCount() > 5  # laid out in pieces, not as one 48,000-character paragraph
    assert doc.characterCount() - 1 == len(text)  # offsets unchanged
    start, end = 1000, 9000
    view.select(start, end)
    assert view.selection_mime().text() == text[start:end]  # the record's own spaces


def test_clicking_a_value_emits_its_field_and_plain_text_emits_nothing(qtbot, shown):
    value, sugg = at("182 patients"), at("18.6 months")
    shown.set_highlights([(*value, "value", "sample_size", "population", "Sample size: 182", 0),
                          (*sugg, "suggestion", "age", "population", "Suggested", 4)])  # fmt: skip
    viewport = shown.text.viewport()
    with qtbot.waitSignal(shown.highlight_clicked, timeout=1000) as got:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=char_point(shown, value[0] + 2))
    assert got.args == ["sample_size"]
    with qtbot.waitSignal(shown.highlight_clicked, timeout=1000) as got:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=char_point(shown, sugg[0] + 1))
    assert got.args == ["age"]
    with qtbot.assertNotEmitted(shown.highlight_clicked, wait=100):
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=char_point(shown, 3))


def test_context_menu_sets_or_adds_to_a_field_or_notes_the_selection(qtbot, shown):
    span = at("182 patients")
    shown.select(*span)
    menu = shown.context_menu(QPoint(1, 1))
    with qtbot.waitSignal(shown.set_field_requested) as got:
        menu.findChild(type(menu.actions()[0]), "set_sample_size").trigger()
    assert got.args == ["sample_size", *span, False]
    with qtbot.waitSignal(shown.set_field_requested) as got:
        menu.findChild(type(menu.actions()[0]), "add_interventions").trigger()
    assert got.args == ["interventions", *span, True]
    with qtbot.waitSignal(shown.note_requested) as got:
        menu.findChild(type(menu.actions()[0]), "menu_add_note").trigger()
    assert got.args == list(span)
    set_menu = menu.findChild(type(menu), "menu_set_field")
    assert [a.text().split("\t") for a in set_menu.actions() if not a.isSeparator()][0] == [
        "Sample size",
        "Ctrl+1",
    ]


def test_without_a_selection_the_menu_offers_nothing_to_set(shown):
    menu = shown.context_menu(QPoint(1, 1))
    assert not menu.findChild(type(menu), "menu_set_field").isEnabled()
    assert not menu.findChild(type(menu.actions()[0]), "menu_add_note").isEnabled()


def test_menu_on_a_mark_removes_that_span_or_deletes_that_note(qtbot, shown):
    value, note = at("182 patients"), at("placebo")
    shown.set_highlights([(*value, "value", "sample_size", "population", "Sample size", 1),
                          (*note, "note", None, "other", "Note", 42)])  # fmt: skip
    action_type = type(shown.context_menu(QPoint(1, 1)).actions()[0])
    menu = shown.context_menu(char_point(shown, value[0] + 1))
    with qtbot.waitSignal(shown.span_remove_requested) as got:
        menu.findChild(action_type, "remove_span_sample_size").trigger()
    assert got.args == ["sample_size", 1]
    menu = shown.context_menu(char_point(shown, note[0] + 1))
    with qtbot.waitSignal(shown.note_delete_requested) as got:
        menu.findChild(action_type, "delete_note").trigger()
    assert got.args == [42]


def test_ctrl_1_sets_the_first_field_from_the_selection(qtbot, shown):
    shown.activateWindow()
    shown.text.setFocus()
    qtbot.waitUntil(shown.text.hasFocus)
    with qtbot.assertNotEmitted(shown.set_field_requested, wait=50):
        qtbot.keyClick(shown.text, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    span = at("1,234 patients")
    shown.select(*span)
    with qtbot.waitSignal(shown.set_field_requested, timeout=1000) as got:
        qtbot.keyClick(shown.text, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert got.args == ["sample_size", *span, False]
    with qtbot.waitSignal(shown.set_field_requested, timeout=1000) as got:
        qtbot.keyClick(shown.text, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert got.args == ["interventions", *span, False]
    with qtbot.assertNotEmitted(shown.set_field_requested, wait=50):  # no tenth field here
        qtbot.keyClick(shown.text, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


def test_dragging_a_selection_carries_the_span(shown):
    span = at("18.6 months")
    shown.select(*span)
    mime = shown.text.createMimeDataFromSelection()
    assert mime.hasFormat(SPAN_MIME)
    payload = json.loads(bytes(mime.data(SPAN_MIME)).decode())
    assert payload == {"record_id": shown.record_id, "start": span[0], "end": span[1]}
    assert mime.text() == "18.6 months"
    assert not mime.hasHtml()  # never rich text
    assert shown.text.isReadOnly() and not shown.text.canInsertFromMimeData(mime)


def test_hovering_a_mark_shows_field_and_value(qtbot, shown):
    value, note = at("182 patients"), at("182")
    shown.set_highlights([(*value, "value", "sample_size", "population", "Sample size: 182", 0),
                          (*note, "note", None, "other", "Note by ann: check", 9)])  # fmt: skip
    assert shown.tooltip_at(value[0]) == "Sample size: 182\nNote by ann: check"
    assert shown.tooltip_at(value[0] + 5) == "Sample size: 182"
    assert shown.tooltip_at(0) == ""
    point = char_point(shown, value[0] + 6)
    viewport = shown.text.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    shown.eventFilter(viewport, event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=1000)
    assert QToolTip.text() == as_html("Sample size: 182")  # shown as text, never markup
    QToolTip.hideText()


def test_highlight_marks_the_focused_fields_words_and_scrolls_there(shown):
    span = at("12.1 months")
    shown.highlight([(*span, "#ffe082")])
    assert shown.highlighted() == [span]
    assert (*span, "focus") in shown.drawn()
    cursor = QTextCursor(shown.text.document())
    cursor.setPosition(span[0])
    assert shown.text.viewport().rect().contains(shown.text.cursorRect(cursor))  # on screen
    shown.highlight([])
    assert shown.highlighted() == []


def test_items_for_record_turns_stored_values_suggestions_and_notes_into_marks(store):
    rid = add_record(store, TEXT)
    set_from_selection(store, rid, "sample_size", *at("182 patients"), "ann")
    set_from_selection(store, rid, "interventions", *at("lenalidomide"), "ann")
    set_from_selection(store, rid, "interventions", *at("placebo"), "ann")
    nid = add_note(store, rid, *at("screened"), "how many eligible?", "bob")
    start, end = at("18.6 months")
    pending = Suggestion(field="median_pfs_months", value=[18.6], start=start, end=end,
                         quote="18.6 months", confidence=0.8, suggester="t", version="1", id=5)  # fmt: skip
    items = items_for_record(store.template(), store.values(rid), [pending], store.highlights(rid))
    by_kind = {(i.kind, i.field, i.ref): i for i in items}
    size = by_kind[("value", "sample_size", 0)]
    assert (size.start, size.end, size.group) == (*at("182 patients"), "population")
    assert size.tooltip == "Sample size: 182"
    assert by_kind[("value", "interventions", 1)].tooltip == "Interventions: lenalidomide; placebo"
    sugg = by_kind[("suggestion", "median_pfs_months", 5)]
    assert sugg.tooltip == "Suggested — Median PFS: 18.6 (80%)" and sugg.group == "outcomes"
    note = by_kind[("note", None, nid)]
    assert note.tooltip == "Note by bob: how many eligible?"


def test_the_legend_lists_keywords_only_while_they_are_shown(shown):
    assert "include term" not in [e[0] for e in shown.legend.entries()]
    shown.set_highlights([(*at("placebo"), "keyword_include", None, "other", "")])
    assert "include term" in [e[0] for e in shown.legend.entries()]
    assert [e[0] for e in shown.legend.entries()][:6] == [
        "Bibliographic", "Design", "Population", "Intervention", "Outcomes", "Other",
    ]  # fmt: skip


def test_showing_another_record_clears_the_marks(shown, store):
    shown.set_highlights([(*at("placebo"), "note", None, "other", "")])
    shown.highlight([(*at("182"), "#ffe082")])
    shown.show_record(store.record(1))
    assert shown.highlights() == [] and shown.highlighted() == [] and shown.drawn() == []
    shown.show_record(None)
    assert shown.text.toPlainText() == "" and shown.selection() is None
