"""Read the built corpus (passages, measures) that `bot corpus build` wrote."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .files import MANIFEST_FILE, MEASURES_FILE, PASSAGES_FILE
from .sources import Source, SourceError, load_sources, sources_hash


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

    @property
    def latest_year(self) -> int:
        """The year of the newest source: what the sources can say stops there."""
        return max(int(s.as_of[:4]) for s in self.sources.values())


REBUILD = "run `bot corpus build`, then `bot index build`"
PASSAGE_KEYS = ("id", "doc", "section", "start", "end", "text", "kind", "topics")


def _json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"{path} is missing: {REBUILD}") from exc
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{path} is damaged ({type(exc).__name__}): {REBUILD}") from exc


def load_corpus(directory: Path | None = None, check_sources: bool = True) -> Corpus:
    """The built corpus; anything missing, damaged or out of date is refused with the fix."""
    directory = directory or paths.built_corpus_dir()
    passages_path = directory / PASSAGES_FILE
    if not passages_path.exists():
        raise CorpusError(f"no built corpus in {directory}: run `bot corpus build`")
    raw = passages_path.read_bytes()
    try:
        sources = {s.id: s for s in load_sources()}
    except SourceError as exc:
        raise CorpusError(str(exc)) from exc
    if check_sources:
        manifest = _json(directory / MANIFEST_FILE)
        if not isinstance(manifest, dict) or manifest.get("sources_hash") != sources_hash(list(sources.values())):
            raise CorpusError(f"the sources changed since the corpus was built: {REBUILD}")
    measures_path = directory / MEASURES_FILE
    measures = _json(measures_path) if measures_path.exists() else {}
    passages = []
    for n, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            passage = json.loads(line)
            if not isinstance(passage, dict) or any(k not in passage for k in PASSAGE_KEYS) or passage["doc"] not in sources:
                raise ValueError("not a passage")
        except ValueError as exc:
            raise CorpusError(f"{passages_path}:{n} is damaged ({exc}): {REBUILD}") from exc
        passages.append(passage)
    if not isinstance(measures, dict):
        raise CorpusError(f"{measures_path} is damaged: {REBUILD}")
    return Corpus(passages, sources, measures, hashlib.sha256(raw).hexdigest())
