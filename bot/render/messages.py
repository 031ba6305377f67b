"""User-visible texts shared by every channel, keyed by the engine's codes.

Channels differ in markup, not in what they say: the wording of notices,
labels and citations lives here once, in gettext.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

from ..answer import Answer, Result
from ..i18n.languages import LANGUAGES
from ..i18n.ui import N_
from ..legal import LAW_CAUTION
from ..recommend import WHY
from ..services import Service
from ..triage import QUESTION_NEED, QUESTION_WHO

NOTICES = {
    "start": N_("Hello. I answer questions about the rights of victims of human trafficking in France, with passages quoted from two public reports. Ask in your own language."),
    "privacy": N_("Privacy: I do not store what you write. I only remember your language, the mode you chose, where you are in the guided questions and which passages I showed you. Use {forget} to erase it."),
    "forgotten": N_("Done: I erased everything I remembered about you."),
    "unknown_command": N_("I do not know this command. Type {help} to see what I can do."),
    "bad_measure": N_("There is no such measure. The action plan has measures 1 to 23."),
    "not_text": N_("I can only read text messages. Please type your question."),
    "error": N_("Sorry, something went wrong on my side. Please try again in a moment."),
    "slow_down": N_("You are sending messages very fast. Please wait a few seconds."),
    "no_previous": N_("There is nothing to show yet: ask a question first."),
    "truncated": N_("Your message was very long; I used its first 1,000 characters."),
    "empty": N_("Your message is empty. Please type a question, for example: “Can I get papers if I report my exploiter?”"),
    "no_words": N_("I could not find any words in your message. Please type your question in a sentence."),
    "abstained": N_("The two reports I answer from do not cover this question. I will not guess."),
}


def notice(tr: gettext.NullTranslations, code: str, prefix: str = "/") -> str:
    """A notice; ``prefix`` is how the channel writes commands ("/help" in Telegram, ":help" in the REPL)."""
    return tr.gettext(NOTICES[code]).format(help=f"{prefix}help", forget=f"{prefix}forget")


def unsupported_note(tr: gettext.NullTranslations, answer: Answer) -> str:
    return tr.gettext("Your language ({language}) is not supported yet, so I answer in English.").format(
        language=answer.unsupported_language or "?"
    )


def citation(tr: gettext.NullTranslations, result: Result) -> str:
    return tr.gettext("{title} — {section} — as of {date} — passage {id}").format(
        title=result.title, section=result.section, date=result.as_of, id=result.passage_id
    )


def translation_label(tr: gettext.NullTranslations, lang: str) -> str:
    return tr.gettext("Unofficial translation into {language}. The original English text is the reference.").format(
        language=LANGUAGES[lang].name
    )


def missing_translation(tr: gettext.NullTranslations, lang: str) -> str:
    return tr.gettext("There is no up-to-date translation of this passage into {language} yet; here is the original English text.").format(
        language=LANGUAGES[lang].name
    )


def outside_france(tr: gettext.NullTranslations, country: str) -> str:
    return tr.gettext("Caution: this list names organisations in {country}, not services in France.").format(country=country)


def results_heading(tr: gettext.NullTranslations, count: int) -> str:
    return tr.ngettext("I found {n} passage in the sources:", "I found {n} passages in the sources:", count).format(n=count)


FOOTER = N_("This bot is not an emergency service. In danger, call 17 or 112, or send a text message to 114.")
EMERGENCY_TITLE = N_("If you are in danger now:")


def footer(tr: gettext.NullTranslations) -> str:
    return tr.gettext(FOOTER)


def law_caution(tr: gettext.NullTranslations, result: Result) -> str:
    return tr.gettext(LAW_CAUTION).format(date=result.as_of)


def contact(tr: gettext.NullTranslations, service: Service) -> str:
    """A service's contact details as one line."""
    c = service.contact
    parts = []
    if "phone" in c:
        parts.append(tr.gettext("phone {number}").format(number=c["phone"]))
    if "sms" in c:
        parts.append(tr.gettext("text message (SMS) to {number}").format(number=c["sms"]))
    if "phone_from_abroad" in c:
        parts.append(tr.gettext("from abroad {number}").format(number=c["phone_from_abroad"]))
    if "web" in c:
        parts.append(c["web"])
    if "address" in c:
        parts.append(c["address"])
    if "via" in c:
        via = c["via"]
        parts.append(tr.gettext("through {who}").format(who=tr.gettext(via)))
    return "; ".join(parts)


def service_line(tr: gettext.NullTranslations, service: Service) -> str:
    """Name — contact — description (and note), translated."""
    text = f"{tr.gettext(service.name)} — {contact(tr, service)}. {tr.gettext(service.description)}"
    if service.note:
        text += f" {tr.gettext(service.note)}"
    return text


