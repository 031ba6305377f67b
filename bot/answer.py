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
    from .recommend import Recommendation
    from .services import Service


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
    detected: str | None = None  # language detected in the question
    unsupported_language: str | None = None
    notices: list[str] = field(default_factory=list)  # codes: empty, truncated, no_words, ...
    best_dense: float = -1.0  # similarity of the best passage (what abstention looks at)
    emergency: bool = False  # the message signals immediate danger: emergency card first
    emergency_services: list[Service] = field(default_factory=list)
    services: list[Recommendation] = field(default_factory=list)
    legal_references: list[str] = field(default_factory=list)  # for professionals

    def to_json(self, services: list[dict] | None = None) -> dict:
        """The `bot ask --json` object; ``services`` as rendered in the answer's language."""
        return {
            "id": self.id,
            "question": self.question,
            "lang": self.lang,
            "abstained": self.abstained,
            "emergency": self.emergency,
            "services": services or [],
            "results": [r.to_json() for r in self.results],
        }
