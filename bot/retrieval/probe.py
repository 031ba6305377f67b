"""A linear probe from a question's vector to the passage that answers it, fitted on the bank.

Why: the nearest bank questions are the nearest in surface ("j'ai 16 ans",
"they took my passport"), so a victim's question finds other victims'
questions about other passages.  A ridge regression from the vector to its
passage, over every in-scope bank question at once, learns which directions
of the vector tell the passages apart and which do not.  Left out as the
fit leaves questions out (each with its near-duplicates), the probe alone
put the right passage first for 0.47 of the victims' questions, against
0.13 for the nearest bank question alone (2026-12-05, 8,476 questions).

It is a closed form, so leaving a question out while fitting costs a small
update (the Woodbury identity) rather than a new fit per question.
"""

from __future__ import annotations

import numpy as np

RIDGE = 0.3  # the ridge penalty (on L2-normalised vectors; 0.03 to 1 scored within 0.01 of each other)


class Probe:
    """Scores every passage row for a question's vector: the fitted weights only, as the engine loads them."""

    def __init__(self, weights: np.ndarray) -> None:
        self.weights = np.asarray(weights, dtype=np.float32)  # (dimension, passage rows)

    def scores(self, vector: np.ndarray, leave_out: np.ndarray | None = None) -> np.ndarray:
        if leave_out is not None and len(leave_out):
            raise ValueError("only a probe being fitted can leave bank questions out")
        return vector @ self.weights


class FittedProbe(Probe):
    """A probe fitted on the bank, which can also score a question as if some bank questions were not in it."""

    def __init__(self, vectors: np.ndarray, rows: np.ndarray, size: int, ridge: float = RIDGE) -> None:
        """``vectors`` and ``rows``: every bank unit and its passage row (-1, a negative, is not fitted on)."""
        self._position = np.cumsum(rows >= 0) - 1  # bank unit -> its row among the fitted questions
        self._fitted = rows >= 0
        self._x = vectors[self._fitted].astype(np.float64)
        self._rows = rows[self._fitted]
        self._inverse = np.linalg.inv(self._x.T @ self._x + ridge * np.eye(self._x.shape[1]))
        self._targets = np.zeros((self._x.shape[1], size))  # X^T Y, Y the one-hot passage of each question
        np.add.at(self._targets.T, self._rows, self._x)
        super().__init__(self._inverse @ self._targets)

    def scores(self, vector: np.ndarray, leave_out: np.ndarray | None = None) -> np.ndarray:
        """The passages' scores, fitted without the bank units ``leave_out`` (negatives among them are ignored)."""
        if leave_out is None or not len(leave_out):
            return super().scores(vector)
        units = np.asarray(leave_out, dtype=np.int64)
        kept = self._position[units[self._fitted[units]]]
        if not len(kept):
            return super().scores(vector)
        x = vector.astype(np.float64)
        out = self._x[kept]
        u = self._inverse @ x
        m = out @ self._inverse
        # x (A - Xs^T Xs)^-1 by the Woodbury identity, then times (X^T Y - Xs^T Ys)
        row = u + np.linalg.solve(np.eye(len(kept)) - m @ out.T, out @ u) @ m
        scores = row @ self._targets
        np.subtract.at(scores, self._rows[kept], out @ row)
        return scores.astype(np.float32)
