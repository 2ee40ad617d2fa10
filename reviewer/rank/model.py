"""The relevance model: TF-IDF features of title, abstract and keywords, and a linear
classifier trained on the decisions so far.

It starts from ASReview LAB's default ("ELAS u4": TF-IDF of 1–2-grams with sublinear
term frequency, a linear SVM with C = 0.11, includes weighted by the "balanced"
sample weights with ratio 9.8) and changes what ``benchmarks/priority_bench.py``
measured to help on every labelled review (see ``RankConfig``).

Features are made once per record set, in chunks, so a 100,000-record review can be
vectorised in the background with progress and cancel; training and scoring then
take a fraction of a second, which is what happens after each few decisions. The
features are exactly those of scikit-learn's ``TfidfVectorizer`` (hashing the words
into fewer columns instead measured worse on three of the four labelled reviews).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from reviewer.lazy import lazy

# imported when a ranking is first built, not when the app starts (see reviewer.lazy)
sparse = lazy("scipy.sparse")
_text = lazy("sklearn.feature_extraction.text")
_nb = lazy("sklearn.naive_bayes")
_pre = lazy("sklearn.preprocessing")
_svm = lazy("sklearn.svm")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
CHUNK = 2000


class RankCancelled(Exception):
    """The caller asked the work to stop."""


@dataclass(frozen=True)
class RankConfig:
    """The model's settings. Defaults are ASReview's ELAS u4 plus what measured better."""

    ngram_max: int = 2
    sublinear_tf: bool = True
    max_df: float = 0.95
    C: float = 0.11
    ratio: float = 9.8  # excludes are weighted as if includes were `ratio` times rarer
    # a naive Bayes model (ASReview's ELAS u3 settings) beside the SVM: each ranks the
    # records, and a record's score is the weighted mean of its two rank percentiles.
    # Off by default: measured, it found the last includes sooner on all four labelled
    # reviews but raised ASReview's loss on two (README, "Priority screening")
    nb_weight: float = 0.0
    nb_after: int = 0  # includes needed before the naive Bayes model joins
    nb_alpha: float = 3.822
    nb_ratio: float = 1.2
    presumed_excludes: int = 0  # random unscreened records counted as excludes in training
    seed: int = 0


DEFAULT_CONFIG = RankConfig()


def record_text(title: str, abstract: str, keywords: Iterable[str] = ()) -> str:
    """The text a record is ranked by: title, abstract and keywords."""
    parts = [title or "", abstract or ""]
    kw = " ".join(k for k in keywords if k)
    if kw:
        parts.append(kw)
    return " ".join(parts)


@dataclass
class Features:
    """TF-IDF rows of a set of records; ``keys`` names each row (record ids, row numbers)."""

    keys: list[int]
    matrix: sparse.csr_matrix
    config: RankConfig = field(default=DEFAULT_CONFIG)

    def __post_init__(self) -> None:
        self.row = {k: i for i, k in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def rows(self, keys: Iterable[int]) -> np.ndarray:
        return np.fromiter((self.row[k] for k in keys), dtype=np.int64)


def build_features(
    items: Iterable[tuple[int, str]],
    total: int = 0,
    config: RankConfig = DEFAULT_CONFIG,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Features:
    """TF-IDF rows of ``(key, text)`` pairs, counted in chunks so the work reports
    progress (``total`` is only for that) and stops when asked (``RankCancelled``).

    The result is the matrix scikit-learn's ``TfidfVectorizer`` makes with the same
    settings (the columns in first-seen rather than alphabetical order), so the model
    sees exactly what ASReview's does.
    """
    analyze = _text.CountVectorizer(ngram_range=(1, config.ngram_max)).build_analyzer()
    vocabulary: dict[str, int] = {}
    keys: list[int] = []
    # 32-bit columns and counts: half the memory of a 100,000-record review's matrix
    # while it is counted (a review has far fewer than 2**31 words and entries)
    indices = array("i")
    counts = array("i")
    indptr = array("i", [0])
    for key, text in items:
        keys.append(key)
        row: dict[int, int] = {}
        for term in analyze(text):
            col = vocabulary.setdefault(term, len(vocabulary))
            row[col] = row.get(col, 0) + 1
        indices.extend(row.keys())
        counts.extend(row.values())
        indptr.append(len(indices))
        if len(keys) % CHUNK == 0:
            if cancelled is not None and cancelled():
                raise RankCancelled()
            if progress is not None:
                progress(len(keys), max(total, len(keys)))
    width = max(len(vocabulary), 1)
    del vocabulary  # the words are not needed once counted
    data = np.frombuffer(counts, dtype=np.int32).astype(np.float64)
    del counts
    matrix = sparse.csr_matrix(
        (data, np.frombuffer(indices, dtype=np.int32), np.frombuffer(indptr, dtype=np.int32)),
        shape=(len(keys), width),
        copy=False,
    )
    matrix.sort_indices()
    return Features(keys, tfidf(matrix, config), config)


_BLOCK = 1 << 20  # entries per step of the in-place passes (bounds their temporary arrays)


def tfidf(counts: sparse.csr_matrix, config: RankConfig = DEFAULT_CONFIG) -> sparse.csr_matrix:
    """TF-IDF weights of term counts, in place: terms found in more than ``max_df`` of
    the rows left out, sublinear term frequency, smoothed idf, rows of unit length.

    The same arithmetic in the same order as ``TfidfVectorizer``/``TfidfTransformer``
    (so the same numbers), without their copies of the whole matrix.
    """
    X = counts.tocsr()
    if X.dtype != np.float64:
        X = X.astype(np.float64)
    n = X.shape[0]
    if n == 0:
        return X
    df = np.bincount(X.indices, minlength=X.shape[1])
    if config.max_df < 1.0:
        common = df > config.max_df * n
        if common.any():
            for start in range(0, X.nnz, _BLOCK):
                part = slice(start, start + _BLOCK)
                X.data[part][common[X.indices[part]]] = 0.0
            X.eliminate_zeros()
    idf = np.full(X.shape[1], float(n + 1))
    idf /= df + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    if config.sublinear_tf:
        np.log(X.data, X.data)
        X.data += 1.0
    for start in range(0, X.nnz, _BLOCK):
        part = slice(start, start + _BLOCK)
        X.data[part] *= idf[X.indices[part]]
    return _pre.normalize(X, norm="l2", copy=False)


def sample_weights(labels: np.ndarray, ratio: float) -> np.ndarray:
    """ASReview's "balanced" weights: excludes count as ``ratio`` times fewer than they
    are against the includes, scaled so the weights sum to the number of rows."""
    includes = labels.sum()
    excludes = len(labels) - includes
    w = np.where(labels == 1, 1.0, includes / (ratio * excludes) if excludes else 1.0)
    return w * (len(labels) / w.sum())


@dataclass(frozen=True)
class Model:
    """A trained model: a linear SVM (``features · coef + intercept``) and, with a
    weight, a naive Bayes model (its log odds, also linear in the features)."""

    coef: np.ndarray
    intercept: float
    includes: int
    excludes: int
    nb_coef: np.ndarray | None = None
    nb_weight: float = 0.0

    def scores(self, matrix: sparse.csr_matrix) -> np.ndarray:
        """Higher is more likely an include; comparable only within one call."""
        svm = np.asarray(matrix @ self.coef, dtype=np.float64) + self.intercept
        if self.nb_coef is None or not self.nb_weight or matrix.shape[0] < 2:
            return svm
        nb = np.asarray(matrix @ self.nb_coef, dtype=np.float64)
        return (1 - self.nb_weight) * _percentiles(svm) + self.nb_weight * _percentiles(nb)


def _percentiles(values: np.ndarray) -> np.ndarray:
    """Each value's rank among all, scaled to 0..1 (ties share the lower rank)."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(len(values))
    return ranks / (len(values) - 1)


