"""The bot's own words, in the user's language (gettext domain ``bot``).

Code marks user-visible strings with ``_()`` / ``ngettext()`` where a
translation object is at hand, and with ``N_()`` (a no-op marker) where the
string is defined ahead of time; ``pybabel extract`` finds all three.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

from .catalogs import UI_DOMAIN, translations
from .languages import SOURCE_LANGUAGE, normalise_code


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it yet."""
    return message


@lru_cache(maxsize=None)
def ui(lang: str | None) -> gettext.NullTranslations:
    """Translation object for the bot's words in ``lang`` (English if unknown)."""
    return translations(normalise_code(lang) or SOURCE_LANGUAGE, UI_DOMAIN)
