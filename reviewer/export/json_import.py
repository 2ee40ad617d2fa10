"""Reading a JSON export back into a new review.

A JSON export is the review in a form other tools (and later versions of this
app) can read, so it must also be enough to rebuild the review: the same records
(with their sources), values with who set them, when, and the words behind them,
decisions, resolutions, notes, tags and settings. ``import_review_json`` writes
all of that into a new review file; ``tests/export`` checks the round trip.

The file is read as a stream: the ``records`` array is decoded one record at a
time, so importing a 100,000-record export does not hold it in memory. Times and
reviewers are kept as they were; the import itself is one ``review.import``
event, so the new review's log says where it came from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from reviewer.domain import Decision, Event, Highlight, ParsedRecord, Source, Span, Template
from reviewer.domain.events import EventKind
from reviewer.domain.results import ResultCell
from reviewer.export.common import CancelFn, ExportCancelled, ProgressFn
from reviewer.review.settings import set_setting
from reviewer.review.tags import add_tag
from reviewer.store import Store, records
from reviewer.store.results import put_cells

IMPORT_EVENT = EventKind.REVIEW_IMPORT
VALUE_EVENT = EventKind.VALUE_IMPORT  # a "value." kind: undo, history and merge see a value change
BATCH = 500
_READ = 1 << 16


class ReviewJsonError(ValueError):
    """The file is not a review JSON export; the message says what is wrong."""


def import_review_json(
    path: str | Path,
    new_review_path: str | Path,
    reviewer: str = "import",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Store:
    """Build a new review at ``new_review_path`` from the JSON export ``path``.

    Record ids are kept when they are free (they are, in a new review), so ids in
    notes, logs and the exported tables still point at the same records. A
    cancelled import deletes the half-built review and raises ``ExportCancelled``.
    """
    target = Path(new_review_path)
    with open(path, encoding="utf-8") as src:
        parts = _top_level(src)
        head = _expect_head(parts)
        store = _new_review(target, head)
        try:
            total = int(head["review"].get("records") or 0)
            done = _import_records(store, head, parts, reviewer, total, progress, cancel)
        except (ValidationError, KeyError, TypeError, AttributeError) as exc:
            _discard(store, target)
            raise ReviewJsonError(f"not a review JSON export: {exc!r}") from exc
        except BaseException:
            _discard(store, target)
            raise
    store.log_event(reviewer, IMPORT_EVENT, payload={"from": str(path), "records": done})
    return store


def _discard(store: Store, target: Path) -> None:
    """Close and delete a review that was not finished."""
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)


# -- reading the file as a stream ------------------------------------------------------------


class _Reader:
    """Decodes JSON values one after another from a text stream, reading as it goes."""

    def __init__(self, src: TextIO):
        self.src = src
        self.buf = ""
        self.pos = 0
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        chunk = self.src.read(_READ)
        if not chunk:
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise ReviewJsonError(f"not a review JSON export: expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._fill():
                    continue
                raise ReviewJsonError(f"not a review JSON export: {exc}") from None
            # a number at the end of the buffer may go on in the next chunk
            if end == len(self.buf) and isinstance(value, int | float) and self._fill():
                continue
            self.pos = end
            return value


def _top_level(src: TextIO) -> Iterator[tuple[str, Any]]:
    """The top-level object's (key, value) pairs in file order; the ``records`` value is
    an iterator over the records, which must be consumed before the next pair."""
    reader = _Reader(src)
    reader.expect("{")
    while reader.peek() not in ("}", ""):
        key = reader.value()
        reader.expect(":")
        if key == "records":
            yield key, _array(reader)
        else:
            yield key, reader.value()
        if reader.peek() == ",":
            reader.pos += 1
    reader.expect("}")


def _array(reader: _Reader) -> Iterator[Any]:
    reader.expect("[")
    while reader.peek() not in ("]", ""):
        yield reader.value()
        if reader.peek() == ",":
            reader.pos += 1
    reader.expect("]")


def _expect_head(parts: Iterator[tuple[str, Any]]) -> dict[str, Any]:
    """The pairs before ``records`` (the export writes ``review`` and ``template`` first)."""
    head: dict[str, Any] = {}
    for key, value in parts:
        if key == "records":
            head["records"] = value
            break
        head[key] = value
    for key in ("review", "template", "records"):
        if key not in head:
            raise ReviewJsonError(f"not a review JSON export: no {key!r} before the records")
    return head


# -- writing the new review -------------------------------------------------------------------


def _new_review(target: Path, head: dict[str, Any]) -> Store:
    try:
        template = Template.model_validate(head["template"])
    except ValidationError as exc:
        raise ReviewJsonError(f"not a review JSON export: its template is invalid ({exc})") from exc
    review = head["review"]
    if not isinstance(review, dict):
        raise ReviewJsonError("not a review JSON export: 'review' is not an object")
    store = Store.create(target, review.get("name") or target.stem, template)
    if review.get("created_at"):
        store._set_meta("created_at", review["created_at"])
    return store


def _import_records(
    store: Store,
    head: dict[str, Any],
    parts: Iterator[tuple[str, Any]],
    reviewer: str,
    total: int,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> int:
    review = head["review"]
    sources = _add_sources(store, review.get("sources", []))
    for name, value in review.get("settings", {}).items():
        set_setting(store, name, value, reviewer)
    ids: dict[int, int] = {}
    duplicates: list[tuple[int, int]] = []
    batch: list[dict[str, Any]] = []
    done = 0
    for record in head["records"]:
        batch.append(record)
        if len(batch) == BATCH:
            done += _add_batch(store, batch, sources, ids, duplicates, reviewer)
            batch = []
            _tick(done, total, progress, cancel)
    done += _add_batch(store, batch, sources, ids, duplicates, reviewer)
    for _ in parts:  # anything after the records is read (and ignored) to check the file
        pass
    with store.atomic():
        for rid, dup_of in duplicates:
            records.set_duplicate_of(store, rid, ids.get(dup_of))
    if progress:
        progress(done, max(total, done))
    return done


def _tick(done: int, total: int, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
    if cancel and cancel():
        raise ExportCancelled
    if progress:
        progress(done, max(total, done))


def _add_sources(store: Store, sources: list[dict[str, Any]]) -> dict[Any, int]:
    """Recreate the export's sources; map its source ids and names to the new ids."""
    out: dict[Any, int] = {}
    with store.atomic():
        for s in sources:
            new_id = store.add_source(
                Source.model_validate({k: v for k, v in s.items() if k != "id"})
            )
            out[("id", s.get("id"))] = new_id
            out.setdefault(("name", s.get("name")), new_id)
    return out


