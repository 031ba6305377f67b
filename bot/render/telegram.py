"""Telegram rendering: strict HTML, messages under 4,096 characters, inline keyboards.

Every piece of corpus or user text goes through :func:`html.escape`; markup
is added around escaped text only, and a message is split between blocks,
never inside one, so each message is valid HTML on its own.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import partial
from html import escape as _escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from ..answer import Answer, Result
from ..conversation import (
    AnswerReply, CardReply, ContactsReply, LanguageReply, MeasureReply, MeasuresReply, MoreReply, NoticeReply,
    OriginalReply, Reply, SourcesReply, TriageQuestion,
)
from ..i18n.languages import LANGUAGES
from ..i18n.ui import N_
from ..telegram.callbacks import LangChoice, ResultAction, TriageChoice
from . import messages

LIMIT = 4096
escape = partial(_escape, quote=False)  # Telegram's HTML needs <, > and & escaped, not quotes
BUTTON_ORIGINAL = N_("Original text")
BUTTON_MORE = N_("More results")
BUTTON_CONTACTS = N_("Contacts")
BUTTON_GUIDE = N_("Guide me")
TELEGRAM_COMMANDS = [(f"/{name}", what) for name, what in messages.COMMANDS.items() if name not in ("quit", "k")]


@dataclass
class Outgoing:
    text: str  # HTML
    keyboard: InlineKeyboardMarkup | None = None


def split(blocks: list[str], keyboard: InlineKeyboardMarkup | None = None) -> list[Outgoing]:
    """Pack HTML blocks into messages under the limit; the keyboard goes on the last one."""
    out: list[str] = []
    current = ""
    for block in blocks:
        while len(block) > LIMIT:  # a single oversized block: cut at a line break
            cut = block.rfind("\n", 0, LIMIT)
            cut = cut if cut > 0 else LIMIT
            out.append(block[:cut])
            block = block[cut:].lstrip("\n")
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > LIMIT:
            out.append(current)
            current = block
        else:
            current = candidate
    if current:
        out.append(current)
    messages_ = [Outgoing(text) for text in out] or [Outgoing("…")]
    messages_[-1].keyboard = keyboard
    return messages_


def _result_block(tr: gettext.NullTranslations, result: Result, lang: str, original: bool = False) -> str:
    view = messages.result_view(tr, result, lang, original)
    lines = [f"⚠️ {escape(view.warning)}"] if view.warning else []
    lines += [f"<i>{escape(view.label)}</i>"] if view.label else []
    if view.highlight:
        start, end = view.highlight
        lines.append(f"{escape(view.body[:start])}<b>{escape(view.body[start:end])}</b>{escape(view.body[end:])}")
    else:
        lines.append(escape(view.body))
    lines.append(f"<i>📄 {escape(view.citation)}</i>")
    lines += [f"<i>{escape(view.caution)}</i>"] if view.caution else []
    return "\n".join(lines)


def _service_block(tr: gettext.NullTranslations, service, why: str | None = None) -> str:  # type: ignore[no-untyped-def]
    line = f"• <b>{escape(tr.gettext(service.name))}</b> — {escape(messages.contact(tr, service))}"
    line += f"\n{escape(tr.gettext(service.description))}"
    if service.note:
        line += f" {escape(tr.gettext(service.note))}"
    if why:
        line += f"\n<i>{escape(tr.gettext(why))}</i>"
    return line


def _emergency_block(tr: gettext.NullTranslations, answer: Answer) -> str | None:
    if not answer.emergency_services:
        return None
    lines = [f"🚨 <b>{escape(tr.gettext(messages.EMERGENCY_TITLE))}</b>"]
    lines += [_service_block(tr, s) for s in answer.emergency_services]
    return "\n".join(lines)


def _answer_blocks(tr: gettext.NullTranslations, answer: Answer, shown: list[Result]) -> list[str]:
    blocks: list[str] = []
    if answer.unsupported_language:
        blocks.append(escape(messages.unsupported_note(tr, answer)))
    blocks += [escape(messages.notice(tr, code)) for code in answer.notices if code in messages.NOTICES]
    blocks += [_result_block(tr, r, answer.lang) for r in shown]
    if answer.legal_references:
        refs = "\n".join(f"• {escape(ref)}" for ref in answer.legal_references)
        blocks.append(f"<b>{escape(messages.legal_references_heading(tr))}</b>\n{refs}")
    if answer.services:
        services = "\n".join(_service_block(tr, r.service, r.why) for r in answer.services)
        blocks.append(f"<b>{escape(messages.services_heading(tr))}</b>\n{services}")
    blocks.append(f"<i>{escape(messages.footer(tr))}</i>")
    return blocks


def _result_keyboard(tr: gettext.NullTranslations, passage: str | None, more: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if passage:
        kb.button(text=tr.gettext(BUTTON_ORIGINAL), callback_data=ResultAction(action="original", passage=passage))
    if more:
        kb.button(text=tr.gettext(BUTTON_MORE), callback_data=ResultAction(action="more"))
    kb.button(text=tr.gettext(BUTTON_CONTACTS), callback_data=ResultAction(action="contacts"))
    kb.button(text=tr.gettext(BUTTON_GUIDE), callback_data=ResultAction(action="guide"))
    kb.adjust(2)
    return kb.as_markup()


def language_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for code, lang in LANGUAGES.items():
        kb.button(text=lang.name, callback_data=LangChoice(code=code))
    kb.adjust(3)
    return kb.as_markup()


def render(reply: Reply, tr: gettext.NullTranslations) -> list[Outgoing]:
    """The messages to send for a conversation reply."""
    if isinstance(reply, AnswerReply):
        answer = reply.answer
        first = [b for b in [_emergency_block(tr, answer)] if b]
        if answer.emergency_services and not answer.results:
            return split(first + _answer_blocks(tr, answer, []), _result_keyboard(tr, None, False))
        blocks = first + _answer_blocks(tr, answer, reply.shown)
        passage = reply.shown[0].passage_id if reply.shown else None
        return split(blocks, _result_keyboard(tr, passage, reply.more))
    if isinstance(reply, MoreReply):
        if not reply.results:
            return split([escape(tr.gettext(messages.NO_MORE))])
        blocks = [_result_block(tr, r, reply.lang) for r in reply.results]
        return split(blocks, _result_keyboard(tr, reply.results[0].passage_id, reply.more))
    if isinstance(reply, OriginalReply):
        if reply.result is None:
            return split([escape(messages.notice(tr, "no_previous"))])
        head = f"<b>{escape(tr.gettext(messages.ORIGINAL_TITLE))}</b>"
        return split([head, _result_block(tr, reply.result, reply.lang, original=True)])
    if isinstance(reply, TriageQuestion):
        kb = InlineKeyboardBuilder()
        for option in reply.options:
            kb.button(text=tr.gettext(option.label), callback_data=TriageChoice(option=option.id))
        kb.adjust(1 if reply.step == "who" else 2)
        text = f"<b>{escape(tr.gettext(messages.TRIAGE_QUESTIONS[reply.step]))}</b>\n<i>{escape(tr.gettext(messages.TRIAGE_SKIP))}</i>"
        return split([text], kb.as_markup())
    if isinstance(reply, CardReply):
        answer = reply.answer
        blocks = [b for b in [_emergency_block(tr, answer)] if b]
        blocks.append(f"<b>{escape(tr.gettext(messages.CARD_TITLE))}</b>")
        blocks += _answer_blocks(tr, answer, answer.results)
        passage = answer.results[0].passage_id if answer.results else None
        return split(blocks, _result_keyboard(tr, passage, False))
    if isinstance(reply, ContactsReply):
        blocks = [f"🚨 <b>{escape(tr.gettext(messages.EMERGENCY_TITLE))}</b>\n" + "\n".join(_service_block(tr, s) for s in reply.emergency)]
        blocks.append(f"<b>{escape(messages.services_heading(tr))}</b>\n" + "\n".join(_service_block(tr, s) for s in reply.others))
        blocks.append(f"<i>{escape(messages.footer(tr))}</i>")
        return split(blocks)
    if isinstance(reply, SourcesReply):
        lines = "\n".join(f"• {escape(messages.source_line(tr, s))}" for s in reply.sources)
        return split([f"<b>{escape(tr.gettext(messages.SOURCES_TITLE))}</b>\n{lines}"])
    if isinstance(reply, MeasuresReply):
        lines = "\n".join(escape(messages.measure_line(tr, m)) for m in reply.measures)
        return split([f"<b>{escape(tr.gettext(messages.MEASURES_TITLE))}</b>\n{lines}"])
    if isinstance(reply, MeasureReply):
        blocks = [f"<b>{escape(messages.measure_line(tr, reply.measure))}</b>"]
        for part, results in reply.parts:
            blocks.append(f"<b>{escape(tr.gettext(part))}</b>")
            blocks += [_result_block(tr, r, reply.lang) for r in results]
        return split(blocks)
    if isinstance(reply, LanguageReply):
        if reply.changed:
            return split([escape(tr.gettext(messages.LANGUAGE_SET).format(language=LANGUAGES[reply.lang].name))])
        head = (tr.gettext(messages.LANGUAGE_UNKNOWN).format(code=reply.unknown) if reply.unknown
                else tr.gettext(messages.LANGUAGE_PICK))
        return split([escape(head)], language_keyboard())
    if isinstance(reply, NoticeReply):
        if reply.code == "help":
            return split([escape(messages.help_text(tr, TELEGRAM_COMMANDS))])
        return split([escape(messages.notice(tr, reply.code))])
    raise TypeError(f"no Telegram rendering for {type(reply).__name__}")


def start_messages(tr: gettext.NullTranslations) -> list[Outgoing]:
    """/start: what the bot is, that it is not an emergency service, privacy, then the language picker."""
    blocks = [
        f"<b>{escape(messages.notice(tr, 'start'))}</b>",
        f"🚨 {escape(messages.footer(tr))}",
        escape(messages.notice(tr, "privacy")),
        escape(tr.gettext(messages.LANGUAGE_PICK)),
    ]
    return split(blocks, language_keyboard())
