"""Fitted linear models: the ranker (which passage answers) and the scope model (do the sources answer).

Both are logistic regressions fitted on the question bank (:mod:`bot.fit`),
stored in ``index/fit.json`` as named weights over standardised features.
Applying one is a dot product: the engine needs no learning library.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class ModelError(ValueError):
    """A stored model does not fit the features this code computes."""


@dataclass(frozen=True)
class LinearModel:
    names: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def from_dict(cls, data: dict, names: tuple[str, ...]) -> LinearModel:
        try:
            if tuple(data["weights"]) != names:
                raise ModelError(f"fitted on features {list(data['weights'])}, not {list(names)}")
            return cls(
                names=names,
                weights=np.array([data["weights"][n] for n in names], dtype=np.float32),
                bias=float(data["bias"]),
                mean=np.array([data["mean"][n] for n in names], dtype=np.float32),
                scale=np.array([data["scale"][n] for n in names], dtype=np.float32),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"not a fitted model ({type(exc).__name__}: {exc})") from exc

    def to_dict(self) -> dict:
        return {
            "weights": {n: round(float(w), 6) for n, w in zip(self.names, self.weights)},
            "bias": round(self.bias, 6),
            "mean": {n: round(float(m), 6) for n, m in zip(self.names, self.mean)},
            "scale": {n: round(float(s), 6) for n, s in zip(self.names, self.scale)},
        }

    def logits(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.weights + self.bias

    def probability(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(features)))
