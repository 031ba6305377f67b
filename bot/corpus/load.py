"""Read the built corpus (passages, measures) that `bot corpus build` wrote."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .files import MANIFEST_FILE, MEASURES_FILE, PASSAGES_FILE
from .sources import Source, load_sources, sources_hash


class CorpusError(RuntimeError):
    """The built corpus is missing or out of date (message says how to fix it)."""


@dataclass(frozen=True)
class Corpus:
    passages: list[dict]
    sources: dict[str, Source]
    measures: dict[str, list[dict]]
    hash: str  # sha256 of passages.jsonl: what an index was built from

    def by_id(self) -> dict[str, int]:
        return {p["id"]: i for i, p in enumerate(self.passages)}


def load_corpus(directory: Path | None = None, check_sources: bool = True) -> Corpus:
    directory = directory or paths.built_corpus_dir()
    passages_path = directory / PASSAGES_FILE
    if not passages_path.exists():
        raise CorpusError(f"no built corpus in {directory}: run `bot corpus build`")
    raw = passages_path.read_bytes()
    sources = {s.id: s for s in load_sources()}
    if check_sources:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("sources_hash") != sources_hash(list(sources.values())):
            raise CorpusError("the sources changed since the corpus was built: run `bot corpus build`, then `bot index build`")
    measures_path = directory / MEASURES_FILE
    measures = json.loads(measures_path.read_text(encoding="utf-8")) if measures_path.exists() else {}
    passages = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    return Corpus(passages, sources, measures, hashlib.sha256(raw).hexdigest())
