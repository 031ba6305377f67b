"""One conversation for every channel: ``Conversation.handle(session, Input) -> Reply``.

A channel (the REPL, Telegram, the web chat) maps what the person did to an
input -- text, a command, a choice -- and renders the reply's blocks and
actions.  Every decision lives here, once: the command table, what a number
means during the guided questions, the start flow, the safety card first
and alone when someone is in danger, how much of an answer to show to whom,
which actions come next, and what ``/forget`` erases.

The session keeps choices and passage ids, never the person's words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Callable

from .answer import Answer, Result
from .engine import Engine
from .i18n.languages import LANGUAGES, SOURCE_LANGUAGE, language_name, language_named, language_picked, normalise_code
from .i18n.ui import N_
from .legal import references
from .reply import (
    ANYWAY, CONTACTS, FULL, GUIDE, LANG, MORE, ORIGINAL, RIGHTS, TRIAGE, Action, Command, Directory, Emergency,
    Footer, Heading, Help, Input, Languages, LegalReferences, MeasureTitle, Measures, Notice, Options, Passage, Reply,
    RightsCard, Services, Sources, Text, Unreadable,
)
from .session import Session
from .triage import HELPER_MINOR_LABEL, NEED_BY_ID, NEEDS, QUESTION_NEED, QUESTION_NEED_HELPED, QUESTION_WHO, WHO, WHO_IDS

MORE_POOL = 10  # results fetched per question, so "more" can show the next ones
MAX_PAGE = 10
PROFESSIONAL = "professional"
# Services under a victim's answer: the ones that fit best, so the first reply
# stays readable on a phone; "Contacts" lists them all.  Helpers and
# professionals see every one: the last are the lines for their role.  Under a
# rights card (which already says what to do) the one that fits best, and a
# second only when it too fits what the person told (a child made to work: 119
# and the labour inspection).
VICTIM_SERVICES = 2
FIRST_ANSWER_CHARS = 1200  # a first answer to a victim, as read on a phone without scrolling

LABELS = {
    ORIGINAL: N_("Original text"),
    FULL: N_("Full passage"),
    MORE: N_("More results"),
    CONTACTS: N_("Contacts"),
    GUIDE: N_("Guide me"),
    ANYWAY: N_("Show the closest passages"),
    RIGHTS: N_("My rights"),
}
RIGHTS_HELPED = N_("The person's rights")  # the rights button under a safety card about someone a helper told of
# The notice a message that speaks to the bot gets (bot.situation.CHAT_KINDS; "more" and "back" show a passage).
CHAT_REPLIES = {"greeting": "start", "thanks": "welcome", "goodbye": "goodbye", "ack": "go_on", "not_understood": "rephrase"}
# The commands every channel accepts, in the order help lists them.
COMMANDS: dict[str, str] = {
    "start": N_("start again: what I do, your language"),
    "lang": N_("choose your language"),
    "guide": N_("guided questions to find the right help"),
    "contacts": N_("who to call"),
    "sources": N_("the documents I quote, with their dates"),
    "measures": N_("for professionals: the 23 measures of the action plan and their status"),
    "measure": N_("for professionals: the State's actions and the CNCDH's comments on one measure"),
    "original": N_("show the original text of a passage"),
    "full": N_("show a whole passage"),
    "more": N_("show more passages"),
    "k": N_("how many passages to show at a time (1-10)"),
    "privacy": N_("what I keep about you"),
    "forget": N_("erase what I keep about you"),
    "help": N_("this help"),
}


class Conversation:
    def __init__(self, engine: Engine, page: int = 3, channel_commands: dict[str, str] | None = None) -> None:
        """``page``: passages shown at a time to professionals (victims and helpers get one, shortened);
        ``channel_commands``: commands only this channel handles (the REPL's ``quit``), for the help."""
        self.engine = engine
        self.page = page
        self.channel_commands = channel_commands or {}
        self._commands: dict[str, Callable[[Session, str], Reply]] = {
            "start": lambda s, a: self.start(s),
            "lang": self._lang,
            "guide": lambda s, a: self._guide(s),
            "contacts": lambda s, a: self._contacts(s),
            "sources": lambda s, a: self._sources(s),
            "measures": lambda s, a: self._measures(s),
            "measure": self._measure,
            "original": self._original,
            "full": self._full,
            "more": lambda s, a: self._more(s),
            "k": self._k,
            "privacy": lambda s, a: self._notice(s, "privacy"),
            "forget": lambda s, a: self._forget(s),
            "help": lambda s, a: self._help(s),
        }
        self._choices: dict[str, Callable[[Session, str], Reply]] = {
            ORIGINAL: self._original, FULL: self._full, MORE: lambda s, v: self._more(s),
            CONTACTS: lambda s, v: self._contacts(s), GUIDE: lambda s, v: self._guide(s), ANYWAY: lambda s, v: self._more(s),
            RIGHTS: lambda s, v: self._more(s), LANG: self._lang, TRIAGE: self._choose,
        }

    def lang(self, session: Session) -> str:
        """The language to talk in when there is no new message to detect from."""
        return session.lang or session.last_lang or normalise_code(session.client_lang) or "en"

    # the one entry point ---------------------------------------------------------

    def handle(self, session: Session, event: Input) -> Reply:
        if isinstance(event, Text):
            digits = event.text.strip()
            if session.triage_step and digits.isdigit():
                options = self._current_options(session)
                n = int(digits)
                return self._choose(session, options[n - 1][0] if 1 <= n <= len(options) else "")
            if code := language_named(event.text):  # "fr", "Français" typed under the language picker: a choice, not a question
                return self._lang(session, code)
            return self._ask(session, event.text)
        if isinstance(event, Unreadable):
            return self._notice(session, "not_text")
        if isinstance(event, Command):
            handler = self._commands.get(event.name.lower())
            return handler(session, event.arg.strip()) if handler else self._notice(session, "unknown_command")
        handler = self._choices.get(event.action)
        return handler(session, event.value) if handler else self._notice(session, "unknown_command")

    def urgent(self, event: Input) -> bool:
        """Never throttled, deduplicated away or dropped: a danger message, and /forget."""
        if isinstance(event, Command):
            return event.name.lower() == "forget"
        return isinstance(event, Text) and self.engine.in_danger(event.text)

    # questions -------------------------------------------------------------------

    def _ask(self, session: Session, text: str) -> Reply:
        """A question: typing one always leaves the guided triage."""
        session.triage_step = None
        answer = self.engine.ask(
            text, lang=session.lang, previous_lang=session.last_lang, client_lang=session.client_lang,
            k=MORE_POOL, audience=session.audience, situation=session.situation,
        )
        if answer.lang_reason != "unsupported":
            session.last_lang = answer.lang
        if answer.chat:
            return self._chat(session, answer)
        if answer.audience:
            session.audience = answer.audience  # "I am a social worker": said once, kept
        self._remember(session, answer)
        reply = Reply(answer.lang, urgent=bool(answer.danger), answer=answer)
        if answer.emergency_services:
            reply.blocks.append(_emergency(answer))
        if answer.danger:
            return self._safety_first(reply, session)
        reply.blocks += _notices(answer)
        if answer.abstained:
            # a message with no words to search ("3", an emoji) has no services: no heading over nothing
            reply.blocks += ([Services(tuple(answer.services))] if answer.services else []) + [Footer()]
            reply.actions = ([Action(ANYWAY, LABELS[ANYWAY])] if session.last_results else []) + self._standard_actions()
            return reply
        self._show_results(session, reply, answer.results, answer.card, answer)
        return reply

    def _chat(self, session: Session, answer: Answer) -> Reply:
        """A greeting, thanks, goodbye or "ok": a short kind word, never "the sources do not cover this";
        "more" or "next" typed: the next passage, as the button does; "go back": the one before.

        The last answer's passages stay, so "ok" then "more" still shows the next one."""
        if answer.chat == "back":  # the page before the one shown last
            session.shown = max(0, session.shown - 2 * self._page(session))
        if answer.chat in ("more", "back"):
            reply = self._more(session)
        elif answer.chat == "about":  # "who are you?", "can my boss see this?": what the bot is, and what it keeps
            reply = Reply(answer.lang, [Notice("start"), Notice("privacy"), Footer()], actions=self._standard_actions())
        elif session.safety_card:  # "thanks" after "I want to jump": the kind word, then the card again
            card = [(self.engine.services[i], r) for i, r in session.safety_card if i in self.engine.services]
            emergency = Emergency(tuple(s for s, _ in card), tuple(r for _, r in card), session.safety_card_for_helped)
            reply = self._safety_first(Reply(answer.lang, [Notice(CHAT_REPLIES[answer.chat]), emergency], urgent=True), session)
        else:
            reply = Reply(answer.lang, [Notice(CHAT_REPLIES[answer.chat]), Footer()], actions=self._standard_actions())
        reply.answer = answer
        return reply

    @staticmethod
    def _remember(session: Session, answer: Answer) -> None:
        """What "more", "original" and a later "thanks" need of an answer: passage and card ids, the safety card's lines."""
        session.last_results = [r.passage_id for r in answer.results] or list(answer.closest)
        session.last_card = answer.card.id if answer.card else None
        session.shown = 0
        session.safety_card = [(s.id, r) for s, r in zip(answer.emergency_services, answer.emergency_reasons)] if answer.danger else []
        session.safety_card_for_helped = bool(answer.danger) and answer.emergency_for_helped

    def _safety_first(self, reply: Reply, session: Session) -> Reply:
        """In danger: the safety card alone, short; rights only when asked. A helper telling of someone else's danger
        is not told "when you are safe", nor offered "my rights" (the card, remembered, says whose danger it is)."""
        helped = session.safety_card_for_helped
        reply.blocks.append(Notice("when_safe_helped" if helped else "when_safe"))
        rights = Action(RIGHTS, RIGHTS_HELPED if helped else LABELS[RIGHTS])
        reply.actions = ([rights] if session.last_results else []) + [Action(CONTACTS, LABELS[CONTACTS])]
        return reply

    def _page(self, session: Session) -> int:
        if session.page:
            return session.page
        return self.page if session.audience == PROFESSIONAL else 1

    def _show_results(self, session: Session, reply: Reply, results: list[Result], card=None, answer: Answer | None = None) -> None:  # type: ignore[no-untyped-def]
        """A page of results: victims and helpers get the card and one shortened passage; professionals the full texts."""
        professional = session.audience == PROFESSIONAL
        page = results[: self._page(session)]
        if card is not None and not professional:
            reply.blocks.append(RightsCard(card, for_someone_helped=session.helping))
        reply.blocks += [Passage(r, session.shown + i, whole=professional or not r.excerpt_shorter, compact=not professional)
                         for i, r in enumerate(page, 1)]
        session.shown += len(page)
        if professional and (cited := tuple(dict.fromkeys(ref for r in page for ref in references(r.text)))):
            reply.blocks.append(LegalReferences(cited))  # of the passages on this page, as its title says
        if answer is not None:
            victim = not session.helping
            if answer.services:
                shown = answer.services if not victim else [
                    r for i, r in enumerate(answer.services) if card is None or i == 0 or r.told][:VICTIM_SERVICES]
                reply.blocks.append(Services(tuple(shown)))
            if victim:
                reply.limit = FIRST_ANSWER_CHARS
        reply.blocks.append(Footer())
        first = page[0] if page else None
        actions = []
        if first is not None and not professional and first.excerpt_shorter:
            actions.append(Action(FULL, LABELS[FULL], first.passage_id))
        if first is not None:
            actions.append(Action(ORIGINAL, LABELS[ORIGINAL], first.passage_id))
        if session.shown < len(session.last_results):
            actions.append(Action(MORE, LABELS[MORE]))
        reply.actions = actions + self._standard_actions()

    @staticmethod
    def _standard_actions() -> list[Action]:
        return [Action(CONTACTS, LABELS[CONTACTS]), Action(GUIDE, LABELS[GUIDE])]

    def _more(self, session: Session) -> Reply:
        lang = self.lang(session)
        ids = session.last_results[session.shown: session.shown + self._page(session)]
        reply = Reply(lang)
        if not ids:
            reply.blocks.append(Notice("no_more" if session.last_results else "no_previous"))
            return reply
        results = [r for r in (self.engine.result_by_id(pid, lang) for pid in ids) if r]
        card = self.engine.cards.current.get(session.last_card or "") if results and session.shown == 0 else None
        self._show_results(session, reply, results, card)
        return reply

    def _original(self, session: Session, value: str) -> Reply:
        return self._one_passage(session, value, original=True)

    def _full(self, session: Session, value: str) -> Reply:
        return self._one_passage(session, value, original=False)

    def _one_passage(self, session: Session, value: str, original: bool) -> Reply:
        """A passage shown whole; ``value`` is a passage id (buttons) or a result number (":original 2")."""
        lang = self.lang(session)
        ids = session.last_results
        if value.isdigit():
            pid = ids[int(value) - 1] if 1 <= int(value) <= len(ids) else None
        else:
            pid = value if value in ids else (ids[0] if ids and not value else None)
        result = self.engine.result_by_id(pid, lang) if pid else None
        reply = Reply(lang)
        if result is None:
            reply.blocks.append(Notice("no_previous"))
            return reply
        if original:
            reply.blocks.append(Heading("original", (("language", language_name(SOURCE_LANGUAGE, lang)),)))
        reply.blocks.append(Passage(result, (ids.index(pid) + 1) if pid in ids else 1, whole=True, original=original))
        if not original and result.translation:
            reply.actions.append(Action(ORIGINAL, LABELS[ORIGINAL], result.passage_id))
        return reply

    # language ----------------------------------------------------------------------

    def _lang(self, session: Session, code: str) -> Reply:
        choices = tuple((c, lang.name) for c, lang in LANGUAGES.items())
        if code:
            new = language_picked(code)
            if new is not None:
                session.lang = new
                return Reply(new, [Notice("language_set", (("language", language_name(new, new)),))])
            reply = Reply(self.lang(session), [Notice("language_unknown", (("code", code[:16]),)), Languages(choices)])
        else:
            reply = Reply(self.lang(session), [Heading("language_pick"), Languages(choices)])
        reply.actions = [Action(LANG, name, c) for c, name in choices]
        return reply

    # start, help, privacy, forget -----------------------------------------------------

    def start(self, session: Session) -> Reply:
        """What the bot is, that it is not an emergency service, privacy, then the language picker."""
        reply = self._lang(session, "")
        reply.blocks = [Notice("start"), Footer(), Notice("privacy")] + reply.blocks
        return reply

    def _help(self, session: Session) -> Reply:
        commands = tuple((name, what) for name, what in {**COMMANDS, **self.channel_commands}.items())
        return Reply(self.lang(session), [Notice("start"), Help(commands), Footer()])

    def _notice(self, session: Session, code: str) -> Reply:
        return Reply(self.lang(session), [Notice(code)])

    def _forget(self, session: Session) -> Reply:
        """Erase everything kept about the person; the channel erases what it holds before confirming."""
        lang = self.lang(session)
        session.erase()
        return Reply(lang, [Notice("forgotten")], erase=True, urgent=True)

    def _k(self, session: Session, arg: str) -> Reply:
        if not re.fullmatch(r"\d{1,2}", arg) or not 1 <= int(arg) <= MAX_PAGE:
            return self._notice(session, "bad_k")
        session.page = int(arg)
        return Reply(self.lang(session), [Notice("k_set", (("n", arg),))])

    # triage ---------------------------------------------------------------------------

    def _guide(self, session: Session) -> Reply:
        session.triage_step = "who"
        return self._options(session, QUESTION_WHO, [(o.id, o.label) for o in WHO])

    def _current_options(self, session: Session) -> list[tuple[str, str]]:
        if session.triage_step == "who":
            return [(o.id, o.label) for o in WHO]
        if session.triage_step == "need":
            return [
                (n.option.id, HELPER_MINOR_LABEL if session.helping and n.option.id == "minor" else n.option.label)
                for n in NEEDS
            ]
        return []

    @staticmethod
    def _question_need(session: Session) -> str:
        return QUESTION_NEED_HELPED if session.helping else QUESTION_NEED

    def _options(self, session: Session, question: str, options: list[tuple[str, str]]) -> Reply:
        reply = Reply(self.lang(session), [Options(question, tuple(options))])
        reply.actions = [Action(TRIAGE, label, oid) for oid, label in options]
        return reply

    def _choose(self, session: Session, option: str) -> Reply:
        """A triage choice (button or number); an unknown choice asks the step again."""
        if session.triage_step == "who" and option in WHO_IDS:
            session.audience = option
            session.triage_step = "need"
            return self._options(session, self._question_need(session), self._current_options(session))
        if session.triage_step == "need" and option in NEED_BY_ID:
            session.triage_step = None
            session.triage_need = option
            return self._need(session, option)
        if session.triage_step in ("who", "need"):
            question = QUESTION_WHO if session.triage_step == "who" else self._question_need(session)
            return self._options(session, question, self._current_options(session))
        return self._notice(session, "unknown_command")

    def _need(self, session: Session, need_id: str) -> Reply:
        """The card for a need: services, then the passages that state the person's rights on it."""
        need = NEED_BY_ID[need_id]
        lang = self.lang(session)
        # choosing "I help someone" is said in this flow: "Safety now" is then the person's danger, not the helper's
        situation = replace(need.situation, audience=session.audience)
        answer = self.engine.ask(need.query, lang=lang, k=MORE_POOL, audience=session.audience, situation=situation, scope=False)
        self._remember(session, answer)
        reply = Reply(lang, urgent=bool(need.situation.danger))
        if answer.emergency_services:
            reply.blocks.append(_emergency(answer))
        if need.situation.danger:
            return self._safety_first(reply, session)
        reply.blocks.append(Heading("card_helped" if session.helping else "card"))
        self._show_results(session, reply, answer.results, answer.card, answer)
        return reply

    # reference tools ----------------------------------------------------------------------

    def _contacts(self, session: Session) -> Reply:
        services = list(self.engine.services.values())
        emergency = tuple(s for s in services if "emergency" in s.helps_with)
        others = tuple(s for s in services if s not in emergency and self._for(session, s))
        return Reply(self.lang(session), [Directory(emergency, others, session.helping), Footer()])

    @staticmethod
    def _for(session: Session, service) -> bool:  # type: ignore[no-untyped-def]
        """Lines for professionals are listed to professionals and helpers only."""
        return service.audience != {"professionals"} or session.helping

    def _sources(self, session: Session) -> Reply:
        return Reply(self.lang(session), [Heading("sources"), Sources(tuple(self.engine.sources()))])

    def _measures(self, session: Session) -> Reply:
        lang = self.lang(session)
        return Reply(lang, [Heading("measures"), Measures(tuple(self.engine.measures(lang)))])

    def _measure(self, session: Session, number: str) -> Reply:
        lang = self.lang(session)
        measure, parts = self.engine.measure(int(number), lang) if re.fullmatch(r"\d{1,2}", number) else (None, [])
        if measure is None:
            return self._notice(session, "bad_measure")
        reply = Reply(lang, [MeasureTitle(measure)])
        for part, results in parts:
            reply.blocks.append(Heading("part", (("part", part),)))
            reply.blocks += [Passage(r, i) for i, r in enumerate(results, 1)]
        return reply


def _emergency(answer: Answer) -> Emergency:
    return Emergency(tuple(answer.emergency_services), tuple(answer.emergency_reasons), answer.emergency_for_helped)


def _notices(answer: Answer) -> list[Notice]:
    """The answer's notices, in the order they matter."""
    out = []
    if answer.unsupported_language:
        out.append(Notice("unsupported_language", (("language", answer.unsupported_language),)))
    out += [Notice(code) for code in answer.notices if code != "unsupported_language"]
    return out
