"""Labelled phrases, each tried only on a text that holds a string it requires.

The danger phrases written in Latin letters made one alternation of 160,000
characters, and Python's regular expressions try every branch at every word
start: reading a bank question for them took 1.7 ms (2.5 ms on a busy
machine); it now takes 0.1 ms.  Nearly every phrase holds a string that any
match of it contains ("tuer", "passport", "заперт"), or one of a few
("едут", "идут", "приехали"); one Aho-Corasick scan (pyahocorasick) finds
which of those strings a text holds, and only their phrases are tried.  The
few phrases with no such string ("^\\W*help\\W*$") are tried on every
text, one alternation per label.  What a text is found to say is exactly
what the one alternation found.  The audience, needs, forms of
exploitation and a child's phrases are read the same way
(:func:`bot.situation._prefiltered`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

import ahocorasick

from .textnorm import HAN

CHARACTER_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")  # "[oa]", "[^\\]]": its "(", "|" or "?" are letters
# an escape, a character class, a group's opening, a closing, a bar, a quantifier (lazy or not), a run of plain
# characters (read at once: a pattern is mostly words), or one character
TOKEN = re.compile(r"\\.|" + CHARACTER_CLASS.pattern + r"|\(\?<?[=!]|\(\?:|\(|\)|\||[?*+]\??|\{\d*,?\d*\}\??|[^\\\[\]()|?*+{}.^$]+|.", re.S)
OPENERS = ("(", "(?:", "(?=", "(?!", "(?<=", "(?<!")
CONSUMING = ("(", "(?:")  # a lookaround's text is not part of the match
UNREAD_GROUP = re.compile(r"\(\?(?![:=!]|<[=!])")  # a named group or an inline flag: not read, so no string is required
HAN_CHARACTER = re.compile(f"[{HAN}]")
MIN_CHARACTERS = 3  # a shorter required string is in most texts and rules nothing out; one Han character is rare enough

Required = frozenset[str]


def required_strings(pattern: str) -> Required | None:
    """Strings one of which every match of ``pattern`` contains, the longest such set found; None if none is useful.

    ``\\b(?:ils|elle) (?:va|vont) me tuer\\b`` requires " me tuer";
    ``(?:едут|идут|приехали)`` one of its three words.  Runs of plain
    characters outside optional parts are required; a group whose
    alternatives all require a string requires one of them.
    """
    if UNREAD_GROUP.search(pattern):
        return None
    return _Reader(TOKEN.findall(pattern)).alternation()


class _Reader:
    """Reads a pattern's tokens, left to right, for the strings its matches require.

    A class, not nested functions calling one another: those made a reference
    cycle per phrase, and the engine loads with the cycle collector off, then
    freezes what it loaded, so each phrase's tokens were kept for good
    (5 MB of the 4,000-odd phrases).
    """

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0

    def quantified(self) -> bool | None:
        """Consume a quantifier after an item: True if it makes the item optional, None if repeated, False if none."""
        token = self.tokens[self.at] if self.at < len(self.tokens) else ""
        if token[:1] in ("?", "*") or token.startswith(("{0", "{,")):
            self.at += 1
            return True
        if token[:1] in ("+", "{"):
            self.at += 1
            return None
        return False

    def alternation(self) -> Required | None:
        branches = [self.sequence()]
        while self.at < len(self.tokens) and self.tokens[self.at] == "|":
            self.at += 1
            branches.append(self.sequence())
        return None if any(b is None for b in branches) else frozenset().union(*branches)

    def sequence(self) -> Required | None:
        best: Required | None = None
        run = ""

        def consider(candidate: Required | None) -> Required | None:
            return candidate if candidate and _useful(candidate) and (best is None or _strength(candidate) > _strength(best)) else best

        while self.at < len(self.tokens) and self.tokens[self.at] not in ("|", ")"):
            token = self.tokens[self.at]
            self.at += 1
            if token in OPENERS:
                inner = self.alternation()
                self.at += 1  # its ")"
                optional = self.quantified()
                best, run = consider(frozenset([run])), ""
                if token in CONSUMING and optional is not True:
                    best = consider(inner)
            elif token[0] not in "\\[.^$":  # plain characters, a quantifier after them bearing on the last
                optional = self.quantified()
                if optional is True:  # "mes?": "me" is required, the "s" not
                    best, run = consider(frozenset([run + token[:-1]])), ""
                elif optional is None:  # "aide+": once at least, then the run is cut
                    best, run = consider(frozenset([run + token])), ""
                else:
                    run += token
            else:  # an escape, a class or an anchor: the run is cut
                self.quantified()
                best, run = consider(frozenset([run])), ""
        return consider(frozenset([run]))


def _useful(strings: Required) -> bool:
    return all(len(s) >= (1 if HAN_CHARACTER.search(s) else MIN_CHARACTERS) for s in strings)


def _strength(strings: Required) -> int:
    """How rare the rarest-to-miss string is: the shortest one's length, a Han character counting as three letters."""
    return min(len(s) * (3 if HAN_CHARACTER.search(s) else 1) for s in strings)


class Prefiltered:
    """Phrases of one script under labels: which labels a folded text says."""

    def __init__(self, labelled: dict[str, list[str]], alternation: Callable[[list[str]], re.Pattern[str] | None]) -> None:
        """``labelled``: label -> folded patterns; ``alternation`` joins those that require nothing into one pattern."""
        self._by_string: defaultdict[str, list[tuple[str, re.Pattern[str]]]] = defaultdict(list)
        unfiltered: defaultdict[str, list[str]] = defaultdict(list)
        for label, patterns in labelled.items():
            for pattern in patterns:
                if (strings := required_strings(pattern)) is None:
                    unfiltered[label].append(pattern)  # ``alternation`` refuses a damaged one ("[x") as it joins them
                else:
                    compiled = re.compile(pattern)
                    for s in strings:
                        self._by_string[s].append((label, compiled))
        self._always = [(label, p) for label, patterns in unfiltered.items() if (p := alternation(patterns)) is not None]
        self._automaton: ahocorasick.Automaton | None = None
        if self._by_string:
            self._automaton = ahocorasick.Automaton()
            for s in self._by_string:
                self._automaton.add_word(s, s)
            self._automaton.make_automaton()

    def labels_in(self, folded: str) -> set[str]:
        found = {label for label, pattern in self._always if pattern.search(folded)}
        if self._automaton is None:
            return found
        held = dict.fromkeys(s for _, s in self._automaton.iter(folded))  # each string once, in the order first met
        for s in held:
            for label, pattern in self._by_string[s]:
                if label not in found and pattern.search(folded):
                    found.add(label)
        return found
