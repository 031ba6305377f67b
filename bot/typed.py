"""A message as people type it without their language's keyboard.

On a borrowed phone, or one set up for French, Vietnamese is typed without
its tone marks ("em bi danh" for "em bị đánh").  multilingual-e5 reads such
a text far from the same words marked (a likeness of 0.86 at the median,
against 0.95 and more for French, Romanian or Albanian unmarked), so the
danger examples and the bank's questions get unmarked copies
(:mod:`bot.index.build`) where the encoder reads them as other texts.
Retrieval matches a bank question in either form (its copies are kept
among the danger units, :class:`bot.retrieval.evidence.Retriever`), and the
fit scores each copied question in its typed form too, with a ``typed``
feature, so the ranker learns how little dense similarity is worth then:
Vietnamese bank questions typed without their marks, each left out with its
copy, found their passage first 0.35 -> 0.56 of the time, in the first five
0.63 -> 0.83 (marked: 0.78 -> 0.77), 2026-12-06.  Russian, Ukrainian and
Bulgarian bank questions copied into Latin letters as people type them
("pomogite", "zhena") were tried the same way the same day and not kept:
the scope model then refused fewer of the negative bank's questions (87.2%
-> 84.5%) and the held-out stories lost (hit@1 0.534 -> 0.520, 9 refused
instead of 5), Ukrainian ones included.

Measured on the three danger test sets (``benchmarks/danger.py``,
2026-12-06): recall 0.968 / 0.968 / 0.968 -> 0.968 / 0.974 / 0.974,
Vietnamese 0.83 / 0.91 / 0.67 -> 0.92 / 1.0 / 0.83, false alarms unchanged.
Copies of Chinese in pinyin (pypinyin) and of Cyrillic in Latin letters
(cyrtranslit) were tried the same way and lowered recall (0.958 / 0.974 /
0.942): the curated examples typed that way already hold those forms.
"""

from __future__ import annotations

import numpy as np

from .textnorm import strip_accents

MARKED_SHARE = 0.1  # a text with at least this share of its letters marked may read differently unmarked
DISTINCT = 0.9  # below this likeness to its original, the encoder reads a typed copy as another text


# Cyrillic as people type it on a Latin keyboard ("pomogite", "zhena", "ya"), not a scholarly transliteration
# (cyrtranslit writes "y'" for "ы", "cz" for "ц", "š" for Ukrainian "ш"): Russian first, then what Ukrainian and
# Bulgarian write otherwise.  A letter people write several ways has each of them, the most common first ("ищут" is
# "ishchut", "ischut" or "ishut"; "меня" is "menya", "menia" or "menja").
LATIN_LETTERS: dict[str, dict[str, tuple[str, ...]]] = {
    "ru": {c: tuple(v.split("|")) for c, v in zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "yo|e|jo", "zh|j", "z", "i", "y|i|j", "k", "l", "m", "n", "o", "p", "r", "s",
         "t", "u", "f", "h|kh|x", "ts|c", "ch", "sh", "sch|shch|sh", "", "y|i", "|'", "e", "yu|iu|ju", "ya|ia|ja"])},
}
LATIN_LETTERS["uk"] = {**LATIN_LETTERS["ru"], "г": ("h", "g"), "ґ": ("g",), "и": ("y", "i"), "і": ("i",),
                       "ї": ("yi", "i", "ji"), "є": ("ye", "e", "je"), "щ": ("shch", "sch", "sh")}
LATIN_LETTERS["bg"] = {**LATIN_LETTERS["ru"], "ъ": ("a", "u", "y"), "щ": ("sht", "sh"), "ь": ("y",)}


def typed_copy(text: str) -> str | None:
    """``text`` without its marks when a tenth of its letters or more carry one, else None.

    About a quarter of Vietnamese letters carry a mark, a twentieth of
    French or Albanian ones; Chinese, Arabic or Cyrillic letters carry none.
    """
    letters = [c for c in text if c.isalpha()]
    if letters and sum(strip_accents(c) != c for c in letters) >= MARKED_SHARE * len(letters):
        return strip_accents(text)
    return None


def distinct(originals: np.ndarray, copies: np.ndarray) -> np.ndarray:
    """Which copies (row by row) the encoder reads as other texts than their originals.

    A copy that near its original (French or Romanian unmarked keep 0.95
    and more) would only count the original twice among the nearest.
    """
    return np.nonzero(np.einsum("ij,ij->i", originals, copies) < DISTINCT)[0]
