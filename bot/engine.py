"""The answering engine: one object, loaded once, used by every interface.

    from bot.engine import Engine
    engine = Engine.load()
    answer = engine.ask("Can I get papers if I report my exploiter?", lang="ro")

mirrors ``bot ask "..." --lang ro``.  The engine decides everything a
channel shows: the answer language, whether the sources cover the question,
which passages, their highlights and translations, and notices.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from . import paths
from .answer import Answer, Result
from .calibrate import load_calibration
from .corpus.load import Corpus, CorpusError, load_corpus
from .i18n.catalogs import CORPUS_DOMAIN, compile_stale, translations
from .i18n.detect import detect
from .i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from .i18n.policy import answer_language
from .index.build import MANIFEST
from .index.encoders import DEFAULT_ENCODER, Encoder, EncoderError, load_encoder
from .index.store import IndexUnavailable, load_index
from .legal import cites_article, references
from .recommend import recommend
from .retrieve import Ranking, Retriever, Weights
from .services import DirectoryError, Service, load_services
from .situation import Situation, default_signals

log = logging.getLogger(__name__)
QUERY_CACHE = 256  # recent question vectors kept (a "more results" click re-asks)
from .textnorm import fold

MAX_QUESTION_CHARS = 1000
DEFAULT_K = 5
MAX_K = 20


class EngineUnavailable(RuntimeError):
    """The engine cannot start; the message names the fix."""


@dataclass
class Question:
    """A question after sanitising, with what was done to it."""

    text: str
    notices: list[str]


def sanitise(raw: str) -> Question:
    """Make any input safe to process: no control characters, bounded length."""
    notices: list[str] = []
    text = "".join(c if c in "\n\t" or unicodedata.category(c)[0] != "C" else " " for c in raw or "")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_QUESTION_CHARS:
        text = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
        notices.append("truncated")
    if not text:
        notices.append("empty")
    elif not re.search(r"[^\W\d_]{2,}|[\u3400-\u9fff]", text):
        notices.append("no_words")  # emoji, digits, stray bytes: nothing to search with
    return Question(text, notices)


def _manifest_encoder_spec() -> str | None:
    """The encoder the shipped index was built with (so `bot ask` needs no flag)."""
    try:
        return json.loads((paths.index_dir() / MANIFEST).read_text()).get("encoder_spec")
    except (OSError, ValueError):
        return None


class Engine:
    def __init__(self, corpus: Corpus, encoder: Encoder, retriever: Retriever, abstain_below: float | None) -> None:
        """``abstain_below``: the calibrated dense similarity under which the
        sources are taken not to answer (None: never abstain)."""
        self.corpus = corpus
        self.encoder = encoder
        self.retriever = retriever
        self.abstain_below = abstain_below
        self._foreign_places = self._places(corpus)
        self._outside = np.array([bool(p.get("outside_france")) for p in corpus.passages])
        self._rows = corpus.by_id()
        self._catalogs = {lang: translations(lang, CORPUS_DOMAIN) for lang in LANGUAGES if lang != SOURCE_LANGUAGE}
        self._vectors: dict[str, np.ndarray] = {}
        self.services: dict[str, Service] = load_services(corpus.passages, self._foreign_places)
        self.signals = default_signals()

    def _query_vector(self, text: str) -> np.ndarray:
        vector = self._vectors.pop(text, None)
        if vector is None:
            vector = self.encoder.queries([text])[0]
        self._vectors[text] = vector  # most recent last
        if len(self._vectors) > QUERY_CACHE:
            del self._vectors[next(iter(self._vectors))]
        return vector

    @classmethod
    def load(cls, encoder_spec: str | None = None, weights: Weights | None = None) -> Engine:
        """Load corpus, encoder and index; refuse a stale or broken index."""
        try:
            corpus = load_corpus()
        except CorpusError as exc:
            raise EngineUnavailable(str(exc)) from exc
        try:
            manifest_spec = _manifest_encoder_spec()
            encoder = load_encoder(encoder_spec or manifest_spec or DEFAULT_ENCODER)
        except EncoderError as exc:
            raise EngineUnavailable(str(exc)) from exc
        try:
            index = load_index(corpus, encoder.id)
        except IndexUnavailable as exc:
            raise EngineUnavailable(str(exc)) from exc
        compile_stale()
        detect("Warm up both language detectors with a sentence long enough.")  # their models load lazily
        calibration = load_calibration(encoder.id)
        if calibration is None:
            log.warning("no calibration for encoder %s: not abstaining; run `bot eval FILE --calibrate`", encoder.id)
        if weights is None and calibration is not None:
            weights = Weights(**calibration["weights"])
        threshold = calibration["abstain_below"] if calibration else None
        try:
            return cls(corpus, encoder, Retriever(index, corpus.passages, weights), threshold)
        except DirectoryError as exc:
            raise EngineUnavailable(str(exc)) from exc

    @staticmethod
    def _places(corpus: Corpus) -> list[str]:
        places: list[str] = []
        for source in corpus.sources.values():
            spec = source.cleaning.get("service_lists_outside_france") or {}
            places += [fold(p) for p in [spec.get("country", ""), *spec.get("places", [])] if p]
        return places

    def ask(
        self,
        question: str,
        lang: str | None = None,
        k: int = DEFAULT_K,
        previous_lang: str | None = None,
        client_lang: str | None = None,
        qid: str | None = None,
        audience: str | None = None,
        situation: Situation | None = None,
        weights: Weights | None = None,
        abstain_below: float | None = None,
    ) -> Answer:
        """Answer one question (see the module docstring).

        ``audience`` (victim, helper, professional) and ``situation`` (what
        earlier messages or the guided triage established) shape the
        recommendations.  ``weights`` and ``abstain_below`` override the
        calibrated values (used by calibration itself)."""
        q = sanitise(question)
        k = max(1, min(int(k), MAX_K))
        detection = detect(q.text) if not q.notices or q.notices == ["truncated"] else detect("")
        choice = answer_language(detection, explicit=lang, previous=previous_lang, client=client_lang)
        answer = Answer(
            question=q.text, lang=choice.lang, abstained=True, results=[], id=qid,
            lang_reason=choice.reason, detected=detection.lang or detection.other,
            unsupported_language=choice.unsupported, notices=list(q.notices),
        )
        if "empty" in q.notices or "no_words" in q.notices:
            return answer
        if choice.unsupported:
            answer.notices.append("unsupported_language")
        said = self.signals.read(q.text)
        situation = said.merged(situation) if situation else said
        folded = fold(q.text)
        foreign = any(re.search(rf"\b{re.escape(p)}\b", folded) for p in self._foreign_places)
        signals = self.retriever.signals(self._query_vector(q.text), q.text, detection.lang or choice.lang)
        needs = self.retriever.needs_mask(set(situation.needs), situation.minor)
        ranking = self.retriever.fuse(signals, None if foreign else self._outside, weights, needs)
        top = ranking.order[:k]
        threshold = self.abstain_below if abstain_below is None else abstain_below
        answer.best_dense = float(ranking.dense[top[0]]) if len(top) else -1.0
        answer.abstained = not len(top) or (threshold is not None and answer.best_dense < threshold)
        if answer.abstained:
            answer.notices.append("abstained")
        else:
            answer.results = [self._result(int(row), ranking, choice.lang) for row in top]
        topics = list(self.corpus.passages[int(top[0])]["topics"]) if not answer.abstained else []
        advice = recommend(self.services, situation, topics, audience, answer.abstained)
        answer.emergency = situation.danger
        answer.emergency_services = advice.emergency
        answer.services = advice.services
        if audience == "professional":
            answer.legal_references = list(dict.fromkeys(ref for r in answer.results for ref in references(r.text)))
        return answer

    def _result(self, row: int, ranking: Ranking | None, lang: str) -> Result:
        p = self.corpus.passages[row]
        source = self.corpus.sources[p["doc"]]
        unit = int(ranking.best_unit[row]) if ranking is not None else -1
        hs, he = self.retriever.index.unit_spans[unit] if unit >= 0 else (0, len(p["text"]))
        translation = None
        if lang != SOURCE_LANGUAGE:
            context, source_text = p["id"], p["text"]
            translated = self._catalogs[lang].pgettext(context, source_text)
            translation = translated if translated != source_text else None
        return Result(
            passage_id=p["id"],
            doc=p["doc"],
            title=source.title,
            section=" › ".join(p["section"]),
            as_of=source.as_of,
            text=p["text"],
            highlight=p["text"][hs:he],
            start=p["start"],
            end=p["end"],
            score=float(ranking.fused[row]) if ranking is not None else 0.0,
            translation=translation,
            translation_missing=lang != SOURCE_LANGUAGE and translation is None,
            outside_france=p.get("outside_france"),
            highlight_start=hs,
            highlight_end=he,
            law_caution=cites_article(p["text"]),
        )


    # Reference tools: what `measures`, `measure N`, `sources` and the
    # "original text" button show.

    def result_by_id(self, passage_id: str, lang: str) -> Result | None:
        row = self._rows.get(passage_id)
        return self._result(row, None, lang) if row is not None else None

    def sources(self) -> list[dict]:
        return [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "as_of": s.as_of, "note": s.as_of_note,
             "kind": s.kind, "passages": sum(p["doc"] == s.id for p in self.corpus.passages)}
            for s in self.corpus.sources.values()
        ]

    def measures(self) -> list[dict]:
        """The measures of the evaluated action plan, with their printed status."""
        return [dict(m, doc=doc) for doc, items in self.corpus.measures.items() for m in items]

    def measure(self, number: int, lang: str) -> tuple[dict | None, list[tuple[str, list[Result]]]]:
        """A measure and its passages, grouped by part (the State's actions, the evaluator's comments, notes)."""
        measure = next((m for m in self.measures() if m["number"] == number), None)
        if measure is None:
            return None, []
        parts: dict[str, list[Result]] = {}
        for row, p in enumerate(self.corpus.passages):
            if p["doc"] == measure["doc"] and p.get("measure") == number:
                parts.setdefault(p["section"][-1], []).append(self._result(row, None, lang))
        return measure, list(parts.items())
