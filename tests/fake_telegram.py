"""A fake Telegram Bot API server (aiohttp, 127.0.0.1) for end-to-end tests and the load benchmark.

The real bot process talks to it through its real aiogram HTTP session
(``TELEGRAM_API_BASE``).  It plays the user's side (queues updates that
getUpdates long-polls, or posts them to a webhook), records every API call,
checks that every message is valid Telegram HTML, and injects faults on
demand: HTTP 429 with ``retry_after``, 500s, a proxy's 502 HTML page,
connections dropped before the request is processed ("drop") or after it was
("drop_after"), requests that hang until the client goes away ("hang"), and
malformed updates.  It keeps the messages it holds per chat, so a bot can
probe one (editMessageReplyMarkup) and delete them (deleteMessages).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "RightsBot", "username": "rights_test_bot"}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span", "tg-spoiler", "blockquote"}


class TelegramHTMLChecker(HTMLParser):
    """Validates the subset of HTML Telegram accepts: known tags, balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}> not allowed")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def html_errors(text: str) -> list[str]:
    checker = TelegramHTMLChecker()
    checker.feed(text)
    checker.close()
    errors = list(checker.errors)
    if checker.stack:
        errors.append(f"unclosed {checker.stack}")
    visible = unescape(re.sub(r"<[^>]+>", "", text))  # Telegram counts the text after parsing its entities
    units = len(visible.encode("utf-16-le")) // 2  # in UTF-16 code units
    if units > 4096 or not visible.strip():
        errors.append(f"message of {units} UTF-16 units")
    return errors


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class Sent:
    chat_id: int
    message_id: int
    text: str
    keyboard: list[list[dict]] | None
    at: float
    html_errors: list[str] = field(default_factory=list)
    deleted: bool = False

    def buttons(self) -> list[dict]:
        return [b for row in self.keyboard or [] for b in row]


