"""CallbackData factories for inline buttons (packed data stays under 64 bytes)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LangChoice(CallbackData, prefix="l"):
    code: str


class TriageChoice(CallbackData, prefix="t"):
    option: str


class ResultAction(CallbackData, prefix="r"):
    action: str  # original | more | contacts | guide
    passage: str = ""
