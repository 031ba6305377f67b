"""/contacts, /sources, /measures, /measure N."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from ...conversation import Conversation, Session
from ..send import send_reply

router = Router(name="reference")


@router.message(Command("contacts"))
async def contacts(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.contacts(session), i18n)


@router.message(Command("sources"))
async def sources(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.sources(session), i18n)


@router.message(Command("measures"))
async def measures(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.measures(session), i18n)


@router.message(Command("measure"))
async def measure(message: Message, command: CommandObject, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.measure(session, command.args or ""), i18n)
