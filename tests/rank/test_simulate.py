"""Training, ranking and the simulation on a small labelled file with a known answer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from reviewer.rank import model
from reviewer.rank.simulate import LabelError, prior_rows, read_labelled, simulate

DATA = Path(__file__).resolve().parent.parent / "data" / "ranking"
LABELLED = DATA / "labelled.csv"


@pytest.fixture(scope="module")
def labelled():
    return read_labelled(LABELLED)


def test_reads_labels_and_rows(labelled):
    assert len(labelled.rows) == 40
    assert labelled.rows == list(range(40))
    assert sum(labelled.labels) == 10
    assert "statin" in labelled.texts[labelled.labels.index(1)]


def test_training_ranks_unseen_includes_first(labelled):
    feats = model.build_features(enumerate(labelled.texts), 40)
    y = np.array(labelled.labels)
    train_rows = [int(np.flatnonzero(y == 1)[0]), int(np.flatnonzero(y == 0)[0])]
    m = model.train(feats, train_rows, y[train_rows])
    ranked = model.ranking(m.scores(feats.matrix), feats.keys)
    assert {i for i in ranked[:10]} == set(np.flatnonzero(y == 1).tolist())
    assert m.includes == 1 and m.excludes == 1


def test_training_needs_both_kinds(labelled):
    feats = model.build_features(enumerate(labelled.texts[:3]), 3)
    with pytest.raises(model.NotTrainable):
        model.train(feats, [0, 1], [0, 0])


def test_features_can_be_cancelled(labelled):
    texts = ((i, "a text") for i in range(model.CHUNK * 2 + 1))
    with pytest.raises(model.RankCancelled):
        model.build_features(texts, cancelled=lambda: True)


def test_features_are_unit_length_and_drop_words_in_nearly_every_record():
    texts = ["common rare", "common other", "common third"]
    feats = model.build_features(enumerate(texts), 3)
    norms = np.sqrt(feats.matrix.multiply(feats.matrix).sum(axis=1)).A.ravel()
    assert norms == pytest.approx([1, 1, 1])
    # "common" is in every record (over max_df): each row keeps its other word and
    # the two-word phrase
    assert feats.matrix.getnnz(axis=1).tolist() == [2, 2, 2]


def test_simulation_known_answer(labelled):
    result = simulate(labelled, seed=0)
    y = labelled.labels
    assert len(result.order) == 40 and sorted(result.order) == list(range(40))
    assert result.order[:2] == result.priors
    assert [y[i] for i in result.priors] == [1, 0]
    # every remaining include comes before any remaining exclude
    after = [y[i] for i in result.order[2:]]
    assert after == [1] * 9 + [0] * 29
    assert result.loss == 0.0
    assert result.wss95 == pytest.approx(24 / 38)
    assert result.recall_at_10pct == pytest.approx(3 / 9)
    assert result.found_all_at == 11
    assert result.stopped_at is not None and result.stopped_at["recall"] == 1.0
    out = result.as_json()
    assert set(out) >= {
        "records",
        "included",
        "order",
        "wss95",
        "loss",
        "recall_at_10pct",
        "stopped_at",
    }
    json.dumps(out)


def test_priors_follow_the_seed(labelled):
    assert prior_rows(labelled.labels, 3) == prior_rows(labelled.labels, 3)
    assert simulate(labelled, seed=3).order == simulate(labelled, seed=3).order
    more = prior_rows(labelled.labels, 1, included=3, excluded=2)
    assert [labelled.labels[i] for i in more] == [1, 1, 1, 0, 0]


def test_too_many_priors_is_an_error(labelled):
    with pytest.raises(ValueError, match="prior includes"):
        prior_rows(labelled.labels, 0, included=11)


def test_file_without_labels_names_the_record(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,abstract,label_included\nA,b,1\nC,d,\n", encoding="utf-8")
    with pytest.raises(LabelError, match=r"bad\.csv: record 2"):
        read_labelled(bad)


def test_ris_with_asreview_notes(tmp_path):
    ris = tmp_path / "labels.ris"
    ris.write_text(
        "TY  - JOUR\nTI  - Statin trial\nN1  - ASReview_relevant\nER  - \n\n"
        "TY  - JOUR\nTI  - Wheat yield\nN1  - ASReview_irrelevant\nER  - \n",
        encoding="utf-8",
    )
    data = read_labelled(ris)
    assert data.labels == [1, 0]


def test_retraining_less_often_still_finds_every_include(labelled):
    every = simulate(labelled, seed=1)
    batched = simulate(labelled, seed=1, retrain_every=5)
    assert batched.retrains < every.retrains
    assert sorted(batched.order) == list(range(40))
    assert batched.loss == 0.0  # the topics are apart: any model ranks them right
    with pytest.raises(ValueError):
        simulate(labelled, retrain_every=0)
