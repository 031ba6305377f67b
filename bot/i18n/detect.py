"""Language identification of short messages.

lingua (restricted to our languages, low-accuracy mode: 30 MB and 2 ms
instead of 300 MB) does the statistical work; what it cannot do is added
here: Nigerian Pidgin, which it does not know, is recognised by its marker
words ("wetin", "dey", "abeg", "una", "wan" ...).  Detection reports how
sure it is, so that a short or ambiguous message never flips the language a
user chose (see :func:`bot.i18n.policy.answer_language`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language as Lingua
from lingua import LanguageDetectorBuilder

from .languages import LANGUAGES

_LINGUA = {
    "en": Lingua.ENGLISH, "fr": Lingua.FRENCH, "es": Lingua.SPANISH, "pt": Lingua.PORTUGUESE,
    "ro": Lingua.ROMANIAN, "bg": Lingua.BULGARIAN, "ru": Lingua.RUSSIAN, "uk": Lingua.UKRAINIAN,
    "ar": Lingua.ARABIC, "zh": Lingua.CHINESE, "vi": Lingua.VIETNAMESE, "sq": Lingua.ALBANIAN,
}
_CODE = {v: k for k, v in _LINGUA.items()}

# Words that are Pidgin and not (common) English.  Strong markers decide on
# their own; weak ones ("dem", "na", "don", "wan") need company.
PIDGIN_STRONG = {"wetin", "abeg", "una", "dey", "wahala", "pikin", "comot", "sabi", "oga", "wey", "dem"}
PIDGIN_WEAK = {"na", "don", "wan", "fit", "sef", "abi", "make", "no", "go", "im", "dis", "dat", "dia", "oya", "sha"}

MIN_WORDS = 3  # fewer words than this never counts as a confident detection
MIN_CJK_CHARS = 6  # about three words of Chinese
CONFIDENCE = 0.5


ENGLISH_FUNCTION_WORDS = {
    "the", "a", "an", "is", "are", "was", "do", "does", "did", "i", "my", "me", "you", "your", "how", "what",
    "who", "where", "when", "why", "can", "to", "of", "in", "for", "and", "or", "if", "it", "be", "have", "has",
}
# Letters that only (or almost only) our languages use among those lingua
# knows: a question with them is never taken for an unsupported language.
DISTINCTIVE = {
    "es": "¿¡ñ", "pt": "ãõ", "ro": "ășțȘȚ", "fr": "œ", "sq": "ë", "vi": "ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
    "ru": "ёыэ", "uk": "єіїґ", "bg": "ъ",
}
OTHER_MIN_WORDS = 4
OTHER_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Detection:
    lang: str | None  # a supported code, or None when nothing is recognised
    confidence: float
    confident: bool  # long and clear enough to switch the answer language
    other: str | None = None  # an unsupported language recognised instead (English name)


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*_LINGUA.values()).with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def _any_language_detector():
    """All of lingua's languages: used only to notice a language we do not support."""
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def _without_names(text: str) -> str:
    """Drop acronyms and dotted names (CNCDH, Ac.Sé, L316-1): they belong to no language."""
    text = re.sub(r"\b(?:[A-Za-z]\.){1,3}[A-Za-zÀ-ÿ]+\b", " ", text)
    return re.sub(r"\b[A-Z][A-Z0-9-]{1,}\b|\b\w*\d\w*\b", " ", text)


def _unsupported(text: str, words: list[str]) -> str | None:
    """The English name of the text's language when it is clearly not one of ours."""
    if len(words) < OTHER_MIN_WORDS or sum(w in ENGLISH_FUNCTION_WORDS for w in words) * 4 >= len(words):
        return None
    values = _any_language_detector().compute_language_confidence_values(text)
    if values and values[0].language not in _CODE and values[0].value >= OTHER_CONFIDENCE:
        return values[0].language.name.title()
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def pidgin_score(words: list[str]) -> int:
    strong = sum(w in PIDGIN_STRONG for w in words)
    weak = sum(w in PIDGIN_WEAK for w in words)
    return 2 * strong + weak if strong else 0


def detect(text: str) -> Detection:
    """Best guess of the language of ``text`` among the supported ones."""
    words = _words(text)
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    long_enough = len(words) >= MIN_WORDS or cjk >= MIN_CJK_CHARS
    if not words:
        return Detection(None, 0.0, False)
    if pidgin_score(words) >= 2 and re.search(r"[a-z]", text.lower()):
        return Detection("pcm", 1.0, long_enough)
    clean = _without_names(text)
    values = _detector().compute_language_confidence_values(clean if _words(clean) else text)
    if not values:
        return Detection(None, 0.0, False)
    lang, confidence = _CODE.get(values[0].language), float(values[0].value)
    marked = [code for code, letters in DISTINCTIVE.items() if any(c in letters for c in text.lower())]
    if len(marked) == 1 and marked[0] != lang:  # "¿" outweighs a French-looking word
        lang = marked[0]
        confidence = max(confidence, next((v.value for v in values if _CODE.get(v.language) == lang), 0.0), CONFIDENCE)
    if not marked and (other := _unsupported(clean, _words(clean))):
        return Detection(None, 0.0, True, other)
    confident = long_enough and confidence >= CONFIDENCE and lang in LANGUAGES
    return Detection(lang, confidence, confident)
