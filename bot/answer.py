"""What the engine returns: an answer, its cited results, and notices.

Renderers (REPL, Telegram, JSON) only format these objects; every decision
(language, abstention, which passages, translations, notices) is already in
them.  Notices are codes, turned into words in the user's language by the
renderer through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cards import Card
    from .recommend import Recommendation
    from .services import Service

EXCERPT_SAVES = 80  # characters an excerpt must save to be worth showing instead of the whole passage


@dataclass
class Result:
    passage_id: str
    doc: str
    title: str
    section: str
    as_of: str
    text: str  # the passage in its source language
    highlight: str  # the one or two sentences that best answer the question
    start: int  # offsets of the passage in the cleaned document
    end: int
    score: float
    translation: str | None  # current translation into the answer language, or None
    translation_missing: bool = False  # a translation was wanted but none is current
    outside_france: str | None = None  # the passage lists services in this other country
    highlight_start: int = 0  # offsets of the highlight inside ``text``
    highlight_end: int = 0
    law_caution: bool = False  # cites an article of law that may have changed since
    practice_of: str | None = None  # the passage describes this other country's practice, for comparison
    asks: str | None = None  # the kind of number the matched bank question asks for (the highlight holds one)
    short_title: str = ""  # the document's short title, for compact citations
    excerpt: str = ""  # the highlighted sentences, about 600 characters at most (what victims see first)
    translation_excerpt: str | None = None  # the same sentences in the translation
    written_in: str = "en"  # the language the document was written in (the CNCDH's report: French)
    kind: str = "text"  # text | list | table | notes

    @property
    def excerpt_shorter(self) -> bool:
        """Whether the excerpt saves enough of the passage to be shown instead of it."""
        return bool(self.excerpt) and len(self.excerpt) + EXCERPT_SAVES < len(self.text)

    def to_json(self) -> dict:
        return {
            "passage_id": self.passage_id,
            "doc": self.doc,
            "title": self.title,
            "section": self.section,
            "as_of": self.as_of,
            "text": self.text,
            "highlight": self.highlight,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "translation": self.translation,
        }


@dataclass
class Answer:
    question: str
    lang: str  # the language the answer is given in
    abstained: bool
    results: list[Result]
    id: str | None = None
    lang_reason: str = "default"
    unsupported_language: str | None = None
    notices: list[str] = field(default_factory=list)  # codes: empty, truncated, no_words, ...
    grade: str = "abstain"  # answer | caution (answered with a "may not match" note) | abstain | chat (no passage: see ``chat``)
    in_scope: float = 0.0  # the scope model's probability that the sources answer the question
    danger: frozenset[str] = frozenset()  # kinds of danger the message signals: the safety card first, alone
    emergency_services: list[Service] = field(default_factory=list)  # the safety card
    emergency_reasons: list[str] = field(default_factory=list)  # one English msgid per card service
    emergency_for_helped: bool = False  # the card is about the person a helper tells of, not the writer
    services: list[Recommendation] = field(default_factory=list)
    audience: str | None = None  # who the message says is asking (helper, professional), if it says
    minor: bool = False  # the message says the person is under 18
    closest: list[str] = field(default_factory=list)  # when abstaining: the nearest passages, shown only if asked
    card: Card | None = None  # the rights card of the best passage
    chat: str | None = None  # the message speaks to the bot, not of a situation: "thanks", "ok", "more" (bot.situation.CHAT_KINDS)

    @property
    def emergency(self) -> bool:
        return bool(self.danger)

    def to_json(self, services: list[dict] | None = None, k: int | None = None) -> dict:
        """The `bot ask --json` object (the best ``k`` results); ``services`` as rendered in the answer's language."""
        return {
            "id": self.id,
            "question": self.question,
            "lang": self.lang,
            "abstained": self.abstained,
            "grade": self.grade,
            "chat": self.chat,
            "emergency": self.emergency,
            "danger": sorted(self.danger),
            "card": self.card.id if self.card else None,
            "services": services or [],
            "results": [r.to_json() for r in self.results[:k]],
        }
