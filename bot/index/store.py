"""Load a built index and refuse a stale one.

An index answers only for the corpus, encoder and translations it was
built from; anything else is refused with a message that names the fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from .. import paths
from ..corpus.load import Corpus
from .build import FORMAT, LEXICAL, MANIFEST, UNITS, VECTORS, catalog_hashes
from .lexical import LexicalIndex

REBUILD = "run `bot index build` to rebuild it"


class IndexUnavailable(RuntimeError):
    """The index is missing, corrupt or stale; the message says how to fix it."""


@dataclass
class LoadedIndex:
    manifest: dict
    vectors: np.ndarray  # (units, dim), L2-normalised
    faiss: faiss.Index
    unit_rows: np.ndarray  # unit -> passage row
    unit_spans: list[tuple[int, int]]
    unit_kinds: np.ndarray  # passage | window | title
    lexical: dict[str, LexicalIndex]


def load_index(corpus: Corpus, encoder_id: str, directory: Path | None = None) -> LoadedIndex:
    directory = directory or paths.index_dir()
    manifest_path = directory / MANIFEST
    if not manifest_path.exists():
        raise IndexUnavailable(f"no index in {directory}: {REBUILD}")
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"the index manifest {manifest_path} is unreadable ({exc}): {REBUILD}") from exc
    problems = stale_reasons(manifest, corpus, encoder_id)
    if problems:
        raise IndexUnavailable(f"the index in {directory} is stale ({'; '.join(problems)}): {REBUILD}")
    try:
        index = faiss.read_index(str(directory / VECTORS))
        units = json.loads((directory / UNITS).read_text())
        lexical = {
            sub.name: LexicalIndex.load(sub.name, sub, len(corpus.passages))
            for sub in sorted((directory / LEXICAL).iterdir())
        }
        vectors = index.reconstruct_n(0, index.ntotal)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise IndexUnavailable(f"the index in {directory} is corrupt ({type(exc).__name__}: {exc}): {REBUILD}") from exc
    if index.ntotal != len(units["rows"]) or index.ntotal != manifest.get("vectors"):
        raise IndexUnavailable(f"the index in {directory} is corrupt (vector count does not match): {REBUILD}")
    return LoadedIndex(
        manifest=manifest,
        vectors=vectors,
        faiss=index,
        unit_rows=np.asarray(units["rows"], dtype=np.int64),
        unit_spans=[tuple(s) for s in units["spans"]],
        unit_kinds=np.asarray(units["kinds"]),
        lexical=lexical,
    )


def stale_reasons(manifest: dict, corpus: Corpus, encoder_id: str) -> list[str]:
    """Why an index cannot answer for this corpus, encoder and catalogs (empty: it can)."""
    reasons = []
    if manifest.get("format") != FORMAT:
        reasons.append(f"index format {manifest.get('format')} is not {FORMAT}")
    if manifest.get("corpus_hash") != corpus.hash:
        reasons.append("built from a different corpus")
    if manifest.get("encoder") != encoder_id:
        reasons.append(f"built with encoder {manifest.get('encoder')}, not {encoder_id}")
    if manifest.get("catalogs") != catalog_hashes():
        reasons.append("the passage translations (corpus.po) changed")
    return reasons
