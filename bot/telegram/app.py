"""`bot telegram`: wire the engine, aiogram and the configuration together.

Long polling by default.  With ``--webhook URL --listen HOST:PORT`` the bot
serves updates through aiogram's aiohttp webhook handler, checking the
secret token Telegram echoes back; with ``REDIS_URL`` the conversation state
and the per-user event lock live in Redis, so several processes can serve
one bot behind a load balancer.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.types import BotCommand, TelegramObject
from aiogram.utils.i18n import I18n

from .. import paths
from ..conversation import Conversation, NoticeReply
from ..engine import Engine
from ..i18n.catalogs import UI_DOMAIN
from ..i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from ..render.telegram import TELEGRAM_COMMANDS
from .config import Config
from .middlewares import (
    SESSION_KEY,
    DeduplicateUpdates, RetryMiddleware, SessionI18nMiddleware, SessionMiddleware, ThrottlingMiddleware, event_chat_id,
)
from .routers import all_routers
from .send import Translator, send_reply

log = logging.getLogger(__name__)
POLL_TIMEOUT = int(os.environ.get("BOT_POLL_TIMEOUT", "30"))
TELEGRAM_PAGE = 1  # a chat shows the best passage; "more results" shows the next


def make_bot(config: Config) -> Bot:
    api = TelegramAPIServer.from_base(config.api_base) if config.api_base else None
    session = AiohttpSession(api=api) if api else AiohttpSession()
    session.middleware(RetryMiddleware())
    return Bot(config.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True))


def make_storage(config: Config) -> tuple[BaseStorage, BaseEventIsolation]:
    if config.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage

        storage = RedisStorage.from_url(config.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True))
        return storage, storage.create_isolation()
    return MemoryStorage(), SimpleEventIsolation()


def make_dispatcher(conversation: Conversation, i18n: I18n, storage: BaseStorage, isolation: BaseEventIsolation) -> Dispatcher:
    dp = Dispatcher(storage=storage, events_isolation=isolation)
    dp.update.outer_middleware(DeduplicateUpdates(getattr(storage, "redis", None)))
    dp["conversation"] = conversation
    dp["i18n"] = i18n

    async def slow_down(event: TelegramObject, data: dict) -> None:
        chat_id = event_chat_id(event)
        if chat_id is not None:
            await send_reply(data["bot"], chat_id, NoticeReply(conversation.lang(data[SESSION_KEY]), "slow_down"), i18n)

    throttle = ThrottlingMiddleware(slow_down)
    session = SessionMiddleware()
    localise = SessionI18nMiddleware(i18n, conversation)
    for observer in (dp.message, dp.callback_query):  # in this order: throttling needs the session's language
        observer.outer_middleware(session)
        observer.outer_middleware(localise)
        observer.outer_middleware(throttle)
    dp.include_routers(*all_routers())
    return dp


async def set_commands(bot: Bot, i18n: I18n) -> None:
    """The command menu, in every language."""
    for lang in LANGUAGES:
        tr = Translator(i18n, lang)
        commands = [BotCommand(command=name.lstrip("/"), description=tr.gettext(what)[:256]) for name, what in TELEGRAM_COMMANDS]
        await bot.set_my_commands(commands, language_code=None if lang == SOURCE_LANGUAGE else lang)


def webhook_secret(token: str) -> str:
    """Same secret in every process of one bot, derived from the token (never the token itself)."""
    return hashlib.sha256(f"webhook:{token}".encode()).hexdigest()[:48]


async def run(config: Config, engine: Engine, webhook: str | None = None, listen: tuple[str, int] | None = None) -> None:
    i18n = I18n(path=paths.locales_dir(), default_locale=SOURCE_LANGUAGE, domain=UI_DOMAIN)
    storage, isolation = make_storage(config)
    dp = make_dispatcher(Conversation(engine, page=TELEGRAM_PAGE), i18n, storage, isolation)
    bot = make_bot(config)
    try:
        await set_commands(bot, i18n)
        if webhook:
            await _serve_webhook(dp, bot, config, webhook, listen or ("127.0.0.1", 8080))
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            await dp.start_polling(bot, polling_timeout=POLL_TIMEOUT, allowed_updates=dp.resolve_used_update_types(), handle_signals=True)
    finally:
        await bot.session.close()
        await storage.close()


async def _serve_webhook(dp: Dispatcher, bot: Bot, config: Config, url: str, listen: tuple[str, int]) -> None:
    from aiohttp import web
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

    secret = webhook_secret(config.token)
    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(app, path="/webhook")
    setup_application(app, dp, bot=bot)
    await bot.set_webhook(url, secret_token=secret, allowed_updates=dp.resolve_used_update_types())
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, host=listen[0], port=listen[1])
    await site.start()
    log.info("serving the webhook on %s:%d", *listen)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
