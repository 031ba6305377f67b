"""The retrieval pipeline, shared by answering a question and fitting the models on the bank.

question -> :class:`Query` (vector, language, needs, countries named) ->
:class:`Evidence` (candidates, features) -> :class:`Ranking` (the fitted
ranker, then the corpus's rules: lists of organisations outside France only
for a question naming that place; another country's practice never first
unless the question names that country) -> the scope features the
abstention policy reads, and two rules of its own (:meth:`Search.guarded`):
a minor whose best passage is about children is not refused, and a question
asked about a place abroad is refused unless the passage is about that place
or the person asks to go home.  In a message that tells, then asks, only
its questions can ask about a place (each of them: "in Germany, can a
victim get a permit? what are the conditions?"), and only the asking
sentence about a year: "they threatened my
daughter in Bulgaria" tells where the danger is, not which country's law is
asked about, and "I came to France in 2023" is not a question about events
after the sources' dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..corpus.load import Corpus
from ..index.store import LoadedIndex
from ..sentences import question_sentences
from ..situation import Situation, default_signals
from ..textnorm import fold
from .evidence import FEATURES, SCOPE_FEATURES, Evidence, Query, Retriever
from .fusion import Model, load_model
from .scope import ABSTAIN, ANSWER, CAUTION, Decision, ScopePolicy, after, named, place_names

PLACES_ABOUT = 2  # a passage naming more countries abroad than this lists them, and is about none of them


def query_vector(message: np.ndarray, asking: np.ndarray | None) -> np.ndarray:
    """What retrieval searches with: the whole message and its asking sentence, weighed the same.

    ``asking`` is the vector of :func:`bot.sentences.asking_sentence` (None
    for a one-sentence message).  The engine and the fit on the bank build
    the vector the same way, so the models learn what they meet.
    """
    if asking is None:
        return message
    both = message + asking
    return (both / np.linalg.norm(both)).astype(np.float32)


def _about(places: set[str]) -> set[str]:
    """The places a passage is about, of those it names: a list of partner countries (joint investigation teams
    "with Belgium, Bulgaria, Spain, Romania, Hungary, Germany...") is about none of them, and answered "is there an
    association for victims in Germany?" as if it were."""
    return places if len(places) <= PLACES_ABOUT else set()


@dataclass
class Ranking:
    rows: np.ndarray  # passage rows, best first
    scores: np.ndarray  # ranker score per row of ``rows``
    at: np.ndarray  # position of each of ``rows`` in the evidence's candidates


