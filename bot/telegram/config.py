"""Configuration of the Telegram bot from the environment.

``BOT_TOKEN`` is required and never printed or logged; ``TELEGRAM_API_BASE``
points at another Bot API server (a self-hosted one, or the fake server of
our tests); ``REDIS_URL`` moves conversation state to Redis so that several
processes can serve one bot.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from aiogram.utils.token import TokenValidationError, validate_token


class ConfigError(ValueError):
    """A configuration problem, described without revealing secrets."""


@dataclass(frozen=True)
class Config:
    token: str = field(repr=False)
    api_base: str | None = None
    redis_url: str | None = field(default=None, repr=False)


def from_env(environ: dict[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    token = env.get("BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError("BOT_TOKEN is not set: export BOT_TOKEN=<the token @BotFather gave you>")
    try:
        validate_token(token)
    except TokenValidationError as exc:
        raise ConfigError("BOT_TOKEN is malformed: expected <digits>:<letters, digits, - or _> as @BotFather gives it") from exc
    base = env.get("TELEGRAM_API_BASE", "").strip().rstrip("/") or None
    if base and not re.match(r"^https?://", base):
        raise ConfigError("TELEGRAM_API_BASE must be an http(s) URL, e.g. http://127.0.0.1:8081")
    return Config(token=token, api_base=base, redis_url=env.get("REDIS_URL", "").strip() or None)