def _source_of(record: dict[str, Any], sources: dict[Any, int]) -> int | None:
    if record.get("source_id") is not None and ("id", record["source_id"]) in sources:
        return sources[("id", record["source_id"])]
    return sources.get(("name", record.get("source"))) if record.get("source") else None


_PARSED_KEYS = set(ParsedRecord.model_fields)


def _add_batch(
    store: Store,
    batch: list[dict[str, Any]],
    sources: dict[Any, int],
    ids: dict[int, int],
    duplicates: list[tuple[int, int]],
    reviewer: str,
) -> int:
    """Add a batch of records (one transaction) with everything attached to them."""
    with store.atomic():
        for record in batch:
            parsed = ParsedRecord.model_validate(
                {k: v for k, v in record.items() if k in _PARSED_KEYS}
            )
            new_id = _add_record(store, record, parsed, _source_of(record, sources))
            if record.get("id") is not None:
                ids[record["id"]] = new_id
            if record.get("duplicate_of") is not None:
                duplicates.append((new_id, record["duplicate_of"]))
            _add_attached(store, new_id, record, reviewer)
    return len(batch)


def _add_record(
    store: Store, record: dict[str, Any], parsed: ParsedRecord, source_id: int | None
) -> int:
    (new_id,) = store.add_records(source_id, [parsed])
    if record.get("created_at"):
        records.set_created_at(store, new_id, record["created_at"])
    wanted = record.get("id")
    if isinstance(wanted, int) and wanted != new_id and not _taken(store, wanted):
        store.renumber_record(new_id, wanted)
        return wanted
    return new_id


def _taken(store: Store, record_id: int) -> bool:
    return records.record_exists(store, record_id)


def _add_attached(store: Store, rid: int, record: dict[str, Any], reviewer: str) -> None:
    for v in record.get("values", []):
        _add_value(store, rid, v)
    for d in record.get("decisions", []):
        store.set_decision(Decision.model_validate({**d, "record_id": rid}))
    for r in record.get("resolutions", []):
        _add_resolution(store, rid, r)
    for n in record.get("notes", []):
        store.add_highlight(_note(rid, n))
    for tag in record.get("tags", []):
        add_tag(store, rid, tag, reviewer)
    for o in record.get("orphans", []):
        if "start" in o and "end" in o:
            store.add_orphan({**o, "record_id": rid, "highlight_id": None})
    if record.get("results"):
        cells = [ResultCell.model_validate({**c, "record_id": rid}) for c in record["results"]]
        put_cells(store, rid, cells, EventKind.RESULT_SET)


def _add_value(store: Store, rid: int, v: dict[str, Any]) -> None:
    """Store a value as it was (reviewer, time, spans): its event carries the time it was
    set. Values of fields the template no longer has are kept too, as in the review
    exported (so no template check, unlike ``Store.set_value``)."""
    spans = [Span.model_validate(s).model_dump() for s in v.get("provenance", [])]
    store.commit(
        Event(
            reviewer=v["reviewer"],
            kind=VALUE_EVENT,
            record_id=rid,
            payload={"field": v["field"], "before": None, "after": v["value"],
                     "provenance": spans, "time": v["time"]},
        )
    )  # fmt: skip


def _add_resolution(store: Store, rid: int, r: dict[str, Any]) -> None:
    store.commit(
        Event(
            reviewer=r["resolver"],
            kind=EventKind.RESOLUTION_SET,
            record_id=rid,
            payload={"stage": r["stage"], "before": None, "after": r["decision"],
                     "reason": r.get("reason", ""), "note": r.get("note", ""),
                     "time": r["time"]},
        )
    )  # fmt: skip


def _note(rid: int, n: dict[str, Any]) -> Highlight:
    span = Span(
        start=n["start"], end=n["end"], quote=n["quote"], prefix=n.get("prefix", ""),
        suffix=n.get("suffix", ""), page=n.get("page"),
    )  # fmt: skip
    return Highlight(
        record_id=rid, span=span, note=n.get("note", ""), reviewer=n["reviewer"], time=n["time"]
    )
