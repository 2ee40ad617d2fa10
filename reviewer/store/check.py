"""``reviewer check``: is the review file sound, and is its state what its log says?

Three checks, each naming what it finds:

* SQLite's own ``pragma integrity_check``;
* the full-text indexes agree with the rows they index (every record indexed once,
  nothing indexed that is not a record, and FTS5's ``integrity-check`` of the index
  against its content);
* the current state rebuilt from the event log, by replaying every event through the
  same ``reviewer.store.apply`` the live edits use into a scratch copy of the file,
  equals the stored state: decisions, resolutions, field values, result cells, tags,
  notes and highlights (where re-anchoring moved them too), orphaned spans, settings,
  merge conflicts, duplicate groups and the verdicts on duplicate candidates, and full
  texts (by the hash of their words). A difference names the table, the record and
  the field.

What the log does not carry is not compared: the records themselves, the sources and
suggestions. Duplicates found on import are not logged (an import of 100,000 records
would log as many merges; see the README), so for ``duplicate_of`` the log is
replayed from the state before its first event for each record it names: a merge,
unmerge or confirmed candidate whose state is not what the log gives is found; a
record no event names keeps what the import gave it. Candidates are all replayed from
"pending" (the state import leaves them in), so a verdict without its event is found.
Re-anchoring after a record's text was replaced is replayed from its event where the
text was replaced in this copy (a merged copy's log holds the other copy's replacements
too, which moved nothing here: see ``check_replay._here``); records whose text was
replaced before re-anchoring was logged (older files), or only elsewhere, have the
positions of their spans and their orphans left out of the comparison (``not_compared``).

The replay is ``reviewer.store.check_replay``; the comparison, table by table,
``reviewer.store.check_compare``.

It runs in bounded memory: the log is read in batches, each table is compared by
walking the stored and the rebuilt rows side by side in key order, and what the log
says about who changed a piece of state and when is kept in the scratch file.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reviewer.store.check_compare import Difference, compare, compare_fulltexts
from reviewer.store.check_replay import TABLES, Progress, rebuild
from reviewer.store.store import Store

MAX_DIFFERENCES = 1000  # named one by one; beyond, only counted


@dataclass
class CheckReport:
    path: str
    integrity: list[str] = field(default_factory=list)  # "ok" when sound
    fts: list[str] = field(default_factory=list)  # disagreements of the full-text indexes
    differences: list[Difference] = field(default_factory=list)  # the first MAX_DIFFERENCES
    more_differences: int = 0  # found beyond those
    events: int = 0  # events replayed
    not_compared: list[int] = field(default_factory=list)  # records re-anchored unlogged

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.fts and not self.differences

    def add(self, differences: Iterable[Difference]) -> None:
        for d in differences:
            if len(self.differences) < MAX_DIFFERENCES:
                self.differences.append(d)
            else:
                self.more_differences += 1

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["ok"] = self.ok
        out["differences"] = [{**asdict(d), "record_id": d.record_id} for d in self.differences]
        return out

    def lines(self) -> Iterator[str]:
        """What a person reads: one line per problem, or that all agree."""
        if self.integrity != ["ok"]:
            yield from (f"integrity: {line}" for line in self.integrity)
        yield from (f"full-text index: {line}" for line in self.fts)
        yield from (d.describe() for d in self.differences)
        if self.more_differences:
            yield f"... and {self.more_differences} more differences"
        if self.ok:
            yield (f"{self.path}: sound; the state agrees with the {self.events} events of its log")


def check_review(store: Store, progress: Progress | None = None) -> CheckReport:
    """Check ``store`` (see the module docs); nothing in it is changed. ``progress`` is
    told (events replayed, events in all) as the log is replayed."""
    report = CheckReport(str(store.path))
    conn = store.db.conn
    report.integrity = [r[0] for r in conn.execute("pragma integrity_check")]
    report.fts = list(_fts_problems(conn))
    with tempfile.TemporaryDirectory(prefix="reviewer-check-") as tmp:
        scratch = sqlite3.connect(Path(tmp) / "rebuilt.sqlite", isolation_level=None)
        try:
            conn.backup(scratch)
            scratch.execute("pragma journal_mode = off")
            scratch.execute("pragma synchronous = off")
            scratch.execute("pragma cache_size = -65536")  # 64 MB at most
            report.events, legacy = rebuild(scratch, progress)
            report.not_compared = sorted(legacy)
            for table in TABLES:
                report.add(compare(conn, scratch, table, legacy))
            report.add(compare_fulltexts(conn, scratch))
        finally:
            scratch.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return report


# -- full-text indexes ---------------------------------------------------------------------

_FTS = (("records_fts", "records", "id"), ("fulltexts_fts", "fulltexts", "record_id"))


def _fts_problems(conn: sqlite3.Connection) -> Iterator[str]:
    for fts, content, rowid in _FTS:
        exists = conn.execute(
            "select 1 from sqlite_master where name = ?", [f"{fts}_docsize"]
        ).fetchone()
        if not exists:
            continue
        missing = [r[0] for r in conn.execute(
            f"select {rowid} from {content} except select id from {fts}_docsize "
            "order by 1 limit 20")]  # fmt: skip
        extra = [r[0] for r in conn.execute(
            f"select id from {fts}_docsize except select {rowid} from {content} "
            "order by 1 limit 20")]  # fmt: skip
        for rid in missing:
            yield f"{content} row {rid} is not in {fts}"
        for rid in extra:
            yield f"{fts} indexes {rid}, which is not a row of {content}"
        if not missing and not extra:
            problem = _fts5_integrity(conn, fts)
            if problem:
                yield f"{fts} does not match {content}: {problem}"


def _fts5_integrity(conn: sqlite3.Connection, fts: str) -> str:
    """FTS5's own check of the index against its content (it writes nothing)."""
    try:
        conn.execute(f"insert into {fts}({fts}, rank) values ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            return ""  # a read-only review: the row comparison above has to do
        return str(exc)
    return ""
