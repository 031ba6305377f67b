"""The shared channel services: the store's time to live, per-user order, the throttle, deduplication, erasure."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.gateway import Gateway
from bot.channels.store import MemoryStore, RedisStore
from bot.conversation import Conversation
from bot.reply import Command, Reply, Text
from bot.session import Session


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
def store(request, redis_url):
    if request.param == "memory":
        return MemoryStore(ttl=60)
    return RedisStore(redis_url, ttl=60)


def run(coroutine):
    return asyncio.run(coroutine)


def test_every_key_expires_in_memory():
    clock = Clock()
    store = MemoryStore(ttl=30, clock=clock)

    async def scenario() -> None:
        await store.save("web:u:session", Session(lang="fr", last_results=["cp-22cb7a65"]))
        await store.put("web:u:first_message", "12")
        assert (await store.load("web:u:session")).lang == "fr"
        clock.now += 31
        assert await store.load("web:u:session") == Session()
        assert await store.get("web:u:first_message") is None
        assert len(store) == 0  # swept, not just hidden

    run(scenario())


def test_every_redis_key_has_a_time_to_live(redis_url):
    import redis

    async def scenario() -> None:
        store = RedisStore(redis_url, ttl=60)
        await store.save("ttl-test:u:session", Session(lang="fr"))
        await store.put("ttl-test:u:fact", "1")
        await store.count("ttl-test:u:rate", 10)
        await store.first_time("ttl-test:seen:1", 100)
        await store.close()

    run(scenario())
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter("ttl-test:*"))
    assert keys and all(0 < client.ttl(k) <= 100 for k in keys)


def test_session_days_are_configurable(monkeypatch):
    monkeypatch.setenv("BOT_SESSION_DAYS", "7")
    assert MemoryStore().ttl == 7 * 86400


def test_one_users_events_run_in_order_and_others_in_parallel(store):
    async def scenario() -> list[str]:
        done: list[str] = []

        async def event(user: str, seq: int, delay: float) -> None:
            async with store.sequence(f"order:{user}", seq):
                await asyncio.sleep(delay)
                done.append(f"{user}{seq}")

        await asyncio.gather(event("a", 1, 0.3), event("a", 2, 0.0), event("b", 1, 0.1), event("a", 3, 0.0))
        await store.close()
        return done

    done = run(scenario())
    assert [d for d in done if d.startswith("a")] == ["a1", "a2", "a3"]
    assert done.index("b1") < done.index("a1")  # another user is not held up


class Recorder:
    def __init__(self) -> None:
        self.sent: list[Reply] = []

    async def __call__(self, reply: Reply) -> None:
        self.sent.append(reply)


def test_the_throttle_says_how_long_and_never_holds_back_danger_or_forget(engine, store):
    gateway = Gateway(Conversation(engine), store, "throttle-test", limit=3, window=30)
    send = Recorder()

    async def scenario() -> None:
        for seq in range(6):
            await gateway.handle("u1", Command("sources"), seq, send)
        await gateway.handle("u1", Text("help me he is hitting me now"), 7, send)
        await gateway.handle("u1", Command("forget"), 8, send)
        await store.close()

    run(scenario())
    codes = [getattr(b, "code", type(b).__name__) for r in send.sent for b in r.blocks]
    assert codes.count("slow_down") == 1
    notice = next(b for r in send.sent for b in r.blocks if getattr(b, "code", "") == "slow_down")
    assert dict(notice.params)["seconds"].isdigit()
    assert send.sent[-2].urgent and type(send.sent[-2].blocks[0]).__name__ == "Emergency"
    assert send.sent[-1].blocks[0].code == "forgotten"


def test_forget_erases_every_key_of_the_user_before_confirming(engine, store):
    gateway = Gateway(Conversation(engine), store, "erase-test")
    order: list[str] = []

    async def send(reply: Reply) -> None:
        order.append("sent")

    async def before_erase() -> None:
        order.append("channel erased")

    async def scenario() -> tuple[Session, str | None]:
        await gateway.handle("u2", Command("lang", "ro"), 1, send)
        await gateway.remember("u2", "first_message", "3")
        await gateway.handle("u2", Command("forget"), 2, send, before_erase=before_erase)
        left = await store.load("erase-test:u2:session"), await store.get("erase-test:u2:first_message")
        await store.close()
        return left

    session, fact = run(scenario())
    assert session == Session() and fact is None
    assert order == ["sent", "channel erased", "sent"]


def test_an_event_seen_twice_is_handled_once(engine, store):
    gateway = Gateway(Conversation(engine), store, "dedup-test")
    send = Recorder()

    async def scenario() -> None:
        await gateway.handle("u3", Command("sources"), 1, send, event_id="update-77")
        await gateway.handle("u3", Command("sources"), 2, send, event_id="update-77")
        await store.close()

    run(scenario())
    assert len(send.sent) == 1


def test_a_failing_send_becomes_an_apology(engine):
    gateway = Gateway(Conversation(engine), MemoryStore(), "fail-test")
    attempts: list[Reply] = []

    async def send(reply: Reply) -> None:
        attempts.append(reply)
        if len(attempts) == 1:
            raise RuntimeError("refused")

    run(gateway.handle("u4", Command("sources"), 1, send))
    assert [b.code for b in attempts[1].blocks] == ["error"]
