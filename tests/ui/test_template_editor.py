"""The template editor: each change made through template_ops, so each is an event."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from reviewer.store import Store
from reviewer.ui.template_editor import TemplateEditorDialog
from reviewer.ui.template_field_form import key_from_label


@pytest.fixture
def dialog(qtbot, store):
    d = TemplateEditorDialog(store, "ann")
    qtbot.addWidget(d)
    d.show()
    d.confirm = lambda title, text: True
    return d


def template_events(store: Store) -> int:
    return sum(e.kind == "template.set" for e in store.events())


def select(dialog: TemplateEditorDialog, key: str) -> None:
    dialog.fields.setCurrentRow(dialog.keys_shown().index(key))


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_lists_the_template_and_edits_the_current_field(dialog, store):
    assert dialog.keys_shown() == store.template().keys
    select(dialog, "age")
    assert dialog.form.key.text() == "age" and dialog.form.label.text() == "Age"
    assert dialog.form.type.currentText() == "number" and dialog.form.unit.text() == "years"
    assert dialog.form.group.currentData() == "population"
    assert not dialog.form.apply_button.isEnabled()  # nothing changed yet
    assert not dialog.orphan_box.isVisibleTo(dialog)  # no removed field holds values


def test_add_a_field(qtbot, dialog, store):
    before = template_events(store)
    select(dialog, "phase")
    changed = []
    dialog.template_changed.connect(changed.append)
    click(qtbot, dialog.add_button)
    assert dialog.keys_shown()[dialog.fields.currentRow()] == ""  # a blank row, not yet stored
    qtbot.keyClicks(dialog.form.label, "Blinding (masking)")
    assert dialog.form.key.text() == "blinding_masking"  # proposed from the label
    dialog.form.type.setCurrentIndex(dialog.form.type.findText("choice"))
    dialog.form.choices.setPlainText("open\nsingle-blind\n\ndouble-blind\n")
    dialog.form.group.setCurrentIndex(dialog.form.group.findData("design"))
    dialog.form.help.setPlainText("Who knew the assignment?")
    click(qtbot, dialog.form.apply_button)
    spec = store.template().field("blinding_masking")
    assert spec.label == "Blinding (masking)" and spec.type == "choice"
    assert spec.choices == ["open", "single-blind", "double-blind"]
    assert spec.group == "design" and spec.help == "Who knew the assignment?"
    keys = store.template().keys
    assert keys.index("blinding_masking") == keys.index("phase") + 1  # under the current one
    assert template_events(store) == before + 1
    assert [t.keys for t in changed] == [keys]
    assert dialog.current_key() == "blinding_masking"


def test_rename_label_and_key_moves_the_values(qtbot, dialog, store):
    rid = store.record_ids()[0]
    store.set_value(rid, "sample_size", 182, "bob")
    select(dialog, "sample_size")
    dialog.form.label.clear()
    qtbot.keyClicks(dialog.form.label, "Patients randomised")
    dialog.form.key.clear()
    qtbot.keyClicks(dialog.form.key, "n_randomised")
    click(qtbot, dialog.form.apply_button)
    template = store.template()
    assert "sample_size" not in template.keys
    assert template.field("n_randomised").label == "Patients randomised"
    assert store.values(rid)["n_randomised"].value == 182
    kinds = [e.kind for e in store.events()]
    assert kinds[-2:] == ["field.rename", "template.set"]
    assert dialog.current_key() == "n_randomised"


def test_changing_type_unit_and_list_items(qtbot, dialog, store):
    select(dialog, "hazard_ratio")
    assert dialog.form.item_type.isEnabled() and not dialog.form.choices.isEnabled()
    dialog.form.item_type.setCurrentIndex(dialog.form.item_type.findData("number"))
    qtbot.keyClicks(dialog.form.unit, "ratio")
    click(qtbot, dialog.form.apply_button)
    spec = store.template().field("hazard_ratio")
    assert spec.item_type == "number" and spec.unit == "ratio"
    select(dialog, "funding")
    dialog.form.type.setCurrentIndex(dialog.form.type.findText("yes/no"))
    click(qtbot, dialog.form.apply_button)
    assert store.template().field("funding").type == "bool"


def test_reorder_with_buttons_and_by_drag(qtbot, dialog, store):
    before = template_events(store)
    select(dialog, "doi")
    click(qtbot, dialog.up_button)
    keys = store.template().keys
    assert keys.index("doi") == keys.index("year") - 1
    assert dialog.current_key() == "doi"
    click(qtbot, dialog.down_button)
    click(qtbot, dialog.down_button)
    keys = store.template().keys
    assert keys.index("doi") == keys.index("year") + 2
    order = list(keys)
    order.insert(0, order.pop(order.index("funding")))  # as a drag to the top leaves the list
    assert dialog.apply_order(order)
    assert store.template().keys == order
    assert template_events(store) == before + 4
    assert not dialog.apply_order(order[1:])  # not an order of these fields


def test_remove_keeps_values_lists_them_and_deletes_them_on_request(qtbot, dialog, store):
    rid = store.record_ids()[0]
    store.set_value(rid, "funding", "Celgene", "bob")
    select(dialog, "funding")
    click(qtbot, dialog.remove_button)
    assert "funding" not in store.template().keys and "funding" not in dialog.keys_shown()
    assert store.values(rid)["funding"].value == "Celgene"  # kept
    assert "values in 1 record are kept" in dialog.message.text()
    assert dialog.orphans_shown() == ["funding"] and dialog.orphan_box.isVisibleTo(dialog)
    deleted = []
    dialog.values_deleted.connect(lambda key, n: deleted.append((key, n)))
    dialog.confirm = lambda title, text: False  # the reviewer thinks better of it
    click(qtbot, dialog.delete_values_button)
    assert store.values(rid)["funding"].value == "Celgene"
    dialog.confirm = lambda title, text: True
    click(qtbot, dialog.delete_values_button)
    assert "funding" not in store.values(rid)
    assert deleted == [("funding", 1)] and dialog.orphans_shown() == []
    event = store.events(rid)[-1]
    assert event.kind == "value.clear" and event.payload["before"] == "Celgene"


def test_save_and_load_json_round_trip(qtbot, dialog, store, tmp_path):
    path = tmp_path / "mine.json"
    assert dialog.save_to(path)
    saved = json.loads(path.read_text())
    assert [f["key"] for f in saved["fields"]] == store.template().keys
    saved["fields"] = [f for f in saved["fields"] if f["key"] != "funding"]
    saved["fields"].append({"key": "blinding", "label": "Blinding", "type": "bool"})
    other = tmp_path / "other.json"
    other.write_text(json.dumps(saved))
    before = template_events(store)
    assert dialog.load_from(other)
    keys = store.template().keys
    assert keys[-1] == "blinding" and "funding" not in keys
    assert dialog.keys_shown() == keys and template_events(store) == before + 1
    assert dialog.save_to(path) and json.loads(path.read_text())["fields"][-1]["key"] == "blinding"


def test_errors_are_shown_and_nothing_is_written(qtbot, dialog, store, tmp_path):
    before = template_events(store)
    select(dialog, "condition")
    dialog.form.key.setText("Bad Key")
    dialog.form.key.textEdited.emit("Bad Key")
    click(qtbot, dialog.form.apply_button)
    assert "lower-case letters" in dialog.message.text()
    assert "condition" in store.template().keys and template_events(store) == before
    assert dialog.current_key() == "condition"  # still on the field to fix
    select(dialog, "age")  # leaving it tries to apply, fails, and stays
    assert dialog.current_key() == "condition" and "lower-case" in dialog.message.text()
    dialog.form.key.setText("age")
    dialog.form.key.textEdited.emit("age")
    click(qtbot, dialog.form.apply_button)
    assert "already" in dialog.message.text() and template_events(store) == before
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "fields": [{"key": "a", "label": "A", "type": "colour"}]}')
    assert not dialog.load_from(bad)
    assert "should be 'text'" in dialog.message.text() and template_events(store) == before
    assert not dialog.load_from(tmp_path / "missing.json")
    assert "missing.json" in dialog.message.text() and template_events(store) == before


def test_leaving_a_changed_field_applies_it(qtbot, dialog, store):
    select(dialog, "comparator")
    qtbot.keyClicks(dialog.form.unit, "arm")
    select(dialog, "funding")
    assert store.template().field("comparator").unit == "arm"
    assert dialog.current_key() == "funding"


def test_key_from_label():
    assert key_from_label("Median OS (months)") == "median_os_months"
    assert key_from_label("3-year survival") == "f_3_year_survival"


def test_a_new_fields_keywords_are_kept_for_its_suggestions(qtbot, dialog, store):
    click(qtbot, dialog.add_button)
    qtbot.keyClicks(dialog.form.label, "Blinding")
    qtbot.keyClicks(dialog.form.keywords, "masked, sham ,")
    click(qtbot, dialog.form.apply_button)
    assert store.template().field("blinding").keywords == ["masked", "sham"]
    select(dialog, "blinding")
    assert dialog.form.keywords.text() == "masked, sham"
