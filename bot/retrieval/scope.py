"""Knowing what the sources do not cover: graded abstention and the scope guards.

The decision weighs evidence, not one similarity: how close the question is
to bank questions the sources answer versus questions they do not, and the
ranker's own confidence (:data:`bot.retrieval.evidence.SCOPE_FEATURES`),
through a model fitted on the bank.  Three grades: answer; answer with a
short "this may not match your question" note; or "the sources do not cover
this" with the help contacts.

Two guards word the refusal: a question naming another country (the
sources cover France), and one naming a year after the sources' dates (they
stop there).  Country names come from Babel (CLDR) in every supported
language and in the other languages people write to us in (a German or a
Turkish question is still answered, in English), each also without what
CLDR adds in brackets or after a dash ("Myanmar (Burma)", "Congo -
Kinshasa"), plus the informal names of ``corpus/places.json``.  A country
named in the asking sentence is evidence the model weighs (people name where
they come from; in the story told before it, a country says nothing of what
is asked); asking about a place abroad ("in Germany", "в Германии") with France not
named is a refusal whatever the similarity, since a question on another
country's referral mechanism reads almost exactly like one on France's.
"In" is a word ("in", "ở", "sa"), an ending ("Almanya'da") or an Arabic
prefix ("فالمغرب"), as each language writes it; what a country owns
("Canada's hotline") is asked about that country too.  A
country named as the person's own is neither: where one goes or is sent
back ("will they send me back to Nigeria?", "me renvoyer au Maroc"), where
one's family is ("they will hurt my family in Nigeria"); being sent back,
and reprisals against a family, are what the sources answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from babel import Locale

from .. import paths
from ..i18n.languages import LANGUAGES
from ..situation import default_signals
from ..textnorm import HAN, fold
from .fusion import Model

PLACES_FILE = "places.json"
ANSWER, CAUTION, ABSTAIN = "answer", "caution", "abstain"
CHAT = "chat"  # not the scope model's: the engine's grade for a message that speaks to the bot ("thanks", "more")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
WORD = re.compile(r"[^\W\d_]+")
INFLECTED = {"ru", "uk", "bg", "ro", "sq", "pcm"}  # names take endings: match their stem
STEM_MIN = 5
SHORT = 3  # a folded name this short collides with words once accents go ("Mỹ" -> "my", "Bỉ" -> "bi")
CJK = re.compile(f"[{HAN}]")
SHORT_FORM = re.compile(r"\s*\([^)]*\)|\s+-\s.*")  # what a CLDR name adds to the name people type: "(Burma)", " - Kinshasa"
OWN_WORDS = 3  # words before a place that can make it the person's own country ("send me back to", "my family in")
OWN_CHARACTERS = 4  # the same in Chinese, which has no spaces ("遣返回中国", "家人在越南")
# Arabic letters written onto a name: b- "in" and Maghrebi f- "in" locate it ("بألمانيا", "فالمغرب"), l- "to" and w- "and" do not
ARABIC_PREFIXES = {"ب": True, "ف": True, "ل": False, "و": False}


class Mention(NamedTuple):
    code: str  # the territory
    located: bool  # a locative word ("in", "en", "в", "在") puts it in a location: a question about that place
    own: bool  # a word before it makes it the person's own country: sent back to, or where the family is


class PlaceNames:
    """Which territories a text names, in any supported language or one people write to us in."""

    def __init__(self, path: Path | None = None) -> None:
        data = json.loads((path or paths.corpus_dir() / PLACES_FILE).read_text(encoding="utf-8"))
        self.home = frozenset(data["home"])
        self._located = frozenset(fold(w) for words in data["located"].values() for w in words)
        own = {fold(w) for words in data["own"].values() for w in words}
        # a word's start ("deport" for "deported"), a short one whole ("về" is not "verde")
        whole = r"(?!\w)"
        self._own = re.compile("|".join(rf"(?<!\w){re.escape(w)}{whole if len(w) <= SHORT else ''}"
                                        for w in sorted(own, key=len, reverse=True) if not CJK.search(w)))
        self._own_cjk = tuple(w for w in own if CJK.search(w))
        # an article between a locative word and the place still locates it ("in the UK", "in der Türkei")
        self._articles = frozenset(fold(w) for words in data["articles"].values() for w in words)
        # a locative ending on the name itself, after an apostrophe or not: Turkish "Almanya'da", "turkiyede"
        self._endings = tuple(sorted({fold(w) for words in data["located_endings"].values() for w in words}, key=len, reverse=True))
        self._apostrophe = re.compile(rf"(?<=\w)'(?=(?:{'|'.join(self._endings)})(?!\w))") if self._endings else None
        names: dict[str, set[str]] = {}
        stems: dict[str, str] = {}
        for lang in (*LANGUAGES, *data["name_languages"]):
            for code, cldr_name in Locale.parse(lang).territories.items():
                if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ", "QO"):
                    for name in {cldr_name, SHORT_FORM.sub("", cldr_name).strip()}:
                        names.setdefault(code, set()).add(name)
                        if lang in INFLECTED and " " not in name and len(name) >= STEM_MIN + 1:
                            stems[fold(name)[:-1]] = code
        for code, aliases in data["aliases"].items():
            names.setdefault(code, set()).update(aliases)
        self._phrases: dict[tuple[str, ...], str] = {}
        self._cjk: dict[str, str] = {}
        self._exact: dict[str, str] = {}  # short names, matched as typed (lower case, accents kept)
        for code, variants in names.items():
            for name in variants:
                folded = fold(name)
                words = tuple(WORD.findall(folded))
                if CJK.search(folded):
                    self._cjk[folded] = code
                elif len(words) == 1 and len(words[0]) <= SHORT:
                    self._exact[name if name.isupper() else name.lower()] = code  # an acronym only in capitals
                elif words:
                    self._phrases[words] = code
        self._stems = stems
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._first_words = frozenset(k[0] for k in self._phrases)  # most words start no name: their phrases are not looked up

    def named(self, text: str) -> set[str]:
        """Territory codes named in ``text``."""
        return {m.code for m in self._mentions(text)}

    def _mentions(self, text: str) -> list[Mention]:
        """Each territory named, whether it is located and whether it is the person's own (:class:`Mention`)."""
        folded = fold(text)
        words = WORD.findall(self._apostrophe.sub("", folded) if self._apostrophe else folded)
        found = []
        for name, code in self._cjk.items() if CJK.search(folded) else ():
            if (at := folded.find(name)) >= 0:
                before = folded[max(0, at - OWN_CHARACTERS):at]
                found.append(Mention(code, before[-1:] in self._located, any(w in before for w in self._own_cjk)))
        typed = WORD.findall(text)
        found += [Mention(code, self._located_at([fold(w) for w in typed[max(0, i - 2):i]]), self._owned(fold(" ".join(typed[max(0, i - OWN_WORDS):i]))))
                  for i, word in enumerate(typed) if (code := self._exact.get(word) or self._exact.get(word.lower()))]
        # the words that end as "in" does in some language ("-da"): only a phrase ending in one is read without it
        ending_at = {j for j, w in enumerate(words) if w.endswith(self._endings)} if self._endings else set()
        for i in range(len(words)):
            word = words[i]
            codes, ended = [], []
            possessed = False
            for n in range(1, self._longest + 1) if word in self._first_words or i in ending_at else ():
                phrase = tuple(words[i: i + n])
                if code := self._phrases.get(phrase):
                    codes.append(code)
                    possessed |= self._possessed(words, i + n)
                elif i + len(phrase) - 1 in ending_at and (code := self._without_ending(phrase)):
                    ended.append(code)
            codes += [code for cut in range(max(STEM_MIN, len(word) - 3), min(len(word), 24)) if (code := self._stems.get(word[:cut]))]
            prefix = word[0] if len(word) > 3 and word[0] in ARABIC_PREFIXES and self._phrases.get((word[1:],)) else None
            if codes or ended or prefix:  # most words name no place: the words before are read only for those that do
                located = self._located_at(words[max(0, i - 2):i]) or possessed
                own = self._owned(" ".join(words[max(0, i - OWN_WORDS):i]))
                found += [Mention(code, located, own) for code in codes] + [Mention(code, True, own) for code in ended]
                if prefix:
                    found.append(Mention(self._phrases[(word[1:],)], located or ARABIC_PREFIXES[prefix], own))
        return found

    def _possessed(self, words: list[str], end: int) -> bool:
        """Whether the place ending before ``words[end]`` owns what follows: "Canada's hotline" asks about Canada's."""
        return end < len(words) and words[end] == "s"

    def _without_ending(self, phrase: tuple[str, ...]) -> str | None:
        """The territory a phrase names with a locative ending on its last word ("almanyada"), if it does."""
        last = phrase[-1]
        for ending in self._endings:
            if last.endswith(ending) and len(last) - len(ending) > SHORT and (code := self._phrases.get((*phrase[:-1], last[: -len(ending)]))):
                return code
        return None

    def _located_at(self, before: list[str]) -> bool:
        """Whether the (up to two) words before a place locate it: "in", or "in the"."""
        return bool(before) and (before[-1] in self._located or (len(before) == 2 and before[-1] in self._articles and before[0] in self._located))

    def _owned(self, before: str) -> bool:
        return bool(self._own.search(before))

    def abroad(self, text: str, own: bool = True) -> set[str]:
        """Territories other than France the text names; ``own=False``: not counting those named only as the person's
        own country (sent back to, the family's)."""
        return {m.code for m in self._mentions(text) if own or not m.own} - self.home

    def asked_abroad(self, text: str) -> set[str]:
        """Places abroad the question is located in ("in Germany"), when it does not name France as well."""
        mentions = self._mentions(text)
        if any(m.code in self.home for m in mentions):
            return set()
        return {m.code for m in mentions if m.located and not m.own}


