"""Middlewares: per-user session, language, throttling; request retries.

None of them logs or stores message text: logs carry update ids, event
types and error types only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.fsm.context import FSMContext
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.utils.i18n import I18nMiddleware

from ..conversation import Conversation, Session

log = logging.getLogger(__name__)
SESSION_KEY = "session"


class SessionMiddleware(BaseMiddleware):
    """Load the user's :class:`Session` from FSM storage, save it after the handler.

    With Redis, aiogram's event isolation serialises a user's updates across
    processes, so a session is never read and written by two at once.
    """

    async def __call__(
        self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        state: FSMContext | None = data.get("state")
        if state is None:
            return await handler(event, data)
        session = Session.from_dict((await state.get_data()).get(SESSION_KEY))
        user: User | None = data.get("event_from_user")
        if user is not None and user.language_code:
            session.client_lang = user.language_code
        data[SESSION_KEY] = session
        try:
            return await handler(event, data)
        finally:
            if session == Session():
                await state.clear()  # nothing worth keeping (e.g. after /forget)
            else:
                await state.set_data({SESSION_KEY: session.to_dict()})


class DeduplicateUpdates(BaseMiddleware):
    """Handle each update once, even when it is delivered twice.

    Telegram redelivers a webhook update whose response timed out, and a
    polling client that misses a getUpdates response fetches the same
    updates again.  Seen update ids are kept in Redis when several processes
    serve the bot (an atomic SET NX), in memory otherwise.
    """

    def __init__(self, redis: Any = None, ttl: int = 24 * 3600, remember: int = 100_000) -> None:
        self.redis = redis
        self.ttl = ttl
        self._recent: dict[int, None] = {}
        self._remember = remember

    async def _first_time(self, bot_id: int, update_id: int) -> bool:
        if self.redis is not None:
            return bool(await self.redis.set(f"bot:{bot_id}:update:{update_id}", 1, nx=True, ex=self.ttl))
        if update_id in self._recent:
            return False
        self._recent[update_id] = None
        if len(self._recent) > self._remember:
            del self._recent[next(iter(self._recent))]
        return True

    async def __call__(
        self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        bot: Bot | None = data.get("bot")
        if isinstance(event, Update) and bot is not None and not await self._first_time(bot.id, event.update_id):
            log.warning("update %d delivered again; skipped", event.update_id)
            return None
        return await handler(event, data)


class SessionI18nMiddleware(I18nMiddleware):
    """aiogram's I18n over our catalogs, in the language the conversation uses."""

    def __init__(self, i18n, conversation: Conversation) -> None:  # type: ignore[no-untyped-def]
        super().__init__(i18n)
        self.conversation = conversation

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        session: Session | None = data.get(SESSION_KEY)
        lang = self.conversation.lang(session) if session else self.i18n.default_locale
        return lang if lang in self.i18n.available_locales else self.i18n.default_locale


class ThrottlingMiddleware(BaseMiddleware):
    """At most ``limit`` events per user in ``window`` seconds; beyond that, one polite notice."""

    def __init__(self, notify: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], limit: int = 8, window: float = 10.0) -> None:
        self.notify = notify
        self.limit = limit
        self.window = window
        self._seen: dict[int, deque[float]] = defaultdict(deque)
        self._warned: dict[int, float] = {}

    async def __call__(
        self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        now = time.monotonic()
        seen = self._seen[user.id]
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            if now - self._warned.get(user.id, 0.0) > self.window:
                self._warned[user.id] = now
                await self.notify(event, data)
            return None
        seen.append(now)
        return await handler(event, data)


class RetryMiddleware(BaseRequestMiddleware):
    """Retry Bot API calls: after ``retry_after`` on 429, with backoff on 5xx and network drops.

    Also keeps polling alive through a malformed update: when a getUpdates
    response fails to parse, each update is parsed on its own and an
    unparseable one is replaced by an empty update with the same id, so the
    offset moves past it instead of fetching it forever.
    """

    def __init__(self, attempts: int = 6, base_delay: float = 0.2, max_delay: float = 5.0) -> None:
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> TelegramType:
        """The method's result (request middlewares pass results, not raw responses)."""
        delay = self.base_delay
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                log.warning("%s: rate limited, retrying after %s s", type(method).__name__, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
            except (TelegramServerError, TelegramNetworkError) as exc:
                if attempt == self.attempts:
                    raise
                log.warning("%s: %s, retry %d in %.1f s", type(method).__name__, type(exc).__name__, attempt, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
            except ClientDecodeError as exc:
                if isinstance(method, GetUpdates) and isinstance(exc.data, dict):
                    return self._salvage_updates(exc.data, bot)  # type: ignore[return-value]
                raise
        return await make_request(bot, method)

    @staticmethod
    def _salvage_updates(data: dict, bot: Bot) -> list[Update]:
        updates: list[Update] = []
        for raw in data.get("result") or []:
            try:
                updates.append(Update.model_validate(raw, context={"bot": bot}))
            except Exception:  # noqa: BLE001 - any malformed update is skipped, not fatal
                update_id = raw.get("update_id") if isinstance(raw, dict) else None
                if isinstance(update_id, int):
                    log.warning("update %d is malformed; skipped", update_id)
                    updates.append(Update(update_id=update_id))
        return updates


def event_chat_id(event: TelegramObject) -> int | None:
    if isinstance(event, Message):
        return event.chat.id
    if isinstance(event, CallbackQuery) and event.message is not None:
        return event.message.chat.id
    return None
