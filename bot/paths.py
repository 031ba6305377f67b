"""Where the project's data lives.

The bot is installed in editable mode from a checkout, so the data folders
(`corpus/`, `index/`, `locales/`) sit next to the package.  ``BOT_HOME``
points elsewhere (tests build throw-away corpora and indexes there).
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The project root holding corpus/, index/ and locales/."""
    env = os.environ.get("BOT_HOME")
    return Path(env) if env else Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    return home() / "corpus"


def sources_dir() -> Path:
    return corpus_dir() / "sources"


def built_corpus_dir() -> Path:
    """Cleaned documents and passages produced by ``bot corpus build``."""
    return corpus_dir() / "built"


def index_dir() -> Path:
    env = os.environ.get("BOT_INDEX")
    return Path(env) if env else home() / "index"


def locales_dir() -> Path:
    return home() / "locales"