class Search:
    def __init__(self, index: LoadedIndex, corpus: Corpus) -> None:
        self.index = index
        self.retriever = Retriever(index, corpus.passages)
        self.passages = corpus.passages
        self._outside = np.array([bool(p.get("outside_france")) for p in corpus.passages])
        self.foreign_places: list[str] = []  # folded names of the places of the lists outside France
        territories: dict[str, str] = {}
        for source in corpus.sources.values():
            spec = source.cleaning.get("service_lists_outside_france") or {}
            self.foreign_places += [fold(p) for p in [spec.get("country", ""), *spec.get("places", [])] if p]
            territories.update({s["country"]: s["territory"] for s in source.cleaning.get("other_country_practice", [])})
        self._practice = [territories.get(p.get("practice_of") or "") for p in corpus.passages]
        self._places = [_about(place_names().abroad(p["text"])) | {self._practice[i]} - {None} for i, p in enumerate(corpus.passages)]
        self.latest_year = corpus.latest_year
        fit = index.fit
        self.ranker = load_model(fit["ranker"], FEATURES) if fit else None
        self.scope = ScopePolicy(
            load_model(fit["scope"], SCOPE_FEATURES),
            fit["scope"]["thresholds"]["abstain_below"],
            fit["scope"]["thresholds"]["caution_below"],
        ) if fit else None

    def query(self, text: str, vector: np.ndarray, lang: str | None, situation: Situation, asking: str | None) -> Query:
        """``asking``: the message's asking sentence (:func:`bot.sentences.asking_sentence`), which its vector was built with."""
        abroad = frozenset(place_names().abroad(text, own=False))
        return Query(vector=vector, text=text, lang=lang, needs=self.retriever.needs_mask(situation.topics()), asking=asking,
                     abroad=abroad, names=named(text, self.latest_year, abroad))

    def allowed(self, text: str) -> np.ndarray:
        """Rows a question may get: the lists of organisations abroad only when it names their place."""
        folded = fold(text)
        if any(re.search(rf"\b{re.escape(p)}\b", folded) for p in self.foreign_places):
            return np.ones(len(self.passages), dtype=bool)
        return ~self._outside

    def evidence(self, query: Query, exclude: set[int] = frozenset(), extra_rows: tuple[int, ...] = ()) -> Evidence:
        evidence = self.retriever.evidence(query, self.allowed(query.text), exclude, extra_rows)
        asked = query.asking or query.text
        evidence.abroad = query.abroad
        evidence.asked_abroad = frozenset(place_names().asked_abroad(" ".join(question_sentences(query.text))))
        # of the places the message names (but not the person's own: Query.abroad), one in its asking sentence
        evidence.scope["foreign_country"] = float(bool(query.abroad) and (not query.asking or bool(place_names().abroad(query.asking, own=False))))
        evidence.scope["after_date"] = float(after(default_signals().without_since(asked), self.latest_year))
        return evidence

    def rank(self, evidence: Evidence, ranker: Model | None = None) -> Ranking:
        """Rank the candidates and fill the scope features the ranking gives (``top``, ``margin``)."""
        ranker = ranker or self.ranker
        if ranker is None or not len(evidence.rows):
            scores = evidence.features[:, FEATURES.index("window")] if len(evidence.rows) else np.zeros(0)
        else:
            scores = ranker.logits(evidence.features)
        order = np.argsort(-scores, kind="stable")
        order = self._comparisons_not_first(evidence, order)
        if len(order):
            evidence.scope["top"] = float(scores[order[0]])
            evidence.scope["margin"] = float(scores[order[0]] - scores[order[1]]) if len(order) > 1 else 1.0
        return Ranking(rows=evidence.rows[order], scores=scores[order], at=order)

    def _comparisons_not_first(self, evidence: Evidence, order: np.ndarray) -> np.ndarray:
        """Another country's practice comes after the first passage about France, unless the question names it."""
        rows = evidence.rows
        if not len(order) or not self._practice[int(rows[order[0]])] or self._practice[int(rows[order[0]])] in evidence.abroad:
            return order
        first_french = next((i for i, j in enumerate(order) if not self._practice[int(rows[j])]), None)
        if first_french is None:
            return order
        return np.concatenate([[order[first_french]], np.delete(order, first_french)])

    def decide(self, evidence: Evidence, ranking: Ranking, going_home: bool, minor: bool) -> Decision:
        """The scope policy's grade for this question (always "answer" before the first fit)."""
        if self.scope is None:
            return Decision(ANSWER, 1.0, None)
        return self.guarded(self.scope.decide(evidence.scope, evidence.negative_category), evidence, ranking, going_home, minor)

    def guarded(self, decision: Decision, evidence: Evidence, ranking: Ranking, going_home: bool, minor: bool) -> Decision:
        """The scope model's decision, then the policy's two rules (the fit's report applies them too).

        A minor whose best passage is about children is answered with the
        "may not match" note, not refused: a child telling of exploitation
        first needs what the sources say of child victims, and the scope
        model, which reads no age, refused "انا عندي 16 سنة وكيخدموني فالليل"
        (16, made to work at night) with the children's passage first.  A
        question about a place abroad ("the reflection period in Germany")
        reads almost exactly like one about France, so no similarity can
        refuse it; it is refused unless the best passage is about that place
        (the UK's referral mechanism, which the CNCDH compares) or the person
        asks to go home there (return assistance is in the sources).
        """
        top = int(ranking.rows[0]) if len(ranking.rows) else None
        if decision.notice == "abstained" and minor and top is not None and "children" in self.passages[top]["topics"]:
            decision = Decision(CAUTION, decision.in_scope, "may_not_match")
        if decision.grade != ABSTAIN and self._asked_abroad_unanswered(evidence, top, going_home):
            return Decision(ABSTAIN, decision.in_scope, "other_country")
        return decision

    def _asked_abroad_unanswered(self, evidence: Evidence, top: int | None, going_home: bool) -> bool:
        """A question about a place abroad whose best passage is not about that place (see :meth:`guarded`)."""
        return bool(evidence.asked_abroad) and not going_home and (top is None or not evidence.asked_abroad & self._places[top])

