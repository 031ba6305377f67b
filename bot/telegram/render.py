"""Telegram rendering: strict HTML, messages under Telegram's limit, actions as inline buttons.

Every piece of corpus or user text goes through :func:`html.escape`; markup
is added around escaped text only, and a message is split between blocks,
never inside one (a block longer than a message is cut at a line break),
so each message is valid HTML on its own.  Lengths are counted in UTF-16
code units, as Telegram counts them.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import partial, singledispatch
from html import escape as _escape, unescape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from ..reply import (
    LANG, TRIAGE, Directory, Emergency, Footer, Heading, Help, Languages, LegalReferences, MeasureTitle, Measures, Notice,
    Options, Passage, Reply, RightsCard, Services, Sources,
)
from ..render import messages
from ..render.fit import fitted
from ..services import Service
from .callbacks import Act

LIMIT = 4096  # UTF-16 code units per message
escape = partial(_escape, quote=False)  # Telegram's HTML needs <, > and & escaped, not quotes
PREFIX = "/"
TAG = re.compile(r"<[^>]+>")  # the markup this module writes: what is left is what the person reads


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Outgoing:
    text: str  # HTML
    keyboard: InlineKeyboardMarkup | None = None


def _cut(block: str) -> list[str]:
    """A block too long for one message, cut at line breaks (or anywhere, as a last resort)."""
    pieces = []
    while utf16_length(block) > LIMIT:
        cut = len(block)
        while utf16_length(block[:cut]) > LIMIT:
            cut = block.rfind("\n", 0, cut - 1)
            if cut <= 0:
                cut = LIMIT // 2  # no line break: half a message is always within the limit
                break
        pieces.append(block[:cut])
        block = block[cut:].lstrip("\n")
    return pieces + [block]


def split(blocks: list[str], keyboard: InlineKeyboardMarkup | None = None) -> list[Outgoing]:
    """Pack HTML blocks into messages under the limit; the keyboard goes on the last one."""
    out: list[str] = []
    current = ""
    for piece in (p for b in blocks for p in _cut(b)):
        candidate = f"{current}\n\n{piece}" if current else piece
        if utf16_length(candidate) > LIMIT:
            out.append(current)
            current = piece
        else:
            current = candidate
    if current:
        out.append(current)
    outgoing = [Outgoing(text) for text in out] or [Outgoing("…")]
    outgoing[-1].keyboard = keyboard
    return outgoing


def _service(tr: gettext.NullTranslations, service: Service, why: str | None = None, brief: bool = False) -> str:
    """A service with its details (the directory), or in short with why it fits (an answer), or only how to reach it
    (an answer fitted to its limit)."""
    name = f"• <b>{escape(tr.gettext(service.name))}</b>"
    if brief:
        return f"{name} — {escape(messages.reach(tr, service))}"
    if why:
        return f"{name} — {escape(messages.reach(tr, service))}\n<i>{escape(tr.gettext(why))}</i>"
    return f"{name} — {escape(messages.contact(tr, service))}\n{escape(messages.service_details(tr, service))}"


@singledispatch
def block(b: object, tr: gettext.NullTranslations, lang: str) -> str:
    raise TypeError(f"no Telegram rendering for {type(b).__name__}")


@block.register
def _(b: Emergency, tr: gettext.NullTranslations, lang: str) -> str:
    lines = [f"🚨 <b>{escape(messages.emergency_title(tr, b.for_helped))}</b>"]
    lines += [_service(tr, s, why) for s, why in zip(b.services, b.reasons)]
    return "\n".join(lines)


@block.register
def _(b: Notice, tr: gettext.NullTranslations, lang: str) -> str:
    return escape(messages.notice(tr, b.code, b.params, prefix=PREFIX))


@block.register
def _(b: Heading, tr: gettext.NullTranslations, lang: str) -> str:
    return f"<b>{escape(messages.heading(tr, b.code, b.params))}</b>"


@block.register
def _(b: Passage, tr: gettext.NullTranslations, lang: str) -> str:
    view = messages.passage_view(tr, b.result, lang, b.whole, b.original, b.compact)
    lines = [f"⚠️ {escape(w)}" for w in view.warnings]
    lines += [f"<i>{escape(x)}</i>" for x in (view.label, view.note) if x]
    if view.table:
        lines.append(f"<pre>{escape(view.text)}</pre>")
    elif view.highlight:
        start, end = view.highlight
        lines.append(f"{escape(view.text[:start])}<b>{escape(view.text[start:end])}</b>{escape(view.text[end:])}")
    else:
        lines.append(escape(view.text))
    lines.append(f"<i>📄 {escape(view.citation)}</i>")
    if view.caution:
        lines.append(f"<i>{escape(view.caution)}</i>")
    return "\n".join(lines)


@block.register
def _(b: RightsCard, tr: gettext.NullTranslations, lang: str) -> str:
    label, title, text = messages.card_lines(tr, b)
    return "\n".join([f"<i>{escape(label)}</i>", f"✅ <b>{escape(title)}</b>", escape(text)])


@block.register
def _(b: Services, tr: gettext.NullTranslations, lang: str) -> str:
    return f"<b>{escape(tr.gettext(messages.SERVICES_TITLE))}</b>\n" + "\n".join(_service(tr, r.service, r.why, b.brief) for r in b.items)


@block.register
def _(b: Directory, tr: gettext.NullTranslations, lang: str) -> str:
    emergency = "\n".join(_service(tr, s) for s in b.emergency)
    others = "\n".join(_service(tr, s) for s in b.others)
    return (f"🚨 <b>{escape(messages.emergency_title(tr, b.for_helped))}</b>\n{emergency}\n\n"
            f"<b>{escape(tr.gettext(messages.SERVICES_TITLE))}</b>\n{others}")


@block.register
def _(b: LegalReferences, tr: gettext.NullTranslations, lang: str) -> str:
    refs = "\n".join(f"• {escape(ref)}" for ref in b.references)
    return f"<b>{escape(tr.gettext(messages.LEGAL_TITLE))}</b>\n{refs}"


@block.register
def _(b: Sources, tr: gettext.NullTranslations, lang: str) -> str:
    return "\n".join(f"• {escape(messages.source_line(tr, s))}" for s in b.sources)


@block.register
def _(b: Measures, tr: gettext.NullTranslations, lang: str) -> str:
    return "\n".join(escape(messages.measure_line(tr, m)) for m in b.measures)


@block.register
def _(b: MeasureTitle, tr: gettext.NullTranslations, lang: str) -> str:
    return f"<b>{escape(messages.measure_line(tr, b.measure))}</b>"


@block.register
def _(b: Languages, tr: gettext.NullTranslations, lang: str) -> str:
    return ""  # the language buttons say it


@block.register
def _(b: Help, tr: gettext.NullTranslations, lang: str) -> str:
    return "\n".join(f"{PREFIX}{name} — {escape(tr.gettext(what))}" for name, what in b.commands)


@block.register
def _(b: Options, tr: gettext.NullTranslations, lang: str) -> str:
    return f"<b>{escape(tr.gettext(b.question))}</b>\n<i>{escape(tr.gettext(messages.OPTIONS_HINT))}</i>"


@block.register
def _(b: Footer, tr: gettext.NullTranslations, lang: str) -> str:
    return f"<i>{escape(tr.gettext(messages.FOOTER))}</i>"


def keyboard(reply: Reply, tr: gettext.NullTranslations) -> InlineKeyboardMarkup | None:
    if not reply.actions:
        return None
    kb = InlineKeyboardBuilder()
    for a in reply.actions:
        text = a.label if a.action == LANG else tr.gettext(a.label)
        kb.button(text=text, callback_data=Act(action=a.action, value=a.value))
    columns = {LANG: 3, TRIAGE: 1 if len(reply.actions) <= 3 else 2}
    kb.adjust(columns.get(reply.actions[0].action, 3))
    return kb.as_markup()


def render(reply: Reply, tr: gettext.NullTranslations) -> list[Outgoing]:
    """The messages to send for a conversation reply, within its limit as read (the buttons aside)."""
    reply, blocks = fitted(reply, lambda r: _blocks(r, tr), lambda b: len(unescape(TAG.sub("", "\n\n".join(b)))))
    return split(blocks, keyboard(reply, tr))


def _blocks(reply: Reply, tr: gettext.NullTranslations) -> list[str]:
    return [text for b in reply.blocks if (text := block(b, tr, reply.lang))]
