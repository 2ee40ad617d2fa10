"""What the relevance ranking reads and keeps: record texts, the order decisions were
made in, and the latest ranking of each (stage, reviewer).

The ranking itself is derived data, recomputed from the decisions at any time, so
it is kept as one row per (stage, reviewer) without an event: a review reopens in
relevance order at once while the model retrains in the background. The reviewer
is ``""`` for the ranking a team shares when the review is not blinded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from reviewer.domain.models import now_iso
from reviewer.store.store import Store

SHARED = ""  # the reviewer key of a ranking learnt from everyone's decisions


@dataclass(frozen=True, slots=True)
class RankText:
    """The fields a record is ranked by."""

    record_id: int
    title: str
    abstract: str
    keywords: list[str]


@dataclass(frozen=True, slots=True)
class Screened:
    """A record screened at a stage, in the order first screened.

    ``label`` is 1 for include (or maybe), 0 for exclude, ``None`` while reviewers
    disagree and nobody has resolved it.
    """

    record_id: int
    label: int | None


@dataclass(frozen=True)
class StoredRanking:
    """The latest ranking of a (stage, reviewer): record ids best first, with scores."""

    stage: str
    reviewer: str
    trained_at: str
    includes: int
    excludes: int
    model: dict
    record_ids: list[int]
    scores: list[float]


def texts(store: Store, ids: Sequence[int] | None = None) -> Iterator[RankText]:
    """Title, abstract and keywords of the given records (all, when ``None``) in id order."""
    sql = "select id, title, abstract, keywords from records"
    if ids is None:
        rows = store.db.execute(sql + " order by id")
        for r in rows:
            yield RankText(r[0], r[1] or "", r[2] or "", _keywords(r[3]))
        return
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        marks = ",".join("?" for _ in part)
        for r in store.db.execute(f"{sql} where id in ({marks}) order by id", part):
            yield RankText(r[0], r[1] or "", r[2] or "", _keywords(r[3]))


def _keywords(raw: str | None) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(k) for k in value] if isinstance(value, list) else []


def screened_by(store: Store, stage: str, reviewer: str) -> list[Screened]:
    """``reviewer``'s decisions at ``stage``, in the order the records were first decided."""
    rows = store.db.execute(
        "select d.record_id, d.decision, d.time, "
        "(select min(e.seq) from events e where e.record_id = d.record_id "
        " and e.reviewer = d.reviewer and e.kind = 'decision.set' "
        " and json_extract(e.payload, '$.stage') = d.stage) as first "
        "from decisions d where d.stage = ? and d.reviewer = ?",
        [stage, reviewer],
    ).fetchall()
    rows.sort(key=_first_order)
    return [Screened(r[0], 0 if r[1] == "exclude" else 1) for r in rows]


def screened_by_anyone(store: Store, stage: str) -> list[Screened]:
    """Every record decided at ``stage`` with its final decision (``None`` in conflict),
    in the order anyone first decided it."""
    rows = store.db.execute(
        "select s.record_id, s.final, "
        "(select min(d.time) from decisions d where d.record_id = s.record_id "
        " and d.stage = s.stage) as time, "
        "(select min(e.seq) from events e where e.record_id = s.record_id "
        " and e.kind in ('decision.set', 'resolution.set') "
        " and json_extract(e.payload, '$.stage') = s.stage) as first "
        "from screening s where s.stage = ?",
        [stage],
    ).fetchall()
    rows.sort(key=_first_order)
    return [Screened(r[0], None if r[1] is None else (0 if r[1] == "exclude" else 1)) for r in rows]


def _first_order(row: Sequence) -> tuple:
    # the first decision event when there is one (a file built from an export may
    # have decisions without their events), else the decision's time
    first = row[3]
    return (first is None, first or 0, row[2] or "", row[0])


def save_ranking(
    store: Store,
    stage: str,
    reviewer: str,
    record_ids: Sequence[int],
    scores: Sequence[float],
    includes: int,
    excludes: int,
    model: dict,
) -> None:
    """Keep the newest ranking of (stage, reviewer), replacing the one before."""
    ids = np.asarray(record_ids, dtype="<i8").tobytes()
    vals = np.asarray(scores, dtype="<f4").tobytes()
    with store.atomic():  # takes the write lock first (BEGIN IMMEDIATE)
        store.db.execute(
            "insert into rankings (stage, reviewer, trained_at, includes, excludes, model, "
            "record_ids, scores) values (?, ?, ?, ?, ?, ?, ?, ?) "
            "on conflict(stage, reviewer) do update set trained_at = excluded.trained_at, "
            "includes = excluded.includes, excludes = excluded.excludes, "
            "model = excluded.model, record_ids = excluded.record_ids, "
            "scores = excluded.scores",
            [stage, reviewer, now_iso(), includes, excludes, json.dumps(model), ids, vals],
        )


def load_ranking(store: Store, stage: str, reviewer: str) -> StoredRanking | None:
    """The latest ranking kept for (stage, reviewer), or ``None``."""
    row = store.db.execute(
        "select trained_at, includes, excludes, model, record_ids, scores from rankings "
        "where stage = ? and reviewer = ?",
        [stage, reviewer],
    ).fetchone()
    if row is None:
        return None
    ids = np.frombuffer(row[4], dtype="<i8")
    vals = np.frombuffer(row[5], dtype="<f4")
    if len(ids) != len(vals):
        return None  # a damaged row is only a cache: retraining replaces it
    return StoredRanking(
        stage=stage,
        reviewer=reviewer,
        trained_at=row[0],
        includes=row[1],
        excludes=row[2],
        model=json.loads(row[3] or "{}"),
        record_ids=ids.tolist(),
        scores=vals.astype(float).tolist(),
    )


def ranked_ids(store: Store, stage: str, reviewer: str) -> np.ndarray | None:
    """The kept ranking's record ids, best first, as an array (what the window sorts
    its list by: no list of 100,000 ints and floats made and thrown away), or ``None``."""
    row = store.db.execute(
        "select record_ids, length(scores) from rankings where stage = ? and reviewer = ?",
        [stage, reviewer],
    ).fetchone()
    if row is None:
        return None
    ids = np.frombuffer(row[0], dtype="<i8")
    if len(ids) * 4 != row[1]:
        return None  # damaged, as load_ranking sees it
    return ids.astype(np.int64)


def clear_rankings(store: Store) -> None:
    """Forget every kept ranking (they are rebuilt from the decisions)."""
    with store.atomic():
        store.db.execute("delete from rankings")


def decided_ids(store: Store, stage: str, reviewer: str) -> set[int]:
    """Records ``reviewer`` has decided at ``stage`` (what "next undecided" skips)."""
    return {
        r[0]
        for r in store.db.execute(
            "select record_id from decisions where stage = ? and reviewer = ?", [stage, reviewer]
        )
    }


@dataclass(frozen=True, slots=True)
class ChangeMarker:
    """Enough to tell, cheaply, that decisions or records changed since last looked."""

    last_event: int
    last_record: int  # records are added, never deleted (duplicates stay, marked)


def change_marker(store: Store) -> ChangeMarker:
    row = store.db.execute(
        "select (select coalesce(max(seq), 0) from events), "
        "(select coalesce(max(id), 0) from records)"
    ).fetchone()
    return ChangeMarker(row[0], row[1])


def events_since(store: Store, seq: int) -> int:
    """How many events were logged after ``seq``."""
    return store.db.execute("select count(*) from events where seq > ?", [seq]).fetchone()[0]
