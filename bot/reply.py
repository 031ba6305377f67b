"""The conversation's vocabulary: what a channel passes in, and the neutral reply it renders.

A channel maps what the person did to an :data:`Input` -- typed text, a
command, or a choice (a button, a numbered option) -- and renders the
:class:`Reply`: an ordered list of blocks and the actions available next.
Blocks carry data and message codes, never markup or translated words;
each renderer (plain text, Telegram HTML, JSON) turns every block type into
its own form, in the reply's language.  The order of the blocks is the
conversation's decision (the emergency card first, the footer last).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .answer import Answer, Result
from .cards import Card
from .recommend import Recommendation
from .services import Service

# Input ----------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Command:
    name: str  # without the channel's prefix ("lang", not "/lang" or ":lang")
    arg: str = ""


@dataclass(frozen=True)
class Choice:
    action: str  # one of ACTIONS
    value: str = ""


@dataclass(frozen=True)
class Unreadable:
    """Something that is not text: a voice message, a photo, a sticker, a file, a location."""

    kind: str = ""


Input = Text | Command | Choice | Unreadable

def parse_command(text: str, prefix: str) -> Command | None:
    """``/lang@MyBot fr`` -> ``Command("lang", "fr")`` (the bot's name after @ is Telegram's); None if not a command."""
    if not text.startswith(prefix) or len(text) == len(prefix):
        return None
    head, _, arg = text[len(prefix):].partition(" ")
    name = head.split("@", 1)[0]
    return Command(name.lower(), arg.strip()) if re.fullmatch(r"[A-Za-z_]{1,32}", name) else None


def parse(text: str, *prefixes: str) -> Input:
    """What a channel's typed line means: a command (with one of the channel's prefixes) or text."""
    return next((command for prefix in prefixes if (command := parse_command(text, prefix))), None) or Text(text)


# Actions offered after a reply (buttons in Telegram and the web chat, commands in the REPL).
ORIGINAL, FULL, MORE, CONTACTS, GUIDE, ANYWAY, RIGHTS, LANG, TRIAGE = (
    "original", "full", "more", "contacts", "guide", "anyway", "rights", "lang", "triage",
)
ACTIONS = (ORIGINAL, FULL, MORE, CONTACTS, GUIDE, ANYWAY, RIGHTS, LANG, TRIAGE)


@dataclass(frozen=True)
class Action:
    action: str  # one of ACTIONS
    label: str  # English msgid (or a native language name for LANG)
    value: str = ""  # passage id, language code, option id


# Blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Emergency:
    """What to do now: the numbers for this danger, and how to reach them when speaking is not safe."""

    services: tuple[Service, ...]
    reasons: tuple[str, ...]  # English msgids, one per service
    for_helped: bool = False  # a helper tells of someone else's danger: "if the person is in danger", not "if you are"


@dataclass(frozen=True)
class Notice:
    code: str  # a key of bot.render.messages.NOTICES
    params: tuple[tuple[str, str], ...] = ()  # values for the message's placeholders


@dataclass(frozen=True)
class Heading:
    code: str  # a key of bot.render.messages.HEADINGS
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Passage:
    """A quoted passage: an excerpt (its highlighted sentences) or the whole text."""

    result: Result
    number: int  # its place in the results shown for the question (1 = best)
    whole: bool = True
    original: bool = False  # the source text, not the translation
    compact: bool = False  # in a victim's or helper's reply: the short citation, even for a whole passage


@dataclass(frozen=True)
class RightsCard:
    """A plain-language summary of a right, citing the passages it rests on."""

    card: Card
    for_someone_helped: bool = False  # a helper reads the wording about the person they help


@dataclass(frozen=True)
class Services:
    items: tuple[Recommendation, ...]
    brief: bool = False  # each service without why it fits: the reply had to fit its limit ("Contacts" gives the details)


@dataclass(frozen=True)
class Directory:
    """The whole services directory (contacts), emergency numbers first."""

    emergency: tuple[Service, ...]
    others: tuple[Service, ...]
    for_helped: bool = False  # asked by a helper or a professional: "if the person is in danger now"


@dataclass(frozen=True)
class LegalReferences:
    references: tuple[str, ...]


@dataclass(frozen=True)
class Sources:
    sources: tuple[dict, ...]


@dataclass(frozen=True)
class Measures:
    measures: tuple[dict, ...]


@dataclass(frozen=True)
class MeasureTitle:
    measure: dict


@dataclass(frozen=True)
class Languages:
    choices: tuple[tuple[str, str], ...]  # (code, native name)


@dataclass(frozen=True)
class Help:
    commands: tuple[tuple[str, str], ...]  # (command name, English msgid of what it does)


@dataclass(frozen=True)
class Options:
    """A guided question and its numbered options (also offered as TRIAGE actions)."""

    question: str  # English msgid
    options: tuple[tuple[str, str], ...]  # (option id, English msgid)


@dataclass(frozen=True)
class Footer:
    """The reminder that the bot is not an emergency service."""


Block = (Emergency | Notice | Heading | Passage | RightsCard | Services | Directory | LegalReferences | Sources
         | Measures | MeasureTitle | Languages | Help | Options | Footer)


@dataclass
class Reply:
    lang: str
    blocks: list[Block] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    erase: bool = False  # /forget: the channel erases what it holds about the person before confirming
    urgent: bool = False  # a danger message: never throttled, answered first
    answer: Answer | None = None  # the engine's answer behind a reply to a question (`bot ask --json` prints it)
    limit: int | None = None  # characters as read that the reply should fit in: a channel leaves out its last services to fit
