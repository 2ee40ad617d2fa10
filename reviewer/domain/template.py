"""Extraction templates: which fields a review extracts and how each value is typed.

A template is data (JSON), so a review can carry its own copy and reviewers can
share templates between reviews. ``Template.value_model()`` turns it into a
pydantic model with ``validate_assignment=True``: the form assigns what the
reviewer typed and shows pydantic's message beside the field when it fails.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    CHOICE = "choice"
    LIST = "list"
    BOOL = "bool"


_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class FieldSpec(BaseModel):
    """One field of a template."""

    model_config = ConfigDict(validate_assignment=True)

    key: str
    label: str
    type: FieldType
    item_type: Literal["text", "number"] = "text"  # for lists only
    choices: list[str] = Field(default_factory=list)
    unit: str = ""
    help: str = ""
    group: str = "other"
    # words a reviewer gives so that suggestions find the field's evidence ("masked", "sham")
    keywords: list[str] = Field(default_factory=list)
    # a judgement (a RoB 2 answer, say): words selected for it support the value the
    # reviewer chose and never set it
    quote_only: bool = False

    @field_validator("key")
    @classmethod
    def _key_is_identifier(cls, v: str) -> str:
        if not _KEY.match(v):
            raise ValueError("a key is lower-case letters, digits and _ and starts with a letter")
        return v

    def python_type(self) -> Any:
        if self.type is FieldType.TEXT:
            return str
        if self.type is FieldType.NUMBER:
            return float
        if self.type is FieldType.INTEGER:
            return int
        if self.type is FieldType.BOOL:
            return bool
        if self.type is FieldType.CHOICE:
            return Literal[tuple(self.choices)] if self.choices else str  # type: ignore[misc]
        item = float if self.item_type == "number" else str
        return list[item]  # type: ignore[valid-type]


class OutcomeSpec(BaseModel):
    """An outcome the review extracts from every study (its results have their own grid:
    ``reviewer.domain.results``), so each study names it the same way."""

    name: str
    kind: Literal["dichotomous", "continuous", "time_to_event", "other"] = "dichotomous"
    timepoint: str = ""


class Template(BaseModel):
    """A named, ordered list of fields, and the review's outcomes."""

    name: str
    version: int = 1
    fields: list[FieldSpec]
    outcomes: list[OutcomeSpec] = Field(default_factory=list)

    @field_validator("fields")
    @classmethod
    def _unique_keys(cls, v: list[FieldSpec]) -> list[FieldSpec]:
        keys = [f.key for f in v]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"duplicate field keys: {', '.join(dupes)}")
        return v

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    @cached_property
    def _model(self) -> type[BaseModel]:
        definitions: dict[str, Any] = {f.key: (f.python_type() | None, None) for f in self.fields}
        return create_model(  # type: ignore[call-overload]
            "ExtractionValues",
            __config__=ConfigDict(validate_assignment=True, extra="forbid", strict=False),
            **definitions,
        )

    def value_model(self) -> type[BaseModel]:
        """A pydantic model with one optional attribute per field."""
        return self._model

    def validate_value(self, key: str, value: Any) -> Any:
        """Return ``value`` coerced to the field's type, or raise ``ValueError`` with a
        reviewer-readable message."""
        spec = self.field(key)
        if value is None or value == "" or value == []:
            return None
        if spec.type is FieldType.LIST and isinstance(value, str):
            value = [p.strip() for p in re.split(r"[;\n]", value) if p.strip()]
        if spec.type is FieldType.INTEGER and isinstance(value, float) and value.is_integer():
            value = int(value)
        instance = self._model()
        try:
            setattr(instance, key, value)
        except ValidationError as exc:
            raise ValueError(_friendly(exc, spec)) from None
        return getattr(instance, key)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


def _friendly(exc: ValidationError, spec: FieldSpec) -> str:
    err = exc.errors()[0]
    if spec.type is FieldType.CHOICE:
        return "choose one of: " + ", ".join(spec.choices)
    if spec.type is FieldType.INTEGER:
        return "a whole number is needed"
    if spec.type is FieldType.NUMBER:
        return "a number is needed"
    if spec.type is FieldType.LIST and spec.item_type == "number":
        return "numbers separated by ; are needed"
    return str(err.get("msg", "invalid value"))


def load_template(path: Path) -> Template:
    return Template.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
