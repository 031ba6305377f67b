"""What a message tells about the person's situation.

Immediate danger, being under 18, the form of exploitation and what the
person needs, recognised from curated phrases in every supported language
(corpus/signals.json).  The phrases of every language written in the
message's script are tried: a frightened person may write two words in a
language detection cannot be sure of.

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


# A phrase can only match a message written in its script: Cyrillic phrases
# cannot match Latin text, and scanning them costs time.  Each phrase is filed
# under the scripts of its letters (Bulgarian typed in Latin letters is Latin).
SCRIPT_CHARS = {
    "latin": re.compile(r"[a-z]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff]"),
    "han": re.compile(r"[\u3400-\u9fff]"),
}


def _scripts(text: str) -> list[str]:
    return [script for script, chars in SCRIPT_CHARS.items() if chars.search(text)]


def _compile(patterns: dict[str, list[str]]) -> dict[str, re.Pattern[str] | None]:
    """One alternation per script, of the phrases that contain letters of that script."""
    by_script: dict[str, list[str]] = {script: [] for script in SCRIPT_CHARS}
    for lang in sorted(patterns):
        for raw in patterns[lang]:
            folded = fold_pattern(raw)
            literal = re.sub(r"\\.|\(\?[<!=:]*|\[[^\]]*\]", " ", folded)  # letters outside escapes and classes
            for script in _scripts(literal) or list(SCRIPT_CHARS):
                by_script[script].append(folded)
    return {
        script: re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None
        for script, alternatives in by_script.items()
    }


def _search(compiled: dict[str, re.Pattern[str] | None], folded: str, scripts: list[str]) -> bool:
    return any((pattern := compiled[script]) is not None and pattern.search(folded) for script in scripts)


@dataclass(frozen=True)
class Signals:
    danger: dict[str, re.Pattern[str] | None]
    not_now: dict[str, re.Pattern[str] | None]
    minor: dict[str, re.Pattern[str] | None]
    kinds: dict[str, dict[str, re.Pattern[str] | None]]
    needs: dict[str, dict[str, re.Pattern[str] | None]]

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
        scripts = _scripts(folded)
        return Situation(
            danger=_search(self.danger, folded, scripts) and not _search(self.not_now, folded, scripts),
            minor=_search(self.minor, folded, scripts),
            kinds=frozenset(k for k, p in self.kinds.items() if _search(p, folded, scripts)),
            needs=frozenset(k for k, p in self.needs.items() if _search(p, folded, scripts)),
        )


@lru_cache(maxsize=1)
def default_signals() -> Signals:
    return Signals.load()
