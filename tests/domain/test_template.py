"""The default template has exactly the keys and types of the shared SCHEMA.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer.domain import FieldType, Template

SCHEMA = Path(__file__).parents[1] / "data" / "schema" / "SCHEMA.md"
_TYPES = {
    "text": (FieldType.TEXT, None),
    "int": (FieldType.INTEGER, None),
    "number": (FieldType.NUMBER, None),
    "choice": (FieldType.CHOICE, None),
    "list of text": (FieldType.LIST, "text"),
    "list of number": (FieldType.LIST, "number"),
}


def schema_fields() -> list[tuple[str, str, str]]:
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+?) \| ([^|]+) \|$", SCHEMA.read_text(), re.M)
    return [(k, t.strip(), what) for k, t, what in rows]


def test_default_template_matches_schema(template: Template):
    fields = schema_fields()
    assert len(fields) == 20
    assert template.name == "Intervention study"
    assert template.keys == [k for k, _, _ in fields]
    for key, typ, what in fields:
        spec = template.field(key)
        ftype, item = _TYPES[typ]
        assert spec.type is ftype, key
        if item:
            assert spec.item_type == item, key
        if ftype is FieldType.CHOICE:
            assert set(spec.choices) == set(re.findall(r"`([\w/]+)`", what)), key


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("sample_size", "182", 182),
        ("sample_size", 182.0, 182),
        ("age", "62.5", 62.5),
        ("response_rate_pct", "22; 32", [22.0, 32.0]),
        ("interventions", "lenalidomide;dexamethasone", ["lenalidomide", "dexamethasone"]),
        ("study_design", "cohort", "cohort"),
        ("phase", "I/II", "I/II"),
        ("title", "", None),
    ],
)
def test_values_are_coerced_to_the_field_type(template, key, raw, expected):
    assert template.validate_value(key, raw) == expected


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("sample_size", "forty", "whole number"),
        ("sample_size", "4.5", "whole number"),
        ("age", "old", "number"),
        ("study_design", "rct", "choose one of"),
        ("response_rate_pct", "high; low", "numbers"),
    ],
)
def test_invalid_values_give_a_readable_message(template, key, raw, message):
    with pytest.raises(ValueError, match=message):
        template.validate_value(key, raw)


def test_duplicate_keys_are_refused(template):
    with pytest.raises(ValueError, match="duplicate field keys: year"):
        Template(name="x", fields=[template.field("year"), template.field("year")])
