"""The one CallbackData factory: a button carries the reply action it stands for (packed under 64 bytes)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class Act(CallbackData, prefix="a"):
    action: str  # one of bot.reply.ACTIONS
    value: str = ""  # passage id, language code, option id
