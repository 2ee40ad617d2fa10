"""The window's one writer: edits and jobs in order, never "database is locked", and an
edit made during a long job goes between two of its transactions."""

from __future__ import annotations

import shutil
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


def ris_with_repeats(path: Path, n: int, every: int = 7) -> Path:
    """``n`` RIS records, every ``every``-th repeating an earlier one (same title, year,
    DOI), some of them in a later batch than the record they repeat."""
    lines = []
    for i in range(n):
        j = i - 13 if i >= 13 and i % every == 0 else i  # a repeat of record i - 13
        lines += ["TY  - JOUR", f"TI  - Trial {j} of screening number {j * 7919}",
                  f"PY  - {1990 + j % 30}", f"DO  - 10.1000/t{j}", "ER  - ", ""]  # fmt: skip
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def import_apart(review: Path, writer: Writer, files: list[Path], **kw):
    """As the window imports: read here through a read-only store, written by ``writer``."""
    with Store(review, read_only=True) as reading:
        return import_paths(reading, files, write=writer.run, **kw)


def test_an_import_holds_the_writer_only_for_its_inserts(demo_review, writer, tmp_path):
    """The window's import reads and checks on its own thread; the writer is free in
    between, so an edit made meanwhile is done while the import waits, and lands
    exactly between two of its batches."""
    with Store(demo_review) as reader:
        rid = reader.record_ids()[0]
        before = reader.record_count()
    importing_thread: list[threading.Thread] = []
    first_batch, edit_done = threading.Event(), threading.Event()
    seen: list[int] = []

    def progress(_p) -> None:  # on the import's thread, after a batch is committed
        importing_thread.append(threading.current_thread())
        if not first_batch.is_set():
            first_batch.set()
            assert edit_done.wait(30)  # the import waits here for the edit to be done

    result: list = []
    job = threading.Thread(target=lambda: result.append(import_apart(
        demo_review, writer, [ris(tmp_path / "many.ris", 60)], progress=progress,
        batch_size=5)))  # fmt: skip
    job.start()
    assert first_batch.wait(30)

    def decide(store: Store) -> None:
        screening.decide(store, rid, "exclude", "ann", reason="")
        seen.append(store.record_count())

    writer.call(decide)  # returns although the import has not gone on
    edit_done.set()
    job.join(60)
    assert result and result[0].added == 60
    assert seen == [before + 5]  # after the first batch, before the second
    assert set(importing_thread) == {job}
    with Store(demo_review) as reader:
        assert reader.record_count() == before + 60
        assert reader.decision(rid, "title_abstract", "ann").decision == "exclude"
    assert_consistent(demo_review)


def test_importing_apart_finds_the_same_duplicates_as_on_one_thread(demo_review, tmp_path):
    """Within a batch and across batches, written by the writer or in turn on one
    thread, sized by count or by time: the same records kept, the same duplicates."""
    src = ris_with_repeats(tmp_path / "repeats.ris", 120)

    def outcome(path: Path) -> tuple:
        with Store(path) as s:
            rows = [(r.title, r.duplicate_of is not None) for r in s.records()]
        return rows

    one = tmp_path / "one.review"
    shutil.copy(demo_review, one)
    with Store(one) as store:
        plain = import_paths(store, [src], batch_size=9)
    apart = tmp_path / "apart.review"
    shutil.copy(demo_review, apart)
    w = Writer(apart)
    try:
        timed = import_apart(apart, w, [src], batch_seconds=0.0)  # the fewest records each
    finally:
        w.close()
    assert plain.duplicates == timed.duplicates > 10
    assert plain.added == timed.added
    assert outcome(one) == outcome(apart)
    assert_consistent(apart)


def test_an_import_apart_cancelled_resumes_and_is_consistent(demo_review, writer, tmp_path):
    src = ris_with_repeats(tmp_path / "repeats.ris", 80)
    copying = writer.call(lambda s: s.db.execute("pragma wal_autocheckpoint").fetchone()[0])
    batches = 0

    def progress(_p) -> None:
        nonlocal batches
        batches += 1

    first = import_apart(demo_review, writer, [src], batch_size=10, progress=progress,
                         cancel=lambda: batches >= 3)  # fmt: skip
    assert first.cancelled and first.added + first.duplicates == 30
    assert_consistent(demo_review)
    rest = import_apart(demo_review, writer, [src], batch_size=10)
    assert first.added + rest.added + first.duplicates + rest.duplicates == 80
    # the writer copies the log back in its commits again, as before the import
    assert copying > 0
    assert writer.call(lambda s: s.db.execute("pragma wal_autocheckpoint").fetchone()[0]) == copying
    assert_consistent(demo_review)


def test_a_review_merges_its_full_text_index_in_steps(demo_review):
    """m015: a level of the index's segments is merged a little at each write, never
    all at once in one (crisis merges above automerge)."""
    import sqlite3

    with sqlite3.connect(demo_review) as conn:
        config = dict(conn.execute("select k, v from records_fts_config").fetchall())
    assert config["crisismerge"] > config["automerge"]


def test_opening_a_review_in_the_window_is_not_screening(qtbot, window):
    """An import writes short transactions while the reviewer edits; the window setting
    itself up is no edit (its first minute of imports went at the screening pace)."""
    assert not window.writer.edited_within(3600)
    window.go_to_record(window.store.record_ids()[0])
    window.decide("include")
    assert window.writer.edited_within(3600)
