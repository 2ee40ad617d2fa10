"""``build_record`` makes the same ``ParsedRecord`` pydantic's validation would.

It skips validation when its values have the declared types already; a record made so
must be indistinguishable from a validated one (fields, which were set, copies,
assignment), and values of other types must still be validated (coerced or refused).
"""

from __future__ import annotations

import pydantic
import pytest

from reviewer.domain import ParsedRecord
from reviewer.ingest.formats._records import _SET_BY_BUILD, build_record


def _validated(rec: ParsedRecord) -> ParsedRecord:
    again = ParsedRecord(**{name: getattr(rec, name) for name in _SET_BY_BUILD})
    again.text = rec.text
    return again


def test_a_record_built_equals_the_validated_one() -> None:
    rec = build_record(
        index=4, line=17, title=" Cafe\u0301 trial ", authors=["Smith J", "Müller K"],
        journal="BMJ", year=2020, doi="https://doi.org/10.1/ABC", abstract="NCT01234567",
        keywords=["a", "b"], type="JOUR", extra={"publisher": "X", "issn": ["1", "2"]},
    )  # fmt: skip
    assert isinstance(rec, ParsedRecord)
    made = _validated(rec)
    assert rec == made
    assert rec.model_dump() == made.model_dump()
    assert rec.model_fields_set == made.model_fields_set
    assert repr(rec) == repr(made)
    assert rec.title == "Café trial" and rec.doi == "10.1/abc" and rec.trial_ids == ["NCT01234567"]
    copy = rec.model_copy(update={"title": "Other"})
    assert (copy.title, rec.title) == ("Other", "Café trial")
    rec.page_offsets.append(0)  # its own lists, not shared with other records
    assert build_record(index=0, line=1, title="x").page_offsets == []  # type: ignore[union-attr]


def test_values_of_other_types_are_still_validated() -> None:
    rec = build_record(index=0, line=1, title="x", year="2001")  # type: ignore[arg-type]
    assert isinstance(rec, ParsedRecord) and rec.year == 2001
    with pytest.raises(pydantic.ValidationError):
        build_record(index=0, line=1, title="x", year="soon")  # type: ignore[arg-type]
