"""/lang and the language picker."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from ...conversation import Conversation, Session
from ..callbacks import LangChoice
from ..send import send_reply

router = Router(name="language")


@router.message(Command("lang"))
async def lang(message: Message, command: CommandObject, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.set_language(session, command.args), i18n)


@router.callback_query(LangChoice.filter())
async def pick(query: CallbackQuery, callback_data: LangChoice, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await query.answer()
    if query.message is not None:
        await send_reply(bot, query.message.chat.id, conversation.set_language(session, callback_data.code), i18n)
