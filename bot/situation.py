"""What a message tells about the person's situation.

Immediate danger, being under 18, the form of exploitation and what the
person needs, recognised from curated phrases in every supported language
(corpus/signals.json).  Phrases of all languages are tried on every
message: a frightened person may write two words in a language detection
cannot be sure of.

Danger is deliberately narrow: a phrase of immediate danger ("they are
hitting me", "au secours", "ayúdenme"), not spoken of in the past or as a
hypothesis ("what happens if I was hit in the past?").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import paths
from .textnorm import fold, fold_pattern

SIGNALS_FILE = "signals.json"


@dataclass(frozen=True)
class Situation:
    danger: bool = False
    minor: bool = False
    kinds: frozenset[str] = field(default_factory=frozenset)  # sexual, labour, domestic, begging, crime
    needs: frozenset[str] = field(default_factory=frozenset)  # shelter, residence, compensation, ...

    def merged(self, other: Situation) -> Situation:
        """What two messages (or a message and triage answers) say together."""
        return Situation(
            danger=self.danger or other.danger,
            minor=self.minor or other.minor,
            kinds=self.kinds | other.kinds,
            needs=self.needs | other.needs,
        )


def _compile(patterns: dict[str, list[str]]) -> re.Pattern[str]:
    alternatives = [fold_pattern(p) for lang in sorted(patterns) for p in patterns[lang]]
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


@dataclass(frozen=True)
class Signals:
    danger: re.Pattern[str]
    not_now: re.Pattern[str]
    minor: re.Pattern[str]
    kinds: dict[str, re.Pattern[str]]
    needs: dict[str, re.Pattern[str]]

    @classmethod
    def load(cls, path: Path | None = None) -> Signals:
        data = json.loads((path or paths.corpus_dir() / SIGNALS_FILE).read_text(encoding="utf-8"))
        return cls(
            danger=_compile(data["danger"]),
            not_now=_compile(data["not_now"]),
            minor=_compile(data["minor"]),
            kinds={k: _compile(v) for k, v in data["kinds"].items()},
            needs={k: _compile(v) for k, v in data["needs"].items()},
        )

    def read(self, text: str) -> Situation:
        folded = fold(text)
        return Situation(
            danger=bool(self.danger.search(folded)) and not self.not_now.search(folded),
            minor=bool(self.minor.search(folded)),
            kinds=frozenset(k for k, p in self.kinds.items() if p.search(folded)),
            needs=frozenset(k for k, p in self.needs.items() if p.search(folded)),
        )


@lru_cache(maxsize=1)
def default_signals() -> Signals:
    return Signals.load()
