"""Anything that is not text (voice, photo, sticker, file, location...): a polite text-only reply."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from ...conversation import Conversation, NoticeReply, Session
from ..send import send_reply

router = Router(name="media")


@router.message()
async def not_text(message: Message, bot: Bot, session: Session, conversation: Conversation, i18n: I18n) -> None:
    await send_reply(bot, message.chat.id, NoticeReply(conversation.lang(session), "not_text"), i18n)
