"""The window bugs a reviewer met in a first week on real data (issue 10), each driven
through the real widgets on a copy of the demo review."""

from __future__ import annotations

from PySide6.QtCore import Qt

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
