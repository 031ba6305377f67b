"""Load a built index, and refuse one that is stale, damaged or incomplete.

An index answers only for the corpus, bank, encoder and translations it was
built from, and only with the very files it was built with: the manifest
records the hash of each, checked once at load.  Anything else is refused
with a message that names the file and the fix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import faiss
import numpy as np

from .. import paths
from ..bank import bank_hash
from ..corpus.load import Corpus
from ..i18n.catalogs import CORPUS_DOMAIN
from .layout import (
    BANK_LEXICAL, BANK_UNITS, BANK_VECTORS, CARD_UNITS, CARD_VECTORS, DANGER_UNITS, DANGER_VECTORS, FIT, FORMAT, LEXICAL, MANIFEST, PASSAGE_UNITS,
    PASSAGE_VECTORS, PROBE, PROBE_FEATURES, TRANSLATION_UNITS, TRANSLATION_VECTORS,
)
from ..retrieval.probe import Probe
from .lexical import LexicalIndex

REBUILD = "run `bot index build` to rebuild it"
NEAREST_KEPT = 8  # vectors whose nearest bank units are kept (:meth:`LoadedIndex.nearest_questions`)


class IndexUnavailable(RuntimeError):
    """The index is missing, corrupt or stale; the message says how to fix it."""


@dataclass
class LoadedIndex:
    directory: Path
    manifest: dict
    passages: faiss.Index  # passage units: whole passages, windows, titles
    unit_rows: np.ndarray  # passage unit -> passage row
    unit_spans: list[tuple[int, int]]
    unit_kinds: np.ndarray  # passage | window | title
    translations: faiss.Index  # current translations of the passages
    translation_rows: np.ndarray  # translation unit -> passage row
    translation_langs: list[str]
    bank: faiss.Index  # bank units: in-scope questions and negatives
    bank_rows: np.ndarray  # bank unit -> passage row (-1: a negative)
    bank_langs: list[str]
    bank_audiences: list[str | None]
    bank_asks: list[str | None]
    bank_cards: list[str | None]  # per bank unit: the rights card that answers it, "none", or None (not labelled)
    bank_categories: list[str | None]
    bank_names: list[list[str]]  # per bank unit: what a negative names that makes it one (bot.retrieval.scope.named)
    lexical: dict[str, LexicalIndex]  # passages, per language
    bank_lexical: dict[str, LexicalIndex]  # bank questions, per language
    danger: faiss.Index  # the danger examples and look-alikes
    danger_kinds: np.ndarray  # per danger unit: its kind of danger, or "none" (a look-alike, a bank question)
    danger_copy_of_example: np.ndarray  # per danger unit: the example it is a typed copy of, or -1
    danger_copy_of_question: np.ndarray  # per danger unit: the bank question it is a typed copy of, or -1
    cards: faiss.Index  # the rights cards, per language they are translated into
    card_ids: list[str]
    card_langs: list[str]
    fit: dict | None  # the fitted fusion, abstention and danger models (None while building)
    probe: Probe | None  # the fitted probe from a question's vector to its passage (while building: set by the fit)

    _nearest: dict[bytes, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, init=False, repr=False)
    _depth: int = field(default=0, init=False, repr=False)  # the deepest search asked of nearest_questions

    @property
    def negative(self) -> np.ndarray:
        return self.bank_rows < 0

    @cached_property
    def passage_vectors(self) -> np.ndarray:
        """The passage units' vectors, decoded once: decoding a question's candidates' units from faiss each time took
        a third of a millisecond, twenty times what indexing this array takes.  (Their translations, fewer per
        question, are decoded as they come: 0.04 ms, against 3.3 MB kept.)"""
        return self.passages.reconstruct_n(0, self.passages.ntotal)

    def nearest_questions(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The similarities and ids of the ``k`` bank units nearest each of ``vectors`` (as ``bank.search``).

        The danger reading and retrieval both search the bank for the vector of
        a one-sentence message, 238 and 759 units deep: the last few vectors'
        units are kept, as deep as any reader has asked, and the shallower
        reader takes their first ``k`` (a search costs half a millisecond).
        A batch (the fit's) is searched as it comes.
        """
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        k = min(k, self.bank.ntotal)
        if len(vectors) > NEAREST_KEPT:
            return self.bank.search(vectors, k)
        self._depth = max(self._depth, k)
        keys = [v.tobytes() for v in vectors]
        missing = [i for i, key in enumerate(keys) if key not in self._nearest or self._nearest[key][0].shape[0] < k]
        if missing:
            sims, ids = self.bank.search(vectors[missing], self._depth)
            for i, s, u in zip(missing, sims, ids):
                self._nearest.pop(keys[i], None)
                self._nearest[keys[i]] = (s, u)
            while len(self._nearest) > NEAREST_KEPT:
                del self._nearest[next(iter(self._nearest))]
        found = [self._nearest[key] for key in keys]
        return np.stack([s[:k] for s, _ in found]), np.stack([u[:k] for _, u in found])


