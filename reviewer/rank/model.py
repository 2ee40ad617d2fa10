"""The relevance model: TF-IDF features of title, abstract and keywords, and a linear
classifier trained on the decisions so far.

It starts from ASReview LAB's default ("ELAS u4": TF-IDF of 1–2-grams with sublinear
term frequency, a linear SVM with C = 0.11, includes weighted by the "balanced"
sample weights with ratio 9.8) and changes what ``benchmarks/priority_bench.py``
measured to help on every labelled review (see ``RankConfig``).

Features are made once per record set, in chunks, so a 100,000-record review can be
vectorised in the background with progress and cancel; training and scoring then
take a fraction of a second, which is what happens after each few decisions. Words
are hashed into a fixed number of columns instead of a vocabulary, so no pass over
the texts is needed before the counting one and chunks are independent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

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
    n_features: int = 2**20
    C: float = 0.11
    ratio: float = 9.8  # excludes are weighted as if includes were `ratio` times rarer
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
    """Vectorise ``(key, text)`` pairs in chunks (``total`` is for progress only);
    raise ``RankCancelled`` when asked to stop."""
    hasher = HashingVectorizer(
        ngram_range=(1, config.ngram_max),
        n_features=config.n_features,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    )
    keys: list[int] = []
    blocks: list[sparse.csr_matrix] = []
    chunk: list[str] = []
    for key, text in items:
        keys.append(key)
        chunk.append(text)
        if len(chunk) == CHUNK:
            blocks.append(hasher.transform(chunk))
            chunk = []
            if cancelled is not None and cancelled():
                raise RankCancelled()
            if progress is not None:
                progress(len(keys), max(total, len(keys)))
    if chunk:
        blocks.append(hasher.transform(chunk))
    if not blocks:  # no records: an empty matrix of the right width
        return Features([], sparse.csr_matrix((0, config.n_features), dtype=np.float32), config)
    counts = sparse.vstack(blocks, format="csr")
    return Features(keys, tfidf(counts, config), config)


def tfidf(counts: sparse.csr_matrix, config: RankConfig = DEFAULT_CONFIG) -> sparse.csr_matrix:
    """TF-IDF weights of term counts, leaving out terms in more than ``max_df`` of the rows."""
    counts = counts.tocsr()
    n = counts.shape[0]
    if n and config.max_df < 1.0:
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        common = np.flatnonzero(df > config.max_df * n)
        if len(common):
            keep = np.ones(counts.shape[1], dtype=counts.dtype)
            keep[common] = 0
            counts = counts @ sparse.diags(keep)
            counts.eliminate_zeros()
    weights = TfidfTransformer(sublinear_tf=config.sublinear_tf, norm=None).fit_transform(counts)
    return normalize(weights.astype(np.float32), copy=False).tocsr()


def sample_weights(labels: np.ndarray, ratio: float) -> np.ndarray:
    """ASReview's "balanced" weights: excludes count as ``ratio`` times fewer than they
    are against the includes, scaled so the weights sum to the number of rows."""
    includes = labels.sum()
    excludes = len(labels) - includes
    w = np.where(labels == 1, 1.0, includes / (ratio * excludes) if excludes else 1.0)
    return w * (len(labels) / w.sum())


@dataclass(frozen=True)
class Model:
    """A trained linear model: a record's score is ``features · coef + intercept``."""

    coef: np.ndarray
    intercept: float
    includes: int
    excludes: int

    def scores(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(matrix @ self.coef, dtype=np.float64) + self.intercept


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
    clf = LinearSVC(C=config.C, loss="squared_hinge", random_state=config.seed)
    clf.fit(X, y, sample_weight=sample_weights(y, config.ratio))
    return Model(
        coef=clf.coef_.ravel().astype(np.float32),
        intercept=float(clf.intercept_[0]),
        includes=includes,
        excludes=len(rows) - includes,
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
