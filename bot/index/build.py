"""`bot index build`: the built corpus -> index/ (dense vectors, BM25, manifest).

The index holds, for every passage indexed (repeated blocks excluded):

* one vector for the whole passage, one per window of two sentences, and
  one for the title of its section (``vectors.faiss``, ``units.json``): the
  windows let a passage that answers the question in one sentence among
  many still rank first, and tell which sentences to highlight; the title
  works as the title field of classic search engines;
* one BM25 index per language: English over the sources, and each other
  language over the passages its ``corpus.po`` translates (``lexical/``);
* ``manifest.json``: what it was built from (corpus hash, encoder and
  version, catalog hashes) and when, so a stale index is refused.

The build is atomic: everything is written to a staging directory that
replaces ``index/`` only when complete.  Vectors are reused from the
previous index for every text it already encoded with the same encoder, so
a rebuild after a one-passage change encodes just that passage.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from tqdm import tqdm

from .. import __version__, paths
from ..atomic import replace_directory
from ..corpus.load import Corpus, load_corpus
from ..i18n.catalogs import CORPUS_DOMAIN, load_po
from ..i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from ..sentences import windows
from .encoders import DEFAULT_ENCODER, Encoder, load_encoder
from .lexical import LexicalIndex

FORMAT = 2
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
UNITS = "units.json"
LEXICAL = "lexical"
BATCH = 8


PASSAGE, WINDOW, TITLE = "passage", "window", "title"
# Section names that say where a passage sits but not what it is about.
GENERIC_SECTIONS = {"Actions of the State", "Comments and recommendations of the CNCDH", "Notes"}


@dataclass(frozen=True)
class Unit:
    """One vector: a whole passage, a window of it, or its section's title."""

    row: int  # passage row in the corpus
    start: int  # offsets into the passage text (windows); 0, 0 for titles
    end: int
    kind: str  # passage | window | title
    title: str = ""

    def text(self, corpus: Corpus) -> str:
        return self.title if self.kind == TITLE else corpus.passages[self.row]["text"][self.start: self.end]


def section_title(passage: dict) -> str | None:
    """The most specific section name that says what the passage is about."""
    for name in reversed(passage["section"]):
        if name not in GENERIC_SECTIONS:
            return re.sub(r"^(?:Measure|Priority) [\dIVX]+ — ", "", name)
    return None


def indexed_rows(corpus: Corpus) -> list[int]:
    """Passages that are searched: every one but the repeated blocks."""
    return [i for i, p in enumerate(corpus.passages) if not p.get("duplicate_of")]


def units_for(corpus: Corpus) -> list[Unit]:
    units: list[Unit] = []
    for row in indexed_rows(corpus):
        passage = corpus.passages[row]
        text = passage["text"]
        units.append(Unit(row, 0, len(text), PASSAGE))
        spans = windows(text)
        if len(spans) > 1:
            units.extend(Unit(row, s, e, WINDOW) for s, e in spans)
        if title := section_title(passage):
            units.append(Unit(row, 0, 0, TITLE, title))
    return units


def text_key(encoder_id: str, text: str) -> str:
    return hashlib.sha1(f"{encoder_id}\n{text}".encode()).hexdigest()


def catalog_hashes(locales: Path | None = None) -> dict[str, str]:
    """sha256 of each language's corpus.po: a changed translation makes the index stale."""
    locales = locales or paths.locales_dir()
    out = {}
    for po in sorted(locales.glob(f"*/LC_MESSAGES/{CORPUS_DOMAIN}.po")):
        out[po.parent.parent.name] = hashlib.sha256(po.read_bytes()).hexdigest()
    return out


def current_translations(corpus: Corpus, lang: str) -> dict[int, str]:
    """Passage row -> translation, for translations that are current.

    A translation counts only when it is not fuzzy and its msgid is the
    passage's present text: after a new edition, `pybabel update` marks
    changed passages fuzzy, and they drop out until a translator updates them.
    """
    catalog = load_po(lang, CORPUS_DOMAIN)
    if catalog is None:
        return {}
    rows = corpus.by_id()
    out: dict[int, str] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy or message.context not in rows:
            continue
        row = rows[message.context]
        if corpus.passages[row]["text"] == message.id:
            out[row] = message.string
    return out


def _previous_vectors(directory: Path, encoder_id: str) -> dict[str, np.ndarray]:
    """Vectors of the index being replaced, by text key (the embedding cache)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
        if manifest.get("encoder") != encoder_id:
            return {}
        keys = json.loads((directory / UNITS).read_text())["keys"]
        index = faiss.read_index(str(directory / VECTORS))
        vectors = index.reconstruct_n(0, index.ntotal)
    except (OSError, ValueError, KeyError, RuntimeError):
        return {}
    return dict(zip(keys, vectors))


def encode_units(encoder: Encoder, texts: list[str], cache: dict[str, np.ndarray], progress: bool) -> tuple[np.ndarray, int]:
    """Vectors for ``texts``, encoding only what the cache lacks; returns (vectors, encoded)."""
    keys = [text_key(encoder.id, t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cache}.items())
    bar = tqdm(total=len(missing), desc="encoding", unit="text", disable=not progress or not missing)
    for i in range(0, len(missing), BATCH):
        batch = missing[i: i + BATCH]
        for (key, _), vector in zip(batch, encoder.passages([t for _, t in batch])):
            cache[key] = vector
        bar.update(len(batch))
    bar.close()
    return np.stack([cache[k] for k in keys]).astype(np.float32), len(missing)


def build_index(
    encoder_spec: str = DEFAULT_ENCODER,
    target: Path | None = None,
    progress: bool = True,
    encoder: Encoder | None = None,
) -> dict:
    """Build the index atomically into ``target`` (default ``index/``); return its manifest."""
    started = time.monotonic()
    target = target or paths.index_dir()
    corpus = load_corpus()
    encoder = encoder or load_encoder(encoder_spec)
    units = units_for(corpus)
    texts = [u.text(corpus) for u in units]
    cache = _previous_vectors(target, encoder.id)
    vectors, encoded = encode_units(encoder, texts, cache, progress)
    rows = indexed_rows(corpus)
    lexical = {SOURCE_LANGUAGE: ([corpus.passages[r]["text"] for r in rows], rows)}
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        translated = {r: t for r, t in current_translations(corpus, lang).items() if r in set(rows)}
        if translated:
            lexical[lang] = (list(translated.values()), list(translated))
    with replace_directory(target) as staging:
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        faiss.write_index(index, str(staging / VECTORS))
        (staging / UNITS).write_text(json.dumps({
            "rows": [u.row for u in units],
            "spans": [[u.start, u.end] for u in units],
            "kinds": [u.kind for u in units],
            "keys": [text_key(encoder.id, t) for t in texts],
        }))
        for lang, (lang_texts, lang_rows) in lexical.items():
            directory = staging / LEXICAL / lang
            LexicalIndex.build(lang, lang_texts, lang_rows, len(corpus.passages)).save(directory)
        manifest = {
            "format": FORMAT,
            "bot_version": __version__,
            "corpus_hash": corpus.hash,
            "encoder": encoder.id,
            "encoder_spec": encoder_spec,
            "dim": int(vectors.shape[1]),
            "passages": len(corpus.passages),
            "indexed_passages": len(rows),
            "vectors": int(vectors.shape[0]),
            "encoded_now": encoded,
            "lexical_languages": {lang: len(v[1]) for lang, v in lexical.items()},
            "catalogs": catalog_hashes(),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.monotonic() - started, 1),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest
