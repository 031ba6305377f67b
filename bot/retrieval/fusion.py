"""Fitted models: the ranker (which passage answers) and the scope model (do the sources answer).

Both are fitted on the bank by scikit-learn (:mod:`bot.fit`) and stored in
``index/fit.json`` as plain numbers over named features: gradient-boosted
decision trees (scikit-learn's ``HistGradientBoostingClassifier``), walked
in numpy for every tree and every candidate at once, one level of depth per
step, so applying one needs no learning library.  The ranker's features
interact (a bank question in the asker's language counts differently
from one in another; a close window matters when no bank question is
close): trees rank the right passage first for about one question in seven
more than a logistic regression did, on passages they were not fitted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np


class ModelError(ValueError):
    """A stored model does not fit the features this code computes."""


class Model(Protocol):
    names: tuple[str, ...]

    def logits(self, features: np.ndarray) -> np.ndarray: ...

    def probability(self, features: np.ndarray) -> np.ndarray: ...

    def to_dict(self) -> dict: ...


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _check_names(data: dict, key: str, names: tuple[str, ...]) -> None:
    if tuple(data[key]) != names:
        raise ModelError(f"fitted on features {list(data[key])}, not {list(names)}")


@dataclass(frozen=True)
class TreeModel:
    """Boosted trees as padded arrays (trees x nodes): a leaf points to itself, so walking past it stays there."""

    names: tuple[str, ...]
    baseline: float
    feature: np.ndarray  # int, the feature a node splits on
    threshold: np.ndarray  # float, go left when the feature is <= it
    left: np.ndarray  # int, child node
    right: np.ndarray
    value: np.ndarray  # float, a leaf's contribution to the logit (0 elsewhere)
    depth: int

    @classmethod
    def from_trees(cls, names: tuple[str, ...], baseline: float, trees: list[dict]) -> TreeModel:
        width = max(len(t["feature"]) for t in trees)

        def pad(key: str, fill: float, dtype: type) -> np.ndarray:
            return np.array([t[key] + [fill] * (width - len(t[key])) for t in trees], dtype=dtype)

        left, right = pad("left", 0, np.int32), pad("right", 0, np.int32)
        for t, tree in enumerate(trees):  # leaves (and padding) point to themselves
            for node in range(width):
                if node >= len(tree["leaf"]) or tree["leaf"][node]:
                    left[t, node] = right[t, node] = node
        return cls(names, baseline, pad("feature", 0, np.int32), pad("threshold", 0.0, np.float32), left, right,
                   pad("value", 0.0, np.float32), max(t["depth"] for t in trees))

    @classmethod
    def from_dict(cls, data: dict, names: tuple[str, ...]) -> TreeModel:
        try:
            _check_names(data, "features", names)
            return cls.from_trees(names, float(data["baseline"]), data["trees"])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ModelError(f"not a fitted model ({type(exc).__name__}: {exc})") from exc

    def to_dict(self) -> dict:
        trees = []
        for t in range(len(self.feature)):
            leaf = (self.left[t] == np.arange(self.feature.shape[1])).tolist()
            trees.append({
                # exact float32 values: a threshold rounded by a hair sends a value equal to it the other way
                "feature": self.feature[t].tolist(), "threshold": self.threshold[t].astype(float).tolist(),
                "left": self.left[t].tolist(), "right": self.right[t].tolist(),
                "value": self.value[t].astype(float).tolist(), "leaf": leaf, "depth": self.depth,
            })
        return {"kind": "trees", "features": list(self.names), "baseline": self.baseline, "trees": trees}

    @cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The trees as flat arrays, children as flat node numbers: one 1-D gather per array and level is
        about three times faster than indexing (trees x nodes) arrays with two index arrays."""
        trees, width = self.feature.shape
        offset = (np.arange(trees, dtype=np.int64) * width)[:, None]
        return (offset, self.feature.ravel().astype(np.int64), self.threshold.ravel(), (self.left + offset).ravel(),
                (self.right + offset).ravel(), self.value.ravel())

    def logits(self, features: np.ndarray) -> np.ndarray:
        n = len(features)
        if not n:
            return np.zeros(0, dtype=np.float32)
        offset, feature, threshold, left, right, value = self._flat
        columns = np.ascontiguousarray(features.T).ravel()  # feature f of candidate c at f * n + c
        candidate = np.arange(n)
        node = np.repeat(offset, n, axis=1)  # (trees, candidates): every tree's root
        for _ in range(self.depth):  # np.take: an eighth faster than indexing, for these many small gathers
            x = np.take(columns, np.take(feature, node) * n + candidate)
            node = np.where(x <= np.take(threshold, node), np.take(left, node), np.take(right, node))
        return self.baseline + np.take(value, node).sum(axis=0)

    def probability(self, features: np.ndarray) -> np.ndarray:
        return _sigmoid(self.logits(features))


def load_model(data: dict, names: tuple[str, ...]) -> Model:
    """A stored model of either kind."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "trees":
        return TreeModel.from_dict(data, names)
    raise ModelError(f"unknown model kind {kind!r}")
