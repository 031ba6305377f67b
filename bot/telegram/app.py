"""`bot telegram`: wire the engine, aiogram and the shared channel services together.

Long polling by default, through :func:`poll`, which acknowledges an update
to Telegram (moves the ``offset`` past it) only once its answer is sent: a
process killed mid-answer finds its unanswered updates again when it
restarts, and the store's record of answered updates keeps the ones already
answered from being answered twice.  With ``--webhook URL --listen
HOST:PORT`` the bot serves updates through aiogram's aiohttp webhook
handler, checking the secret token Telegram echoes back.  With
``REDIS_URL`` sessions, ordering, throttling and deduplication live in
Redis, so several processes can serve one bot.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import signal

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import BotCommand, Update
from aiogram.utils.callback_answer import CallbackAnswerMiddleware

from ..channels.gateway import Gateway
from ..channels.store import Store, make_store
from ..conversation import COMMANDS, Conversation
from ..engine import Engine
from ..i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from ..i18n.ui import ui
from .adapter import router
from .config import Config
from .retry import RetryMiddleware

log = logging.getLogger(__name__)
POLL_TIMEOUT = int(os.environ.get("BOT_POLL_TIMEOUT", "30"))
IN_FLIGHT = 64  # updates being answered at once (ordered per user by the gateway)


def make_bot(config: Config) -> Bot:
    api = TelegramAPIServer.from_base(config.api_base) if config.api_base else None
    session = AiohttpSession(api=api) if api else AiohttpSession()
    session.middleware(RetryMiddleware())
    return Bot(config.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True))


def make_dispatcher(gateway: Gateway) -> Dispatcher:
    dp = Dispatcher()
    dp["gateway"] = gateway
    dp.callback_query.outer_middleware(CallbackAnswerMiddleware(pre=True))  # every button, even a forged one, at once
    dp.include_router(router)
    return dp


async def set_commands(bot: Bot) -> None:
    """The command menu, in every language."""
    for lang in LANGUAGES:
        tr = ui(lang)
        commands = [BotCommand(command=name, description=tr.gettext(what)[:256]) for name, what in COMMANDS.items()]
        await bot.set_my_commands(commands, language_code=None if lang == SOURCE_LANGUAGE else lang)


def webhook_secret(token: str) -> str:
    """Same secret in every process of one bot, derived from the token (never the token itself)."""
    return hashlib.sha256(f"webhook:{token}".encode()).hexdigest()[:48]


async def poll(bot: Bot, dp: Dispatcher, stop: asyncio.Event) -> None:
    """Long polling that acknowledges an update only after it is answered.

    Updates are answered concurrently (the gateway keeps each user's in
    order); the ``offset`` sent back to Telegram only moves past the updates
    that are done, all of them before it included.
    """
    allowed = dp.resolve_used_update_types()
    running: dict[int, asyncio.Task] = {}
    done: set[int] = set()
    offset: int | None = None
    while not stop.is_set():
        if len(running) >= IN_FLIGHT:
            await asyncio.wait(running.values(), return_when=asyncio.FIRST_COMPLETED)
        try:
            updates: list[Update] = await bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=allowed)
        except Exception as exc:  # noqa: BLE001 - the retry middleware gave up: wait, then poll again
            log.warning("getUpdates failed: %s", type(exc).__name__)
            await asyncio.sleep(1)
            continue
        fresh = [u for u in updates if u.update_id not in running and u.update_id not in done]
        for update in fresh:
            running[update.update_id] = asyncio.create_task(_answer(dp, bot, update))
        if not fresh and running:  # everything Telegram returned is being answered: wait for one to finish
            await asyncio.wait(running.values(), return_when=asyncio.FIRST_COMPLETED, timeout=POLL_TIMEOUT)
        for update_id, task in list(running.items()):
            if task.done():
                del running[update_id]
                done.add(update_id)
        pending = min(running, default=None)
        finished = [i for i in done if pending is None or i < pending]
        if finished:
            offset = max(finished) + 1
            done -= set(finished)
    if running:
        await asyncio.wait(running.values())


async def _answer(dp: Dispatcher, bot: Bot, update: Update) -> None:
    try:
        await dp.feed_update(bot, update)
    except Exception as exc:  # noqa: BLE001 - one update's failure never stops the others
        log.error("update %d failed: %s", update.update_id, type(exc).__name__)


async def run(config: Config, engine: Engine, webhook: str | None = None, listen: tuple[str, int] | None = None) -> None:
    store: Store = make_store(config.redis_url)
    gateway = Gateway(Conversation(engine), store, "telegram")
    dp = make_dispatcher(gateway)
    bot = make_bot(config)
    try:
        await set_commands(bot)
        if webhook:
            await _serve_webhook(dp, bot, config, webhook, listen or ("127.0.0.1", 8080))
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await poll(bot, dp, stop)
    finally:
        await bot.session.close()
        await store.close()


async def _serve_webhook(dp: Dispatcher, bot: Bot, config: Config, url: str, listen: tuple[str, int]) -> None:
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
    from aiohttp import web

    secret = webhook_secret(config.token)
    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret, handle_in_background=False).register(app, path="/webhook")
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
