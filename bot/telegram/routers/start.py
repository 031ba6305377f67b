"""/start, /help, /privacy, /forget."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from ...conversation import Conversation, NoticeReply, Session
from ...render.telegram import start_messages
from ..send import Translator, send, send_reply

router = Router(name="start")
log = logging.getLogger(__name__)
DELETE_BACK = 100  # how many earlier messages /forget tries to delete (one deleteMessages call)


@router.message(CommandStart())
async def start(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send(bot, message.chat.id, start_messages(Translator(i18n, conversation.lang(session))))


@router.message(Command("help"))
async def help_(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, NoticeReply(conversation.lang(session), "help"), i18n)


@router.message(Command("privacy"))
async def privacy(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, NoticeReply(conversation.lang(session), "privacy"), i18n)


@router.message(Command("forget"))
async def forget(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    """Erase the session and delete the conversation's messages, as far as Telegram allows.

    In a private chat message ids are consecutive, so the earlier messages
    are found without keeping their ids; Telegram refuses those older than
    48 hours, which is all that is left.
    """
    reply = conversation.forget(session)
    ids = list(range(max(1, message.message_id - DELETE_BACK + 1), message.message_id + 1))
    try:
        await bot.delete_messages(message.chat.id, ids)
    except TelegramBadRequest as exc:
        log.info("forget: Telegram refused to delete some messages (%s)", type(exc).__name__)
    await send_reply(bot, message.chat.id, reply, i18n)
