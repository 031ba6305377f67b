"""`bot web`: the web chat, and its JSON API for other clients.

* ``GET /`` -- one page, no external asset, mobile-first: it posts what the
  person types or taps to the API and lays out the reply's blocks.
* ``POST /api/message`` -- ``{"text": ...}``, ``{"command": ..., "arg": ...}``
  or ``{"action": ..., "value": ...}``; the reply as JSON
  (:mod:`bot.render.data`).  A browser is known by a random session id in
  its one cookie; a server-side client (a WhatsApp gateway, an NGO's site)
  sends its own ``"session"`` id instead and needs no cookie.
* ``POST /api/exit`` -- quick exit: the session is erased from the store
  and the cookie expired; the page has already replaced itself.

Requests must be JSON and, from a browser, come from this page's own origin
(no other site can post on the person's behalf).  Ordering, throttling,
sessions (in Redis when ``REDIS_URL`` is set, so several processes can serve
it) and errors are the shared gateway's.  No message text is stored or logged.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from html import escape
from importlib.resources import files

from aiohttp import web

from ..channels.gateway import Gateway
from ..channels.store import make_store
from ..conversation import Conversation
from ..engine import Engine
from ..i18n.languages import LANGUAGES, SOURCE_LANGUAGE, normalise_code
from ..i18n.ui import N_, ui
from ..reply import ACTIONS, Choice, Command, Input, Reply, Text
from ..render.data import render

log = logging.getLogger(__name__)
COOKIE = "sid"
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_BODY = 16 * 1024  # a message of 4,096 characters in any script, as JSON
EXIT_TO = "https://www.meteofrance.com/"  # a neutral site the page turns into on quick exit
GATEWAY = web.AppKey("gateway", Gateway)


def _event(body: dict) -> Input | None:
    """The input a request carries (None: malformed)."""
    if isinstance(body.get("text"), str):
        return Text(body["text"])
    if isinstance(body.get("command"), str):
        arg = body.get("arg", "")
        return Command(body["command"], arg if isinstance(arg, str) else "")
    if body.get("action") in ACTIONS:
        value = body.get("value", "")
        return Choice(body["action"], value if isinstance(value, str) else "")
    return None


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is None or origin in (f"{request.scheme}://{request.host}", f"https://{request.host}")


async def _body(request: web.Request) -> dict:
    if request.content_type != "application/json" or not _same_origin(request):
        raise web.HTTPForbidden(text="JSON from this site only")
    if (request.content_length or 0) > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length or 0)
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="not JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="not a JSON object")
    return body


def _session_id(request: web.Request, body: dict) -> tuple[str, bool]:
    """(session id, whether the cookie must be set): a client's own id, the cookie's, or a new one."""
    given = body.get("session")
    if isinstance(given, str) and SESSION_ID.match(given):
        return f"api-{given}", False
    cookie = request.cookies.get(COOKIE, "")
    if SESSION_ID.match(cookie):
        return cookie, False
    return secrets.token_urlsafe(24), True


CHROME = {
    "title": N_("Your rights in France"),
    "exit": N_("Quick exit"),
    "send": N_("Send"),
    "placeholder": N_("Type your question in your language"),
    "language": N_("Language"),
}


def chrome(lang: str) -> dict[str, str]:
    """The page's own words, in the reply's language."""
    tr = ui(lang)
    return {key: tr.gettext(text) for key, text in CHROME.items()}


def _client_lang(request: web.Request) -> str | None:
    return request.headers.get("Accept-Language", "").split(",")[0].split(";")[0].strip() or None


async def page(request: web.Request) -> web.Response:
    lang = normalise_code(_client_lang(request)) or SOURCE_LANGUAGE
    words = chrome(lang)
    values = {
        "lang": lang, "dir": "rtl" if LANGUAGES[lang].rtl else "ltr", "title": words["title"], "language": words["language"],
        "exit_label": words["exit"], "placeholder": words["placeholder"], "send": words["send"],
        "nonce": secrets.token_urlsafe(16), "exit": EXIT_TO,
    }
    html = files("bot.web").joinpath("page.html").read_text(encoding="utf-8")
    for key, value in values.items():
        html = html.replace(f"@@{key}@@", escape(value))
    nonce = values["nonce"]
    response = web.Response(text=html, content_type="text/html")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


async def message(request: web.Request) -> web.Response:
    body = await _body(request)
    event = _event(body)
    if event is None:
        raise web.HTTPBadRequest(text="give text, a command or an action")
    sid, new = _session_id(request, body)
    gateway = request.app[GATEWAY]
    replies: list[Reply] = []

    async def collect(reply: Reply) -> None:
        replies.append(reply)

    await gateway.handle(sid, event, seq=time.monotonic_ns(), send=collect, client_lang=_client_lang(request))
    rendered = [render(r) for r in replies]
    body = {"replies": rendered, "chrome": chrome(replies[-1].lang) if replies else None}
    response = web.json_response(body, headers={"Cache-Control": "no-store"})
    if new:
        response.set_cookie(COOKIE, sid, httponly=True, samesite="Strict", secure=request.secure, path="/")
    return response


async def leave(request: web.Request) -> web.Response:
    """Quick exit: nothing about the person stays in the store, and the cookie is gone.

    The erasure is the user's /forget, in their order: a question still being
    answered finishes first, so it cannot save the session again after it."""
    body = await _body(request)
    sid, _ = _session_id(request, body)

    async def discard(reply: Reply) -> None:
        """The page is gone: no one reads the confirmation."""

    await request.app[GATEWAY].handle(sid, Command("forget"), seq=time.monotonic_ns(), send=discard)
    response = web.json_response({"ok": True}, headers={"Cache-Control": "no-store"})
    response.del_cookie(COOKIE, path="/")
    return response


def make_app(engine: Engine, redis_url: str | None = None) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    app[GATEWAY] = Gateway(Conversation(engine), make_store(redis_url), "web")
    app.router.add_get("/", page)
    app.router.add_post("/api/message", message)
    app.router.add_post("/api/exit", leave)

    async def close(app: web.Application) -> None:
        await app[GATEWAY].store.close()

    app.on_cleanup.append(close)
    return app


def run(engine: Engine, host: str, port: int, redis_url: str | None = None) -> None:
    # access log without query strings or bodies: method, path, status, size
    web.run_app(make_app(engine, redis_url), host=host, port=port, access_log_format='%r %s %b', print=None)
