"""The embedding cache: every vector encoded, kept across builds, even a killed one.

Encoding is the slow part of a build (about a second per ten texts on two
cores).  Vectors are keyed by encoder, role and text, and come from two
places: the index being replaced, and the chunks a build writes beside it
(``.index-cache/``) after every batch -- so a build killed half-way gives its
work to the next one.  A successful build folds the chunks away: its index
holds them.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import faiss
import numpy as np

from ..atomic import write_bytes_atomic
from .layout import (
    ASKING_UNITS, ASKING_VECTORS, BANK_UNITS, BANK_VECTORS, CARD_UNITS, CARD_VECTORS, DANGER_UNITS, DANGER_VECTORS, PASSAGE_UNITS, PASSAGE_VECTORS,
    TRANSLATION_UNITS, TRANSLATION_VECTORS, TYPED_SAME_UNITS, TYPED_SAME_VECTORS,
)

CHUNK = 64  # vectors per chunk file


def cache_dir(index: Path) -> Path:
    return index.parent / f".{index.name}-cache"


class EmbeddingCache:
    def __init__(self, index: Path) -> None:
        self.directory = cache_dir(index)
        self.vectors: dict[str, np.ndarray] = {}
        self._pending: dict[str, np.ndarray] = {}
        self._load_index(index)
        self._load_chunks()

    def _load_index(self, index: Path) -> None:
        for vectors_file, units_file in ((PASSAGE_VECTORS, PASSAGE_UNITS), (TRANSLATION_VECTORS, TRANSLATION_UNITS),
                                         (BANK_VECTORS, BANK_UNITS), (DANGER_VECTORS, DANGER_UNITS), (ASKING_VECTORS, ASKING_UNITS),
                                         (CARD_VECTORS, CARD_UNITS), (TYPED_SAME_VECTORS, TYPED_SAME_UNITS)):
            try:
                keys = json.loads((index / units_file).read_text())["keys"]
                stored = faiss.read_index(str(index / vectors_file))
                if stored.ntotal == len(keys):
                    self.vectors.update(zip(keys, stored.reconstruct_n(0, stored.ntotal)))
            except (OSError, ValueError, KeyError, TypeError, RuntimeError):
                continue

    def _load_chunks(self) -> None:
        for chunk in sorted(self.directory.glob("chunk-*.npz")):
            try:
                with np.load(chunk) as data:
                    self.vectors.update(zip((str(k) for k in data["keys"]), data["vectors"]))
            except (OSError, ValueError, KeyError):
                chunk.unlink(missing_ok=True)  # a chunk cut by a kill: its vectors are encoded again

    def __contains__(self, key: str) -> bool:
        return key in self.vectors

    def __getitem__(self, key: str) -> np.ndarray:
        return self.vectors[key]

    def add(self, key: str, vector: np.ndarray) -> None:
        self.vectors[key] = vector
        self._pending[key] = vector
        if len(self._pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        buffer = io.BytesIO()
        np.savez(buffer, keys=np.array(list(self._pending)), vectors=np.stack(list(self._pending.values())))
        n = len(list(self.directory.glob("chunk-*.npz"))) if self.directory.exists() else 0
        write_bytes_atomic(self.directory / f"chunk-{n:06d}.npz", buffer.getvalue())
        self._pending.clear()

    def clear(self) -> None:
        """After a successful build: its index holds every vector."""
        self._pending.clear()
        shutil.rmtree(self.directory, ignore_errors=True)
