"""Text normalisation shared by cleaning, matching and evaluation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
})
_SPACE = re.compile(r"\s+")
FOLDED_KEPT = 256  # folded texts kept (:func:`fold`)
_WHOLE = str.maketrans({"đ": "d", "Đ": "D"})  # a marked letter NFKD leaves whole: Vietnamese typed without its keyboard has "d"


def strip_accents(text: str) -> str:
    """NFKD with the combining marks dropped: "é" -> "e", "ș" -> "s", and "đ" -> "d" (ASCII text is its own)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).translate(_WHOLE)


def fold_characters(text: str) -> str:
    """NFKD, combining marks dropped, case folded, straight quotes (whitespace untouched)."""
    return strip_accents(text).casefold().translate(_QUOTES)


@lru_cache(maxsize=FOLDED_KEPT)
def fold(text: str) -> str:
    """The evaluation's matching normalisation.

    Unicode NFKD, combining marks dropped, case folded, curly quotes and
    « » made straight, runs of whitespace collapsed to one space.  Answering
    a message folds it, its sentences and its asking sentence some thirty
    times over (each reading folds what it reads): the last ones are kept.
    """
    return _SPACE.sub(" ", fold_characters(text)).strip()


def fold_pattern(pattern: str) -> str:
    """Fold a regular expression's literal text the way :func:`fold` folds messages.

    Escape sequences are kept as written: case folding would turn ``\\W``
    into ``\\w`` and ``\\S`` into ``\\s``.
    """
    pieces = re.split(r"(\\.)", pattern)
    return "".join(piece if piece.startswith("\\") else fold_characters(piece) for piece in pieces)


def letters_only(text: str) -> str:
    """Lower-case Latin letters of ``text`` after folding, nothing else."""
    return "".join(c for c in fold(text) if "a" <= c <= "z")


def word_count(text: str) -> int:
    return len(text.split())


HAN = "\u3400-\u9fff\uf900-\ufaff"  # the Han characters (CJK ideographs and their compatibility forms), for a character class
_WORD_UNIT = re.compile(f"[{HAN}]|[^\\W\\d_]+")


def word_units(text: str) -> int:
    """Words of ``text``: runs of letters, each Chinese character counting as one (Chinese is written unspaced)."""
    return len(_WORD_UNIT.findall(text))