def services_json(tr: gettext.NullTranslations, answer: Answer) -> list[dict]:
    """The ``services`` list of `bot ask --json`: emergency card first, then recommendations."""
    rows = [(s, WHY["emergency"]) for s in answer.emergency_services]
    rows += [(r.service, r.why) for r in answer.services]
    return [
        {"id": s.id, "name": tr.gettext(s.name), "contact": contact(tr, s), "why": tr.gettext(why), "source": s.source}
        for s, why in rows
    ]


def services_heading(tr: gettext.NullTranslations) -> str:
    return tr.gettext("Who can help:")


def legal_references_heading(tr: gettext.NullTranslations) -> str:
    return tr.gettext("Legal references in these passages (as the sources cite them):")


# Section names shown as headings by `measure N` (they come from the corpus).
PART_NAMES = (N_("Actions of the State"), N_("Comments and recommendations of the CNCDH"), N_("Notes"))
MEASURE_STATUS = {
    "implemented": N_("Implemented"),
    "partially_implemented": N_("Partially implemented"),
    "not_implemented": N_("Not implemented"),
    None: N_("No status printed"),
}
TRIAGE_QUESTIONS = {"who": QUESTION_WHO, "need": QUESTION_NEED}
TRIAGE_SKIP = N_("You can also type your question at any time.")
CARD_TITLE = N_("What the sources say about your situation:")
MORE_AVAILABLE = N_("More passages are available.")
NO_MORE = N_("There are no more passages for this question.")
LANGUAGE_SET = N_("I will answer in {language}.")
LANGUAGE_UNKNOWN = N_("I do not know the language {code!r}. Choose one of these:")
LANGUAGE_PICK = N_("Choose your language:")
ORIGINAL_TITLE = N_("Original text (English):")
SOURCES_TITLE = N_("The two sources I quote:")
MEASURES_TITLE = N_("The 23 measures of the 2014-2016 national action plan, with the status given by the CNCDH (6 July 2017):")


def help_text(tr: gettext.NullTranslations, commands: list[tuple[str, str]]) -> str:
    """The help message: what the bot does, then the channel's own command names."""
    lines = [notice(tr, "start"), ""]
    lines += [f"{name} — {tr.gettext(what)}" for name, what in commands]
    lines += ["", tr.gettext(FOOTER)]
    return "\n".join(lines)


COMMANDS = {
    "lang": N_("choose your language"),
    "guide": N_("guided questions to find the right help"),
    "contacts": N_("who to call"),
    "sources": N_("the documents I quote, with their dates"),
    "measures": N_("for professionals: the 23 measures of the action plan and their status"),
    "measure": N_("for professionals: the State's actions and the CNCDH's comments on one measure"),
    "original": N_("show the original English text of a passage"),
    "more": N_("show more passages"),
    "privacy": N_("what I keep about you"),
    "forget": N_("erase what I keep about you"),
    "help": N_("this help"),
    "quit": N_("leave"),
    "k": N_("how many passages to show"),
}


def measure_line(tr: gettext.NullTranslations, m: dict) -> str:
    label = MEASURE_STATUS.get(m.get("status"), MEASURE_STATUS[None])
    printed = f" («{m['status_printed']}»)" if m.get("status_printed") and m["status_printed"] != label else ""
    status = tr.gettext(label)
    return f"{m['number']}. {m['title']} — {status}{printed}"


def source_line(tr: gettext.NullTranslations, s: dict) -> str:
    return tr.gettext("{title} — {publisher} — as of {date} ({note}); {count} passages").format(
        title=s["title"], publisher=s["publisher"], date=s["as_of"], note=s["note"], count=s["passages"]
    )


@dataclass(frozen=True)
class ResultView:
    """What every channel shows of one result; channels only add markup."""

    citation: str
    warning: str | None  # the passage lists organisations outside France
    caution: str | None  # the passage cites articles of law that may have changed
    label: str | None  # "unofficial translation" or "no up-to-date translation"
    body: str  # the translation, or the source text
    highlight: tuple[int, int] | None  # span of ``body`` that answers best (source text only)


def result_view(tr: gettext.NullTranslations, result: Result, lang: str, original: bool = False) -> ResultView:
    translated = bool(result.translation) and not original
    if translated:
        label: str | None = translation_label(tr, lang)
    else:
        label = missing_translation(tr, lang) if result.translation_missing and not original else None
    span = (result.highlight_start, result.highlight_end)
    return ResultView(
        citation=citation(tr, result),
        warning=outside_france(tr, result.outside_france) if result.outside_france else None,
        caution=law_caution(tr, result) if result.law_caution else None,
        label=label,
        body=result.translation if translated and result.translation else result.text,
        highlight=None if translated or not 0 < span[1] - span[0] < len(result.text) else span,
    )
