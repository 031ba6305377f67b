"""Telegram's side of the conversation: updates in, rendered replies out.

Each handler only maps an update to an :data:`bot.reply.Input` (a command,
text, a button's choice, something unreadable), hands it to the shared
:class:`bot.channels.gateway.Gateway`, and sends what it renders.  Private
chats only: in a group or a channel the bot says once that it works in a
private chat, and does nothing else.

``/forget`` deletes every message of the conversation Telegram still lets a
bot delete (those under 48 hours old), from the first one the bot saw, in
batches of 100, before it confirms.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, Update

from ..channels.gateway import Gateway
from ..i18n.languages import SOURCE_LANGUAGE, normalise_code
from ..reply import Choice, Input, Notice, Reply, Unreadable, parse
from .callbacks import Act
from ..i18n.ui import ui
from .render import render
from .retry import MaybeSent

log = logging.getLogger(__name__)
router = Router(name="conversation")
DELETE_BATCH = 100  # deleteMessages takes at most 100 ids
FIRST = "first_message"  # facts kept per conversation (ids, never text), for /forget and for sending once
LAST = "last_message"
PRIVATE_NOTICE_TTL = 30 * 86400


async def deliver(bot: Bot, chat_id: int, reply: Reply, last_id: int = 0) -> int:
    """Send a reply's messages in order, none twice; return the id of the last one.

    ``last_id``: the newest message id of the chat known before.  When a
    connection drops after a message went out, the next id is probed: if
    that message exists and is the bot's, it arrived and is not sent again.
    """
    for item in render(reply, ui(reply.lang)):
        try:
            last_id = (await bot.send_message(chat_id, item.text, reply_markup=item.keyboard)).message_id
        except MaybeSent:
            if last_id and await _arrived(bot, chat_id, last_id + 1, item.keyboard):
                last_id += 1
                continue
            last_id = (await bot.send_message(chat_id, item.text, reply_markup=item.keyboard)).message_id
    return last_id


async def _arrived(bot: Bot, chat_id: int, message_id: int, keyboard: InlineKeyboardMarkup | None) -> bool:
    """Whether message ``message_id`` of the chat exists and is the bot's (setting its buttons to what they are)."""
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=keyboard)
        return True
    except TelegramBadRequest as exc:
        return "not modified" in exc.message


async def erase_messages(bot: Bot, chat_id: int, first: int, last: int) -> None:
    """Delete messages ``first``..``last`` of a private chat; Telegram skips what it no longer allows."""
    for start in range(first, last + 1, DELETE_BATCH):
        try:
            await bot.delete_messages(chat_id, list(range(start, min(start + DELETE_BATCH, last + 1))))
        except TelegramAPIError as exc:
            log.info("forget: Telegram refused a batch of deletions (%s)", type(exc).__name__)


async def converse(event: Input, user_id: int, chat_id: int, message_id: int, lang: str | None, update: Update,
                   bot: Bot, gateway: Gateway) -> None:
    """One update through the gateway; its reply is sent in the user's order, /forget erases first."""
    user = str(user_id)

    async def send(reply: Reply) -> None:
        known = None if reply.erase else await gateway.recall(user, LAST)
        last = await deliver(bot, chat_id, reply, max(message_id, int(known) if known else 0))
        if not reply.erase:  # after /forget, nothing is kept, not even an id
            await gateway.remember(user, LAST, str(last))

    async def before_erase() -> None:
        first = await gateway.recall(user, FIRST)
        await erase_messages(bot, chat_id, int(first) if first else max(1, message_id - 10 * DELETE_BATCH), message_id)

    if await gateway.recall(user, FIRST) is None:
        await gateway.remember(user, FIRST, str(message_id))
    await gateway.handle(user, event, update.update_id, send, client_lang=lang, event_id=str(update.update_id),
                         before_erase=before_erase)


@router.message(F.chat.type != ChatType.PRIVATE)
@router.callback_query(F.message.chat.type != ChatType.PRIVATE)
async def not_private(event: Message | CallbackQuery, bot: Bot, gateway: Gateway) -> None:
    """Anywhere but a private chat: say once, in the sender's language, that the bot works privately."""
    chat = event.chat if isinstance(event, Message) else event.message.chat  # type: ignore[union-attr]
    if await gateway.store.first_time(f"telegram:private_notice:{chat.id}", PRIVATE_NOTICE_TTL):
        lang = event.from_user.language_code if event.from_user else None
        await deliver(bot, chat.id, Reply(normalise_code(lang) or SOURCE_LANGUAGE, [Notice("private_only")]))


@router.message(F.text)
async def text(message: Message, event_update: Update, bot: Bot, gateway: Gateway) -> None:
    user = message.from_user
    await converse(parse(message.text or "", "/"), user.id if user else message.chat.id, message.chat.id,
                   message.message_id, user.language_code if user else None, event_update, bot, gateway)


@router.message()
async def unreadable(message: Message, event_update: Update, bot: Bot, gateway: Gateway) -> None:
    user = message.from_user
    await converse(Unreadable(message.content_type), user.id if user else message.chat.id, message.chat.id,
                   message.message_id, user.language_code if user else None, event_update, bot, gateway)


@router.callback_query(Act.filter())
async def choice(query: CallbackQuery, callback_data: Act, event_update: Update, bot: Bot, gateway: Gateway) -> None:
    if query.message is None:
        return
    await converse(Choice(callback_data.action, callback_data.value), query.from_user.id, query.message.chat.id,
                   query.message.message_id, query.from_user.language_code, event_update, bot, gateway)


@router.callback_query()
async def forged(query: CallbackQuery) -> None:
    """A button this bot never made: answered (by the middleware, at once), and nothing else."""
