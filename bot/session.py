"""What the bot keeps about a person between two messages: choices and passage ids, never their words.

Every channel stores it through :mod:`bot.channels.store`, which gives every
key a time to live (30 days unless configured): nothing is kept forever.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .situation import HELPING_AUDIENCES, Situation
from .triage import NEED_BY_ID


@dataclass
class Session:
    lang: str | None = None  # explicit choice (/lang, :lang, the language picker)
    last_lang: str | None = None  # language of the previous answer
    client_lang: str | None = None  # the client's language (Telegram's language_code, the browser's)
    audience: str | None = None  # victim | helper | professional (chosen, or recognised from what they wrote)
    triage_step: str | None = None  # who | need
    triage_need: str | None = None
    last_results: list[str] = field(default_factory=list)  # passage ids of the last answer
    last_card: str | None = None  # id of the rights card chosen for the last answer's first passage
    shown: int = 0  # how many of them were shown
    page: int | None = None  # passages shown at a time (:k N); None: the channel's default
    # The last safety card, as (service id, English reason) pairs -- never the words that raised it: "thanks" or "bye"
    # after it gets the card again, not a cheerful "ask me another question".
    safety_card: list[tuple[str, str]] = field(default_factory=list)
    safety_card_for_helped: bool = False  # that card was about the person a helper told of

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> Session:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def helping(self) -> bool:
        """The writer helps someone else (a helper, a professional): what the bot says is worded about that person."""
        return self.audience in HELPING_AUDIENCES

    @property
    def situation(self) -> Situation:
        need = NEED_BY_ID.get(self.triage_need or "")
        return need.situation if need else Situation()

    def erase(self) -> None:
        """Forget everything (the object stays usable)."""
        fresh = Session()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))
