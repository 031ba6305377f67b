"""Victim-facing topics of passages (curated patterns in corpus/topics.json).

A topic tag says what a passage can help a victim with ("residence",
"compensation", ...).  Tagged passages are translated into every supported
language first, and the guided triage uses the tags to pick the passages
that state a person's rights.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..textnorm import fold

TOPICS_FILE = "topics.json"


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    pattern: re.Pattern[str]


def load_topics(path: Path | None = None) -> list[Topic]:
    path = path or paths.corpus_dir() / TOPICS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Topic(key, spec["label"], re.compile(spec["pattern"]))
        for key, spec in data.items()
        if not key.startswith("_")
    ]


def tag(text: str, topics: list[Topic]) -> list[str]:
    folded = fold(text)
    return [t.id for t in topics if t.pattern.search(folded)]
