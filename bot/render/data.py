"""A reply as JSON: the web chat's API (``POST /api/message``) and `bot ask --json`.

Every block becomes an object with its ``type`` and its words already in the
reply's language, plus the data behind them (passage ids, phone numbers,
citations), so a client -- the web page, a WhatsApp gateway, an NGO's site --
only lays them out.  Actions carry the ``action`` and ``value`` to send back.
"""

from __future__ import annotations

import gettext
from functools import singledispatch

from ..answer import Answer
from ..i18n.languages import LANGUAGES
from ..i18n.ui import ui
from ..reply import (
    Directory, Emergency, Footer, Heading, Help, Languages, LegalReferences, MeasureTitle, Measures, Notice, Options,
    Passage, Reply, RightsCard, Services, Sources,
)
from ..services import Service
from . import messages
from .fit import fitted

COMMAND_PREFIX = "/"


def service(tr: gettext.NullTranslations, s: Service, why: str | None = None) -> dict:
    return {
        "id": s.id, "name": tr.gettext(s.name), "contact": messages.contact(tr, s), "phone": s.contact.get("phone"),
        "sms": s.contact.get("sms"), "web": s.contact.get("web"), "details": messages.service_details(tr, s),
        "why": tr.gettext(why) if why else None, "source": s.source,
    }


def services_json(tr: gettext.NullTranslations, answer: Answer) -> list[dict]:
    """The ``services`` list of `bot ask --json`: the emergency card first, then the recommendations."""
    rows = list(zip(answer.emergency_services, answer.emergency_reasons)) + [(r.service, r.why) for r in answer.services]
    return [{"id": s.id, "name": tr.gettext(s.name), "contact": messages.contact(tr, s), "why": tr.gettext(why), "source": s.source}
            for s, why in rows]


@singledispatch
def block(b: object, tr: gettext.NullTranslations, lang: str) -> dict:
    raise TypeError(f"no JSON rendering for {type(b).__name__}")


@block.register
def _(b: Emergency, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "emergency", "title": messages.emergency_title(tr, b.for_helped),
            "services": [service(tr, s, why) for s, why in zip(b.services, b.reasons)]}


@block.register
def _(b: Notice, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "notice", "code": b.code, "text": messages.notice(tr, b.code, b.params, prefix=COMMAND_PREFIX)}


@block.register
def _(b: Heading, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "heading", "code": b.code, "text": messages.heading(tr, b.code, b.params)}


@block.register
def _(b: Passage, tr: gettext.NullTranslations, lang: str) -> dict:
    r = b.result
    view = messages.passage_view(tr, r, lang, b.whole, b.original, b.compact)
    return {
        "type": "passage", "number": b.number, "passage_id": r.passage_id, "label": view.label, "text": view.text,
        "highlight": list(view.highlight) if view.highlight else None, "note": view.note, "citation": view.citation,
        "warnings": view.warnings, "caution": view.caution, "table": view.table, "doc": r.doc, "section": r.section, "as_of": r.as_of,
    }


@block.register
def _(b: RightsCard, tr: gettext.NullTranslations, lang: str) -> dict:
    label, title, text = messages.card_lines(tr, b)
    return {"type": "card", "id": b.card.id, "label": label, "title": title, "text": text, "reviewed": b.card.reviewed,
            "passages": list(b.card.passages)}


@block.register
def _(b: Services, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "services", "title": tr.gettext(messages.SERVICES_TITLE),
            "services": [service(tr, r.service, None if b.brief else r.why) for r in b.items]}


@block.register
def _(b: Directory, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "directory", "emergency_title": messages.emergency_title(tr, b.for_helped), "emergency": [service(tr, s) for s in b.emergency],
            "title": tr.gettext(messages.SERVICES_TITLE), "services": [service(tr, s) for s in b.others]}


@block.register
def _(b: LegalReferences, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "legal_references", "title": tr.gettext(messages.LEGAL_TITLE), "references": list(b.references)}


@block.register
def _(b: Sources, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "sources", "lines": [messages.source_line(tr, s) for s in b.sources]}


@block.register
def _(b: Measures, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "measures", "lines": [messages.measure_line(tr, m) for m in b.measures]}


@block.register
def _(b: MeasureTitle, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "measure", "text": messages.measure_line(tr, b.measure)}


@block.register
def _(b: Languages, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "languages", "choices": [{"code": c, "name": n} for c, n in b.choices]}


@block.register
def _(b: Help, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "help", "commands": [{"command": f"{COMMAND_PREFIX}{n}", "text": tr.gettext(w)} for n, w in b.commands]}


@block.register
def _(b: Options, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "options", "question": tr.gettext(b.question), "hint": tr.gettext(messages.OPTIONS_HINT),
            "options": [{"id": i, "label": tr.gettext(label)} for i, label in b.options]}


@block.register
def _(b: Footer, tr: gettext.NullTranslations, lang: str) -> dict:
    return {"type": "footer", "text": tr.gettext(messages.FOOTER)}


SHOWN = ("text", "title", "label", "note", "citation", "caution", "name", "phone", "sms", "contact", "details", "why",
         "question", "hint", "warnings", "lines", "references", "emergency_title", "services", "emergency", "commands",
         "options")  # what a client shows of a block (the actions are buttons, as in Telegram)


def shown_length(rendered: dict) -> int:
    """Characters a client shows of a rendered reply (its words, not its ids, codes or data): the measure its
    length limit is fitted to, as the web page lays it out."""
    def words(value: object) -> int:
        if isinstance(value, str):
            return len(value)
        if isinstance(value, list):
            return sum(words(v) for v in value)
        if isinstance(value, dict):
            return sum(words(v) for k, v in value.items() if k in SHOWN)
        return 0
    return sum(words(b) for b in rendered["blocks"])


def render(reply: Reply) -> dict:
    """The reply as JSON, within its limit as a client shows it (see :func:`shown_length`)."""
    return fitted(reply, _render, shown_length)[1]


def _render(reply: Reply) -> dict:
    tr = ui(reply.lang)
    return {
        "lang": reply.lang,
        "direction": "rtl" if LANGUAGES[reply.lang].rtl else "ltr",
        "urgent": reply.urgent,
        "blocks": [block(b, tr, reply.lang) for b in reply.blocks],
        "actions": [{"action": a.action, "value": a.value, "label": tr.gettext(a.label)} for a in reply.actions],
    }
