"""Retrying Bot API calls, and knowing when a retry could send a message twice.

* 429: wait ``retry_after``, then retry.
* 5xx, whatever the body (a proxy's HTML 502 page cannot be decoded as
  JSON), and connections that could not be opened: retry with aiogram's
  exponential backoff.
* A connection lost after the request went out is ambiguous: Telegram may
  have done it.  Reading calls and deletions are retried; a
  ``sendMessage`` is not -- it raises :class:`MaybeSent`, and the sender
  checks whether the message arrived before sending it again.
* A getUpdates response holding a malformed update: each update is parsed
  on its own and an unparseable one is replaced by an empty update with the
  same id, so the offset moves past it instead of fetching it forever.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig
from aiohttp import ClientConnectorError

log = logging.getLogger(__name__)
BACKOFF = BackoffConfig(min_delay=0.2, max_delay=5.0, factor=2.0, jitter=0.1)


class MaybeSent(TelegramNetworkError):
    """The connection was lost after a message went out: it may or may not have been delivered."""


def _not_sent(exc: TelegramNetworkError) -> bool:
    """The request never reached the server (safe to retry anything)."""
    return isinstance(exc.__cause__, ClientConnectorError)


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(self, attempts: int = 6, config: BackoffConfig = BACKOFF) -> None:
        self.attempts = attempts
        self.config = config

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> TelegramType:
        """The method's result (request middlewares pass results, not raw responses)."""
        backoff = Backoff(self.config)
        name = type(method).__name__
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if last:
                    raise
                log.warning("%s: rate limited, retrying after %s s", name, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
            except TelegramServerError:
                if last:
                    raise
                log.warning("%s: server error, retry %d", name, attempt)
                await asyncio.sleep(next(backoff))
            except ClientDecodeError as exc:
                if isinstance(method, GetUpdates) and isinstance(exc.data, dict):
                    return self._salvage_updates(exc.data, bot)  # type: ignore[return-value]
                if last:
                    raise
                log.warning("%s: undecodable response (a proxy's error page?), retry %d", name, attempt)
                await asyncio.sleep(next(backoff))
            except TelegramNetworkError as exc:
                if isinstance(method, SendMessage) and not _not_sent(exc):
                    raise MaybeSent(method, str(exc.message)) from exc
                if last:
                    raise
                log.warning("%s: network error, retry %d", name, attempt)
                await asyncio.sleep(next(backoff))
        raise AssertionError("unreachable")  # the last attempt returns or raises

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
