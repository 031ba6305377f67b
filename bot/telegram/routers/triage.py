"""/guide and the guided triage buttons."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from ...conversation import Conversation, Session
from ..callbacks import TriageChoice
from ..send import off_loop, send_reply

router = Router(name="triage")


@router.message(Command("guide"))
async def guide(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, conversation.start_triage(session), i18n)


@router.callback_query(TriageChoice.filter())
async def choose(query: CallbackQuery, callback_data: TriageChoice, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await query.answer()
    if query.message is not None:
        reply = await off_loop(conversation.choose, session, callback_data.option)
        await send_reply(bot, query.message.chat.id, reply, i18n)
