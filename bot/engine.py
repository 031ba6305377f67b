"""The answering engine: one object, loaded once, used by every interface.

    from bot.engine import Engine
    engine = Engine.load()
    answer = engine.ask("Can I get papers if I report my exploiter?", lang="ro")

mirrors ``bot ask "..." --lang ro``.  The engine decides everything a
channel shows: the answer language, whether the sources cover the question,
which passages, their highlights and translations, and notices.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import faiss
import numpy as np

from . import paths
from .answer import Answer, Result
from .atomic import recover_directory
from .bank import NO_CARD
from .corpus.load import Corpus, CorpusError, load_corpus
from .cards import Card, CardError, load_cards
from .danger import load_model, readable
from .highlight import CARD_EXCERPT_CHARS, EXCERPT_CHARS, Highlighter, aligned, excerpt
from .i18n.catalogs import CORPUS_DOMAIN, CatalogError, translations
from .i18n.detect import detect
from .i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from .i18n.policy import answer_language
from .i18n.ui import ui
from .index.encoders import DEFAULT_ENCODER, Encoder, EncoderError, load_encoder
from .index.layout import MANIFEST
from .index.store import IndexUnavailable, LoadedIndex, load_index
from .legal import cites_article
from .recommend import recommend
from .retrieval.fusion import ModelError
from .retrieval.scope import ABSTAIN, CAUTION, CHAT
from .retrieval.search import Search, query_vector
from .services import DirectoryError, Service, load_services
from .sentences import asking_sentence, sentence_texts
from .situation import HELPING_AUDIENCES, Situation, SignalsError, default_signals
from .textnorm import HAN

log = logging.getLogger(__name__)
QUERY_CACHE = 256  # recent question vectors kept (a "more results" click re-asks)
SEARCH_THREADS = 1  # faiss's OpenMP threads when answering (_search_on_one_thread)

MAX_QUESTION_CHARS = 4096  # a whole Telegram message
TAIL_CHARS = 1200  # the end of a long message is read for danger on its own too
# A story told in several sentences usually ends with what is happening now:
# its last sentences are read for danger on their own too, so a past told
# first does not drown a present threat.
LAST_SENTENCES = 2
# A message telling an age is read for danger with and without it, the age weighing half
# (:meth:`bot.danger.DangerModel.kinds_of`); what is left of "j'ai 15 ans, help" is no message to read, and what is
# left of "tenho 16 anos e me fazem trabalhar a noite toda" a fragment (7 words), which may only lower the likeness.
# "je suis sur le pont je veux sauter" (8) is a scene.  The danger sets give the same recall and false alarms for any
# bound from 3 to 10 words; the scenarios s87 and s89 (7 and 6 words) set it.
WITHOUT_AGE_MIN_WORDS = 3
WITHOUT_AGE_SCENE_WORDS = 8
MIN_SENTENCE_CHARS = 10  # "ok." or "help!" alone is not a sentence of the story (counted in characters: Chinese has no spaces)
DEFAULT_K = 5
CARD_NEIGHBOURS = 5  # a passage's labelled bank questions nearest to a message that vote for its card
CARD_SHARPNESS = 20.0  # a vote weighs exp(sharpness x similarity): the nearest questions count most
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
    elif not re.search(f"[^\\W\\d_]{{2,}}|[{HAN}]", text):
        notices.append("no_words")  # emoji, digits, stray bytes: nothing to search with
    return Question(text, notices)


def _manifest_encoder_spec() -> str | None:
    """The encoder the shipped index was built with (so `bot ask` needs no flag)."""
    try:
        return json.loads((paths.index_dir() / MANIFEST).read_text()).get("encoder_spec")
    except (OSError, ValueError, AttributeError):
        return None


def _search_on_one_thread() -> None:
    """faiss searches on one thread in the thread that answers (OpenMP sets it per thread: a channel answers in a worker).

    A question is one vector, and the threads OpenMP wakes for it wait on
    the encoder's, which have just encoded it, or on another process's.  On
    two cores, end to end p50 25.6 -> 18.5 ms and p95 44 -> 30 ms (the bare
    encoder 11 ms); with both cores busy elsewhere, the engine alone p50
    15-44 -> 10 ms.  The build keeps faiss's threads: it searches thousands
    of vectors at once.
    """
    faiss.omp_set_num_threads(SEARCH_THREADS)


def _card_labelled(index: LoadedIndex) -> dict[int, tuple[np.ndarray, list[str]]]:
    """Per passage row, the vectors and card labels of its bank questions labelled with a card (or NO_CARD)."""
    units: defaultdict[int, list[int]] = defaultdict(list)
    for unit, card in enumerate(index.bank_cards):
        if card:
            units[int(index.bank_rows[unit])].append(unit)
    return {row: (index.bank.reconstruct_batch(np.asarray(us, dtype=np.int64)), [index.bank_cards[u] for u in us])
            for row, us in units.items()}


class Engine:
    def __init__(self, corpus: Corpus, encoder: Encoder, search: Search) -> None:
        self.corpus = corpus
        self.encoder = encoder
        self.search = search
        self.highlighter = Highlighter(search.index)
        self._rows = corpus.by_id()
        self._catalogs = {lang: translations(lang, CORPUS_DOMAIN) for lang in LANGUAGES if lang != SOURCE_LANGUAGE}
        for lang in LANGUAGES:
            ui(lang)  # the bot's words: a missing or damaged catalog is refused now, not mid-conversation
        self.vector = lru_cache(maxsize=QUERY_CACHE)(self._encode)  # a "more results" click or a sentence asks again
        # A channel asks whether a message is danger before it is answered (never throttled): read once for both.
        self.danger_in = lru_cache(maxsize=QUERY_CACHE)(self._danger_in)
        self.services: dict[str, Service] = load_services(corpus.passages, search.foreign_places)
        self.cards = load_cards(corpus.passages)
        self._card_vectors = search.index.cards.reconstruct_n(0, search.index.cards.ntotal)
        self._card_rows = {key: row for row, key in enumerate(zip(search.index.card_ids, search.index.card_langs))}
        self._card_labelled = _card_labelled(search.index)
        self.danger = load_model(search.index)
        self.signals = default_signals()
        # read once per message: the answer and its danger reading both ask whether it only speaks to the bot
        self.chat_in = lru_cache(maxsize=QUERY_CACHE)(self.signals.chat)
        self.danger_said = lru_cache(maxsize=QUERY_CACHE)(self.signals.danger_in)  # the curated phrases' reading alone

    def _encode(self, text: str) -> np.ndarray:
        return self.encoder.queries([text])[0]

    @classmethod
    def load(cls, encoder_spec: str | None = None) -> Engine:
        """Load corpus, encoder, index and its fitted models; refuse a stale or broken index.

        Loading makes a hundred thousand objects that live as long as the
        process, and no garbage: the cycle collector, run again and again over
        them while the signals' patterns compile, took a fifth of the load.
        It is off while loading, and what was loaded is then frozen out of
        its reach, so no later collection scans it again between questions.
        """
        gc.disable()
        try:
            return cls._load(encoder_spec)
        finally:
            gc.enable()
            gc.freeze()

    @classmethod
    def _load(cls, encoder_spec: str | None) -> Engine:
        recover_directory(paths.index_dir())  # a build killed between its two renames
        try:
            corpus = load_corpus()
        except CorpusError as exc:
            raise EngineUnavailable(str(exc)) from exc
        try:
            encoder = load_encoder(encoder_spec or _manifest_encoder_spec() or DEFAULT_ENCODER)
        except EncoderError as exc:
            raise EngineUnavailable(str(exc)) from exc
        try:
            search = Search(load_index(corpus, encoder.id), corpus)
        except (IndexUnavailable, ModelError) as exc:
            raise EngineUnavailable(str(exc)) from exc
        detect("Warm up both language detectors with a sentence long enough.")  # their models load lazily
        try:
            return cls(corpus, encoder, search)
        except (DirectoryError, CardError, SignalsError, CatalogError, ModelError) as exc:
            raise EngineUnavailable(str(exc)) from exc

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
        scope: bool = True,
    ) -> Answer:
        """Answer one question (see the module docstring).

        ``audience`` (victim, helper, professional) and ``situation`` (what
        earlier messages or the guided triage established) shape the
        recommendations.  ``scope=False`` shows the closest passages even
        when the sources do not cover the question (the person asked for them)."""
        _search_on_one_thread()
        q = sanitise(question)
        k = max(1, min(int(k), MAX_K))
        detection = detect(q.text) if not q.notices or q.notices == ["truncated"] else detect("")
        choice = answer_language(detection, explicit=lang, previous=previous_lang, client=client_lang)
        answer = Answer(
            question=q.text, lang=choice.lang, abstained=True, results=[], id=qid,
            lang_reason=choice.reason,
            unsupported_language=choice.unsupported, notices=list(q.notices),
        )
        if "empty" in q.notices or "no_words" in q.notices:
            return answer
        chat = self.chat_in(q.text)
        if chat is not None and not self.danger_in(q.text):
            # "grazie mille, ciao": courtesy in a language we do not answer in is answered in English
            kind, langs = chat.kind, tuple(c for c in chat.langs if c in LANGUAGES) or (SOURCE_LANGUAGE,)
            if (known := lang or previous_lang) in chat.parting and known not in langs:  # "chao" after a Spanish exchange
                kind, langs = "goodbye", (known,)
            answer.chat, answer.grade = kind, CHAT
            # "merci" says French where detection cannot, but not in a conversation already held in another language:
            # a word of courtesy too short to switch the language is thanks in the conversation's own
            if choice.reason not in ("explicit", "previous") and choice.lang not in langs:
                lang = detection.lang if detection.lang in langs else langs[0]
                answer.lang, answer.lang_reason, answer.unsupported_language = lang, "detected", None
            return answer
        if choice.unsupported:
            answer.notices.append("unsupported_language")
        asking = asking_sentence(q.text)
        vector = query_vector(self.vector(q.text), self.vector(asking) if asking else None)
        said = self.signals.read(q.text, danger=self.danger_in(q.text), said=self.danger_said(q.text))
        situation = said.merged(situation) if situation else said
        answer.audience = said.audience
        answer.minor = situation.minor
        audience = said.audience or audience
        query = self.search.query(q.text, vector, detection.lang or choice.lang, situation, asking)
        evidence = self.search.evidence(query)
        ranking = self.search.rank(evidence)
        decision = self.search.decide(evidence, ranking, going_home="return_home" in situation.needs, minor=situation.minor)
        answer.in_scope = decision.in_scope
        answer.grade = decision.grade if scope else "answer"
        answer.abstained = not len(ranking.rows) or answer.grade == ABSTAIN
        if decision.notice and scope and decision.grade in (ABSTAIN, CAUTION):
            answer.notices.append(decision.notice)
        if not answer.abstained:
            answer.card = self.card_for(self.corpus.passages[int(ranking.rows[0])]["id"], query.vector, choice.lang,
                                        child=situation.minor or situation.maybe_child)
            answer.results = [
                self._result(int(row), choice.lang, query.vector, int(evidence.best_question[at]), int(evidence.best_unit[at]), float(score),
                             CARD_EXCERPT_CHARS if i == 0 and answer.card is not None else EXCERPT_CHARS,
                             answer.card if i == 0 else None)
                for i, (row, at, score) in enumerate(zip(ranking.rows[:k], ranking.at[:k], ranking.scores[:k]))
            ]
        else:
            answer.closest = [self.corpus.passages[int(row)]["id"] for row in ranking.rows[:k]]
        topics = list(self.corpus.passages[int(ranking.rows[0])]["topics"]) if not answer.abstained else []
        # said here: in this message, or in the triage's "I help someone" (earlier messages' audience is not: "I am locked
        # in now" after a helper's question is the writer's own danger)
        advice = recommend(self.services, situation, topics, audience, answer.abstained, said_helping=situation.audience in HELPING_AUDIENCES)
        answer.danger = situation.danger
        answer.emergency_services = advice.emergency
        answer.emergency_reasons = advice.reasons
        answer.emergency_for_helped = advice.for_helped
        answer.services = advice.services
        return answer

    def _result(
        self, row: int, lang: str, query: np.ndarray | None = None, bank_unit: int = -1, window_unit: int = -1, score: float = 0.0,
        limit: int = EXCERPT_CHARS, card: Card | None = None,
    ) -> Result:
        """``card``: the rights card shown above this passage, whose sentence the quote is."""
        p = self.corpus.passages[row]
        source = self.corpus.sources[p["doc"]]
        if query is not None:
            hs, he = self.highlighter.span(row, p["text"], query, bank_unit, window_unit, self.card_vector(card), card.text if card else None)
        else:
            hs, he = 0, len(p["text"])
        translation = None
        if lang != SOURCE_LANGUAGE:
            translated = self._catalogs[lang].pgettext(p["id"], p["text"])
            translation = translated if translated != p["text"] else None
        shown = excerpt(p["text"], (hs, he), limit)
        said = aligned(translation, p["text"], (hs, he)) if translation else None
        return Result(
            passage_id=p["id"],
            doc=p["doc"],
            title=self._name(lang, "title", source.title),
            short_title=self._name(lang, "title", source.short_title),
            section=" › ".join(self._name(lang, "section", name) for name in p["section"]),
            as_of=source.as_of,
            text=p["text"],
            highlight=p["text"][hs:he],
            start=p["start"],
            end=p["end"],
            score=score,
            translation=translation,
            translation_missing=lang != SOURCE_LANGUAGE and translation is None,
            outside_france=p.get("outside_france"),
            practice_of=p.get("practice_of"),
            highlight_start=hs,
            highlight_end=he,
            law_caution=cites_article(p["text"]),
            asks=self.search.index.bank_asks[bank_unit] if bank_unit >= 0 else None,
            excerpt=shown,
            translation_excerpt=excerpt(said, (0, len(said)), limit) if said else None,
            written_in=source.original_language,
            kind=p["kind"],
        )

    def _name(self, lang: str, kind: str, name: str) -> str:
        """A document title, section name or measure title in ``lang``, where the passage catalogs translate it."""
        return name if lang == SOURCE_LANGUAGE else self._catalogs[lang].pgettext(kind, name)

    def in_danger(self, text: str) -> bool:
        """Whether a message signals danger (no retrieval; its vectors are kept for the answer), so channels never hold it back."""
        _search_on_one_thread()
        q = sanitise(text)
        if "empty" in q.notices or "no_words" in q.notices:
            return False
        return bool(self.danger_in(q.text))

    def _danger_in(self, text: str) -> tuple[str, ...]:
        """Kinds of danger a (sanitised) message tells: by the curated phrases, then by likeness to the examples, the
        likeliest first.

        A message that only speaks to the bot ("ok bye, see you", "next
        pls") is read by the phrases alone: likeness put goodbyes next to
        farewells of despair, which the phrases name when they are said."""
        phrases = tuple(sorted(self.danger_said(text)))
        if self.chat_in(text) is not None:
            return phrases
        return tuple(dict.fromkeys(phrases + self._danger_by_likeness(text, self.vector(text))))

    def _danger_by_likeness(self, text: str, vector: np.ndarray) -> tuple[str, ...]:
        """Kinds of danger the fitted model reads (likeness to the examples) in the message, its last sentences, the end of a
        long one; a message telling an age, with the age weighing half."""
        if self.danger is None or not readable(text):
            return ()
        vectors = [vector]
        if len(text) > TAIL_CHARS:  # the encoder reads about 2,000 characters: a threat at the end of a long story counts
            vectors.append(self.vector(text[-TAIL_CHARS:].split(" ", 1)[-1]))
        sentences = [s for s in sentence_texts(text) if len(s) >= MIN_SENTENCE_CHARS]
        if len(sentences) > LAST_SENTENCES:
            vectors.append(self.vector(" ".join(sentences[-LAST_SENTENCES:])[-TAIL_CHARS:]))
        without_age = self.signals.without_age(text)
        words = len(without_age.split()) if without_age is not None else 0
        if words >= WITHOUT_AGE_MIN_WORDS:
            vectors.append(self.vector(without_age[-TAIL_CHARS:]))
        read = "" if words < WITHOUT_AGE_MIN_WORDS else "scene" if words >= WITHOUT_AGE_SCENE_WORDS else "fragment"
        return self.danger.kinds_of(np.stack(vectors), self.search.index, without_age=read)

    def card_for(self, passage_id: str, vector: np.ndarray, lang: str, child: bool) -> Card | None:
        """The passage's rights card that answers the question, when the passage has several; maybe none.

        Seven passages carry two or three cards ("you may get papers if you
        report" and "the permit lasts a year" cite the same one).  Their bank
        questions are labelled with the card that answers each, or "none"
        (seizing traffickers' assets: no card sums it up); the labelled
        questions nearest to the message vote.  Likeness to the cards' own
        short text chose "a 10-year permit after a conviction" for "without a
        passport, will they jail me?": on the bank's labelled questions, each
        left out, the right card came 0.84 of the time that way, 0.89 by the
        vote, which also finds 0.84 of the questions no card answers.  With no
        labelled question (cards added since) the nearest card's text decides.
        """
        cards = self.cards.of_passage(passage_id, child)
        if len(cards) < 2:
            return cards[0] if cards else None
        if voted := self._card_voted(self._rows[passage_id], vector, {c.id for c in cards}):
            return next((c for c in cards if c.id == voted), None)  # NO_CARD: none
        likeness = self._card_vectors @ vector
        return max(cards, key=lambda card: max((float(likeness[row]) for key in ((card.id, lang), (card.id, SOURCE_LANGUAGE))
                                                if (row := self._card_rows.get(key)) is not None), default=-np.inf))

    def _card_voted(self, row: int, vector: np.ndarray, shown: set[str]) -> str | None:
        """The card (or NO_CARD) the passage's labelled questions nearest to ``vector`` vote for, among ``shown``."""
        vectors, labels = self._card_labelled.get(row, (None, []))
        keep = [i for i, label in enumerate(labels) if label in shown or label == NO_CARD]
        if not keep:
            return None
        likeness = vectors[keep] @ vector
        nearest = np.argsort(-likeness)[:CARD_NEIGHBOURS]
        votes: Counter[str] = Counter()
        for i in nearest:
            votes[labels[keep[i]]] += float(np.exp(CARD_SHARPNESS * (likeness[i] - likeness[nearest[0]])))
        return votes.most_common(1)[0][0]

    def card_vector(self, card: Card | None) -> np.ndarray | None:
        """The English card's vector (the passage's language), or None."""
        row = self._card_rows.get((card.id, SOURCE_LANGUAGE)) if card else None
        return self._card_vectors[row] if row is not None else None

    def result_by_id(self, passage_id: str, lang: str) -> Result | None:
        row = self._rows.get(passage_id)
        return self._result(row, lang) if row is not None else None

    def sources(self) -> list[dict]:
        return [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "as_of": s.as_of, "note": s.as_of_note,
             "kind": s.kind, "passages": sum(p["doc"] == s.id for p in self.corpus.passages)}
            for s in self.corpus.sources.values()
        ]

    def measures(self, lang: str = SOURCE_LANGUAGE) -> list[dict]:
        """The measures of the evaluated action plan, with their printed status (titles in ``lang`` where translated)."""
        return [dict(m, doc=doc, title=self._name(lang, "measure", m["title"])) for doc, items in self.corpus.measures.items() for m in items]

    def measure(self, number: int, lang: str) -> tuple[dict | None, list[tuple[str, list[Result]]]]:
        """A measure and its passages, grouped by part (the State's actions, the evaluator's comments, notes)."""
        measure = next((m for m in self.measures(lang) if m["number"] == number), None)
        if measure is None:
            return None, []
        parts: dict[str, list[Result]] = {}
        for row, p in enumerate(self.corpus.passages):
            if p["doc"] == measure["doc"] and p.get("measure") == number:
                parts.setdefault(p["section"][-1], []).append(self._result(row, lang))
        return measure, list(parts.items())
