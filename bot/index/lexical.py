"""Lexical retrieval: BM25 (bm25s) per language, with stemming where a stemmer exists.

The English index covers the source passages.  Each translation catalog
adds an index in its language over the passages translated into it, so a
French question is matched word for word against French text instead of
producing noise against English.  Tokens that mean the same in every
language — numbers, acronyms, article references ("L316-1", "CESEDA",
"Ac.Sé") — are also looked up in the English index for any question.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s import stopwords as bm25_stopwords

from ..i18n.languages import LANGUAGES
from ..textnorm import HAN, strip_accents

ARTICLE = re.compile(r"\b([LRD])\.?\s?(\d{1,4}(?:-\d+)+)\b", re.I)
DOTTED = re.compile(r"\b(?:[A-Za-z]{1,3}\.)+[A-Za-zÀ-ÿ]{1,3}\b")  # Ac.Sé -> acse
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,}\b")
NUMBER = re.compile(r"\d+")
WORD = re.compile(r"[^\W_]+", re.U)
HAN_RUN = re.compile(f"[{HAN}]+")
STOPWORDS = {
    "en": bm25_stopwords.STOPWORDS_EN,
    "pcm": bm25_stopwords.STOPWORDS_EN,
    "fr": bm25_stopwords.STOPWORDS_FRENCH,
    "es": bm25_stopwords.STOPWORDS_SPANISH,
    "pt": bm25_stopwords.STOPWORDS_PORTUGUESE,
    "ru": bm25_stopwords.STOPWORDS_RUSSIAN,
    "zh": bm25_stopwords.STOPWORDS_CHINESE,
}


@lru_cache(maxsize=None)
def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    algorithm = LANGUAGES[lang].stemmer if lang in LANGUAGES else None
    return Stemmer.Stemmer(algorithm) if algorithm else None


def _split(text: str) -> tuple[list[str], str]:
    """Language-independent tokens, and the text that is left for words.

    Article references ("L 316-1" -> "l316-1"), dotted names ("Ac.Sé" ->
    "acse"), ACRONYMS and numbers mean the same in every language.
    """
    tokens = [f"{m.group(1).lower()}{m.group(2)}" for m in ARTICLE.finditer(text)]
    rest = ARTICLE.sub(" ", text)
    tokens += [strip_accents(m.group(0).replace(".", "").lower()) for m in DOTTED.finditer(rest)]
    rest = DOTTED.sub(" ", rest)
    tokens += [m.group(0).lower() for m in ACRONYM.finditer(rest)]
    rest = ACRONYM.sub(" ", rest)
    tokens += NUMBER.findall(rest)
    return tokens, NUMBER.sub(" ", rest)


def special_tokens(text: str) -> list[str]:
    """Article references, dotted names, acronyms and numbers of ``text``."""
    return _split(text)[0]


def tokenize(text: str, lang: str) -> list[str]:
    """Tokens for BM25 in ``lang``: special tokens plus stemmed, accent-free words."""
    tokens, rest = _split(text)
    if LANGUAGES.get(lang) and LANGUAGES[lang].cjk:
        for run in HAN_RUN.findall(rest):
            tokens += [run] if len(run) == 1 else [run[i: i + 2] for i in range(len(run) - 1)]
        rest = HAN_RUN.sub(" ", rest)
    stops = STOPWORDS.get(lang, ())
    words = [w for w in (w.lower() for w in WORD.findall(rest)) if w not in stops and len(w) > 1]
    stemmer = _stemmer(lang)
    if stemmer:
        words = stemmer.stemWords(words)
    return tokens + [strip_accents(w) for w in words]


class LexicalIndex:
    """BM25 over the passages available in one language."""

    def __init__(self, lang: str, retriever: bm25s.BM25, rows: np.ndarray, size: int) -> None:
        self.lang = lang
        self._bm25 = retriever
        self._rows = rows  # BM25 document -> passage row in the engine's passage table
        self._size = size
        self._vocab = set(retriever.vocab_dict)

    @classmethod
    def build(cls, lang: str, texts: list[str], rows: list[int], size: int) -> LexicalIndex:
        # the vocabulary in order of first use: bm25s numbers a set of tokens, whose order changes with every process,
        # so an unchanged corpus would be written as different files on every build
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(token, len(vocab)) for token in tokenize(t, lang) or [""]] for t in texts]
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls(lang, retriever, np.asarray(rows, dtype=np.int64), size)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage (0 for passages not in this language)."""
        out = np.zeros(self._size, dtype=np.float32)
        known = [t for t in tokens if t in self._vocab]
        if known:
            out[self._rows] = self._bm25.get_scores(known)
        return out

    def rows_valid(self) -> bool:
        """Every BM25 document points at a row of the table it scores."""
        if len(self._rows) != int(self._bm25.scores.get("num_docs", -1)):
            return False
        return not len(self._rows) or (int(self._rows.min()) >= 0 and int(self._rows.max()) < self._size)

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), show_progress=False)
        (directory / "rows.json").write_text(json.dumps(self._rows.tolist()))

    @classmethod
    def load(cls, lang: str, directory: Path, size: int) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0)
        rows = np.asarray(json.loads((directory / "rows.json").read_text()), dtype=np.int64)
        return cls(lang, retriever, rows, size)
