"""The window's one writer: edits and jobs in order, never "database is locked", and an
edit made during a long job goes between two of its transactions."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reviewer.ingest import import_paths
from reviewer.review import screening
from reviewer.review.tags import add_tag, tags
from reviewer.store import Store
from reviewer.ui.writer import Writer
from tests.consistency import assert_consistent


def ris(path: Path, n: int) -> Path:
    """``n`` distinct RIS records (written here: the test needs no file from elsewhere)."""
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    lines = []
    for i in range(n):
        title = f"Trial {i} of {words[i % 8]} {words[(i * 3) % 8]} number {i * 7919}"
        lines += ["TY  - JOUR", f"TI  - {title}", f"PY  - {1990 + i % 30}", "ER  - ", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def writer(demo_review):
    w = Writer(demo_review)
    yield w
    w.close()


def test_writes_from_two_threads_and_a_job_are_ordered_and_never_locked(demo_review, writer):
    with Store(demo_review) as reader:
        ids = reader.record_ids()[:10]
    errors: list[BaseException] = []

    def tagging(store: Store) -> None:  # a job of many short transactions
        for i in range(40):
            add_tag(store, ids[i % len(ids)], f"job{i}", "job")

    job = writer.submit(tagging)

    def edits(who: str) -> None:
        try:
            for rid in ids:
                writer.call(lambda s, rid=rid: screening.decide(s, rid, "include", who))
        except BaseException as exc:  # "database is locked" would land here
            errors.append(exc)

    threads = [threading.Thread(target=edits, args=(who,)) for who in ("ann", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    job.result(timeout=60)
    assert errors == []
    with Store(demo_review) as reader:
        for who in ("ann", "bob"):  # each source's writes are in the log in its order
            mine = [e.record_id for e in reader.events() if e.reviewer == who]
            assert mine == ids
            assert all(reader.decision(r, "title_abstract", who) for r in ids)
        done = [e.payload for e in reader.events() if e.reviewer == "job"]
        assert len(done) == 40
    assert_consistent(demo_review)


def test_an_edit_during_a_long_job_goes_between_two_of_its_transactions(
    demo_review, writer, tmp_path
):
    with Store(demo_review) as reader:
        rid = reader.record_ids()[0]
        before = reader.record_count()
    first_batch, edit_queued = threading.Event(), threading.Event()

    def progress(_p) -> None:  # on the writer thread, after each batch is committed
        if not first_batch.is_set():
            first_batch.set()
            assert edit_queued.wait(30)

    job = writer.submit(
        lambda s: import_paths(s, [ris(tmp_path / "many.ris", 60)], progress=progress,
                               batch_size=5)  # fmt: skip
    )
    assert first_batch.wait(30)
    seen: list[int] = []

    def decide(store: Store) -> None:
        screening.decide(store, rid, "exclude", "ann", reason="")
        seen.append(store.record_count())

    edit = writer.submit(decide, urgent=True)
    edit_queued.set()
    edit.result(timeout=30)  # done although the import goes on
    report = job.result(timeout=60)
    assert report.added == 60
    # the decision was written after the first batch and before the last one
    assert before + 5 <= seen[0] < before + 60
    with Store(demo_review) as reader:
        assert reader.decision(rid, "title_abstract", "ann").decision == "exclude"
    assert_consistent(demo_review)


def test_a_failed_write_raises_where_it_was_asked_for_and_the_writer_goes_on(writer):
    with pytest.raises(screening.ScreeningError):
        writer.call(lambda s: screening.decide(s, 1, "perhaps", "ann"))
    assert writer.call(lambda s: s.record_count()) > 0


def test_closing_finishes_what_was_asked_for(demo_review):
    w = Writer(demo_review)
    with Store(demo_review) as reader:
        rid = reader.record_ids()[0]
    futures = [w.submit(lambda s, i=i: add_tag(s, rid, f"t{i}", "ann")) for i in range(5)]
    w.close()
    assert all(f.done() for f in futures)
    with pytest.raises(RuntimeError, match="closed"):
        w.submit(lambda s: None)
    with Store(demo_review) as reader:
        assert set(tags(reader, rid)) >= {f"t{i}" for i in range(5)}
