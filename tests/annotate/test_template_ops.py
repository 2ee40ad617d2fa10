"""Editing the review's template: every change an event, no value lost by removing a field."""

from __future__ import annotations

import json

import pytest

from reviewer.annotate import template_ops as ops
from reviewer.domain import FieldSpec
from tests.consistency import assert_consistent


def test_add_field_at_a_position(store):
    spec = {"key": "blinding", "label": "Blinding", "type": "bool", "help": "double-blind?"}
    template = ops.add_field(store, spec, "alice", position=0)
    assert template.keys[0] == "blinding" and store.template().keys[0] == "blinding"
    assert store.template().field("blinding").type == "bool"
    assert store.events()[-1].kind == "template.set"
    with pytest.raises(ValueError, match="already"):
        ops.add_field(store, FieldSpec(key="blinding", label="B", type="text"), "alice")
    with pytest.raises(ValueError, match="lower-case"):
        ops.add_field(store, {"key": "Bad Key", "label": "x", "type": "text"}, "alice")


def test_update_move_and_relabel(store):
    ops.update_field(store, "condition", "a", type="choice", choices=["myeloma", "lymphoma"])
    assert store.template().field("condition").choices == ["myeloma", "lymphoma"]
    ops.move_field(store, "condition", 0, "a")
    assert store.template().keys[0] == "condition"
    ops.move_field(store, "condition", 999, "a")
    assert store.template().keys[-1] == "condition"
    ops.rename_field(store, "condition", "a", label="Disease")
    assert store.template().field("condition").label == "Disease"
    with pytest.raises(ValueError, match="rename_field"):
        ops.update_field(store, "condition", "a", key="disease")
    with pytest.raises(KeyError):
        ops.move_field(store, "nope", 0, "a")


def test_rename_key_moves_values_in_the_same_transaction(store):
    store.set_value(store.rid, "sample_size", 182, "alice")
    ops.rename_field(store, "sample_size", "bob", new_key="n_randomised", label="Randomised")
    assert "sample_size" not in store.template().keys
    fv = store.values(store.rid)["n_randomised"]
    assert fv.value == 182 and fv.reviewer == "alice"
    kinds = [e.kind for e in store.events()]
    assert kinds[-2:] == ["field.rename", "template.set"]
    assert store.events()[-2].payload["values"] == 1
    assert_consistent(store)  # the rename is the event's: a rebuild moves the values too
    with pytest.raises(ValueError, match="already"):
        ops.rename_field(store, "n_randomised", "bob", new_key="age")


def test_removed_field_keeps_values_until_deleted(store):
    store.set_value(store.rid, "funding", "Celgene", "alice")
    ops.remove_field(store, "funding", "bob")
    assert "funding" not in store.template().keys
    assert store.values(store.rid)["funding"].value == "Celgene"
    assert ops.orphan_fields(store) == {"funding": 1}
    # its key cannot be taken by a rename while its values are kept...
    with pytest.raises(ValueError, match="still kept"):
        ops.rename_field(store, "comparator", "bob", new_key="funding")
    # ...and a field in the template cannot have its values deleted this way
    with pytest.raises(ValueError, match="remove the field first"):
        ops.delete_values_of_removed_field(store, "comparator", "bob")
    assert ops.delete_values_of_removed_field(store, "funding", "bob") == 1
    assert ops.orphan_fields(store) == {} and "funding" not in store.values(store.rid)
    event = store.events(store.rid)[-1]
    assert event.kind == "value.clear" and event.payload["before"] == "Celgene"


def test_readding_a_removed_field_brings_its_values_back(store):
    store.set_value(store.rid, "funding", "Celgene", "alice")
    spec = store.template().field("funding")
    ops.remove_field(store, "funding", "bob")
    ops.add_field(store, spec, "bob")
    assert ops.orphan_fields(store) == {}
    assert store.values(store.rid)["funding"].value == "Celgene"


def test_save_and_load_a_template_file(store, tmp_path):
    ops.add_field(store, {"key": "blinding", "label": "Blinding", "type": "bool"}, "a")
    path = ops.save_template(store, tmp_path / "t.json")
    assert json.loads(path.read_text())["fields"][-1]["key"] == "blinding"
    ops.remove_field(store, "blinding", "a")
    loaded = ops.load_template_into(store, path, "a")
    assert "blinding" in loaded.keys and store.template() == loaded
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "fields": [{"key": "a", "label": "A", "type": "?"}]}))
    with pytest.raises(ValueError, match="bad.json"):
        ops.load_template_into(store, bad, "a")
