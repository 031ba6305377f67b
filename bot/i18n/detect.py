"""Language identification of short messages.

lingua (restricted to our languages, low-accuracy mode: 30 MB and 2 ms
instead of 300 MB) does the statistical work.  What it cannot do is added
from the words each language record lists (:mod:`bot.i18n.languages`),
counting only the words that belong to one language:

* Nigerian Pidgin, which lingua does not know, by at least two of its own
  words ("wetin", "abeg", "dey"...), never by one word that other languages
  share ("una" is Spanish too, "dem" German);
* Russian, Ukrainian, Bulgarian and Arabic typed in Latin letters
  ("u menya zabrali pasport", "3andi mochkil m3a patron");
* close languages on short messages, where lingua hesitates (Russian and
  Bulgarian, Portuguese and Spanish, French and English: "I want to die" is
  English by its words whatever the letters suggest).

Detection reports how sure it is, so that a short or ambiguous message never
flips the language a user chose (see :func:`bot.i18n.policy.answer_language`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language as Lingua
from lingua import LanguageDetectorBuilder

from ..textnorm import HAN
from .languages import LANGUAGES

_LINGUA = {
    "en": Lingua.ENGLISH, "fr": Lingua.FRENCH, "es": Lingua.SPANISH, "pt": Lingua.PORTUGUESE,
    "ro": Lingua.ROMANIAN, "bg": Lingua.BULGARIAN, "ru": Lingua.RUSSIAN, "uk": Lingua.UKRAINIAN,
    "ar": Lingua.ARABIC, "zh": Lingua.CHINESE, "vi": Lingua.VIETNAMESE, "sq": Lingua.ALBANIAN,
}
_CODE = {v: k for k, v in _LINGUA.items()}

# Pidgin words no other language uses: one of them is enough in a message lingua reads as English.
PIDGIN_ALONE = {"wetin", "dey", "abeg", "wahala", "pikin", "comot", "sabi", "oyibo"}
# Arabic written with digits for its letters (3 = ع, 7 = ح, 9 = ق...), inside words: "3andi", "l7anout", "wa7ed".
ARABIZI = re.compile(r"\b(?:[a-z]*[a-z][235679][a-z]+|[235679][a-z]{2,})\b")
NOT_ARABIZI = re.compile(r"^\d+(?:st|nd|rd|th|am|pm|h|km|kg|min|ans?|ani|eur|yo|yrs?)$")
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
# Lingua all but certain: words of ours do not outweigh it, in one of our languages (see detect) nor in another...
SURE = 0.99
# ...when that language is one whose words ours share (Italian "la", "in", "ca" are Romanian too), spoken by people
# who may write to us.  Not the languages lingua puts forward for Vietnamese typed without its marks (Tsonga,
# Swahili, Finnish...): those words of ours stay the surer reading.
NEIGHBOURS = frozenset({
    Lingua.ITALIAN, Lingua.CATALAN, Lingua.GERMAN, Lingua.DUTCH, Lingua.POLISH, Lingua.CZECH, Lingua.SLOVAK,
    Lingua.SLOVENE, Lingua.CROATIAN, Lingua.BOSNIAN, Lingua.SERBIAN, Lingua.TURKISH, Lingua.HUNGARIAN, Lingua.LITHUANIAN,
    Lingua.LATVIAN, Lingua.DANISH, Lingua.SWEDISH, Lingua.BOKMAL, Lingua.NYNORSK, Lingua.AZERBAIJANI, Lingua.TAGALOG,
    Lingua.GREEK, Lingua.MACEDONIAN, Lingua.BELARUSIAN,
})
# Cyrillic letters of Russian, Ukrainian and Bulgarian: a Cyrillic text with no other ("ј", "љ", "ў", "ә") is one
# of ours, though lingua's fast mode read a short Russian question as Macedonian.
OUR_CYRILLIC = frozenset("абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґ")


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


def _unsupported(text: str, words: list[str], ours_in_it: bool = False) -> str | None:
    """The English name of the text's language when it is clearly not one of ours (``ours_in_it``: words of our
    languages are in it, so only a neighbour that lingua is all but certain of counts)."""
    if len(words) < OTHER_MIN_WORDS or sum(w in ENGLISH_FUNCTION_WORDS for w in words) * 4 >= len(words):
        return None
    cyrillic = set(re.findall(r"[\u0400-\u04ff]", text.lower()))
    if cyrillic and cyrillic <= OUR_CYRILLIC:
        return None
    values = _any_language_detector().compute_language_confidence_values(text)
    if not values or values[0].language in _CODE or (ours_in_it and values[0].language not in NEIGHBOURS):
        return None
    if values[0].value >= (SURE if ours_in_it else OTHER_CONFIDENCE):
        return values[0].language.name.title()
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], frozenset[str]]:
    """Word -> the one language that lists it; and which of those words are Latin-letter spellings."""
    owners: dict[str, set[str]] = {}
    for code, lang in LANGUAGES.items():
        for word in f"{lang.words} {lang.latin_words}".split():
            owners.setdefault(word, set()).add(code)
    distinctive = {word: next(iter(codes)) for word, codes in owners.items() if len(codes) == 1}
    latin = frozenset(w for lang in LANGUAGES.values() for w in lang.latin_words.split() if w in distinctive)
    return distinctive, latin


def word_votes(words: list[str]) -> Counter[str]:
    """Per language, how many of the words belong to it alone."""
    distinctive, _ = _vocabulary()
    return Counter(distinctive[w] for w in words if w in distinctive)


def _latin_spelling(words: list[str], text: str) -> str | None:
    """Russian, Ukrainian, Bulgarian or Arabic typed in Latin letters, by two of its words at least
    (a word spelled with Arabizi digits counts for Arabic)."""
    distinctive, latin = _vocabulary()
    votes = Counter(distinctive[w] for w in words if w in latin)
    votes["ar"] += sum(1 for w in ARABIZI.findall(text.lower()) if not NOT_ARABIZI.match(w) and w not in distinctive)
    others = word_votes(words)
    if votes:
        lang, n = votes.most_common(1)[0]
        if n >= 2 and all(n > c for code, c in others.items() if code != lang):
            return lang
    return None


def detect(text: str) -> Detection:
    """Best guess of the language of ``text`` among the supported ones."""
    words = _words(text)
    cjk = len(re.findall(f"[{HAN}]", text))
    long_enough = len(words) >= MIN_WORDS or cjk >= MIN_CJK_CHARS
    if not words:
        return Detection(None, 0.0, False)
    votes = word_votes(words)
    latin_only = not re.search(r"[^\x00-\u024f\u1e00-\u1eff\s\d\W]", text)
    clean = _without_names(text)
    characters = set(text.lower())
    marked = [code for code, letters in DISTINCTIVE.items() if not characters.isdisjoint(letters)]
    # words of ours weigh against another language, unless lingua is all but certain: Italian shares "la", "in", "ca"
    # with Romanian, and half of the bank's Italian questions were answered in Romanian
    other = None if marked else _unsupported(clean, _words(clean), ours_in_it=max(votes.values(), default=0) > 1)
    if latin_only and votes["pcm"] >= 2 and all(votes["pcm"] > c for code, c in votes.items() if code not in ("pcm", "en")) \
            and not other:  # Polish "na", "nie" are not Pidgin
        return Detection("pcm", 1.0, long_enough)
    if latin_only and (spelled := _latin_spelling(words, text)):
        return Detection(spelled, 1.0, long_enough)
    values = _detector().compute_language_confidence_values(clean if _words(clean) else text)
    if not values:
        return Detection(None, 0.0, False)
    lang, confidence = _CODE.get(values[0].language), float(values[0].value)
    if latin_only and lang == "en" and PIDGIN_ALONE & set(words):
        return Detection("pcm", 1.0, long_enough)
    if len(marked) == 1 and marked[0] != lang:  # "¿" outweighs a French-looking word
        lang = marked[0]
        confidence = max(confidence, next((v.value for v in values if _CODE.get(v.language) == lang), 0.0), CONFIDENCE)
    if other:
        return Detection(None, 0.0, True, other)
    lingua_votes = Counter({code: n for code, n in votes.items() if code != "pcm"})  # Pidgin needs two words (above)
    if not marked and lingua_votes:
        voted, n = lingua_votes.most_common(1)[0]
        runner_up = max((c for code, c in lingua_votes.items() if code != voted), default=0)
        close = {_CODE.get(v.language) for v in values[:2] if v.value >= confidence - 0.2}
        # one word only settles a close call; words never outweigh lingua all but certain of a message long enough that
        # holds words of its language too: "ce" and "va" are Romanian words, and "ils m'ont enfermée, il revient ce soir
        # et il va me tuer" was Romanian (Vietnamese typed without marks, which lingua takes for French, holds none)
        sure = long_enough and confidence >= SURE and votes[lang] > 0
        if voted != lang and n > runner_up and (n >= 2 or voted in close) and not sure:
            lang, confidence = voted, max(confidence, CONFIDENCE)
    confident = long_enough and confidence >= CONFIDENCE and lang in LANGUAGES
    return Detection(lang, confidence, confident)