class NotTrainable(ValueError):
    """Training needs at least one include and one exclude."""


def train(
    features: Features,
    rows: Sequence[int] | np.ndarray,
    labels: Sequence[int] | np.ndarray,
    config: RankConfig | None = None,
) -> Model:
    """Fit the model on the labelled ``rows`` of ``features`` (labels 1 include, 0 exclude)."""
    config = config or features.config
    rows = np.asarray(rows, dtype=np.int64)
    y = np.asarray(labels, dtype=np.int64)
    includes = int(y.sum())
    if includes == 0 or includes == len(y):
        raise NotTrainable("the model needs at least one include and one exclude")
    X = features.matrix[rows]
    if config.presumed_excludes:
        extra = _presumed_excludes(len(features), rows, config, includes)
        if len(extra):
            X = sparse.vstack([X, features.matrix[extra]], format="csr")
            y = np.concatenate([y, np.zeros(len(extra), dtype=np.int64)])
    clf = _svm.LinearSVC(C=config.C, loss="squared_hinge", random_state=config.seed)
    clf.fit(X, y, sample_weight=sample_weights(y, config.ratio))
    nb_coef = None
    if config.nb_weight and includes >= config.nb_after:
        nb = _nb.MultinomialNB(alpha=config.nb_alpha)
        nb.fit(X, y, sample_weight=sample_weights(y, config.nb_ratio))
        # log odds per unit of each feature; the class priors add the same to every record
        nb_coef = nb.feature_log_prob_[1] - nb.feature_log_prob_[0]
    return Model(
        coef=clf.coef_.ravel(),
        intercept=float(clf.intercept_[0]),
        includes=includes,
        excludes=len(rows) - includes,
        nb_coef=nb_coef,
        nb_weight=config.nb_weight,
    )


def _presumed_excludes(n: int, rows: np.ndarray, config: RankConfig, includes: int) -> np.ndarray:
    """Random unscreened rows to count as excludes while few decisions exist.

    Includes are rare, so a random unscreened record is almost always an exclude;
    Cormack & Grossman's continuous active learning adds such records to teach the
    model what an ordinary record looks like before the reviewer has excluded many.
    """
    pool = np.setdiff1d(np.arange(n), rows, assume_unique=False)
    k = min(config.presumed_excludes, len(pool))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    rng = np.random.default_rng([config.seed, len(rows), includes])
    return rng.choice(pool, k, replace=False)


def ranking(scores: np.ndarray, keys: Sequence[int]) -> list[int]:
    """Keys from the highest score to the lowest (ties in key order)."""
    order = np.lexsort((np.asarray(keys), -scores))
    return [keys[i] for i in order]
