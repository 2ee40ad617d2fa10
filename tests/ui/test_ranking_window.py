"""Priority screening in the window: relevance order, the relevance column, "next"
by rank, a cursor that stays put when a new ranking arrives, and blinded rankings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reviewer.ingest import import_paths
from reviewer.review import screening, settings
from reviewer.review.project import create_review
from reviewer.store import Store
from reviewer.store import ranking as repo
from reviewer.ui.rank_controller import IMPORT_ORDER, RELEVANCE_ORDER
from reviewer.ui.rank_model import RELEVANCE

LABELLED = Path(__file__).resolve().parent.parent / "data" / "ranking" / "labelled.csv"


@pytest.fixture(autouse=True)
def _quick_retrain(monkeypatch):
    """A retrain after a pause still waits for the pause, polled as in use, but the pause
    is 50 ms, not 1.5 s, and the poll every 20 ms: the same steps, seconds less waiting."""
    from reviewer.ui import rank_controller

    monkeypatch.setattr(rank_controller, "IDLE_SECONDS", 0.05)
    monkeypatch.setattr(rank_controller, "POLL_MS", 20)


@pytest.fixture
def labelled_review(tmp_path):
    """A review of the 40 labelled records; returns (path, {record id: label})."""
    path = tmp_path / "ranked.review"
    store = create_review(path)
    import_paths(store, [LABELLED])
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        labels = [int(r["label_included"]) for r in csv.DictReader(fh)]
    ids = store.record_ids()
    store.close()
    return path, dict(zip(ids, labels, strict=True))


@pytest.fixture
def ranked_window(qtbot, labelled_review, sync_jobs):
    from reviewer.ui.main_window import MainWindow

    path, labels = labelled_review
    w = MainWindow(Store(path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w, labels
    w.close()
    w.store.close()


def first(labels, value):
    return next(rid for rid, lab in labels.items() if lab == value)


def wait_for_ranking(qtbot, w):
    w.ranking.poll()
    qtbot.waitUntil(lambda: w.ranking.result is not None and w.ranking.result.trained)


def test_no_ranking_until_an_include_and_an_exclude(qtbot, ranked_window):
    w, labels = ranked_window
    assert w.ranking.mode == IMPORT_ORDER
    assert w.model.ids == sorted(w.model.ids)
    w.go_to_record(first(labels, 1))
    w.decide("include")
    w.ranking.poll()
    qtbot.waitUntil(lambda: w.ranking.result is not None)
    assert not w.ranking.result.trained
    assert "one include and one exclude" in w.ranking.status.text()
    assert w.ranking.mode == IMPORT_ORDER
    assert w.table.isColumnHidden(RELEVANCE)  # an empty column would narrow the titles


def test_ranks_the_includes_first_and_next_follows_the_ranking(qtbot, ranked_window):
    w, labels = ranked_window
    w.go_to_record(first(labels, 1))
    w.decide("include")
    w.go_to_record(first(labels, 0))
    w.decide("exclude")
    wait_for_ranking(qtbot, w)

    # the list now sorts by relevance (the default once a model exists)
    assert w.ranking.mode == RELEVANCE_ORDER
    assert w.ranking.sort_combo.currentData() == RELEVANCE_ORDER
    top = w.model.ids[:10]
    assert [labels[rid] for rid in top] == [1] * 10
    assert w.model.headerData(RELEVANCE, Qt.Orientation.Horizontal) == "Relevance"
    assert not w.table.isColumnHidden(RELEVANCE)
    values = [int(w.model.index(r, RELEVANCE).data()) for r in range(len(w.model.ids))]
    assert values == sorted(values, reverse=True)
    assert values[0] == 100

    # "next undecided" goes to the best-ranked record not yet decided
    w.go_to_record(top[5])
    w.decide("include")
    undecided = [
        rid for rid in w.model.ids if w.store.decision(rid, "title_abstract", w.reviewer) is None
    ]
    assert w.current_id == undecided[0]
    assert labels[w.current_id] == 1

    # the verdict and estimate are in the status bar, the ranking is kept in the file
    assert "includes" in w.ranking.status.text()
    assert "not yet" in w.ranking.status.text()
    kept = repo.load_ranking(w.store, "title_abstract", w.reviewer)
    assert kept is not None and set(kept.record_ids) == set(labels)


def test_a_new_ranking_never_moves_the_record_under_the_cursor(qtbot, ranked_window):
    w, labels = ranked_window
    w.go_to_record(first(labels, 1))
    w.decide("include")
    w.go_to_record(first(labels, 0))
    w.decide("exclude")
    wait_for_ranking(qtbot, w)
    current = w.model.ids[len(w.model.ids) - 3]  # an exclude near the bottom
    w.go_to_record(current)
    shown = []
    original = w.show_record
    w.show_record = lambda rid: (shown.append(rid), original(rid))  # type: ignore[method-assign]
    # more decisions through the store (as a teammate's merge would bring them)
    for rid in [r for r, lab in labels.items() if lab == 0][1:8]:
        screening.decide(w.store, rid, "exclude", w.reviewer)
    before = w.ranking.result
    w.ranking.poll()
    w.ranking._changed_at = 0  # as if the reviewer had paused
    w.ranking.poll()
    qtbot.waitUntil(lambda: w.ranking.result is not before)
    assert w.current_id == current
    assert w.model.id_at(w.table.currentIndex().row()) == current
    assert shown == []  # the record was not reloaded


def test_import_order_chosen_by_the_reviewer_stays(qtbot, ranked_window):
    w, labels = ranked_window
    w.ranking.sort_combo.setCurrentIndex(w.ranking.sort_combo.findData(IMPORT_ORDER))
    w.ranking._order_chosen(w.ranking.sort_combo.currentIndex())
    w.go_to_record(first(labels, 1))
    w.decide("include")
    w.go_to_record(first(labels, 0))
    w.decide("exclude")
    wait_for_ranking(qtbot, w)
    assert w.ranking.mode == IMPORT_ORDER
    assert w.model.ids == sorted(w.model.ids)
    assert w.model.index(0, RELEVANCE).data() != ""  # the column still shows relevance


def test_blinded_reviewers_each_train_their_own(qtbot, ranked_window):
    w, labels = ranked_window
    assert settings.is_blinded(w.store)
    inc, exc = first(labels, 1), first(labels, 0)
    screening.decide(w.store, inc, "include", "ann")
    screening.decide(w.store, exc, "exclude", "ann")
    # tester has decided nothing: no ranking for them, whatever ann did
    w.ranking.poll()
    qtbot.waitUntil(lambda: w.ranking.result is not None)
    assert not w.ranking.result.trained
    assert w.ranking.result.key == w.reviewer
    # unblinded, the team's decisions train one shared ranking
    settings.set_blinded(w.store, False, "tester")
    w.screening.blinding_changed()
    wait_for_ranking(qtbot, w)
    assert w.ranking.result.key == repo.SHARED
    assert w.ranking.result.includes == 1 and w.ranking.result.excludes == 1


def test_recall_curve_dock_shows_and_saves(qtbot, ranked_window, tmp_path):
    w, labels = ranked_window
    w.ranking.recall_curve.dock.show()
    w.go_to_record(first(labels, 1))
    w.decide("include")
    w.go_to_record(first(labels, 0))
    w.decide("exclude")
    wait_for_ranking(qtbot, w)
    qtbot.waitUntil(
        lambda: (
            w.ranking.recall_curve.panel.picture.pixmap() is not None
            and not w.ranking.recall_curve.panel.picture.pixmap().isNull()
        )
    )
    assert "Stopping rule: not yet" in w.ranking.recall_curve.panel.verdict.text()
    for suffix in ("png", "svg"):
        out = tmp_path / f"curve.{suffix}"
        w.ranking.recall_curve.write(str(out))
        assert out.exists() and out.stat().st_size > 1000
    assert (tmp_path / "curve.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_a_reopened_review_starts_in_relevance_order(qtbot, labelled_review, sync_jobs):
    from reviewer.ui.main_window import MainWindow

    path, labels = labelled_review
    store = Store(path)
    inc, exc = first(labels, 1), first(labels, 0)
    screening.decide(store, inc, "include", "tester")
    screening.decide(store, exc, "exclude", "tester")
    kept = list(reversed(store.record_ids()))  # a ranking left by an earlier session
    repo.save_ranking(store, "title_abstract", "tester", kept, range(len(kept)), 1, 1, {})
    w = MainWindow(store)
    qtbot.addWidget(w)
    assert w.ranking.mode == RELEVANCE_ORDER
    assert w.ranking.result is None  # not retrained yet: the kept ranking orders the list
    assert w.model.ids[:3] == [rid for rid in kept if rid in w.model.ids][:3]
    w.close()
    store.close()


def test_stopping_targets_are_the_reviews(qtbot, ranked_window):
    w, labels = ranked_window
    w.ranking.recall_curve.dock.show()
    w.go_to_record(first(labels, 1))
    w.decide("include")
    w.go_to_record(first(labels, 0))
    w.decide("exclude")
    wait_for_ranking(qtbot, w)
    assert w.ranking.result.verdict.recall == 0.95
    combo = w.ranking.recall_curve.panel.targets["recall"]
    combo.setCurrentIndex(combo.findData(0.8))
    w.ranking.recall_curve.panel._targets_chosen()
    qtbot.waitUntil(lambda: w.ranking.result.verdict.recall == 0.8)
    assert settings.get_setting(w.store, "stopping_recall") == 0.8
    assert "recall ≥ 80%" in w.ranking.recall_curve.panel.verdict.text()
    assert any(e.kind == "setting.set" for e in w.store.events())


def test_a_list_in_relevance_order_shows_its_best_first_then_the_rest(
    qtbot, labelled_review, sync_jobs, monkeypatch
):
    """Issue 14: a stage or filter change in relevance order shows the first page of the
    list at once (found among the ranking's best) and the rest below it from the job
    thread, without the rows already shown moving."""
    from reviewer.review.filters import filter_record_ids
    from reviewer.ui import rank_model
    from reviewer.ui import record_list as actions
    from reviewer.ui.main_window import MainWindow

    path, labels = labelled_review
    store = Store(path)
    screening.decide(store, first(labels, 1), "include", "tester")
    screening.decide(store, first(labels, 0), "exclude", "tester")
    ids = store.record_ids()
    kept = ids[1::2] + ids[::2]  # a ranking unlike import order
    repo.save_ranking(store, "title_abstract", "tester", kept, range(len(kept)), 1, 1, {})
    monkeypatch.setattr(actions, "FIRST_PAGE", 5)
    monkeypatch.setattr(rank_model, "FIRST_PAGE_CANDIDATES", 1)  # pages of 5, 10, 20
    w = MainWindow(store)
    qtbot.addWidget(w)
    assert w.ranking.mode == RELEVANCE_ORDER
    undecided = set(filter_record_ids(store, decision="undecided", viewer="tester"))
    whole = [rid for rid in kept if rid in undecided]  # the list, by relevance
    pages = []
    real_append = w.model.append_ids
    monkeypatch.setattr(
        w.model, "append_ids", lambda rest: (pages.append(list(w.model.ids)), real_append(rest))
    )
    combo = w.filter_panel.combos["decision"]
    combo.setCurrentIndex(combo.findData("undecided"))
    assert pages == [whole[:5]]  # the best five shown before the rest came ...
    assert list(w.model.ids) == whole and w.model.complete  # ... and the rest below them
    assert w.current_id == whole[0]
    w.close()
    store.close()


def test_a_ranking_is_kept_through_the_windows_one_writer(qtbot, ranked_window, monkeypatch):
    """A retrain keeps its ranking through the writer thread, like every write of the
    window: on a connection of its own it held the write lock while the reviewer typed,
    and a draft written meanwhile could fail (and be lost to a kill)."""
    import threading

    w, labels = ranked_window
    where = []
    real = repo.save_ranking
    monkeypatch.setattr(
        repo, "save_ranking",
        lambda store, *a: (where.append(threading.current_thread().name), real(store, *a)),
    )  # fmt: skip
    w.go_to_record(first(labels, 1))
    w.decide("include")
    w.go_to_record(first(labels, 0))
    w.decide("exclude")
    wait_for_ranking(qtbot, w)
    qtbot.waitUntil(lambda: bool(where))
    assert set(where) == {"reviewer-writer"}
    assert repo.load_ranking(w.store, "title_abstract", w.reviewer) is not None


def test_records_coming_in_are_read_for_the_ranking_once_they_have_all_come(
    qtbot, ranked_window, tmp_path, monkeypatch
):
    """An import adds records batch after batch: the ranking reads the records once
    they stop coming, not again after each batch (which took the import's other core
    for the import's whole length)."""
    from reviewer.ui import rank_controller

    w, _labels = ranked_window
    rc = w.ranking
    qtbot.waitUntil(lambda: rc.features is not None)  # the opened review's records
    monkeypatch.setattr(rank_controller, "SETTLE_SECONDS", 3600.0)
    built: list[int] = []
    real = rc._build_features
    monkeypatch.setattr(rc, "_build_features", lambda last: (built.append(last), real(last)))
    for n in (3, 5):  # two batches, a poll after each
        lines = [f"TY  - JOUR\nTI  - Arriving record {n}-{i} on ranking\nER  - \n"
                 for i in range(n)]  # fmt: skip
        path = tmp_path / f"batch{n}.ris"
        path.write_text("\n".join(lines), encoding="utf-8")
        w.ops.write(lambda store, path=path: import_paths(store, [path]))
        rc.poll()
    assert built == []  # still coming in: nothing read yet
    monkeypatch.setattr(rank_controller, "SETTLE_SECONDS", 0.0)  # they stopped coming
    rc.poll()
    last = max(w.store.record_ids())
    assert built == [last]
    qtbot.waitUntil(lambda: rc._features_for == last)
    assert rc.features is not None
