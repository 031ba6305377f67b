"""One conversation logic for every channel.

A channel (the REPL, Telegram) collects input and renders replies; this
module decides what the reply is.  It understands commands (language,
contacts, sources, measures, guided triage, original text, more results,
forget) and free text (a question), and keeps per-user state in a
:class:`Session`: the language choices, the mode (who is asking), the
triage step, and the ids of the last results — never the person's words.

Replies are data (dataclasses below); ``bot.render`` turns them into text
or Telegram HTML.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from .answer import Answer, Result
from .engine import Engine
from .i18n.languages import LANGUAGES, normalise_code
from .services import Service
from .situation import Situation
from .triage import CARD_PASSAGES, HELPER_MINOR_LABEL, NEED_BY_ID, NEEDS, WHO, WHO_IDS, Option

MORE_POOL = 10  # results fetched per question, so "more" can show the next ones


@dataclass
class Session:
    """Everything kept about a user between messages (serialisable, no message text)."""

    lang: str | None = None  # explicit choice (/lang, :lang)
    last_lang: str | None = None  # language of the previous answer
    client_lang: str | None = None  # the client's language (Telegram language_code)
    audience: str | None = None  # victim | helper | professional
    triage_step: str | None = None  # who | need
    triage_need: str | None = None
    last_results: list[str] = field(default_factory=list)  # passage ids of the last answer
    shown: int = 0  # how many of them were shown

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Session:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def situation(self) -> Situation:
        need = NEED_BY_ID.get(self.triage_need or "")
        return need.situation if need else Situation()


# Replies -------------------------------------------------------------------


@dataclass
class AnswerReply:
    answer: Answer
    shown: list[Result]
    more: bool  # more results can be shown


@dataclass
class MoreReply:
    lang: str
    results: list[Result]
    more: bool


@dataclass
class OriginalReply:
    lang: str
    result: Result | None


@dataclass
class TriageQuestion:
    lang: str
    step: str  # who | need
    options: list[Option]


@dataclass
class CardReply:
    lang: str
    need: str
    answer: Answer  # passages and services for the need


@dataclass
class ContactsReply:
    lang: str
    emergency: list[Service]
    others: list[Service]


@dataclass
class SourcesReply:
    lang: str
    sources: list[dict]


@dataclass
class MeasuresReply:
    lang: str
    measures: list[dict]


@dataclass
class MeasureReply:
    lang: str
    measure: dict | None
    parts: list[tuple[str, list[Result]]]  # (part name, passages)


@dataclass
class LanguageReply:
    lang: str  # the (new) language
    changed: bool
    choices: list[tuple[str, str]]  # (code, native name)
    unknown: str | None = None


@dataclass
class NoticeReply:
    lang: str
    code: str  # help | privacy | forgotten | start | unknown_command | bad_measure


Reply = (AnswerReply | MoreReply | OriginalReply | TriageQuestion | CardReply | ContactsReply | SourcesReply
         | MeasuresReply | MeasureReply | LanguageReply | NoticeReply)


class Conversation:
    """Decides the reply to each input; channels only collect and render."""

    def __init__(self, engine: Engine, page: int = 3) -> None:
        """``page``: passages shown at a time (a chat shows the best one, then "more")."""
        self.engine = engine
        self.page = page

    def lang(self, session: Session) -> str:
        """The language to talk in when there is no new message to detect from."""
        return session.lang or session.last_lang or normalise_code(session.client_lang) or "en"

    # free text -------------------------------------------------------------

    def ask(self, session: Session, text: str) -> AnswerReply:
        """A question: typing one always leaves the guided triage."""
        session.triage_step = None
        answer = self.engine.ask(
            text, lang=session.lang, previous_lang=session.last_lang, client_lang=session.client_lang,
            k=MORE_POOL, audience=session.audience, situation=session.situation,
        )
        session.last_lang = answer.lang if answer.lang_reason != "unsupported" else session.last_lang
        session.last_results = [r.passage_id for r in answer.results]
        session.shown = min(self.page, len(answer.results))
        return AnswerReply(answer, answer.results[: session.shown], len(answer.results) > session.shown)

    def more(self, session: Session) -> MoreReply:
        lang = self.lang(session)
        ids = session.last_results[session.shown: session.shown + self.page]
        session.shown += len(ids)
        results = [r for r in (self.engine.result_by_id(pid, lang) for pid in ids) if r]
        return MoreReply(lang, results, session.shown < len(session.last_results))

    def original(self, session: Session, passage_id: str | None = None) -> OriginalReply:
        lang = self.lang(session)
        pid = passage_id or (session.last_results[0] if session.last_results else None)
        return OriginalReply(lang, self.engine.result_by_id(pid, lang) if pid else None)

    # language --------------------------------------------------------------

    def set_language(self, session: Session, code: str | None) -> LanguageReply:
        choices = [(c, lang.name) for c, lang in LANGUAGES.items()]
        if not code:
            return LanguageReply(self.lang(session), False, choices)
        new = normalise_code(code)
        if new is None:
            return LanguageReply(self.lang(session), False, choices, unknown=code)
        session.lang = new
        return LanguageReply(new, True, choices)

    # triage ----------------------------------------------------------------

    def start_triage(self, session: Session) -> TriageQuestion:
        session.triage_step = "who"
        return TriageQuestion(self.lang(session), "who", list(WHO))

    def current_options(self, session: Session) -> list[Option]:
        """The options of the triage step the user is at (none outside the triage)."""
        if session.triage_step == "who":
            return list(WHO)
        if session.triage_step == "need":
            return self._need_options(session)
        return []

    def choose(self, session: Session, option: str) -> TriageQuestion | CardReply | NoticeReply:
        """A triage choice (button or number); unknown choices restart the step."""
        lang = self.lang(session)
        if session.triage_step == "who" and option in WHO_IDS:
            session.audience = option
            session.triage_step = "need"
            return TriageQuestion(lang, "need", self._need_options(session))
        if session.triage_step == "need" and option in NEED_BY_ID:
            session.triage_step = None
            session.triage_need = option
            return self.card(session, option)
        if session.triage_step in ("who", "need"):
            return TriageQuestion(lang, session.triage_step, self.current_options(session))
        return NoticeReply(lang, "unknown_command")

    @staticmethod
    def _need_options(session: Session) -> list[Option]:
        """The needs, worded for who is asking (a helper is not under 18 themself)."""
        return [
            Option("minor", HELPER_MINOR_LABEL) if session.audience == "helper" and n.option.id == "minor" else n.option
            for n in NEEDS
        ]

    def card(self, session: Session, need_id: str) -> CardReply:
        need = NEED_BY_ID[need_id]
        lang = self.lang(session)
        answer = self.engine.ask(
            need.query, lang=lang, k=CARD_PASSAGES, audience=session.audience, situation=need.situation,
            abstain_below=-1.0,
        )
        session.last_results = [r.passage_id for r in answer.results]
        session.shown = len(answer.results)
        return CardReply(lang, need_id, answer)

    # reference tools -------------------------------------------------------

    def contacts(self, session: Session) -> ContactsReply:
        services = list(self.engine.services.values())
        emergency = [s for s in services if "emergency" in s.helps_with]
        return ContactsReply(self.lang(session), emergency, [s for s in services if s not in emergency])

    def sources(self, session: Session) -> SourcesReply:
        return SourcesReply(self.lang(session), self.engine.sources())

    def measures(self, session: Session) -> MeasuresReply:
        return MeasuresReply(self.lang(session), self.engine.measures())

    def measure(self, session: Session, number: str) -> MeasureReply | NoticeReply:
        lang = self.lang(session)
        if not re.fullmatch(r"\d{1,2}", number.strip()):
            return NoticeReply(lang, "bad_measure")
        measure, parts = self.engine.measure(int(number), lang)
        if measure is None:
            return NoticeReply(lang, "bad_measure")
        return MeasureReply(lang, measure, parts)

    # privacy ---------------------------------------------------------------

    def forget(self, session: Session) -> NoticeReply:
        """Erase everything kept about the user (the channel deletes what it can too)."""
        lang = self.lang(session)
        for name, spec in Session.__dataclass_fields__.items():
            setattr(session, name, spec.default_factory() if callable(spec.default_factory) else spec.default)
        return NoticeReply(lang, "forgotten")