class FakeTelegram:
    """The server; run it in a background thread with :meth:`start`."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.faults: dict[str, list[Any]] = defaultdict(list)  # method -> [429 | 500 | "drop"]
        self.delivered_at: dict[int, float] = {}  # update_id -> when getUpdates returned it
        self.webhook_url: str | None = None
        self.history: dict[int, dict] = {}  # every update ever queued, by id
        self._updates: list[dict] = []
        self._again: list[dict] = []  # updates to deliver a second time, whatever the offset
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._lock = threading.Lock()
        self._sent_changed = threading.Condition(self._lock)
        self._by_chat: dict[int, list[Sent]] = defaultdict(list)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- running -----------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeTelegram:
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._new_update = asyncio.Event()
            app = web.Application()
            app.router.add_route("*", "/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app, shutdown_timeout=2)  # a "hang" request must not hold the shutdown
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)

    # --- the user's side ---------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        with self._lock:
            counter = self._message_ids.setdefault(chat_id, itertools.count(1))
            return next(counter)

    @staticmethod
    def user(user_id: int, language_code: str | None = None) -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _message(self, chat_id: int, language_code: str | None, chat_type: str = "private", user_id: int | None = None,
                 **content: Any) -> dict:
        chat = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": f"User{chat_id}"} if chat_type == "private" else {"title": f"Group{chat_id}"})
        return {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id or chat_id, language_code),
            **content,
        }

    def text(self, chat_id: int, text: str, language_code: str | None = None, chat_type: str = "private",
             user_id: int | None = None) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.push({"message": self._message(chat_id, language_code, chat_type, user_id, **content)})

    def voice(self, chat_id: int, language_code: str | None = None) -> int:
        voice = {"file_id": "voice-file", "file_unique_id": "voice-unique", "duration": 3}
        return self.push({"message": self._message(chat_id, language_code, voice=voice)})

    def press(self, chat_id: int, sent: Sent, button_text: str, language_code: str | None = None) -> int:
        """Press the inline button whose label is ``button_text`` under a sent message."""
        button = next(b for b in sent.buttons() if b["text"] == button_text)
        return self.press_data(chat_id, sent, button["callback_data"], language_code)

    def press_data(self, chat_id: int, sent: Sent, data: str, language_code: str | None = None) -> int:
        """A callback query carrying any data (a forged button, too)."""
        message = {"message_id": sent.message_id, "date": int(sent.at), "chat": {"id": chat_id, "type": "private"},
                   "from": BOT_USER, "text": "…"}
        query = {"id": f"cq{next(self._update_ids)}", "from": self.user(chat_id, language_code), "chat_instance": str(chat_id),
                 "message": message, "data": data}
        return self.push({"callback_query": query})

    def push(self, payload: dict) -> int:
        """Queue an update (a dict without update_id) and return its id."""
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **payload}
        with self._lock:
            self._updates.append(update)
            self.history[update_id] = update
        if self._loop and self._new_update:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update_id

    def deliver_again(self, update: dict) -> None:
        """Put an already delivered update in the next getUpdates response (a lost response, re-fetched)."""
        with self._lock:
            self._again.append(update)
        if self._loop and self._new_update:
            self._loop.call_soon_threadsafe(self._new_update.set)

    def take(self, update_id: int) -> dict:
        """Remove a queued update and return it, to post it to a webhook instead."""
        with self._lock:
            update = next(u for u in self._updates if u["update_id"] == update_id)
            self._updates.remove(update)
        return update

    # --- inspection --------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[Sent]:
        with self._lock:
            return list(self._by_chat[chat_id])

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_until(self, chat_id: int, ready: Callable[[list[Sent]], bool], timeout: float = 30.0) -> list[Sent]:
        """Block until ``ready(messages sent to the chat)``; return those messages."""
        deadline = time.monotonic() + timeout
        with self._sent_changed:
            while not ready(self._by_chat[chat_id]):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"chat {chat_id}: {len(self._by_chat[chat_id])} messages, condition not met")
                self._sent_changed.wait(left)
            return list(self._by_chat[chat_id])

    def wait_for(self, chat_id: int, count: int, timeout: float = 30.0) -> list[Sent]:
        """Block until ``count`` messages were sent to the chat; return them all."""
        return self.wait_until(chat_id, lambda messages: len(messages) >= count, timeout)

    def inject(self, method: str, *faults: Any) -> None:
        """Make the next calls of ``method`` fail: 400, 429, 500, 502 (HTML), "drop", "drop_after" or "hang"."""
        with self._lock:
            self.faults[method].extend(faults)

    # --- the Bot API -------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            try:
                params[key] = json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value
            except ValueError:
                params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        with self._lock:
            fault = self.faults[method].pop(0) if self.faults.get(method) else None
        if fault == "drop":
            request.transport.close()  # type: ignore[union-attr]
            raise asyncio.CancelledError
        if fault == 429:
            return web.json_response({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}}, status=429)
        if fault == 400:
            return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, status=400)
        if fault == 500:
            return web.json_response({"ok": False, "error_code": 500, "description": "Internal Server Error"}, status=500)
        if fault == 502:
            return web.Response(text="<html><body><h1>502 Bad Gateway</h1></body></html>", status=502, content_type="text/html")
        params = await self._params(request)
        if fault == "hang":  # the request is never processed; the client gives up or dies
            await asyncio.sleep(3600)
        with self._lock:
            self.calls.append(Call(method, params, time.monotonic()))
        handler = getattr(self, f"api_{method}", None)
        try:
            result = await handler(params) if handler else True
        except ApiError as exc:
            return web.json_response({"ok": False, "error_code": exc.code, "description": exc.description}, status=exc.code)
        if fault == "drop_after":  # done, but the answer never reaches the client
            request.transport.close()  # type: ignore[union-attr]
            raise asyncio.CancelledError
        return web.json_response({"ok": True, "result": result})

    async def api_getMe(self, params: dict) -> dict:
        return BOT_USER

    async def api_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._again + list(self._updates[:100])
                self._again = []
            if ready or time.monotonic() >= deadline:
                now = time.monotonic()
                for u in ready:
                    self.delivered_at.setdefault(u["update_id"], now)
                return ready
            assert self._new_update is not None
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                pass

    async def api_sendMessage(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        text = str(params["text"])
        markup = params.get("reply_markup") or {}
        sent = Sent(chat_id, self._next_message_id(chat_id), text, markup.get("inline_keyboard"), time.monotonic(),
                    html_errors(text) if params.get("parse_mode") == "HTML" else [])
        with self._sent_changed:
            self.sent.append(sent)
            self._by_chat[chat_id].append(sent)
            self._sent_changed.notify_all()
        return {"message_id": sent.message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER, "text": text}

    def _held(self, chat_id: int, message_id: int) -> Sent | None:
        with self._lock:
            return next((m for m in self._by_chat[chat_id] if m.message_id == message_id and not m.deleted), None)

    async def api_editMessageReplyMarkup(self, params: dict) -> bool:
        held = self._held(int(params["chat_id"]), int(params["message_id"]))
        if held is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = (params.get("reply_markup") or {}).get("inline_keyboard")
        if markup == held.keyboard:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same")
        held.keyboard = markup
        return True

    async def api_deleteMessages(self, params: dict) -> bool:
        ids = params["message_ids"]
        if len(ids) > 100:
            raise ApiError(400, "Bad Request: too many message identifiers specified")
        for message_id in ids:
            held = self._held(int(params["chat_id"]), int(message_id))
            if held is not None:
                held.deleted = True
        return True

    async def api_setWebhook(self, params: dict) -> bool:
        self.webhook_url = params.get("url")
        return True

    async def api_deleteWebhook(self, params: dict) -> bool:
        self.webhook_url = None
        return True
