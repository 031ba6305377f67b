"""A handler error: the user gets an apology in their language; the log gets no message text."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n

from ...conversation import Conversation, NoticeReply, Session
from ..middlewares import SESSION_KEY, event_chat_id
from ..send import send_reply

router = Router(name="errors")
log = logging.getLogger(__name__)


@router.error()
async def apologise(event: ErrorEvent, bot: Bot, conversation: Conversation, i18n: I18n, **data: object) -> None:
    update = event.update
    log.error("update %s failed: %s", update.update_id, type(event.exception).__name__)
    inner = update.event
    chat_id = event_chat_id(inner) if inner is not None else None
    if chat_id is None:
        return
    session = data.get(SESSION_KEY)
    lang = conversation.lang(session) if isinstance(session, Session) else "en"
    try:
        await send_reply(bot, chat_id, NoticeReply(lang, "error"), i18n)
    except Exception as exc:  # noqa: BLE001 - never let the apology itself crash the dispatcher
        log.error("could not apologise for update %s: %s", update.update_id, type(exc).__name__)
