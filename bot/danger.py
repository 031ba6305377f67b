"""Danger recognised by likeness: the reviewed bank of danger messages and their look-alikes.

``corpus/danger/examples.jsonl`` holds messages of each kind of danger
(imminent, third_party, self_harm, medical) and look-alikes (``none``: past
danger told as a story, hypotheticals, questions about protection,
figurative talk) in every language.  They are encoded into the index, and a
message -- and each sentence of a longer one -- is compared with them:
the danger kinds of its nearest examples, weighed against the nearest
look-alikes, by a model fitted on the bank with each example left out
(:mod:`bot.fit`).  The curated phrases of :mod:`bot.situation` still count:
either one raising the alarm is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import paths
from .bank import Review, read_lines
from .retrieval.fusion import Model, load_model as load_fitted

DANGER_DIR = "danger"
EXAMPLES_FILE = "examples.jsonl"
NEIGHBOURS = 8
FEATURES = ("danger_best", "danger_top3", "none_best", "none_top3", "danger_votes")


class DangerExample(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lang: str = Field(pattern=r"^[a-z]{2,3}$")
    kind: Literal["imminent", "third_party", "self_harm", "medical", "none"]
    text: str = Field(min_length=2, max_length=4096)
    minor: bool = False
    review: Review


def examples_path() -> Path:
    return paths.corpus_dir() / DANGER_DIR / EXAMPLES_FILE


def load_examples(path: Path | None = None) -> list[DangerExample]:
    path = path or examples_path()
    return read_lines(path, DangerExample) if path.exists() else []


def likeness(scores: np.ndarray, ids: np.ndarray, kinds: list[str], exclude: set[int] = frozenset()) -> tuple[np.ndarray, str | None]:
    """The features of one message's nearest examples, and the kind of danger they point to."""
    keep = [(s, kinds[i]) for s, i in zip(scores, ids) if i >= 0 and int(i) not in exclude][:NEIGHBOURS]
    danger = [s for s, k in keep if k != "none"]
    none = [s for s, k in keep if k == "none"]
    votes: dict[str, float] = {}
    for s, k in keep:
        if k != "none":
            votes[k] = votes.get(k, 0.0) + float(s)
    features = np.array([
        max(danger, default=0.0), float(np.mean(sorted(danger)[-3:])) if danger else 0.0,
        max(none, default=0.0), float(np.mean(sorted(none)[-3:])) if none else 0.0,
        len(danger) / max(len(keep), 1),
    ], dtype=np.float32)
    return features, max(votes, key=votes.get) if votes else None


@dataclass
class DangerModel:
    """Nearest examples -> kinds of danger."""

    index: object  # faiss.Index of the examples (query-encoded)
    kinds: list[str]
    model: Model | None
    threshold: float

    def kinds_of(self, vectors: np.ndarray) -> frozenset[str]:
        if self.model is None or not len(self.kinds) or not len(vectors):
            return frozenset()
        scores, ids = self.index.search(vectors.astype(np.float32), min(NEIGHBOURS, len(self.kinds)))  # type: ignore[attr-defined]
        found = set()
        for s, i in zip(scores, ids):
            features, kind = likeness(s, i, self.kinds)
            if kind and float(self.model.probability(features[None, :])[0]) >= self.threshold:
                found.add(kind)
        return frozenset(found)


def load_model(index: object, kinds: list[str], fit: dict | None) -> DangerModel:
    part = (fit or {}).get("danger")
    model = load_fitted(part, FEATURES) if part else None
    return DangerModel(index, kinds, model, float(part["threshold"]) if part else 1.0)