def catalog_hashes(locales: Path | None = None) -> dict[str, str]:
    """sha256 of each language's corpus.po: a changed translation makes the index stale."""
    locales = locales or paths.locales_dir()
    return {
        po.parent.parent.name: hashlib.sha256(po.read_bytes()).hexdigest()
        for po in sorted(locales.glob(f"*/LC_MESSAGES/{CORPUS_DOMAIN}.po"))
    }


def file_hashes(directory: Path) -> dict[str, str]:
    """sha256 of every file of an index, by path relative to it (the manifest excepted)."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def stale_reasons(manifest: dict, corpus: Corpus, encoder_id: str) -> list[str]:
    """Why an index cannot answer for this corpus, bank, encoder and catalogs (empty: it can)."""
    reasons = []
    if manifest.get("format") != FORMAT:
        reasons.append(f"index format {manifest.get('format')} is not {FORMAT}")
    if manifest.get("corpus_hash") != corpus.hash:
        reasons.append("built from a different corpus")
    if manifest.get("encoder") != encoder_id:
        reasons.append(f"built with encoder {manifest.get('encoder')}, not {encoder_id}")
    if manifest.get("catalogs") != catalog_hashes():
        reasons.append("the passage translations (corpus.po) changed")
    if manifest.get("bank_hash") != bank_hash():
        reasons.append("the question bank or the danger examples (corpus/questions, corpus/danger) changed")
    return reasons


def _verify_files(directory: Path, manifest: dict) -> None:
    expected = manifest.get("files")
    if not isinstance(expected, dict):
        raise IndexUnavailable(f"the index manifest {directory / MANIFEST} lists no file hashes: {REBUILD}")
    actual = file_hashes(directory)
    for name, digest in expected.items():
        if name not in actual:
            raise IndexUnavailable(f"the index in {directory} is incomplete ({name} is missing): {REBUILD}")
        if actual[name] != digest:
            raise IndexUnavailable(f"the index in {directory} is damaged ({name} is not the file it was built with): {REBUILD}")
    extra = sorted(set(actual) - set(expected))
    if extra:
        raise IndexUnavailable(f"the index in {directory} holds files it was not built with ({extra[0]}): {REBUILD}")


def load_index(
    corpus: Corpus, encoder_id: str, directory: Path | None = None, manifest: dict | None = None, verify: bool = True
) -> LoadedIndex:
    """Load and check an index; ``manifest`` and ``verify=False`` are for the build, which loads its staging copy."""
    directory = directory or paths.index_dir()
    if manifest is None:
        manifest_path = directory / MANIFEST
        if not manifest_path.exists():
            raise IndexUnavailable(f"no index in {directory}: {REBUILD}")
        try:
            manifest = json.loads(manifest_path.read_text())
            if not isinstance(manifest, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"the index manifest {manifest_path} is unreadable ({exc}): {REBUILD}") from exc
    if verify:
        problems = stale_reasons(manifest, corpus, encoder_id)
        if problems:
            raise IndexUnavailable(f"the index in {directory} is stale ({'; '.join(problems)}): {REBUILD}")
        _verify_files(directory, manifest)
    try:
        passages = faiss.read_index(str(directory / PASSAGE_VECTORS))
        units = json.loads((directory / PASSAGE_UNITS).read_text())
        translations = faiss.read_index(str(directory / TRANSLATION_VECTORS))
        translation_units = json.loads((directory / TRANSLATION_UNITS).read_text())
        bank = faiss.read_index(str(directory / BANK_VECTORS))
        bank_units = json.loads((directory / BANK_UNITS).read_text())
        lexical = {sub.name: LexicalIndex.load(sub.name, sub, len(corpus.passages)) for sub in sorted((directory / LEXICAL).iterdir())}
        bank_lexical = {
            sub.name: LexicalIndex.load(sub.name, sub, len(bank_units["rows"]))
            for sub in sorted((directory / BANK_LEXICAL).iterdir())
        } if (directory / BANK_LEXICAL).exists() else {}
        danger = faiss.read_index(str(directory / DANGER_VECTORS))
        danger_units = json.loads((directory / DANGER_UNITS).read_text())
        cards = faiss.read_index(str(directory / CARD_VECTORS))
        card_units = json.loads((directory / CARD_UNITS).read_text())
        fit = json.loads((directory / FIT).read_text()) if verify else None
        probe = Probe(np.load(directory / PROBE_FEATURES, allow_pickle=False), np.load(directory / PROBE, allow_pickle=False)) if verify else None
        loaded = LoadedIndex(
            directory=directory,
            manifest=manifest,
            passages=passages,
            unit_rows=np.asarray(units["rows"], dtype=np.int64),
            unit_spans=[(int(a), int(b)) for a, b in units["spans"]],
            unit_kinds=np.asarray(units["kinds"]),
            translations=translations,
            translation_rows=np.asarray(translation_units["rows"], dtype=np.int64),
            translation_langs=list(translation_units["langs"]),
            bank=bank,
            bank_rows=np.asarray(bank_units["rows"], dtype=np.int64),
            bank_langs=list(bank_units["langs"]),
            bank_audiences=list(bank_units["audiences"]),
            bank_asks=list(bank_units["asks"]),
            bank_cards=list(bank_units["cards"]),
            bank_categories=list(bank_units["categories"]),
            bank_names=list(bank_units["names"]),
            lexical=lexical,
            bank_lexical=bank_lexical,
            danger=danger,
            danger_kinds=np.asarray(danger_units["kinds"]),
            danger_copy_of_example=np.asarray(danger_units["copy_of_example"], dtype=np.int64),
            danger_copy_of_question=np.asarray(danger_units["copy_of_question"], dtype=np.int64),
            cards=cards,
            card_ids=list(card_units["ids"]),
            card_langs=list(card_units["langs"]),
            fit=fit,
            probe=probe,
        )
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexUnavailable(f"the index in {directory} is corrupt ({type(exc).__name__}: {exc}): {REBUILD}") from exc
    _check_shapes(loaded, corpus)
    return loaded


def _check_shapes(index: LoadedIndex, corpus: Corpus) -> None:
    """Every reference inside the index points at something that exists."""
    size = len(corpus.passages)
    problems = []
    if index.passages.ntotal != len(index.unit_rows) or index.passages.ntotal != index.manifest.get("vectors"):
        problems.append("passage vector count does not match its units")
    if len(index.unit_spans) != len(index.unit_rows) or len(index.unit_kinds) != len(index.unit_rows):
        problems.append("passage unit columns differ in length")
    if len(index.unit_rows) and (index.unit_rows.min() < 0 or index.unit_rows.max() >= size):
        problems.append("a passage unit points outside the corpus")
    if index.translations.ntotal != len(index.translation_rows) or len(index.translation_langs) != len(index.translation_rows):
        problems.append("translation vector count does not match its units")
    if len(index.translation_rows) and (index.translation_rows.min() < 0 or index.translation_rows.max() >= size):
        problems.append("a translation points outside the corpus")
    n_bank = len(index.bank_rows)
    if index.bank.ntotal != n_bank or any(len(c) != n_bank for c in (index.bank_langs, index.bank_audiences, index.bank_asks, index.bank_cards, index.bank_categories, index.bank_names)):
        problems.append("bank vector count does not match its units")
    if n_bank and index.bank_rows.max() >= size:
        problems.append("a bank question points outside the corpus")
    if not index.danger.ntotal == len(index.danger_kinds) == len(index.danger_copy_of_example) == len(index.danger_copy_of_question):
        problems.append("danger vector count does not match its units")
    if not index.cards.ntotal == len(index.card_ids) == len(index.card_langs):
        problems.append("card vector count does not match its units")
    if len(index.danger_copy_of_question) and index.danger_copy_of_question.max() >= n_bank:
        problems.append("a danger unit copies a question outside the bank")
    if index.passages.d != index.bank.d:
        problems.append("passage and bank vectors differ in dimension")
    for name, lexical in [*index.lexical.items(), *index.bank_lexical.items()]:
        if not lexical.rows_valid():
            problems.append(f"the lexical index {name} points outside its table")
    if index.probe is not None and (index.probe.features.shape[0] != index.bank.d + 1
                                    or index.probe.weights.shape != (index.probe.features.shape[1], size)):
        problems.append(f"{PROBE} and {PROBE_FEATURES} do not map the vectors onto the corpus's passages")
    if index.fit is not None and not _fit_valid(index.fit):
        problems.append(f"{FIT} is not a fitted model")
    if problems:
        raise IndexUnavailable(f"the index in {index.directory} is corrupt ({problems[0]}): {REBUILD}")


def _fit_valid(fit: dict) -> bool:
    try:
        return all(fit[part]["kind"] == "trees" for part in ("ranker", "scope")) and isinstance(fit["scope"]["thresholds"], dict)
    except (KeyError, TypeError):
        return False

