"""A probe from a question's vector to the passage that answers it, fitted on the bank.

Why: the nearest bank questions are the nearest in surface ("j'ai 16 ans",
"they took my passport"), so a victim's question finds other victims'
questions about other passages.  A ridge regression from the vector to its
passage, over every in-scope bank question at once, learns which parts of
the vector tell the passages apart and which do not.  Left out as the fit
leaves questions out (each with its near-duplicates), a linear probe put the
right passage first for 0.47 of the victims' questions, against 0.13 for the
nearest bank question alone (2026-12-05, 8,476 questions).

The regression is over random Fourier features of the vector (Rahimi and
Recht, 2007: the kernel exp(-gamma |x - y|^2), drawn by scikit-learn's
``RBFSampler``) rather than over the vector itself: what a passage is asked
about is not one direction of the vector (the same "no pay" comes in
questions about compensation, about going home and about what trafficking
is; what sets them apart is what it comes with).  Measured on the bank
(2026-12-07, 10,863 questions, the fit's cross-validation): the ranker's
hit@1 rose from 0.618 (the linear probe) to 0.670 with 6,000 features and
0.681 with 8,000 (victims' questions 0.503 -> 0.582); in folds of a tenth
of the bank, the probe alone from 0.414 to 0.505 with 6,000 (2,000: 0.458).
More features cost more to fit: 8,000 take about 2.5 GB and a minute.

It is a closed form, so leaving a question out while fitting costs a small
update (the Woodbury identity) rather than a new fit per question.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from threadpoolctl import ThreadpoolController

FEATURES = 8000  # random Fourier features
KERNEL_GAMMA = 1.0  # of exp(-gamma |x - y|^2), on L2-normalised vectors
RIDGE = 0.03  # the ridge penalty
SEED = 0  # the same features every build, so an index's features file does not change between builds


def draw_features(dimension: int, count: int = FEATURES) -> np.ndarray:
    """The random features for vectors of ``dimension``: the projection's rows, then the offsets, in one array."""
    from sklearn.kernel_approximation import RBFSampler  # only building draws them

    sampler = RBFSampler(gamma=KERNEL_GAMMA, n_components=count, random_state=SEED).fit(np.zeros((1, dimension)))
    return np.vstack([sampler.random_weights_, sampler.random_offset_[None, :]]).astype(np.float32)


def _times_inverse(x: np.ndarray, ridge: float) -> np.ndarray:
    """X (X^T X + ridge I)^-1, through the smaller of the two matrices to invert: a bank of fewer questions than
    features (a test's, a new project's) inverts X X^T + ridge I instead, by the push-through identity."""
    count, dimension = x.shape
    if count < dimension:
        return np.linalg.solve(x @ x.T + ridge * np.eye(count), x)
    return x @ np.linalg.inv(x.T @ x + ridge * np.eye(dimension))


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    """numpy's BLAS, found once."""
    return ThreadpoolController()


class Probe:
    """Scores every passage row for a question's vector: the fitted weights only, as the engine loads them."""

    def __init__(self, features: np.ndarray, weights: np.ndarray) -> None:
        features = np.asarray(features, dtype=np.float32)
        self.features = features  # (dimension + 1, count): the projection, then the offsets (:func:`draw_features`)
        self.weights = np.asarray(weights, dtype=np.float32)  # (count, passage rows)
        self._projection, self._offset = features[:-1], features[-1]
        self._scale = np.float32(np.sqrt(2.0 / features.shape[1]))

    def featurise(self, vectors: np.ndarray) -> np.ndarray:
        """The random features of one vector or of a matrix of them (as ``RBFSampler.transform``)."""
        return self._scale * np.cos(vectors @ self._projection + self._offset)

    def scores(self, vector: np.ndarray, leave_out: np.ndarray | None = None) -> np.ndarray:
        if leave_out is not None and len(leave_out):
            raise ValueError("only a probe being fitted can leave bank questions out")
        # On one thread: BLAS threads woken for these two small products fought faiss's threads for the cores,
        # and a question took 30-80 ms instead of 8 now and then (engine p95 58 ms; on one thread 7.7 ms)
        with _blas().limit(limits=1, user_api="blas"):
            return self.featurise(vector.astype(np.float32)) @ self.weights


class FittedProbe(Probe):
    """A probe fitted on the bank, which can also score a question as if some bank questions were not in it."""

    def __init__(self, vectors: np.ndarray, rows: np.ndarray, size: int, features: np.ndarray | None = None,
                 ridge: float = RIDGE) -> None:
        """``vectors`` and ``rows``: every bank unit and its passage row (-1, a negative, is not fitted on)."""
        features = draw_features(vectors.shape[1]) if features is None else features
        super().__init__(features, np.zeros((features.shape[1], size), dtype=np.float32))
        self._position = np.cumsum(rows >= 0) - 1  # bank unit -> its row among the fitted questions
        self._fitted = rows >= 0
        self._rows = rows[self._fitted]
        self._x = self.featurise(vectors[self._fitted].astype(np.float32)).astype(np.float64)
        self._through = _times_inverse(self._x, ridge)  # each question's features times A^-1, A = X^T X + ridge I
        self._exact = np.zeros((features.shape[1], size))  # A^-1 X^T Y, Y the one-hot passage of each question
        np.add.at(self._exact.T, self._rows, self._through)
        self.weights = self._exact.astype(np.float32)
        self._scored = self._x @ self._exact  # each question's scores by the whole fit

    def scores(self, vector: np.ndarray, leave_out: np.ndarray | None = None) -> np.ndarray:
        """The passages' scores, fitted without the bank units ``leave_out`` (negatives among them are ignored)."""
        if leave_out is None or not len(leave_out):
            return super().scores(vector)
        units = np.asarray(leave_out, dtype=np.int64)
        kept = self._position[units[self._fitted[units]]]
        if not len(kept):
            return super().scores(vector)
        x = self.featurise(vector.astype(np.float32)).astype(np.float64)
        through = self._through[kept]
        # x (A - Xs^T Xs)^-1 (X^T Y - Xs^T Ys) by the Woodbury identity: with c = (I - Xs A^-1 Xs^T)^-1 Xs A^-1 x,
        # x A^-1 X^T Y + c Xs A^-1 X^T Y, less c on each left-out question's own passage
        c = np.linalg.solve(np.eye(len(kept)) - through @ self._x[kept].T, through @ x)
        scores = x @ self._exact + c @ self._scored[kept]
        np.subtract.at(scores, self._rows[kept], c)
        return scores.astype(np.float32)
