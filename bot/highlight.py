"""Which sentences of a passage hold the answer, and the excerpt shown to victims and helpers.

A passage's two-sentence windows are compared with the question and with
the bank question it matched (how people ask for what this passage says):
the window nearest to both is highlighted.  When the matched bank question
asks for a number (a phone line, a duration, an amount, an article of law,
a count, a date), the highlight is the best window that contains a number
of that kind, so "how long is the permit valid?" highlights "six months".
"""

from __future__ import annotations

import re

import numpy as np

from .i18n.languages import SOURCE_LANGUAGE
from .index.layout import WINDOW
from .index.lexical import tokenize
from .index.store import LoadedIndex
from .sentences import sentence_spans

NUMBER_WORDS = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty-five|ninety)"
NUMBER_KINDS = {
    "phone": re.compile(r"\+33|\b0\s?\d(?:[\s.]?\d{2,3}){3,4}\b|\b(?:1[1-9]|11\d|3\d{3}|116\s?\d{3})\b"),
    "duration": re.compile(rf"\b{NUMBER_WORDS}[\s-](?:calendar\s|working\s)?(?:days?|weeks?|months?|years?|hours?)\b", re.I),
    "amount": re.compile(r"€|\beuros?\b|\bEUR\b|\bmillion\b", re.I),
    "article": re.compile(r"\b(?:[LRD]\.?\s?)?\d{1,4}(?:-\d+)+\b|\b[Aa]rticles?\s+\d"),
    "count": re.compile(r"(?<![\d/-])\b(?!(?:19|20)\d\d\b)\d[\d,. ]*\b"),
    "date": re.compile(r"\b(?:19|20)\d\d\b"),
}


def holds(kind: str, text: str) -> bool:
    """Whether ``text`` contains a number of this kind."""
    return bool(NUMBER_KINDS[kind].search(text))


class Highlighter:
    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        windows = np.nonzero(index.unit_kinds == WINDOW)[0]
        windows = windows[np.argsort(index.unit_rows[windows], kind="stable")]
        cuts = np.flatnonzero(np.diff(index.unit_rows[windows])) + 1
        self._windows = {int(index.unit_rows[g[0]]): g for g in np.split(windows, cuts) if len(g)}

    def span(self, row: int, text: str, query: np.ndarray, bank_unit: int, fallback_unit: int,
             card: np.ndarray | None = None, card_text: str | None = None) -> tuple[int, int]:
        """(start, end) of the highlight in the passage ``text`` (the whole text when it is one window).

        Under a rights card (``card``: its vector, ``card_text``: its English
        text) the quote is the card's reference too: the window nearest to the
        question and to the card ("no passport needed" quoted the receipt's
        sentence before), then its sentence the card says (:func:`card_sentence`).
        """
        units = self._windows.get(row)
        if units is None or not len(units):
            return 0, len(text)
        vectors = self.index.passage_vectors[units]
        score = vectors @ query
        if card is not None:
            score = score + vectors @ card
        asks = None
        if bank_unit >= 0:
            score = score + vectors @ self.index.bank.reconstruct(int(bank_unit))
            asks = self.index.bank_asks[bank_unit]
        spans = [self.index.unit_spans[u] for u in units]
        holding = [i for i, (s, e) in enumerate(spans) if holds(asks, text[s:e])] if asks else []
        if holding:
            window = spans[max(holding, key=lambda i: score[i])]
        elif bank_unit < 0 and fallback_unit >= 0 and self.index.unit_kinds[fallback_unit] == WINDOW:
            window = self.index.unit_spans[fallback_unit]
        else:
            window = spans[int(np.argmax(score))]
        return card_sentence(text, window, card_text, asks) if card_text else window

def card_sentence(text: str, span: tuple[int, int], card_text: str, asks: str | None = None) -> tuple[int, int]:
    """Of the window ``span``, the sentence that shares the most words with the card.

    Under a card the quote is one sentence (:data:`CARD_EXCERPT_CHARS`) and a
    window two: cut from its start, "Papers if you report" quoted the
    sentence on confiscating assets that opens the window whose second
    sentence grants the permit.  The card was written from its sentence, in
    the reports' language, so their shared words tell it, with nothing more
    to encode.  No word shared: the window as it is.  A question asking for a
    number (``asks``) keeps to the sentences that show one of its kind."""
    words = set(tokenize(card_text, SOURCE_LANGUAGE))
    sentences = [(start + span[0], end + span[0]) for start, end in sentence_spans(text[span[0]: span[1]])]
    # each sentence as a reply shows it: a long one is cut, and only what is shown counts
    candidates = [(sentence, excerpt(text, sentence, CARD_EXCERPT_CHARS)) for sentence in sentences]
    if asks:
        candidates = [(sentence, shown) for sentence, shown in candidates if holds(asks, shown)] or candidates
    best, most = span, 0
    for sentence, shown in candidates:  # the first of those sharing the most words
        if (shared := len(words & set(tokenize(shown, SOURCE_LANGUAGE)))) > most:
            best, most = sentence, shared
    return best


EXCERPT_CHARS = 280  # one or two sentences: what a phone shows without scrolling, beside two services
CARD_EXCERPT_CHARS = 160  # under a rights card the quote is the card's reference, not the answer: its best sentence
OPENING_CITATION = re.compile(r"\([^()]{1,120}\)\s+")  # "(CESEDA Articles R316-6 to R316-6.)" before the sentence a window quotes


def excerpt(text: str, span: tuple[int, int], limit: int = EXCERPT_CHARS) -> str:
    """The highlighted sentences, at most about ``limit`` characters.

    A window that opens with a short citation ("(CESEDA Articles R316-6 to
    R316-6.)", the end of the sentence before) is quoted from the sentence
    after it: the citation says nothing to the reader, and the full passage
    keeps it.  Cut at a sentence end that keeps at least half the limit,
    else at a word that does, else (unspaced Chinese) at the limit."""
    part = text[span[0]: span[1]].strip()
    if (opening := OPENING_CITATION.match(part)) and part[opening.end():].strip():
        part = part[opening.end():]
    if len(part) <= limit:
        return part
    ends = [e for _, e in sentence_spans(part) if limit // 2 <= e <= limit]
    cut = ends[-1] if ends else part.rfind(" ", limit // 2, limit)
    return part[: cut if cut > 0 else limit].rstrip()


def aligned(translation: str, text: str, span: tuple[int, int]) -> str:
    """The translation's sentences that say what ``text[span]`` says.

    Sentence by sentence when both have as many sentences; otherwise the
    same share of the text, widened to whole sentences of the translation.
    """
    source = sentence_spans(text)
    target = sentence_spans(translation)
    inside = [i for i, (s, e) in enumerate(source) if s < span[1] and e > span[0]]
    if not inside:
        return translation
    if len(source) == len(target):
        first, last = target[inside[0]], target[inside[-1]]
        return translation[first[0]: last[1]]
    size = max(len(text), 1)
    lo, hi = span[0] / size * len(translation), span[1] / size * len(translation)
    chosen = [(s, e) for s, e in target if e > lo and s < hi] or target
    return translation[chosen[0][0]: chosen[-1][1]]
