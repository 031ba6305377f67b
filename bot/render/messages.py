"""User-visible texts shared by every channel, keyed by the engine's codes.

Channels differ in markup, not in what they say: the wording of notices,
labels and citations lives here once, in gettext.
"""

from __future__ import annotations

import gettext

from ..answer import Answer, Result
from ..i18n.languages import LANGUAGES
from ..i18n.ui import N_
from ..legal import LAW_CAUTION
from ..recommend import WHY
from ..services import Service

NOTICES = {
    "truncated": N_("Your message was very long; I used its first 1,000 characters."),
    "empty": N_("Your message is empty. Please type a question, for example: “Can I get papers if I report my exploiter?”"),
    "no_words": N_("I could not find any words in your message. Please type your question in a sentence."),
    "abstained": N_("The two reports I answer from do not cover this question. I will not guess."),
}


def notice(tr: gettext.NullTranslations, code: str) -> str:
    return tr.gettext(NOTICES[code])


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
        parts.append(tr.gettext("through {who}").format(who=tr.gettext(c["via"])))
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
