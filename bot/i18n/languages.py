"""The languages the bot answers in.

One table, so that detection, catalogs, lexical retrieval and rendering agree
on what "supported" means.  A question in any other language is still
answered (retrieval is cross-lingual) in English, with a note saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639 code used in catalogs, --lang, :lang, /lang
    name: str  # native name, shown in language pickers
    english: str
    rtl: bool = False
    stemmer: str | None = None  # PyStemmer algorithm for BM25, when one exists
    cjk: bool = False  # no spaces between words: index character bigrams


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", stemmer="english"),
        Language("fr", "Français", "French", stemmer="french"),
        Language("es", "Español", "Spanish", stemmer="spanish"),
        Language("pt", "Português", "Portuguese", stemmer="portuguese"),
        Language("ro", "Română", "Romanian", stemmer="romanian"),
        Language("bg", "Български", "Bulgarian"),
        Language("ru", "Русский", "Russian", stemmer="russian"),
        Language("uk", "Українська", "Ukrainian"),
        Language("ar", "العربية", "Arabic", rtl=True, stemmer="arabic"),
        Language("zh", "中文（简体）", "Chinese (simplified)", cjk=True),
        Language("vi", "Tiếng Việt", "Vietnamese"),
        Language("sq", "Shqip", "Albanian"),
        Language("pcm", "Naijá (Pidgin)", "Nigerian Pidgin", stemmer="english"),
    )
}

# Client language codes (Telegram's language_code, locale names) that mean
# one of ours.
ALIASES = {"zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh", "pt-br": "pt", "pt-pt": "pt", "en-us": "en", "en-gb": "en"}


def normalise_code(code: str | None) -> str | None:
    """Map a client or user language code to a supported one, or None."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in LANGUAGES:
        return code
    if code in ALIASES:
        return ALIASES[code]
    base = code.split("-")[0]
    return base if base in LANGUAGES else None
