"""Danger recognised by likeness: the reviewed bank of danger messages and their look-alikes.

``corpus/danger/examples.jsonl`` holds messages of each kind of danger
(imminent, third_party, self_harm, medical) and look-alikes (``none``: past
danger told as a story, hypotheticals, questions about protection,
figurative talk) in every language.  They are encoded into the index, and
two linear probes over a message's vector are fitted on them and on the
question bank's questions (about rights, not alarms) by :mod:`bot.fit`: is
it danger now, and of which kind.  The engine applies them to the whole
message and, for a story told in several sentences, to its last sentences,
where people say what is happening now.  The alarm's threshold is set so that at most
:data:`bot.fit.DANGER_BANK_ALARMS` of the bank's questions would raise it,
out of fold.  A probe of the whole vector carries the sense of urgency to
messages written unlike any example far better than the nearest examples
did (on the independent test set, recall 0.61 with the nearest examples,
0.9 with the probe, for fewer false alarms).  The curated phrases of
:mod:`bot.situation` still count: either one raising the alarm is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import paths
from .bank import Review, read_lines
from .retrieval.fusion import ModelError

DANGER_DIR = "danger"
EXAMPLES_FILE = "examples.jsonl"
KIND_SHARE = 0.25  # a kind of danger counts when the kind probe gives it this share at least


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


@dataclass(frozen=True)
class DangerModel:
    """Two linear probes over a message's vector: is it danger now (its threshold fitted), and of which kind."""

    weights: np.ndarray  # (dim,)
    bias: float
    threshold: float
    kind_weights: np.ndarray  # (kinds, dim)
    kind_bias: np.ndarray  # (kinds,)
    kinds: tuple[str, ...]

    def kinds_of(self, vectors: np.ndarray) -> frozenset[str]:
        """The kinds of danger any of the vectors (a message, its sentences) signals."""
        if not len(vectors):
            return frozenset()
        alarm = 1.0 / (1.0 + np.exp(-(vectors @ self.weights + self.bias))) >= self.threshold
        logits = vectors[alarm] @ self.kind_weights.T + self.kind_bias
        shares = np.exp(logits - logits.max(axis=1, keepdims=True))
        shares /= shares.sum(axis=1, keepdims=True)
        # every kind the probe finds likely enough: a message can be a threat and a wish to die at once
        return frozenset(self.kinds[int(k)] for row in shares for k in np.nonzero(row >= KIND_SHARE)[0])

    def to_dict(self) -> dict:
        return {"kind": "probe", "weights": self.weights.astype(float).tolist(), "bias": self.bias, "threshold": self.threshold,
                "kind_weights": self.kind_weights.astype(float).tolist(), "kind_bias": self.kind_bias.astype(float).tolist(),
                "kinds": list(self.kinds)}

    @classmethod
    def from_dict(cls, data: dict) -> DangerModel:
        return cls(np.array(data["weights"], dtype=np.float32), float(data["bias"]), float(data["threshold"]),
                   np.array(data["kind_weights"], dtype=np.float32), np.array(data["kind_bias"], dtype=np.float32),
                   tuple(data["kinds"]))


def load_model(fit: dict | None) -> DangerModel | None:
    """The fitted danger model, or None before the first fit (the curated phrases still count)."""
    part = (fit or {}).get("danger")
    if not part:
        return None
    try:
        return DangerModel.from_dict(part)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"the danger model is not a fitted model ({type(exc).__name__}: {exc})") from exc
