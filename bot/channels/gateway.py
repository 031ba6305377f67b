"""What every channel does with one event, the same way: the shared channel services.

A channel adapter maps what a person did to an :data:`bot.reply.Input` and
calls :meth:`Gateway.handle`; it renders the reply it gets back.  Here, once
for every channel:

* per-user ordering: one user's events run one at a time, in order, across
  processes when the store is Redis;
* deduplication of events delivered twice;
* a throttle counted in the store (so across processes), which never holds
  back an urgent event -- a danger message or ``/forget`` -- and says how
  long to wait, with the emergency numbers;
* the session: loaded, handed to the conversation, saved with its time to
  live, erased on ``/forget``;
* the engine's work off the event loop, in its own thread;
* an apology in the person's language when something fails, with the
  error's type (never the message) in the log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from ..conversation import Conversation
from ..reply import Input, Notice, Reply
from .store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")
SEEN_TTL = 24 * 3600
# One worker: the encoder already uses every core, and is not known to be
# thread-safe; what matters is that the event loop stays free for the
# network while a question is being answered.
_ENGINE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")


async def off_loop(func: Callable[..., T], *args: object) -> T:
    """Run an engine call (encoding, retrieval) in the engine's worker thread."""
    return await asyncio.get_running_loop().run_in_executor(_ENGINE, partial(func, *args))


class Gateway:
    def __init__(self, conversation: Conversation, store: Store, channel: str, limit: int = 8, window: int = 10) -> None:
        self.conversation = conversation
        self.store = store
        self.channel = channel
        self.limit = limit
        self.window = window

    def key(self, user: str) -> str:
        return f"{self.channel}:{user}"

    async def handle(
        self, user: str, event: Input, seq: int, send: Callable[[Reply], Awaitable[object]],
        client_lang: str | None = None, event_id: str | None = None,
        before_erase: Callable[[], Awaitable[None]] | None = None,
    ) -> Reply | None:
        """Handle one event and ``send`` its reply, in the user's order; return the reply.

        None: a duplicate, or a message dropped by the throttle after its
        notice.  On ``/forget``, ``before_erase`` (the channel erasing what it
        holds, such as its messages) and the store's erasure both finish
        before the confirmation is sent.
        """
        key = self.key(user)
        async with self.store.sequence(key, seq):
            if event_id is not None and not await self.store.first_time(f"{self.channel}:seen:{event_id}", SEEN_TTL):
                log.info("%s: an event delivered again was skipped", self.channel)
                return None
            reply = await self._reply(key, event, client_lang)
            if reply is None:
                return None
            if reply.erase:
                if before_erase is not None:
                    await before_erase()
                await self.store.erase(f"{key}:")
            try:
                await send(reply)
            except Exception as exc:  # noqa: BLE001 - the channel refused the answer: apologise instead
                log.error("%s: sending a reply failed: %s", self.channel, type(exc).__name__)
                reply = Reply(reply.lang, [Notice("error")])
                try:
                    await send(reply)
                except Exception as again:  # noqa: BLE001 - nothing more can be done for this event
                    log.error("%s: sending the apology failed too: %s", self.channel, type(again).__name__)
            return reply

    async def _reply(self, key: str, event: Input, client_lang: str | None) -> Reply | None:
        session = await self.store.load(f"{key}:session")
        if client_lang:
            session.client_lang = client_lang
        try:
            urgent = await off_loop(self.conversation.urgent, event)
            if not urgent:
                count, left = await self.store.count(f"{key}:rate", self.window)
                if count > self.limit:
                    if count == self.limit + 1:  # one notice per window, then silence
                        return Reply(self.conversation.lang(session), [Notice("slow_down", (("seconds", str(left)),))])
                    return None
            reply = await off_loop(self.conversation.handle, session, event)
        except Exception as exc:  # noqa: BLE001 - any failure becomes an apology, never a lost message
            log.error("%s: handling an event failed: %s", self.channel, type(exc).__name__)
            return Reply(self.conversation.lang(session), [Notice("error")])
        if not reply.erase:
            await self.store.save(f"{key}:session", session)
        return reply

    async def remember(self, user: str, name: str, value: str) -> None:
        """A small fact about the conversation a channel needs later (an id, never text), with the session's lifetime."""
        await self.store.put(f"{self.key(user)}:{name}", value)

    async def recall(self, user: str, name: str) -> str | None:
        return await self.store.get(f"{self.key(user)}:{name}")

    async def lang(self, user: str) -> str:
        return self.conversation.lang(await self.store.load(f"{self.key(user)}:session"))
