"""What retrieval knows about one question: candidate passages and their features.

Candidates come from every signal's own top list -- the passage vectors and
the bank's questions (searched with faiss), BM25 over the passages and over
the bank in the question's language, and language-independent terms
(article numbers, acronyms) -- so a passage that one signal alone finds
still gets ranked.  Each candidate then gets the features the fitted
ranker weighs (:data:`FEATURES`), and the question as a whole gets the
features the scope model weighs (:data:`SCOPE_FEATURES`): how close it is
to questions the sources answer versus questions they do not.

The same code scores a real question and, when fitting, a bank question
with itself and its near-duplicates left out (``exclude``), from the bank's
neighbours and from the probe alike: what the models learn is what they
meet at run time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import faiss
import numpy as np

from ..i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from ..index.fuzzy import FuzzyTerms
from ..index.layout import PASSAGE
from ..index.lexical import special_tokens, tokenize
from ..index.store import LoadedIndex
from ..typed import typed_copy

FEATURES = (
    "passage",  # cosine with the whole passage
    "window",  # best cosine with a window of two sentences or the section title
    "window_gap",  # window minus the best window among candidates
    "translated",  # cosine with the passage's translation into the question's language (else the passage's)
    "bank",  # best cosine with one of the passage's bank questions
    "bank2",  # mean of its two best bank questions
    "bank_gap",  # bank minus the best bank among candidates
    "votes",  # share of the nearest bank questions that belong to this passage
    "knn",  # the nearest bank questions' vote, each weighed by how near it is (a softmax over similarities)
    "bank_lang",  # best cosine with one of its bank questions in the question's own language
    "bank_rank",  # 1 / rank of the passage among the candidates by its best bank question
    "window_rank",  # 1 / rank by its best window
    "lexical",  # BM25 over the passage in the question's language (1 = best passage)
    "bank_lexical",  # BM25 over the passage's bank questions in the question's language (1 = best)
    "terms",  # article numbers, acronyms and names shared with the English source (1 = best)
    "needs",  # the passage's topic is what the person says they need
    "notes",  # a bibliographic note
    "victim_share",  # share of the passage's bank questions asked by victims (what victims ask about)
    "asker_victim",  # share of victims' questions among the question's nearest bank questions (how this one asks)
    "bank_size",  # how many bank questions the passage has (log): a passage with many is near more questions by chance
    "typed",  # the question is typed without the marks its language's bank questions carry (bot.typed): dense reads it worse
    "probe",  # the linear probe's score for the passage (bot.retrieval.probe)
    "probe_gap",  # probe minus the best probe score of any passage the question may get
    "probe_rank",  # 1 / rank of the passage by the probe, among the passages the question may get
)
SCOPE_FEATURES = (
    "top",  # the ranker's score of the best passage
    "margin",  # its lead over the second
    "best_bank",  # nearest in-scope bank question
    "best_negative",  # nearest question the sources do not answer
    "bank_top5",
    "negative_top5",
    "negative_votes",  # share of negatives among the nearest bank questions
    "best_window",
    "best_probe",  # the probe's best score: how surely the question maps onto some passage
    "foreign_country",  # its asking sentence names a country other than France
    "after_date",  # its asking sentence names a year after the sources' dates
    "lexical_bank",  # best BM25 of an in-scope bank question in the question's language, per word of the question
    "lexical_negative",  # the same over the questions the sources do not answer
)
PASSAGE_HITS = 64  # passage units fetched from faiss
BANK_HITS = 256  # bank units fetched from faiss
VOTERS = 10  # nearest bank questions that vote
TEMPERATURE = 0.02  # of the softmax that weighs the nearest bank questions
PER_SIGNAL = {"passage": 16, "translated": 8, "bank": 16, "lexical": 8, "bank_lexical": 8, "terms": 4, "probe": 8}
TRANSLATION_HITS = 96
NOTES_KIND = "notes"


@dataclass
class Query:
    """A question as retrieval sees it."""

    vector: np.ndarray  # encoded as a query, L2-normalised
    text: str
    lang: str | None  # language for lexical matching
    needs: np.ndarray | None = None  # per passage row: its topic is what the person needs
    asking: str | None = None  # the sentence that asks, when the message tells first (bot.sentences.asking_sentence)
    abroad: frozenset[str] = frozenset()  # territories other than France it names, but not the person's own (PlaceNames.abroad)
    names: frozenset[str] = frozenset()  # what it names that makes a negative one (bot.retrieval.scope.named)


@dataclass
class Evidence:
    rows: np.ndarray  # candidate passage rows
    features: np.ndarray  # (candidates, len(FEATURES))
    best_unit: np.ndarray  # per candidate: the passage unit that matched best (its highlight), -1 if none
    best_question: np.ndarray  # per candidate: its nearest bank unit, -1 if none among the hits
    scope: dict[str, float]  # question-level features (``top`` and ``margin`` are filled after ranking)
    negative_category: str | None  # category of the nearest negatives, when they dominate
    abroad: frozenset[str] = frozenset()  # territories other than France the question names (Query.abroad)
    asked_abroad: frozenset[str] = frozenset()  # those its questions are located in ("in Germany"), France not named


def _normalised(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def _distinct(rows, n: int, allowed: np.ndarray) -> list[int]:
    """The first ``n`` distinct allowed rows, in order."""
    out: dict[int, None] = {}
    for r in rows:
        if allowed[r]:
            out.setdefault(int(r), None)
            if len(out) == n:
                break
    return list(out)


def _top(scores: np.ndarray, n: int, allowed: np.ndarray) -> list[int]:
    if not scores.any():
        return []
    masked = np.where(allowed, scores, 0.0)
    order = np.argsort(-masked, kind="stable")[:n]
    return [int(i) for i in order if masked[i] > 0]


def _inverse_rank(values: np.ndarray) -> np.ndarray:
    """1 for the best value, 1/2 for the second... (ties share the better rank)."""
    if not len(values):
        return values
    ranks = np.searchsorted(np.sort(-values), -values, side="left")
    return (1.0 / (1.0 + ranks)).astype(np.float32)


class Retriever:
    def __init__(self, index: LoadedIndex, passages: list[dict]) -> None:
        self.index = index
        self.size = len(passages)
        self.searchable = np.zeros(self.size, dtype=bool)
        self.searchable[np.unique(index.unit_rows)] = True
        self._notes = np.array([p["kind"] == NOTES_KIND for p in passages], dtype=np.float32)
        self._topics = [frozenset(p.get("topics", ())) for p in passages]
        self._terms = FuzzyTerms([p["text"] for p in passages])
        order = np.argsort(index.unit_rows, kind="stable")
        bounds = np.searchsorted(index.unit_rows[order], np.arange(self.size + 1))
        self._units_of = [order[bounds[r]: bounds[r + 1]] for r in range(self.size)]  # passage row -> its units
        self._is_whole = index.unit_kinds == PASSAGE
        in_scope = index.bank_rows >= 0
        sizes = np.bincount(index.bank_rows[in_scope], minlength=self.size).astype(np.float32)
        victims = np.bincount(index.bank_rows[in_scope], weights=np.array(
            [a == "victim" for a, keep in zip(index.bank_audiences, in_scope) if keep], dtype=np.float32), minlength=self.size)
        self._victim_share = (victims / np.maximum(sizes, 1)).astype(np.float32)
        self._bank_lang = np.array(index.bank_langs, dtype=object)
        # A negative in a language we do not answer in (German, Italian...) is a test of refusing in that language,
        # never a neighbour: as one, it would make the language itself look out of scope.  Those languages have a
        # hundred-odd in-scope questions each, against one negative for two (one for six in English); with their
        # negatives as neighbours, 7 of 68 in-scope questions of a blind set in de/it/tr/pl were refused, 2 without.
        self._neighbour = in_scope | np.isin(self._bank_lang, list(LANGUAGES))
        self._hidden = int((~self._neighbour).sum())
        # A negative about another country or a later year that names it is one by that name; the scope guards read
        # names.  Near a question that does not name one, it is no evidence against it: "how long is the permit of a
        # trafficking victim valid?" sat among "... in Germany?" and "... in 2023?" and was refused.
        self._named = {c: np.array([c in names for names in index.bank_names], dtype=bool)
                       for c in sorted({c for names in index.bank_names for c in names})}
        self._most_named = int(sum(m.sum() for m in self._named.values()))
        self._bank_size = np.log1p(sizes).astype(np.float32)
        self._translation_of = {(lang, int(row)): unit for unit, (lang, row) in enumerate(zip(index.translation_langs, index.translation_rows))}
        # The bank's questions typed without their marks (bot.typed), kept among the danger units: a question
        # typed that way ("em bi chu giu ho chieu") is near them, and far from the same words marked.
        copies = np.nonzero(index.danger_copy_of_question >= 0)[0]
        self._typed_of = index.danger_copy_of_question[copies]
        self._typed_langs = frozenset(self._bank_lang[self._typed_of].tolist())
        self._typed = faiss.IndexFlatIP(index.danger.d)
        if len(copies):
            self._typed.add(index.danger.reconstruct_batch(copies))

    def needs_mask(self, topics: set[str]) -> np.ndarray | None:
        """Passages tagged with one of these topics (None: nothing said)."""
        if not topics:
            return None
        return np.array([bool(t & topics) for t in self._topics])

    # candidates --------------------------------------------------------------

    def _apart(self, query: Query) -> np.ndarray:
        """Per bank unit: a negative by a name (a place abroad, a later year) that the question does not name."""
        apart = np.zeros(len(self._neighbour), dtype=bool)
        for category, named in self._named.items():
            if category not in query.names:
                apart |= named
        return apart

    def _bank_hits(self, query: Query, exclude: set[int], apart: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The nearest bank units, less the negatives set apart from this question (``apart``, when already read)."""
        apart = self._apart(query) if apart is None else apart
        k = min(BANK_HITS + len(exclude) + self._hidden + self._most_named, self.index.bank.ntotal)
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, ids = self.index.nearest_questions(query.vector[None, :], k)
        ids, scores = ids[0], scores[0]
        if self._typed.ntotal:  # a question matches in either form: its best
            t_scores, t_ids = self._typed.search(query.vector[None, :], min(k, self._typed.ntotal))
            found = t_ids[0] >= 0
            ids = np.concatenate([ids, self._typed_of[t_ids[0][found]]])
            scores = np.concatenate([scores, t_scores[0][found]])
            order = np.argsort(-scores, kind="stable")
            ids, scores = ids[order], scores[order]
            first = np.sort(np.unique(ids, return_index=True)[1])
            ids, scores = ids[first], scores[first]
        kept = (ids >= 0) & self._neighbour[ids] & ~apart[ids]
        keep = np.nonzero(kept & ~np.isin(ids, list(exclude)) if exclude else kept)[0][:BANK_HITS]
        return ids[keep].astype(np.int64), scores[keep].astype(np.float32)

    def evidence(self, query: Query, allowed: np.ndarray, exclude: set[int] = frozenset(), extra_rows: tuple[int, ...] = ()) -> Evidence:
        """Candidates and features for ``query``.

        ``allowed``: passage rows that may be returned; ``exclude``: bank
        units to leave out (the question itself when fitting);
        ``extra_rows``: rows to score even if no signal proposes them.
        """
        idx = self.index
        allowed = allowed & self.searchable
        # dense over passage units
        _, p_ids = idx.passages.search(query.vector[None, :], min(PASSAGE_HITS, idx.passages.ntotal))
        dense_rows = [int(idx.unit_rows[u]) for u in p_ids[0] if u >= 0]
        translated_rows: list[int] = []
        if query.lang != SOURCE_LANGUAGE and idx.translations.ntotal:
            _, t_ids = idx.translations.search(query.vector[None, :], min(TRANSLATION_HITS, idx.translations.ntotal))
            translated_rows = [int(idx.translation_rows[u]) for u in t_ids[0] if u >= 0 and idx.translation_langs[u] == query.lang]
        # dense over the bank
        apart = self._apart(query)
        b_ids, b_scores = self._bank_hits(query, exclude, apart)
        b_rows = idx.bank_rows[b_ids] if len(b_ids) else np.zeros(0, dtype=np.int64)
        positive = b_rows >= 0
        # lexical, in the question's language
        tokens = tokenize(query.text, query.lang) if query.lang in idx.lexical or query.lang in idx.bank_lexical else []
        lexical = np.zeros(self.size, dtype=np.float32)
        if query.lang in idx.lexical:
            lexical = _normalised(idx.lexical[query.lang].scores(tokens))
        bank_lexical_units = np.zeros(len(idx.bank_rows), dtype=np.float32)
        words_shared = {"lexical_bank": 0.0, "lexical_negative": 0.0}
        if query.lang in idx.bank_lexical:
            bank_lexical_units = idx.bank_lexical[query.lang].scores(tokens)
            if exclude:
                bank_lexical_units[list(exclude)] = 0.0
            # Dense similarity reads a question's form ("where can I buy concert tickets?" is near "where can I
            # sleep tonight?"); the words it shares with the bank's questions tell its subject.
            in_scope = idx.bank_rows >= 0
            bank_lexical_units[apart] = 0.0
            per_word = 1.0 / max(len(tokens), 1)
            words_shared = {"lexical_bank": float(bank_lexical_units[in_scope].max(initial=0.0)) * per_word,
                            "lexical_negative": float(bank_lexical_units[~in_scope].max(initial=0.0)) * per_word}
            bank_lexical_units = np.where(in_scope, bank_lexical_units, 0.0)
        bank_lexical = np.zeros(self.size, dtype=np.float32)
        hit = np.nonzero(bank_lexical_units)[0]
        np.maximum.at(bank_lexical, idx.bank_rows[hit], bank_lexical_units[hit])
        bank_lexical = _normalised(bank_lexical)
        terms = _normalised(idx.lexical[SOURCE_LANGUAGE].scores(special_tokens(query.text) + self._terms.expand(query.text)))
        probe = self._probe(query, exclude, allowed)
        # the candidates: each signal's own best
        proposed = dict.fromkeys(
            _distinct(dense_rows, PER_SIGNAL["passage"], allowed) + _distinct(b_rows[positive], PER_SIGNAL["bank"], allowed)
            + _distinct(translated_rows, PER_SIGNAL["translated"], allowed)
        )
        for name, scores in (("lexical", lexical), ("bank_lexical", bank_lexical), ("terms", terms)):
            proposed.update(dict.fromkeys(_top(scores, PER_SIGNAL[name], allowed)))
        proposed.update(dict.fromkeys(_distinct(np.argsort(-probe, kind="stable"), PER_SIGNAL["probe"], allowed)))
        proposed.update(dict.fromkeys(int(r) for r in extra_rows))
        rows = np.fromiter(proposed, dtype=np.int64, count=len(proposed))
        evidence = self._features(query, rows, b_ids, b_scores, b_rows, lexical, bank_lexical, terms, probe)
        evidence.scope.update(words_shared)
        return evidence

    def _probe(self, query: Query, exclude: set[int], allowed: np.ndarray) -> np.ndarray:
        """The probe's score per passage row; the rows a question may not get score below every other."""
        if self.index.probe is None:
            return np.zeros(self.size, dtype=np.float32)
        scores = self.index.probe.scores(query.vector, np.fromiter(exclude, dtype=np.int64, count=len(exclude)))
        return np.where(allowed, scores, scores.min() - 1.0).astype(np.float32)

    # features ----------------------------------------------------------------

    def _features(
        self, query: Query, rows: np.ndarray, b_ids: np.ndarray, b_scores: np.ndarray, b_rows: np.ndarray,
        lexical: np.ndarray, bank_lexical: np.ndarray, terms: np.ndarray, probe: np.ndarray,
    ) -> Evidence:
        idx = self.index
        n = len(rows)
        whole = np.full(n, -1.0, dtype=np.float32)
        window = np.full(n, -1.0, dtype=np.float32)
        best_unit = np.full(n, -1, dtype=np.int64)
        if n:
            units = np.concatenate([self._units_of[r] for r in rows])
            owner = np.repeat(np.arange(n), [len(self._units_of[r]) for r in rows])
            cos = idx.passage_vectors[units] @ query.vector
            is_whole = self._is_whole[units]
            whole[owner[is_whole]] = cos[is_whole]
            parts = np.nonzero(~is_whole)[0]
            parts = parts[np.argsort(-cos[parts], kind="stable")]  # best first: the first seen per passage wins
            seen, first_seen = np.unique(owner[parts], return_index=True)
            window[seen] = cos[parts[first_seen]]
            best_unit[seen] = units[parts[first_seen]]
            window = np.maximum(window, whole)
        translated = whole.copy()
        units_t = [(j, self._translation_of.get((query.lang, int(r)))) for j, r in enumerate(rows)]
        units_t = [(j, u) for j, u in units_t if u is not None]
        if units_t:
            cos_t = idx.translations.reconstruct_batch(np.array([u for _, u in units_t])) @ query.vector
            translated[[j for j, _ in units_t]] = cos_t
        # the bank: each hit counts for its passage if that passage is a candidate (hits come best first)
        positive = b_rows >= 0
        floor = float(b_scores[positive].min()) if positive.any() else 0.0
        first = np.full(n, floor, dtype=np.float32)
        second = np.full(n, floor, dtype=np.float32)
        best_question = np.full(n, -1, dtype=np.int64)
        knn = np.zeros(n, dtype=np.float32)
        same_lang = np.full(n, floor, dtype=np.float32)
        votes = np.zeros(n, dtype=np.float32)
        position = np.full(self.size, -1, dtype=np.int64)
        position[rows] = np.arange(n)
        h_ids, h_scores = b_ids[positive], b_scores[positive]
        h_at = position[b_rows[positive]]
        if len(h_at):
            weights = np.exp((h_scores - h_scores.max()) / TEMPERATURE)
            weights /= weights.sum()
            keep = h_at >= 0
            h_ids, h_scores, h_at, weights = h_ids[keep], h_scores[keep], h_at[keep], weights[keep]
            seen, first_seen = np.unique(h_at, return_index=True)
            first[seen], best_question[seen] = h_scores[first_seen], h_ids[first_seen]
            rest = np.ones(len(h_at), dtype=bool)
            rest[first_seen] = False
            seen2, second_seen = np.unique(h_at[rest], return_index=True)
            second[seen2] = h_scores[rest][second_seen]
            np.add.at(knn, h_at, weights)
            same = self._bank_lang[h_ids] == query.lang
            np.maximum.at(same_lang, h_at[same], h_scores[same])
        voters = position[b_rows[:VOTERS][b_rows[:VOTERS] >= 0]]
        np.add.at(votes, voters[voters >= 0], 1.0 / max(min(VOTERS, len(b_rows)), 1))
        needs = query.needs[rows].astype(np.float32) if query.needs is not None else np.zeros(n, dtype=np.float32)
        nearest = [idx.bank_audiences[int(u)] for u in b_ids[positive][:VOTERS]]
        asker_victim = sum(a == "victim" for a in nearest) / max(len(nearest), 1)
        columns = {
            "passage": whole,
            "window": window,
            "window_gap": window - (window.max() if n else 0.0),
            "translated": translated,
            "bank": first,
            "bank2": (first + second) / 2,
            "bank_gap": first - (first.max() if n else 0.0),
            "votes": votes,
            "knn": knn,
            "bank_lang": same_lang,
            "bank_rank": _inverse_rank(first),
            "window_rank": _inverse_rank(window),
            "lexical": lexical[rows],
            "bank_lexical": bank_lexical[rows],
            "terms": terms[rows],
            "needs": needs,
            "notes": self._notes[rows],
            "victim_share": self._victim_share[rows],
            "asker_victim": np.full(n, asker_victim, dtype=np.float32),
            "bank_size": self._bank_size[rows],
            "typed": np.full(n, query.lang in self._typed_langs and typed_copy(query.text) is None, dtype=np.float32),
            "probe": probe[rows],
            "probe_gap": probe[rows] - probe.max(),
            "probe_rank": 1.0 / (1.0 + (probe[None, :] > probe[rows, None]).sum(axis=1)).astype(np.float32),
        }
        features = np.stack([columns[f] for f in FEATURES], axis=1) if n else np.zeros((0, len(FEATURES)), dtype=np.float32)
        negatives = b_scores[~positive]
        in_scope = b_scores[positive]
        near = idx.negative[b_ids[:VOTERS]] if len(b_ids) else np.zeros(0, dtype=bool)
        categories = Counter(idx.bank_categories[int(u)] for u in b_ids[:VOTERS][near])
        scope = {
            "top": 0.0,
            "margin": 0.0,
            "best_bank": float(in_scope[0]) if in_scope.size else 0.0,
            "best_negative": float(negatives[0]) if negatives.size else 0.0,
            "bank_top5": float(in_scope[:5].mean()) if in_scope.size else 0.0,
            "negative_top5": float(negatives[:5].mean()) if negatives.size else 0.0,
            "negative_votes": float(near.mean()) if near.size else 0.0,
            "best_window": float(window.max()) if n else 0.0,
            "best_probe": float(probe.max()),
            "foreign_country": 0.0,
            "after_date": 0.0,
            "lexical_bank": 0.0,
            "lexical_negative": 0.0,
        }
        category = categories.most_common(1)[0][0] if categories and near.mean() >= 0.5 else None
        return Evidence(rows, features.astype(np.float32), best_unit, best_question, scope, category)
