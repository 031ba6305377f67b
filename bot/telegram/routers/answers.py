"""Free-text questions and the buttons under an answer (original, more, contacts, guide)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from ...conversation import Conversation, NoticeReply, Session
from ..callbacks import ResultAction
from ..send import off_loop, send_reply

router = Router(name="answers")


@router.message(Command("more"))
async def more(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.more(session), i18n)


@router.message(Command("original"))
async def original(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.original(session), i18n)


@router.message(F.text.startswith("/"))
async def unknown_command(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, NoticeReply(conversation.lang(session), "unknown_command"), i18n)


@router.message(F.text)
async def question(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, await off_loop(conversation.ask, session, message.text or ""), i18n)


@router.callback_query(ResultAction.filter())
async def action(query: CallbackQuery, callback_data: ResultAction, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await query.answer()
    if query.message is None:
        return
    replies = {
        "original": lambda: conversation.original(session, callback_data.passage or None),
        "more": lambda: conversation.more(session),
        "contacts": lambda: conversation.contacts(session),
        "guide": lambda: conversation.start_triage(session),
    }
    make = replies.get(callback_data.action)
    reply = make() if make else NoticeReply(conversation.lang(session), "unknown_command")
    await send_reply(bot, query.message.chat.id, reply, i18n)
