"""Danger recognised by likeness: the reviewed bank of danger messages and their look-alikes.

``corpus/danger/examples.jsonl`` holds messages of each kind of danger
(imminent, third_party, self_harm, medical) and look-alikes (``none``: past
danger told as a story, hypotheticals, questions about protection,
figurative talk) in every language.  They are encoded into the index.  A
message is in danger now when it is nearer to its :data:`LIKENESS_K`
nearest danger examples than to its nearest messages that are not danger
now -- the look-alikes and the question bank's questions (about rights, not
alarms) -- by more than a threshold that :mod:`bot.fit` sets, leaving each
bank question out, so that at most :data:`bot.fit.DANGER_BANK_ALARMS` of the
bank's questions would raise the alarm together with the curated phrases of
:mod:`bot.situation` (either one raising it is enough).  A linear probe
fitted on the danger examples tells which kind.  The engine reads the whole
message and, for a story told in several sentences, its last sentences,
where people say what is happening now.  Examples and bank questions that
the encoder reads as other texts once typed without their keyboard
(:mod:`bot.typed`: Vietnamese without its tone marks) are compared in that
form too.

Why likeness rather than a probe of the whole vector: with the examples of
2026-12-05 (danger at the end of long stories, indirect wishes to die,
emergencies told by their symptoms) and the victims' statements in the
bank, a linear probe left recall at 0.78 on the whole messages of the
independent test set for 1.2% of the bank, the nearest examples 0.95 for
the same share (``benchmarks/danger.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from . import paths
from .bank import Review, read_lines
from .retrieval.fusion import ModelError
from .textnorm import word_units

if TYPE_CHECKING:
    from .index.store import LoadedIndex

DANGER_DIR = "danger"
EXAMPLES_FILE = "examples.jsonl"
KIND_SHARE = 0.25  # a kind of danger counts when the kind probe gives it this share at least
LIKENESS_K = 5  # nearest messages on each side whose similarities are averaged
DANGER_HITS = 64  # nearest danger examples and look-alikes fetched from faiss
LIKENESS_MIN_WORDS = 2  # a message of one word is read by the curated phrases only (see :func:`readable`)


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


def readable(text: str) -> bool:
    """Whether likeness can read the message: one word ("more", "plus", "stop", "...") has no meaning of its own.

    The encoder put such words next to the shortest danger examples ("je veux
    mourir", "srochno pomogite"): "more" or "encore", typed instead of the
    command, raised the suicide line.  One-word cries for help ("help",
    "au secours", "救命", "pomogite") are the curated phrases'.
    """
    return word_units(text) >= LIKENESS_MIN_WORDS


def telling_texts(examples: list[DangerExample], told: set[str], danger_now: set[str] = frozenset()) -> set[str]:
    """Bank texts never taken for "not danger now": the danger examples among them, the situations told without a
    question, and the questions that tell of danger now (:attr:`bot.bank.BankQuestion.danger_now`)."""
    return {e.text for e in examples if e.kind != "none"} | set(told) | set(danger_now)


def _top_mean(similarities: np.ndarray, keep: np.ndarray, k: int = LIKENESS_K) -> np.ndarray:
    """Per row, the mean of the ``k`` highest similarities ``keep`` allows (-1 when it allows none)."""
    top = -np.sort(-np.where(keep, similarities, -np.inf), axis=1)[:, :k]
    found = np.isfinite(top)
    return np.where(found.any(axis=1), np.where(found, top, 0.0).sum(axis=1) / np.maximum(found.sum(axis=1), 1), -1.0)


def likeness(index: LoadedIndex, vectors: np.ndarray, telling: np.ndarray,
             own_example: np.ndarray | None = None, own_question: np.ndarray | None = None) -> np.ndarray:
    """How much nearer each vector is to the danger examples than to messages that are not danger now.

    ``telling`` marks the bank questions that are danger examples too, and
    the situations told without a question (not counted as "not danger");
    ``own_example`` (per row, one id or several: an example and its
    typed copy) and ``own_question`` leave a message's own danger units or
    bank question out (fitting, -1: none)."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    rows = np.arange(len(vectors))[:, None]
    d_sims, d_ids = index.danger.search(vectors, min(DANGER_HITS, index.danger.ntotal))
    b_sims, b_ids = index.nearest_questions(vectors, LIKENESS_K + int(telling.sum()) + 1)
    valid = d_ids >= 0
    is_danger = valid & (index.danger_kinds[np.where(valid, d_ids, 0)] != "none")
    if own_example is not None:
        own = own_example.reshape(len(vectors), -1)
        valid &= ~(d_ids[:, :, None] == own[:, None, :]).any(axis=2)
    bank_keep = (b_ids >= 0) & ~telling[np.where(b_ids >= 0, b_ids, 0)]
    if own_question is not None:
        bank_keep &= b_ids != own_question[rows[:, 0], None]
    nearest_danger = _top_mean(d_sims, valid & is_danger)
    nearest_other = _top_mean(np.hstack([d_sims, b_sims]), np.hstack([valid & ~is_danger, bank_keep]))
    return nearest_danger - nearest_other


@dataclass(frozen=True)
class DangerModel:
    """Is it danger now (likeness to the examples, its threshold fitted), and of which kind (a linear probe)."""

    threshold: float
    telling: np.ndarray  # per bank question: a danger example too, or a situation told without a question (never "not danger")
    kind_weights: np.ndarray  # (kinds, dim)
    kind_bias: np.ndarray  # (kinds,)
    kinds: tuple[str, ...]

    def kinds_of(self, vectors: np.ndarray, index: LoadedIndex, without_age: Literal["", "scene", "fragment"] = "") -> tuple[str, ...]:
        """The kinds of danger any of the vectors (a message, its sentences) signals, the likeliest first.

        With ``without_age``, the last vector is the first's message without the age it tells, which weighs half:
        alone, "j'ai 14 ans" outweighed "je suis sur le pont je veux sauter", and "I am 16 and they make me beg" met
        the teenagers' danger examples.  What is left of a short message ("y me obligan a mendigar") is a fragment,
        which met the shortest danger examples read alone: a fragment may only lower the likeness, a scene set it."""
        if not len(vectors):
            return ()
        scores = likeness(index, vectors, self.telling)
        if without_age:
            half = (scores[0] + scores[-1]) / 2
            scores[0] = half if without_age == "scene" else min(scores[0], half)
            scores, vectors = scores[:-1], vectors[:-1]
        alarm = scores >= self.threshold
        logits = vectors[alarm] @ self.kind_weights.T + self.kind_bias
        shares = np.exp(logits - logits.max(axis=1, keepdims=True))
        shares /= shares.sum(axis=1, keepdims=True)
        # every kind the probe finds likely enough: a message can be a threat and a wish to die at once; the likeliest
        # leads the card ("me escape del depa hace 20 min ... creo q me siguen" is a threat first, and got the suicide line first)
        found = {int(k) for row in shares for k in np.nonzero(row >= KIND_SHARE)[0]}
        return tuple(self.kinds[k] for k in sorted(found, key=lambda k: -shares[:, k].sum()))

    def to_dict(self) -> dict:
        return {"kind": "likeness", "k": LIKENESS_K, "threshold": self.threshold,
                "telling": np.nonzero(self.telling)[0].tolist(), "bank_questions": len(self.telling),
                "kind_weights": self.kind_weights.astype(float).tolist(), "kind_bias": self.kind_bias.astype(float).tolist(),
                "kinds": list(self.kinds)}

    @classmethod
    def from_dict(cls, data: dict) -> DangerModel:
        if data["kind"] != "likeness" or data["k"] != LIKENESS_K:
            raise ValueError(f"a {data['kind']} model with k={data.get('k')}, not likeness with k={LIKENESS_K}")
        telling = np.zeros(int(data["bank_questions"]), dtype=bool)
        telling[np.asarray(data["telling"], dtype=np.int64)] = True
        return cls(float(data["threshold"]), telling, np.array(data["kind_weights"], dtype=np.float32),
                   np.array(data["kind_bias"], dtype=np.float32), tuple(data["kinds"]))


def load_model(index: LoadedIndex) -> DangerModel | None:
    """The fitted danger model of ``index``, or None before the first fit (the curated phrases still count)."""
    part = (index.fit or {}).get("danger")
    if not part:
        return None
    try:
        model = DangerModel.from_dict(part)
        if len(model.telling) != index.bank.ntotal:
            raise ValueError(f"fitted on {len(model.telling)} bank questions, the index holds {index.bank.ntotal}")
        return model
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ModelError(f"the danger model is not a fitted model ({type(exc).__name__}: {exc})") from exc
