"""The screening widgets on a copy of the demo review: conflicts and their resolution,
statistics, filters, history, review settings, tags, the merge report and keyword
colours. Decisions are made through the core (``screening.decide``) as two
reviewers would; what the widgets write is checked in the store."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from reviewer.review import merge as mg
from reviewer.review import screening, settings
from reviewer.review.audit import history
from reviewer.review.filters import filter_records
from reviewer.review.keywords import compile_terms, keyword_terms
from reviewer.review.tags import add_tag, all_tags, tags
from reviewer.store import Store
from reviewer.ui.conflicts_view import ConflictsView
from reviewer.ui.filter_panel import FilterPanel
from reviewer.ui.history_panel import HistoryPanel
from reviewer.ui.keyword_colours import keyword_background, keyword_colour, keyword_kind
from reviewer.ui.legend import KEYWORD_COLOURS
from reviewer.ui.merge_dialog import MergeReportDialog
from reviewer.ui.review_settings_dialog import ReviewSettingsDialog
from reviewer.ui.stats_panel import MAYBE_NOTE, StatsPanel
from reviewer.ui.tags_editor import TagsEditor

TA, FT = "title_abstract", "full_text"


@pytest.fixture
def disagreeing(store):
    """Ann and Bob disagree on records 1, 2 and 4 at title/abstract, agree on 3 and 5."""
    for rid, ann, bob in (
        (1, "include", "exclude"),
        (2, "exclude", "include"),
        (3, "include", "include"),
        (4, "maybe", "exclude"),
        (5, "exclude", "exclude"),
    ):
        screening.decide(store, rid, ann, "ann", reason=_reason(ann, "wrong population"))
        screening.decide(store, rid, bob, "bob", reason=_reason(bob, "wrong outcomes"))
    return store


def _reason(decision: str, reason: str) -> str:
    return reason if decision == "exclude" else ""


def unblind(store):
    settings.set_blinded(store, False, "lead")


# -- conflicts -------------------------------------------------------------------------------


def test_a_blinded_review_shows_no_conflicts_until_unblinded(qtbot, disagreeing, monkeypatch):
    view = ConflictsView(disagreeing, "cy")
    qtbot.addWidget(view)
    assert settings.is_blinded(disagreeing)  # a review starts blinded
    assert view.pages.currentWidget() is view.blinded_page
    assert view.table.rowCount() == 0 and view.conflicts_shown() == []
    assert "blinded" in view.blinded_message.text()
    assert "conflict" not in view.heading.text().replace("Conflicts at", "")  # no count leaks

    monkeypatch.setattr(view, "confirm_unblind", lambda: False)  # the reviewer says no
    qtbot.mouseClick(view.unblind_button, Qt.MouseButton.LeftButton)
    assert settings.is_blinded(disagreeing)
    assert view.table.rowCount() == 0

    monkeypatch.setattr(view, "confirm_unblind", lambda: True)
    with qtbot.waitSignal(view.blinding_changed) as blinding:
        qtbot.mouseClick(view.unblind_button, Qt.MouseButton.LeftButton)
    assert blinding.args == [False]
    assert not settings.is_blinded(disagreeing)
    assert view.pages.currentWidget() is view.table_page
    assert [c.record_id for c in view.conflicts_shown()] == [1, 2, 4]
    assert view.heading.text() == "3 unresolved conflicts at title/abstract"
    # the unblinding is an event like any other change
    [event] = [e for e in disagreeing.events() if e.kind == "setting.set"]
    assert (event.reviewer, event.payload["after"]) == ("cy", False)


def test_the_table_shows_each_reviewers_decision_and_reason(qtbot, disagreeing):
    unblind(disagreeing)
    view = ConflictsView(disagreeing, "cy")
    qtbot.addWidget(view)
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    assert headers == ["Record", "Title", "ann", "bob"]
    rows = [[view.table.item(r, c).text() for c in (0, 2, 3)] for r in range(view.table.rowCount())]
    assert rows == [
        ["1", "include", "exclude — wrong outcomes"],
        ["2", "exclude — wrong population", "include"],
        ["4", "maybe", "exclude — wrong outcomes"],
    ]
    assert view.table.item(0, 1).text() == disagreeing.record(1).title


def test_resolving_through_the_buttons(qtbot, disagreeing):
    unblind(disagreeing)
    view = ConflictsView(disagreeing, "cy")
    qtbot.addWidget(view)
    assert not view.include_button.isEnabled()  # nothing selected yet

    with qtbot.waitSignal(view.record_activated) as activated:
        view.table.selectRow(0)
    assert activated.args == [1]
    with qtbot.waitSignal(view.resolved) as resolved:
        qtbot.mouseClick(view.include_button, Qt.MouseButton.LeftButton)
    assert resolved.args == [1]
    res = screening.resolution(disagreeing, 1, TA)
    assert (res.decision, res.reason, res.resolver) == ("include", "", "cy")
    assert screening.final_decision(disagreeing, 1, TA) == "include"
    # the resolved record leaves the list and the next one is selected
    assert [c.record_id for c in view.conflicts_shown()] == [2, 4]
    assert view.current_record_id() == 2

    # the excluding reviewer's reason is offered; the resolver picks another and a note
    assert view.reason_combo.currentData() == "wrong population"
    view.reason_combo.setCurrentIndex(view.reason_combo.findData("wrong study design"))
    view.note_edit.setText("an in vitro study")
    qtbot.mouseClick(view.exclude_button, Qt.MouseButton.LeftButton)
    res = screening.resolution(disagreeing, 2, TA)
    assert (res.decision, res.reason, res.note) == (
        "exclude",
        "wrong study design",
        "an in vitro study",
    )
    assert view.heading.text() == "1 unresolved conflict at title/abstract"

    # resolved ones can be shown, and a resolution withdrawn
    view.show_resolved.setChecked(True)
    assert [c.record_id for c in view.conflicts_shown()] == [1, 2, 4]
    assert view.table.item(1, 4).text() == "exclude — wrong study design  (cy)"
    view.select_record(2)
    qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    assert screening.resolution(disagreeing, 2, TA) is None
    assert [e.kind for e in disagreeing.events(2)][-2:] == ["resolution.set", "resolution.clear"]


def test_a_full_text_exclusion_needs_a_reason(qtbot, store):
    unblind(store)
    for reviewer in ("ann", "bob"):
        screening.decide(store, 6, "include", reviewer)
    screening.decide(store, 6, "include", "ann", stage=FT)
    screening.decide(store, 6, "exclude", "bob", stage=FT, reason="wrong outcomes")
    view = ConflictsView(store, "cy", stage=FT)
    qtbot.addWidget(view)
    assert [c.record_id for c in view.conflicts_shown()] == [6]
    view.table.selectRow(0)
    view.reason_combo.setCurrentIndex(0)  # "Choose a reason…"
    assert view.reason_combo.currentText() == "Choose a reason…"
    assert not view.exclude_button.isEnabled()
    assert not view.resolve_current("exclude")  # refused by the core too, and said
    assert "reason is required" in view.message.text()
    assert screening.resolution(store, 6, FT) is None

    view.reason_combo.setCurrentIndex(view.reason_combo.findData("wrong outcomes"))
    assert view.exclude_button.isEnabled()
    qtbot.mouseClick(view.exclude_button, Qt.MouseButton.LeftButton)
    assert screening.final_decision(store, 6, FT) == "exclude"
    assert screening.resolution(store, 6, FT).reason == "wrong outcomes"
    assert view.conflicts_shown() == []
    assert view.heading.text() == "No conflicts at full text"


# -- statistics ------------------------------------------------------------------------------


def test_the_stats_panel_shows_kappa_worked_out_by_hand(qtbot, store):
    # ann by bob, maybe counted as include:
    #   record 1: maybe/include (a), 2: include/include (a), 3: include/exclude (b),
    #   4 and 5: exclude/exclude (d).  a=2 b=1 c=0 d=2, n=5.
    # po = 4/5 = 0.8; p_ann = 3/5, p_bob = 2/5; pe = 0.6*0.4 + 0.4*0.6 = 0.48;
    # kappa = (0.8 - 0.48) / (1 - 0.48) = 0.32 / 0.52 = 0.615...; PABAK = 2*0.8 - 1 = 0.6
    for rid, ann, bob in (
        (1, "maybe", "include"),
        (2, "include", "include"),
        (3, "include", "exclude"),
        (4, "exclude", "exclude"),
        (5, "exclude", "exclude"),
    ):
        screening.decide(store, rid, ann, "ann")
        screening.decide(store, rid, bob, "bob")
    panel = StatsPanel(store)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.maybe_note.text() == MAYBE_NOTE == "“Maybe” is counted as include."
    assert panel.maybe_note.isVisible()

    key = "title_abstract_ann_bob"
    assert panel.value(f"stats_n_{key}") == "5"
    assert panel.value(f"stats_kappa_{key}") == f"{0.32 / 0.52:.2f}" == "0.62"
    assert panel.value(f"stats_percent_{key}") == "80.0 %"
    assert panel.value(f"stats_pabak_{key}") == "0.60"
    cells = {rc: panel.value(f"stats_cell_{key}_{rc}") for rc in ("00", "01", "10", "11", "22")}
    assert cells == {"00": "2", "01": "1", "10": "0", "11": "2", "22": "5"}

    assert "34" in panel.value("stats_title_abstract_records")
    assert panel.value("stats_title_abstract_screened") == "<b>5</b> screened"
    assert panel.value("stats_title_abstract_final_conflict") == "<b>1</b> in conflict"
    assert panel.value("stats_title_abstract_decisions_maybe") == "<b>1</b> maybe"
    assert panel.value("stats_title_abstract_ann_screened") == "5"
    # two records agreed on as include went on to full text, where nobody screened yet
    assert panel.value("stats_full_text_records") == "<b>2</b> at this stage"
    assert panel.value("stats_kappa_full_text_ann_bob") == ""

    # one category only: kappa is undefined and shown as such, PABAK is 1; a hidden
    # panel counts only once it is shown again
    panel.hide()
    screening.decide(store, 1, "include", "ann", stage=FT)
    screening.decide(store, 1, "include", "bob", stage=FT)
    panel.reload()
    assert panel.data["stages"][FT]["screened"] == 0
    panel.show()
    assert panel.data["stages"][FT]["screened"] == 1
    assert panel.value("stats_kappa_full_text_ann_bob") == "—"
    assert panel.value("stats_pabak_full_text_ann_bob") == "1.00"


# -- filters ---------------------------------------------------------------------------------


def test_filter_options_carry_counts_and_emit_the_choice(qtbot, disagreeing):
    add_tag(disagreeing, 1, "RCT", "ann")
    add_tag(disagreeing, 3, "RCT", "ann")
    add_tag(disagreeing, 3, "ask author", "bob")
    panel = FilterPanel()
    qtbot.addWidget(panel)
    seen: list[dict] = []

    def on_change(chosen: dict) -> None:  # what the window does: one call per change
        seen.append(chosen)
        _ids, counts = filter_records(disagreeing, stage=TA, search="", **chosen)
        panel.set_counts(counts)

    panel.filters_changed.connect(on_change)
    _ids, counts = filter_records(disagreeing, stage=TA)
    panel.set_counts(counts)
    assert panel.option_labels("decision") == [
        "any",
        "include (1)",
        "exclude (1)",
        "maybe (1)",
        "undecided (29)",
    ]
    assert panel.option_labels("conflict") == ["any", "in conflict (3)", "not in conflict (31)"]
    assert panel.option_labels("tag") == ["any", "ask author (1)", "RCT (2)"]
    assert panel.option_labels("reviewer") == ["any", "ann (5)", "bob (5)"]
    assert "wrong population (1)" in panel.option_labels("reason")
    assert panel.total.text() == "34 records"

    combo = panel.combos["tag"]
    combo.setCurrentIndex(combo.findData("RCT"))
    assert seen[-1] == {
        "decision": None,
        "conflict": None,
        "reason": None,
        "tag": "RCT",
        "reviewer": None,
        "viewer": None,
    }
    # the other facets are now counted within the tag; the choice is kept
    assert panel.option_labels("conflict") == ["any", "in conflict (1)", "not in conflict (1)"]
    assert combo.currentData() == "RCT"
    assert combo.currentText() == "RCT (2)"
    assert panel.total.text() == "2 records"

    conflict = panel.combos["conflict"]
    conflict.setCurrentIndex(conflict.findData(True))
    assert seen[-1]["conflict"] is True and seen[-1]["tag"] == "RCT"
    ids, _ = filter_records(disagreeing, stage=TA, **seen[-1])
    assert ids == [1]

    panel.clear()
    assert all(v is None for v in seen[-1].values())
    assert not panel.clear_button.isEnabled()


def test_a_blinded_panel_filters_by_the_viewer_only(qtbot, disagreeing):
    panel = FilterPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.filters_changed) as changed:
        panel.set_blinded("ann")
    # ann's point of view, not a filter on the records ann has screened
    assert changed.args[0]["viewer"] == "ann" and changed.args[0]["reviewer"] is None
    ids, counts = filter_records(disagreeing, stage=TA, **panel.filters())
    assert len(ids) == 34
    panel.set_counts(counts)
    assert panel.option_labels("reviewer") == ["any", "ann (5)"]  # bob is not named
    assert panel.option_labels("decision")[1:3] == ["include (2)", "exclude (2)"]  # ann's own
    _choose = panel.combos["reviewer"]
    _choose.setCurrentIndex(_choose.findData("ann"))  # only the records ann has screened
    assert len(filter_records(disagreeing, stage=TA, **panel.filters())[0]) == 5
    panel.clear()
    assert panel.filters()["reviewer"] is None and panel.filters()["viewer"] == "ann"
    panel.set_blinded(None)
    assert panel.filters()["viewer"] is None


def test_a_chosen_option_that_disappears_is_kept_with_zero(qtbot, store):
    add_tag(store, 1, "RCT", "ann")
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_counts(filter_records(store)[1])
    panel.set_filters(tag="RCT")
    store.db.execute("delete from record_tags")  # as if the last one was untagged
    panel.set_counts(filter_records(store, tag="RCT")[1])
    assert panel.combos["tag"].currentText() == "RCT (0)"
    assert panel.filters()["tag"] == "RCT"


# -- history ---------------------------------------------------------------------------------


def test_history_lists_a_records_changes_and_exports_the_log(
    qtbot, store, sync_jobs, tmp_path, monkeypatch
):
    screening.decide(store, 3, "include", "ann")
    screening.decide(store, 3, "exclude", "ann", reason="wrong population")
    add_tag(store, 3, "RCT", "bob")
    store.set_value(3, "sample_size", 120, "bob")
    screening.decide(store, 4, "include", "ann")  # another record: not in this history

    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.reload(store, 3)
    table = panel.table
    assert table.rowCount() == 4 == len(history(store, 3))
    rows = [[table.item(r, c).text() for c in range(1, 4)] for r in range(table.rowCount())]
    assert rows[0] == ["bob", "Sample size: set", "(nothing) → 120"]  # newest first
    assert rows[1] == ["bob", "tagged 'RCT'", ""]
    assert rows[2][0] == "ann"
    assert rows[2][1].startswith("title/abstract: exclude (was include)")
    assert rows[2][2] == "include → exclude"
    assert rows[3] == ["ann", "title/abstract: include", "(nothing) → include"]
    assert table.item(0, 0).text()[:2] == "20"  # a local time, minutes precision
    assert panel.status.text() == "4 changes, newest first"

    panel.reload(store, 5)
    assert table.rowCount() == 0 and panel.status.text() == "No changes to this record yet."

    target = tmp_path / "log"
    monkeypatch.setattr(panel, "ask_export_path", lambda: str(target) + ".csv")
    with qtbot.waitSignal(panel.log_exported) as exported:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert exported.args == [str(target) + ".csv", 5]
    with open(str(target) + ".csv", encoding="utf-8") as fh:
        lines = list(csv.DictReader(fh))
    assert [row["record_id"] for row in lines] == ["3", "3", "3", "3", "4"]
    assert "5 events exported" in panel.status.text()

    panel.export_to(str(target) + ".json")
    data = json.loads((tmp_path / "log.json").read_text(encoding="utf-8"))
    assert len(data) == 5 and data[0]["payload"]["stage"] == TA


# -- review settings ---------------------------------------------------------------------------


def test_the_settings_dialog_saves_reasons_terms_and_blinding(qtbot, store, monkeypatch):
    dialog = ReviewSettingsDialog(store, "ann")
    qtbot.addWidget(dialog)
    assert dialog.reason_list() == list(settings.DEFAULT_EXCLUSION_REASONS)
    assert dialog.blinded.isChecked()

    dialog.reasons.item(0).setText("wrong patients")  # renamed in place
    dialog.reasons.setCurrentRow(5)  # "duplicate"
    dialog.remove_reason()
    dialog.add_reason("conference abstract only")
    dialog.reasons.setCurrentRow(dialog.reasons.count() - 1)
    dialog.move_reason(-1)
    dialog.include_terms.setPlainText("random*\nplacebo\n\n")
    dialog.exclude_terms.setPlainText("rat*\nin vitro")
    dialog.blinded.setChecked(False)
    monkeypatch.setattr(dialog, "confirm_unblind", lambda: True)

    with qtbot.waitSignal(dialog.settings_changed) as changed:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert sorted(changed.args[0]) == ["blinded", "exclusion_reasons", "keyword_terms"]
    assert settings.exclusion_reasons(store) == [
        "wrong patients",
        "wrong intervention",
        "wrong comparator",
        "wrong outcomes",
        "wrong study design",
        "conference abstract only",
        "full text not retrievable",
    ]
    assert keyword_terms(store) == {
        "include": ["random*", "placebo"],
        "exclude": ["rat*", "in vitro"],
    }
    assert not settings.is_blinded(store)
    assert {e.payload["name"] for e in store.events() if e.kind == "setting.set"} == {
        "exclusion_reasons",
        "keyword_terms",
        "blinded",
    }

    # opened again: what was saved; saving unchanged writes nothing
    again = ReviewSettingsDialog(store, "ann")
    qtbot.addWidget(again)
    assert again.reason_list()[0] == "wrong patients"
    assert again.include_terms.toPlainText() == "random*\nplacebo"
    before = len(store.events())
    assert again.save() == []
    assert len(store.events()) == before


def test_the_settings_dialog_refuses_what_cannot_be_saved(qtbot, store, monkeypatch):
    dialog = ReviewSettingsDialog(store, "ann")
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.exclude_terms.setPlainText("rat\n**")
    assert not save.isEnabled()
    assert "'**'" in dialog.error.text()
    dialog.exclude_terms.setPlainText("rat")
    assert save.isEnabled() and dialog.error.text() == ""

    # unblinding asks first; "no" leaves the review blinded and the dialog open
    dialog.blinded.setChecked(False)
    monkeypatch.setattr(dialog, "confirm_unblind", lambda: False)
    dialog.accept()
    assert settings.is_blinded(store)
    assert keyword_terms(store)["exclude"] == []

    dialog.restore_default_reasons()
    while dialog.reasons.count():
        dialog.reasons.setCurrentRow(0)
        dialog.remove_reason()
    assert not save.isEnabled() and "at least one" in dialog.error.text()


# -- tags --------------------------------------------------------------------------------------


def test_tags_are_added_and_removed_as_chips(qtbot, store):
    add_tag(store, 2, "RCT", "bob")
    editor = TagsEditor(store, "ann")
    qtbot.addWidget(editor)
    assert not editor.entry.isEnabled()  # no record yet
    editor.set_record(1)
    assert editor.tags_shown() == []
    assert editor.completions.stringList() == ["RCT"]

    with qtbot.waitSignal(editor.tags_changed) as changed:
        qtbot.keyClicks(editor.entry, "rct")
        qtbot.keyClick(editor.entry, Qt.Key.Key_Return)
    assert changed.args == [1]
    assert tags(store, 1) == ["RCT"]  # the spelling in use, not a second facet
    assert editor.entry.text() == ""
    editor.entry.setText("  ask   author ")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.tags_shown() == ["ask author", "RCT"]
    assert all_tags(store) == {"ask author": 1, "RCT": 2}
    assert set(editor.completions.stringList()) == {"ask author", "RCT"}
    assert not editor.add("RCT")  # already there: nothing written

    with qtbot.waitSignal(editor.tags_changed):
        qtbot.mouseClick(editor.chips["RCT"], Qt.MouseButton.LeftButton)
    assert tags(store, 1) == ["ask author"]
    qtbot.keyClick(editor.entry, Qt.Key.Key_Backspace)  # on an empty entry: the last chip
    assert tags(store, 1) == [] and editor.tags_shown() == []
    assert [e.kind for e in store.events(1)] == ["tag.add", "tag.add", "tag.remove", "tag.remove"]


# -- merge report ------------------------------------------------------------------------------


def test_the_merge_dialog_shows_what_a_merge_did(qtbot, demo_review, tmp_path):
    other = tmp_path / "bob.review"
    shutil.copy(demo_review, other)
    a, b = Store(demo_review), Store(other)
    try:
        screening.decide(a, 2, "include", "ann")
        screening.decide(b, 2, "exclude", "ann", reason="wrong outcomes")  # both sides
        screening.decide(b, 3, "include", "bob")
        screening.decide(b, 4, "exclude", "bob")
        report = mg.merge(a, b.path, "ann")
        assert report.copied == 3 and len(report.conflicts) == 1

        dialog = MergeReportDialog(report, a, "ann")
        qtbot.addWidget(dialog)
        summary = dialog.summary.text()
        assert "<b>3</b> changes brought in" in summary
        assert f"<b>{report.applied}</b> of this review's" in summary
        assert "1 merge conflict</b>" in summary
        assert dialog.table.rowCount() == 1
        cells = [dialog.table.item(0, c).text() for c in range(4)]
        assert cells == [
            "2",
            "ann's title/abstract decision",
            "include",
            "exclude — wrong outcomes",
        ]
        assert dialog.records is None  # every record matched

        with qtbot.waitSignal(dialog.record_activated) as activated:
            dialog.table.itemDoubleClicked.emit(dialog.table.item(0, 1))
        assert activated.args == [2]
        dialog.table.selectRow(0)
        with qtbot.waitSignal(dialog.conflict_settled) as settled:
            qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
        assert settled.args == [report.conflicts[0].id, 2]
        assert a.decision(2, TA, "ann").decision == "exclude"
        assert mg.merge_conflicts(a) == []
        assert not dialog.keep_button.isEnabled()
        assert dialog.table.item(0, 4).text() == "the other copy's taken"

        nothing = MergeReportDialog(mg.merge(a, b.path, "ann"))
        qtbot.addWidget(nothing)
        assert nothing.summary.text().startswith("Nothing new")
        assert nothing.table.rowCount() == 0
    finally:
        a.close()
        b.close()


def test_the_merge_dialog_lists_records_only_in_the_other_copy(qtbot, demo_review, tmp_path):
    from reviewer.domain import ParsedRecord, Source

    other = tmp_path / "bob.review"
    shutil.copy(demo_review, other)
    a, b = Store(demo_review), Store(other)
    try:
        with b.atomic():
            sid = b.add_source(Source(name="late.ris", sha256="d" * 64, size=1, format="ris"))
            (new_id,) = b.add_records(sid, [ParsedRecord(title="A late record")])
        screening.decide(b, new_id, "include", "bob")
        dialog = MergeReportDialog(mg.merge(a, b.path, "ann"))
        qtbot.addWidget(dialog)
        assert "1</b> record only in the other copy" in dialog.summary.text()
        assert f"{new_id}: A late record" in dialog.records.toPlainText()
        assert "1 change to those records left out" in dialog.summary.text()
    finally:
        a.close()
        b.close()


# -- keyword colours ---------------------------------------------------------------------------


def test_keyword_colours_exclusion_wins():
    compiled = compile_terms(["random*", "placebo"], ["rat*", "in vitro"])
    assert keyword_kind("A randomised placebo-controlled trial", compiled) == "include"
    green, red = KEYWORD_COLOURS["keyword_include"], KEYWORD_COLOURS["keyword_exclude"]
    assert keyword_colour("A randomised trial", compiled).name() == green
    assert keyword_colour("A randomised trial in rats", compiled).name() == red
    assert keyword_colour("An in\nvitro study", compiled).name() == red
    assert keyword_colour("Pirates of the trial", compiled) is None  # whole words only
    assert keyword_colour("", compiled) is None
    assert keyword_colour("A randomised trial", []) is None
    tint = keyword_background("A randomised trial", compiled)
    assert tint is not None and 0 < tint.alpha() < 255
