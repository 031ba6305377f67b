"""Which language to answer in, decided per message.

In order: the user's explicit choice (/lang, :lang, --lang); the detected
language of the message when detection is confident; the language of the
user's earlier exchanges; the client's language (Telegram's
``language_code``); English.  A short or ambiguous message is never a
confident detection, so it cannot flip a language the user chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from .detect import Detection
from .languages import SOURCE_LANGUAGE, normalise_code


@dataclass(frozen=True)
class LanguageChoice:
    lang: str  # the answer language (always supported)
    reason: str  # explicit | detected | previous | client | default | unsupported
    unsupported: str | None = None  # the message's language when we do not support it


def answer_language(
    detection: Detection,
    explicit: str | None = None,
    previous: str | None = None,
    client: str | None = None,
) -> LanguageChoice:
    if code := normalise_code(explicit):
        return LanguageChoice(code, "explicit")
    if explicit and (name := _language_name(explicit)):  # asked for a language we do not have: say so
        return LanguageChoice(SOURCE_LANGUAGE, "unsupported", name)
    if detection.confident and detection.other:
        return LanguageChoice(SOURCE_LANGUAGE, "unsupported", detection.other)
    if detection.confident and detection.lang:
        return LanguageChoice(detection.lang, "detected")
    if code := normalise_code(previous):
        return LanguageChoice(code, "previous")
    if code := normalise_code(client):
        return LanguageChoice(code, "client")
    return LanguageChoice(SOURCE_LANGUAGE, "default")


def _language_name(code: str) -> str | None:
    """The English name of a language code ("it" -> "Italian"), or None when it is not one."""
    try:
        return Locale.parse(code.strip().replace("-", "_")).get_display_name("en")
    except (ValueError, TypeError, UnknownLocaleError):
        return None
