"""Where sentences end: in passages (for cutting, indexing and highlighting) and in messages.

* :func:`paragraph_sentences`: strict sentence ends, where segmentation may
  cut a paragraph that is too long (changing it would change passage ids);
* :func:`sentence_spans` and :func:`windows`: the sentences of a passage,
  list items and table rows included; the dense index holds one vector per
  window of two sentences, and the best window is what an answer
  highlights, so both cut the same way;
* :func:`sentence_texts`: the sentences of a person's message, in any
  script, read one by one for danger;
* :func:`asking_sentence`: the sentence of a message that asks, when the
  message also tells a story; :func:`question_sentences`: every sentence
  that asks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .textnorm import HAN, word_count

# A sentence ends at . ! ? ; or : followed by a capital, a quote, a bracket
# or a bullet, at a line break (list items, table rows, headings), or after
# a Chinese full stop, exclamation or question mark and the bracket or quote
# it closes (Chinese is unspaced).
BOUNDARY = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z«\"(•\-–\[]|[a-h]\.\s)|\s*\n+\s*|(?<=[。！？])(?![）」』”)])\s*|(?<=[。！？][）」』”)])\s*")
MIN_WORDS = 4
HAN_CHARACTER = re.compile(f"[{HAN}]")
PARAGRAPH_END = re.compile(r"(?<=[.!?»])\s+(?=[A-Z«\"(])")
# A message's sentence ends after a run of end marks and a space ("really?? i", "passport... what"), or after "?" or
# "!" and a letter ("quoi?je"), or after a Chinese mark, spaced or not; never inside a word or number ("Ac.Sé",
# "L.316-1", "12.000€"), nor between the marks of one run, which made "?" alone the asking sentence of "papers??".
MESSAGE_END = re.compile(r"(?<=[.!?…؟])\s+|(?<=[!?؟])(?=[^\s!?؟.…\"'»”)\]])|(?<=[。！？])(?![。！？])\s*|\n+")
QUESTION_MARKS = ("?", "？", "؟")


def paragraph_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, cut only at a full stop followed by a capital."""
    spans, start = [], 0
    for m in PARAGRAPH_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def sentence_texts(message: str) -> list[str]:
    """The sentences of a message (one if it has no sentence ends)."""
    return [part.strip() for part in MESSAGE_END.split(message) if part and part.strip()] or [message]


def asking_sentence(message: str) -> str | None:
    """The sentence that asks (the last with a question mark, else the last), if the message has several.

    A victim tells what happens, then asks: "he keeps my passport and says I
    owe him money. What can I do?".  Encoded whole, the story outweighs the
    question and the passage nearest the story comes first; retrieval also
    reads the asking sentence on its own (:func:`bot.retrieval.search.query_vector`).
    """
    sentences = sentence_texts(message)
    return _asking(sentences)[-1] if len(sentences) > 1 else None


def question_sentences(message: str) -> list[str]:
    """Every sentence that asks (with a question mark), else the last, if the message has several; else the message.

    "هل في ألمانيا ... إقامة؟ ما هي الشروط؟" (in Germany, a permit? what are
    the conditions?) asks about Germany in its first question, not in its
    last: the scope guard reads them all (the story told around them still
    says nothing of what is asked).
    """
    sentences = sentence_texts(message)
    return _asking(sentences) if len(sentences) > 1 else [message]


def _asking(sentences: list[str]) -> list[str]:
    return [s for s in sentences if s.endswith(QUESTION_MARKS)] or sentences[-1:]


def _words(text: str) -> int:
    """Words as spaces cut them, each Chinese character one more: a Chinese sentence, unspaced, was one "word" and
    was joined to the next, so a Chinese translation had a sentence or two and a quote under a card was a bullet."""
    return word_count(text) + len(HAN_CHARACTER.findall(text))


@lru_cache(maxsize=8192)  # passages and translations are few and fixed: cut each once
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of the sentences of ``text`` with at least MIN_WORDS words.

    Shorter fragments (a lone heading, "119") are attached to the sentence
    that follows them, so no text is lost.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    pending: int | None = None
    for m in list(BOUNDARY.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        if end > start:
            s = start if pending is None else pending
            if _words(text[start:end]) >= MIN_WORDS or m is None:
                spans.append((s, end))
                pending = None
            elif pending is None:
                pending = start
        if m:
            start = m.end()
    if pending is not None and spans:
        spans[-1] = (spans[-1][0], len(text.rstrip()))
    return tuple(spans) or ((0, len(text)),)


def windows(text: str, size: int = 2) -> list[tuple[int, int]]:
    """Overlapping windows of ``size`` sentences (one window for short passages)."""
    spans = sentence_spans(text)
    if len(spans) <= size:
        return [(spans[0][0], spans[-1][1])]
    return [(spans[i][0], spans[min(i + size, len(spans)) - 1][1]) for i in range(len(spans) - size + 1)]
