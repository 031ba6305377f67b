"""Sending rendered replies, in the reply's language, through aiogram's I18n."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from aiogram import Bot
from aiogram.utils.i18n import I18n

from ..conversation import AnswerReply, Reply
from ..render.telegram import Outgoing, render


T = TypeVar("T")
# One worker: the encoder already uses every core, and is not known to be
# thread-safe; what matters is that the event loop stays free for the
# network while a question is being answered.
_ENGINE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")


async def off_loop(func: Callable[..., T], *args: object) -> T:
    """Run an engine call (encoding, retrieval) in the engine's worker thread."""
    return await asyncio.get_running_loop().run_in_executor(_ENGINE, partial(func, *args))


class Translator:
    """The gettext interface our renderers use, served by aiogram's I18n."""

    def __init__(self, i18n: I18n, lang: str) -> None:
        self.i18n = i18n
        self.lang = lang if lang in i18n.available_locales else i18n.default_locale

    def gettext(self, message: str) -> str:
        return self.i18n.gettext(message, locale=self.lang)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.i18n.gettext(singular, plural, n, locale=self.lang)


def reply_lang(reply: Reply) -> str:
    return reply.answer.lang if isinstance(reply, AnswerReply) else reply.lang


async def send(bot: Bot, chat_id: int, outgoing: list[Outgoing]) -> list[int]:
    """Send the messages in order; return their ids."""
    sent = []
    for item in outgoing:
        message = await bot.send_message(chat_id, item.text, reply_markup=item.keyboard)
        sent.append(message.message_id)
    return sent


async def send_reply(bot: Bot, chat_id: int, reply: Reply, i18n: I18n) -> list[int]:
    return await send(bot, chat_id, render(reply, Translator(i18n, reply_lang(reply))))