@lru_cache(maxsize=1)
def place_names() -> PlaceNames:
    return PlaceNames()


def after(text: str, year: int) -> bool:
    """Whether the text names a year after ``year``."""
    return any(int(y) > year for y in YEAR.findall(text))


def named(text: str, latest_year: int, abroad: set[str] | frozenset[str] | None = None) -> frozenset[str]:
    """The negative categories whose mark the text names: a place abroad ("other_country"), a year after the sources
    ("after_date").  A negative naming its mark is one by that name, whatever its subject (see
    :class:`bot.retrieval.evidence.Retriever`).  The person's own country is no such mark ("will they deport me to
    Colombia?" is France's question).  ``abroad``: the places abroad it names, when the caller has read them."""
    abroad = place_names().abroad(text, own=False) if abroad is None else abroad
    marks = {"other_country": bool(abroad), "after_date": after(default_signals().without_since(text), latest_year)}
    return frozenset(category for category, said in marks.items() if said)


@dataclass(frozen=True)
class Decision:
    grade: str  # answer | caution | abstain
    in_scope: float  # the scope model's probability that the sources answer
    notice: str | None  # why it abstains or cautions: abstained | other_country | after_date | may_not_match


@dataclass(frozen=True)
class ScopePolicy:
    model: Model
    abstain_below: float
    caution_below: float

    def decide(self, scope: dict[str, float], negative_category: str | None) -> Decision:
        features = np.array([[scope[name] for name in self.model.names]], dtype=np.float32)
        return grade(float(self.model.probability(features)[0]), self.abstain_below, self.caution_below, scope, negative_category)


def grade(p: float, abstain_below: float, caution_below: float, scope: dict[str, float], negative_category: str | None) -> Decision:
    """The grade of ``p``, the chance that the sources answer (the fit's report grades its out-of-fold ones)."""
    if p >= caution_below:
        return Decision(ANSWER, p, None)
    if p >= abstain_below:
        return Decision(CAUTION, p, "may_not_match")
    if scope.get("after_date") or negative_category == "after_date":
        return Decision(ABSTAIN, p, "after_date")
    if scope.get("foreign_country") or negative_category == "other_country":
        return Decision(ABSTAIN, p, "other_country")
    return Decision(ABSTAIN, p, "abstained")
