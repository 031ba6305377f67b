"""Source documents and their metadata (one JSON file beside each text).

The metadata is what a citation needs (title, publisher, as-of date) plus the
per-edition cleaning hints a maintainer may have to adjust when a new edition
comes out (running headers, errata, lines to drop).  The cleaning *code* is
generic; anything specific to one edition lives here, as data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import paths

REQUIRED = ("id", "file", "title", "publisher", "as_of", "language", "kind")


class SourceError(ValueError):
    """A source's metadata is missing or malformed."""


@dataclass(frozen=True)
class Source:
    id: str
    file: str
    title: str
    short_title: str
    publisher: str
    as_of: str
    language: str
    kind: str
    as_of_note: str = ""
    original_language: str = ""  # the language the document was written in ("" : the language of the text)
    cleaning: dict[str, Any] = field(default_factory=dict)
    directory: Path = Path(".")

    @property
    def path(self) -> Path:
        return self.directory / self.file

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def citation(self) -> dict[str, str]:
        """The fields every citation of this document carries."""
        return {"doc": self.id, "title": self.title, "as_of": self.as_of}


def load_source(meta_path: Path) -> Source:
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(f"{meta_path}: not valid JSON ({exc})") from exc
    missing = [key for key in REQUIRED if not data.get(key)]
    if missing:
        raise SourceError(f"{meta_path}: missing {', '.join(missing)}")
    source = Source(
        id=data["id"],
        file=data["file"],
        title=data["title"],
        short_title=data.get("short_title") or data["title"],
        publisher=data["publisher"],
        as_of=data["as_of"],
        language=data["language"],
        kind=data["kind"],
        as_of_note=data.get("as_of_note", ""),
        original_language=data.get("original_language") or data["language"],
        cleaning=data.get("cleaning", {}),
        directory=meta_path.parent,
    )
    if not source.path.is_file():
        raise SourceError(f"{meta_path}: text file {source.file} not found")
    return source


def load_sources(directory: Path | None = None) -> list[Source]:
    """All sources in ``corpus/sources``, in file-name order (stable)."""
    directory = directory or paths.sources_dir()
    sources = [load_source(p) for p in sorted(directory.glob("*.json"))]
    if not sources:
        raise SourceError(f"no source metadata (*.json) in {directory}")
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise SourceError(f"duplicate source ids in {directory}: {ids}")
    return sources


def sources_hash(sources: list[Source]) -> str:
    """What a built corpus was built from: every source text and its metadata."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.path.read_bytes())
        digest.update((source.directory / f"{source.path.stem}.json").read_bytes())
    return digest.hexdigest()
