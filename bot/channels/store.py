"""Where every channel keeps its state: sessions, small facts, counters -- each with a time to live.

In memory for one process; in Redis (``REDIS_URL``) when several processes
serve one channel, so a user's session, throttle counter and seen updates are
shared.  Every key expires (:data:`DEFAULT_TTL`, 30 days unless
``BOT_SESSION_DAYS`` says otherwise): nothing about a person is kept forever.
No message text is ever written here.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import AsyncIterator, Protocol

from ..session import Session

DEFAULT_DAYS = 30
SEQUENCE_WAIT = 30.0  # seconds a later update waits for an earlier one of the same user (a crashed process's)
POLL = 0.02
# Updates of one user can reach two processes at once (Telegram's webhook opens several connections):
# a later one waits this long before it may run first, so an earlier one in flight can queue its number.
ORDER_GRACE = 0.2


def session_days() -> int:
    try:
        return max(1, int(os.environ.get("BOT_SESSION_DAYS", DEFAULT_DAYS)))
    except ValueError:
        return DEFAULT_DAYS


class Store(Protocol):
    ttl: int  # seconds

    async def load(self, key: str) -> Session: ...

    async def save(self, key: str, session: Session) -> None: ...

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, ttl: int | None = None) -> None: ...

    async def first_time(self, key: str, ttl: int) -> bool: ...

    async def count(self, key: str, window: int) -> tuple[int, int]: ...

    async def erase(self, prefix: str) -> None: ...

    def sequence(self, key: str, seq: int) -> AbstractAsyncContextManager[None]: ...

    async def close(self) -> None: ...


class MemoryStore:
    """One process's store; expired keys are swept as new ones arrive."""

    def __init__(self, ttl: int | None = None, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self.ttl = ttl or session_days() * 86400
        self._clock = clock
        self._data: dict[str, tuple[float, str]] = {}
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self._next_sweep = 0.0

    def _alive(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[0] <= self._clock():
            del self._data[key]
            return None
        return item[1]

    def _sweep(self) -> None:
        now = self._clock()
        if now >= self._next_sweep:
            self._data = {k: v for k, v in self._data.items() if v[0] > now}
            self._next_sweep = now + 60

    async def load(self, key: str) -> Session:
        raw = self._alive(key)
        return Session.from_dict(json.loads(raw)) if raw else Session()

    async def save(self, key: str, session: Session) -> None:
        if session == Session():
            self._data.pop(key, None)
        else:
            await self.put(key, json.dumps(session.to_dict()))

    async def get(self, key: str) -> str | None:
        return self._alive(key)

    async def put(self, key: str, value: str, ttl: int | None = None) -> None:
        self._sweep()
        self._data[key] = (self._clock() + (ttl or self.ttl), value)

    async def first_time(self, key: str, ttl: int) -> bool:
        if self._alive(key) is not None:
            return False
        await self.put(key, "1", ttl)
        return True

    async def count(self, key: str, window: int) -> tuple[int, int]:
        """Events in the current window, and seconds until it ends."""
        raw = self._alive(key)
        now = self._clock()
        if raw is None:
            await self.put(key, "1", window)
            return 1, window
        expires = self._data[key][0]
        n = int(raw) + 1
        self._data[key] = (expires, str(n))
        return n, max(1, int(expires - now + 0.999))

    async def erase(self, prefix: str) -> None:
        for key in [k for k in self._data if k.startswith(prefix)]:
            del self._data[key]

    @asynccontextmanager
    async def sequence(self, key: str, seq: int) -> AsyncIterator[None]:
        """One user's events one at a time, in the order they arrived (asyncio's locks are fair)."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def close(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        self._sweep()
        return len(self._data)


class RedisStore:
    """The same store in Redis, shared by every process serving the channel."""

    def __init__(self, url: str, ttl: int | None = None) -> None:
        from redis.asyncio import Redis

        self.redis = Redis.from_url(url, decode_responses=True)
        self.ttl = ttl or session_days() * 86400

    async def load(self, key: str) -> Session:
        raw = await self.redis.get(key)
        return Session.from_dict(json.loads(raw)) if raw else Session()

    async def save(self, key: str, session: Session) -> None:
        if session == Session():
            await self.redis.delete(key)
        else:
            await self.redis.set(key, json.dumps(session.to_dict()), ex=self.ttl)

    async def get(self, key: str) -> str | None:
        return await self.redis.get(key)

    async def put(self, key: str, value: str, ttl: int | None = None) -> None:
        await self.redis.set(key, value, ex=ttl or self.ttl)

    async def first_time(self, key: str, ttl: int) -> bool:
        return bool(await self.redis.set(key, "1", nx=True, ex=ttl))

    async def count(self, key: str, window: int) -> tuple[int, int]:
        pipe = self.redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        pipe.ttl(key)
        n, _, left = await pipe.execute()
        return int(n), max(1, int(left))

    async def erase(self, prefix: str) -> None:
        async for key in self.redis.scan_iter(match=f"{prefix}*", count=500):
            await self.redis.delete(key)

    @asynccontextmanager
    async def sequence(self, key: str, seq: int) -> AsyncIterator[None]:
        """One user's events one at a time and in ``seq`` order, across every process.

        Each event queues its number in a sorted set and runs when it is the
        smallest there; an earlier event whose process died stops blocking
        after :data:`SEQUENCE_WAIT` seconds.
        """
        pending = f"pending:{key}"  # outside the user's own keys, which /forget erases while this runs
        await self.redis.zadd(pending, {str(seq): seq})
        await self.redis.expire(pending, int(SEQUENCE_WAIT * 4))
        deadline = time.monotonic() + SEQUENCE_WAIT
        lock = self.redis.lock(f"lock:{key}", timeout=SEQUENCE_WAIT * 4, sleep=POLL)
        try:
            await asyncio.sleep(ORDER_GRACE)
            while time.monotonic() < deadline:
                first = await self.redis.zrange(pending, 0, 0)
                if not first or first[0] == str(seq):
                    break
                await asyncio.sleep(POLL)
            async with lock:
                yield
        finally:
            await self.redis.zrem(pending, str(seq))

    async def close(self) -> None:
        await self.redis.aclose()


def make_store(redis_url: str | None) -> Store:
    return RedisStore(redis_url) if redis_url else MemoryStore()
