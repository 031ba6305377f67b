"""Language-aware hybrid retrieval: dense (passages and sentence windows) + BM25 + fuzzy terms.

Signals per passage, each z-normalised over the searchable passages:

* dense: cosine of the question with the whole passage, mixed with the
  best cosine among its two-sentence windows (a passage that answers in one
  sentence among many still ranks high);
* lexical in the question's language: BM25 over the source text for an
  English question, over the passages translated into the question's
  language otherwise;
* lexical, language-independent: numbers, acronyms and article references
  ("CESEDA", "L316-1", "2014"), fuzzily corrected ("Acse" -> "Ac.Sé"),
  matched against the English source whatever the question's language.

BM25 over English text only helps English questions (for other languages it
returns noise), so each question gets the lexical signal of its own
language.  The weights below were tuned on the development question set
(``bot eval ../shared/eval/dev.jsonl --sweep`` prints the grid).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .i18n.languages import SOURCE_LANGUAGE
from .index.fuzzy import FuzzyTerms
from .index.lexical import special_tokens, tokenize
from .index.build import PASSAGE, TITLE, WINDOW
from .index.store import LoadedIndex

WINDOW_WEIGHT = 0.6  # share of the best window or title in the dense score (the rest: whole passage)
LEXICAL_WEIGHT = {"source": 0.5, "translated": 0.5}  # question-language BM25
TERMS_WEIGHT = 0.2  # language-independent terms against the English source
# Bibliographic notes ("[16] For data on the Ac.Sé scheme see ...") share
# words with many questions but rarely answer one: they start one standard
# deviation lower.  A question naming the reference still finds them.
NOTES_PRIOR = -1.0
# What the person says they need ("papers", "a place to sleep", "I am 16")
# lifts the passages tagged with the matching topic.
NEEDS_WEIGHT = 0.5
NEED_TOPICS = {
    "residence": "residence", "shelter": "accommodation", "compensation": "compensation", "legal_help": "legal_aid",
    "return_home": "return", "health": "health", "child_protection": "children",
}


@dataclass
class Weights:
    window: float = WINDOW_WEIGHT
    lexical_source: float = LEXICAL_WEIGHT["source"]
    lexical_translated: float = LEXICAL_WEIGHT["translated"]
    terms: float = TERMS_WEIGHT
    needs: float = NEEDS_WEIGHT


@dataclass
class Signals:
    """Raw per-passage scores for one question, before fusion."""

    passage: np.ndarray  # whole-passage cosine
    window: np.ndarray  # best cosine of a window or of the section title
    best_unit: np.ndarray  # best window unit per passage, for the highlight (-1: none)
    lexical: np.ndarray | None  # BM25 in the question's language
    lexical_is_source: bool
    terms: np.ndarray  # BM25 of language-independent terms against the English source


@dataclass
class Ranking:
    order: np.ndarray  # passage rows, best first (searchable rows only)
    fused: np.ndarray  # fused score per passage row
    dense: np.ndarray  # mixed dense cosine per passage row (raw, for abstention)
    best_unit: np.ndarray  # best window unit per passage row (-1: none)


def _z(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    sub = values[mask]
    std = float(sub.std()) if sub.size else 0.0
    if std < 1e-9:
        return np.zeros_like(values)
    return (values - float(sub.mean())) / std


class Retriever:
    def __init__(self, index: LoadedIndex, passages: list[dict], weights: Weights | None = None) -> None:
        self.index = index
        self.weights = weights or Weights()
        self.size = len(passages)
        self.searchable = np.zeros(self.size, dtype=bool)
        self.searchable[np.unique(index.unit_rows)] = True
        kinds = index.unit_kinds
        whole = kinds == PASSAGE
        self._whole_unit = np.full(self.size, -1, dtype=np.int64)
        self._whole_unit[index.unit_rows[whole]] = np.nonzero(whole)[0]
        self._window_units = np.nonzero(kinds == WINDOW)[0]
        self._title_units = np.nonzero(kinds == TITLE)[0]
        self._prior = np.array([NOTES_PRIOR if p["kind"] == "notes" else 0.0 for p in passages], dtype=np.float32)
        self._topics = [frozenset(p.get("topics", ())) for p in passages]
        self._terms = FuzzyTerms([p["text"] for p in passages])

    def needs_mask(self, needs: set[str], minor: bool) -> np.ndarray | None:
        """Passages whose topics match what the person needs (None: nothing said)."""
        wanted = {NEED_TOPICS[n] for n in needs if n in NEED_TOPICS} | ({"children"} if minor else set())
        if not wanted:
            return None
        return np.array([bool(t & wanted) for t in self._topics])

    def signals(self, query_vector: np.ndarray, question: str, lang: str | None) -> Signals:
        idx = self.index
        unit_scores = idx.vectors @ query_vector.astype(np.float32)
        passage = np.full(self.size, -1.0, dtype=np.float32)
        valid = self._whole_unit >= 0
        passage[valid] = unit_scores[self._whole_unit[valid]]
        # best window per passage: window units by descending score, first one seen per row
        order = self._window_units[np.argsort(-unit_scores[self._window_units], kind="stable")]
        rows = idx.unit_rows[order]
        first = np.unique(rows, return_index=True)[1]
        window = passage.copy()
        window[rows[first]] = unit_scores[order[first]]
        best_unit = np.full(self.size, -1, dtype=np.int64)
        best_unit[rows[first]] = order[first]
        np.maximum.at(window, idx.unit_rows[self._title_units], unit_scores[self._title_units])
        lexical_lang = lang if lang in idx.lexical else None
        lexical = idx.lexical[lexical_lang].scores(tokenize(question, lexical_lang)) if lexical_lang else None
        terms = idx.lexical[SOURCE_LANGUAGE].scores(special_tokens(question) + self._terms.expand(question))
        return Signals(
            passage=passage,
            window=window,
            best_unit=best_unit,
            lexical=lexical,
            lexical_is_source=lexical_lang == SOURCE_LANGUAGE,
            terms=terms,
        )

    def fuse(
        self, s: Signals, exclude: np.ndarray | None = None, weights: Weights | None = None, needs: np.ndarray | None = None
    ) -> Ranking:
        w = weights or self.weights
        mask = self.searchable if exclude is None else self.searchable & ~exclude
        dense = (1 - w.window) * s.passage + w.window * s.window
        fused = _z(dense, mask)
        if s.lexical is not None and s.lexical.any():
            weight = w.lexical_source if s.lexical_is_source else w.lexical_translated
            fused = fused + weight * _z(s.lexical, mask)
        if w.terms and s.terms.any():
            fused = fused + w.terms * _z(s.terms, mask)
        if needs is not None and w.needs:
            fused = fused + w.needs * needs
        fused = np.where(mask, fused + self._prior, -np.inf)
        ranked = np.argsort(-fused, kind="stable")
        return Ranking(order=ranked[mask[ranked]], fused=fused, dense=dense, best_unit=s.best_unit)

