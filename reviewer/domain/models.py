"""The records, values, decisions and events a review is made of."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

STAGES = ("title_abstract", "full_text", "extraction")
DECISIONS = ("include", "exclude", "maybe")

Stage = Literal["title_abstract", "full_text", "extraction"]
DecisionKind = Literal["include", "exclude", "maybe"]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Span(BaseModel):
    """A piece of a record's text, anchored W3C-style by position and by quote."""

    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    page: int | None = None
    # the concept the quoted term names (MeSH or DrugBank id), so that an extraction
    # table can group "salbutamol" with "albuterol"; kept with the words it came from
    concept: str | None = None

    @classmethod
    def from_text(
        cls, text: str, start: int, end: int, page: int | None = None, concept: str | None = None
    ) -> Span:
        return cls(
            start=start,
            end=end,
            quote=text[start:end],
            prefix=text[max(0, start - 32) : start],
            suffix=text[end : end + 32],
            page=page,
            concept=concept,
        )


class Source(BaseModel):
    """One imported file."""

    id: int | None = None
    name: str
    path: str = ""
    sha256: str
    size: int
    format: str
    imported_at: str = Field(default_factory=now_iso)
    # 'importing' while records are written in batches, 'complete' after the last one
    status: str = "complete"


class ParsedRecord(BaseModel):
    """What an importer produces for one article, before it is stored."""

    title: str = ""
    authors: list[str] = Field(default_factory=list)
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    trial_ids: list[str] = Field(default_factory=list)
    abstract: str = ""
    keywords: list[str] = Field(default_factory=list)
    type: str = ""
    url: str = ""
    text: str = ""
    # where in the source file the record came from
    source_index: int = 0
    source_start: int | None = None
    source_end: int | None = None
    source_line: int | None = None
    # character offsets in ``text`` where each PDF page starts
    page_offsets: list[int] = Field(default_factory=list)
    extra: dict[str, Any] = Field(default_factory=dict)


class Record(ParsedRecord):
    """A stored record."""

    id: int
    source_id: int | None = None
    duplicate_of: int | None = None
    created_at: str = ""


class Suggestion(BaseModel):
    """A value proposed for a field, with the words that support it."""

    id: int | None = None
    record_id: int | None = None
    field: str
    value: Any
    start: int
    end: int
    quote: str
    confidence: float
    suggester: str
    version: str
    status: Literal["pending", "accepted", "rejected"] = "pending"
    # what the value cannot hold: a hazard ratio's confidence interval and p-value
    detail: dict[str, Any] | None = None


class FieldValue(BaseModel):
    """The current value of one field of one record."""

    record_id: int
    field: str
    value: Any
    reviewer: str
    time: str = Field(default_factory=now_iso)
    provenance: list[Span] = Field(default_factory=list)


class Decision(BaseModel):
    """A reviewer's screening decision on a record at a stage."""

    record_id: int
    stage: Stage = "title_abstract"
    reviewer: str
    decision: DecisionKind
    reason: str = ""
    note: str = ""
    time: str = Field(default_factory=now_iso)


class Highlight(BaseModel):
    """A span of a record's text, tied to a field or carrying a free note."""

    id: int | None = None
    record_id: int
    field: str | None = None
    span: Span
    note: str = ""
    reviewer: str
    time: str = Field(default_factory=now_iso)


class Event(BaseModel):
    """One change a person made: the append-only audit trail and the unit of merging."""

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    time: str = Field(default_factory=now_iso)
    reviewer: str
    kind: str
    record_id: int | None = None
    payload: dict[str, Any] = Field(default_factory=dict)


class FileReport(BaseModel):
    """What an import did with one file."""

    path: str
    format: str = ""
    added: int = 0
    duplicates: int = 0
    skipped: bool = False  # the same file was imported before
    errors: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # what the reviewer should know, not errors
    # set when a CSV's columns were not recognised: the header, for a column-mapping step
    unmapped_columns: list[str] = Field(default_factory=list)


class ImportReport(BaseModel):
    files: list[FileReport] = Field(default_factory=list)
    cancelled: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    "added": f.added,
                    "duplicates": f.duplicates,
                    "skipped": f.skipped,
                    "errors": f.errors,
                    "notes": f.notes,
                }
                for f in self.files
            ],
            "added": self.added,
            "duplicates": self.duplicates,
            "cancelled": self.cancelled,
        }
