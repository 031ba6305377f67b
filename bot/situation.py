"""What a message tells about the person's situation, read from curated phrases (``corpus/signals.json``).

* Danger, by kind: ``imminent`` (a threat now: "he is outside the door",
  "they come back tonight"), ``third_party`` (someone else in danger: "my
  sister is locked in a flat"), ``self_harm`` (suicidal thoughts), and
  ``medical`` (an injury, an illness that cannot wait).  Read sentence by
  sentence in the whole message: a sentence about the past or a hypothesis
  ("I came to France two years ago", "what happens if I was hit?") does not
  cancel a present threat in another sentence.
* Under 18 ("im 15", "15yo", "quinze ans", "15 tuổi", a year of birth
  worked out against today's date); and, for the
  safety card only, what may tell of a child ("my cousin, 15, they take her
  tonight", "a little girl is screaming next door"): see
  :attr:`Situation.maybe_child`.
* Who is asking: someone helping ("I'm a social worker", "a girl I help")
  or a professional ("inspectrice du travail ici", "as a police officer").
* The form of exploitation and what the person needs.
* Chat: a message that speaks to the bot, not of a situation -- it greets,
  thanks, takes leave, says "ok", asks for the next passage or the one
  before, says it did not understand, or asks what the bot is and keeps
  (:meth:`Signals.chat`) -- which deserves a kind word or the next passage,
  not "the sources do not cover this".

The phrases of every language written in the message's script are tried:
a frightened person may write two words in a language detection cannot be
sure of.  The similarity to the reviewed bank of danger examples is added
by :mod:`bot.danger`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from . import paths
from .prefilter import CHARACTER_CLASS, Prefiltered
from .sentences import sentence_texts
from .textnorm import HAN, fold, fold_pattern
from .typed import LATIN_LETTERS

SIGNALS_FILE = "signals.json"
DANGER_KINDS = ("imminent", "third_party", "self_harm", "medical")
# Who writes, least sure first: a message that reads as a helper's and as the writer's own ("my friend's boss took my
# passport") is the helper's.  "victim" is read from the writer telling of their own case ("my passport", "I am 16"),
# so that a helper's earlier message does not word this one about someone else.
AUDIENCES = ("victim", "helper", "professional")
HELPING_AUDIENCES = AUDIENCES[1:]  # who write for someone else, and may open with their role ("Social worker here:")
# Kinds of chat.  A message holding several is named by the first of CHAT_FIRST it holds ("thanks, next" asks for
# more, "ok thanks bye" takes leave), else by its longest phrase ("non merci" declines: it does not thank).
CHAT_KINDS = ("more", "back", "about", "not_understood", "goodbye", "ack", "thanks", "greeting")
CHAT_FIRST = ("more", "back", "about", "not_understood", "goodbye")
MAYBE_CHILD = "maybe_child"  # the one label of the phrases that may tell of a child
CHAT_FILLER = "filler"  # words that add nothing ("so much", "please", Vietnamese "nhé"), never a kind of their own
ELONGATED = re.compile(r"(\w)\1{2,}")  # "thanksss", "merciii", "okkk": the letter once
CHAT_MAX_CHARS = 80  # longer messages say more than chat; the bound also keeps the whole-message match cheap
MINOR_YEARS = 17  # born this many years ago or fewer: under 18 this year (or just turned 18)
YEAR = re.compile(r"(?:19|20)\d\d")  # the year in a year-of-birth phrase
# What a person says they need ("papers", "a place to sleep", "I am 16")
# -> the passage topic that answers it (corpus/topics.json).
NEED_TOPICS = {
    "residence": "residence", "shelter": "accommodation", "compensation": "compensation", "legal_help": "legal_aid",
    "return_home": "return", "health": "health", "child_protection": "children",
}


@dataclass(frozen=True)
class Chat:
    kind: str  # CHAT_KINDS
    langs: tuple[str, ...]  # of those whose phrases make up the whole message (else hold one), those saying ``kind``, in file order
    parting: tuple[str, ...] = ()  # a greeting that takes leave in these languages ("chao"): someone writing in one is leaving


@dataclass(frozen=True)
class Situation:
    danger: frozenset[str] = field(default_factory=frozenset)  # kinds of danger (DANGER_KINDS)
    danger_said: frozenset[str] = field(default_factory=frozenset)  # those the curated phrases read: surer than likeness
    danger_likeliest: str | None = None  # of those likeness alone reads, the likeliest
    minor: bool = False
    maybe_child: bool = False  # an age from 10 to 17 (not a quantity), a school year, a baby, a child named: with danger, 119 joins the card
    kinds: frozenset[str] = field(default_factory=frozenset)  # sexual, labour, domestic, begging, crime
    needs: frozenset[str] = field(default_factory=frozenset)  # shelter, residence, compensation, ...
    audience: str | None = None  # victim | helper | professional, when the message says so

    def topics(self) -> set[str]:
        """The passage topics that answer what the person needs."""
        return {NEED_TOPICS[n] for n in self.needs if n in NEED_TOPICS} | ({"children"} if self.minor else set())

    def merged(self, other: Situation) -> Situation:
        """What two messages (or a message and triage answers) say together."""
        return Situation(
            danger=self.danger | other.danger,
            danger_said=self.danger_said | other.danger_said,
            danger_likeliest=self.danger_likeliest or other.danger_likeliest,
            minor=self.minor or other.minor,
            maybe_child=self.maybe_child or other.maybe_child,
            kinds=self.kinds | other.kinds,
            needs=self.needs | other.needs,
            audience=self.audience or other.audience,
        )


# A phrase can only match a message written in its script: Cyrillic phrases
# cannot match Latin text, and scanning them costs time.  Each phrase is filed
# under the scripts of its letters (Bulgarian typed in Latin letters is Latin).
SCRIPT_CHARS = {
    "latin": re.compile(r"[a-z]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "arabic": re.compile(r"[\u0600-\u06ff]"),
    "han": re.compile(f"[{HAN}]"),
}
Compiled = dict[str, "re.Pattern[str] | None"]
CYRILLIC = SCRIPT_CHARS["cyrillic"]
TOKEN = re.compile(rf"\\.|{CHARACTER_CLASS.pattern}|[()|]")  # an escape, a character class (whose "(" or "|" is a letter), or a bracket or bar
LATIN_TOKEN = re.compile(rf"\\.|{CHARACTER_CLASS.pattern}|\(\?<[!=]|.", re.S)  # an escape, a class, a look-behind's start, a character


def _scripts(text: str) -> list[str]:
    return [script for script, chars in SCRIPT_CHARS.items() if chars.search(text)]


def _typed_in_latin(patterns: dict[str, list[str]]) -> dict[str, list[str]]:
    """``patterns`` with each Russian, Ukrainian and Bulgarian phrase also as people type it in Latin letters.

    "меня ищут" is "menya ishchut", "menia ischut" or "menja ishut" on a
    French phone: each letter becomes the ways :data:`bot.typed.LATIN_LETTERS`
    lists, a character class of letters the ways of each ("сбежал[аи]" ->
    "sbezhal(?:a|i)"), a class with a range any Latin letter.  A phrase whose
    Latin form is not a valid pattern (a look-behind must keep one width) is
    left in Cyrillic only.
    """
    out = {lang: list(phrases) for lang, phrases in patterns.items()}
    for lang, letters in LATIN_LETTERS.items():
        for phrase in patterns.get(lang, []):
            if CYRILLIC.search(phrase) and (latin := _in_latin(phrase, letters)) is not None:
                out[lang].append(latin)
    return out


def _in_latin(phrase: str, letters: dict[str, tuple[str, ...]]) -> str | None:
    """``phrase`` with its Cyrillic letters written the ways people type them in Latin letters, or None if invalid."""
    def ways(chars: str, first_only: bool) -> str:
        alternatives = dict.fromkeys(way for c in chars for way in letters.get(c, (re.escape(c),))[:1 if first_only else None])
        return "(?:" + "|".join(alternatives) + ")" if len(alternatives) > 1 else next(iter(alternatives))

    pieces = []
    behind: list[bool] = []  # per open bracket: whether it opens a look-behind, where only the first way keeps the width
    for token in LATIN_TOKEN.findall(phrase):
        if token in ("(", "(?<!", "(?<="):
            behind.append(token != "(")
        elif token == ")" and behind:
            behind.pop()
        if CHARACTER_CLASS.fullmatch(token) and CYRILLIC.search(token):
            inside = token[1:-1]
            ranged = "-" in inside.strip("-") or inside.startswith("^")
            pieces.append("[a-z'’-]" if ranged else ways(inside.replace("-", ""), any(behind)))
        elif token in letters:
            pieces.append(ways(token, any(behind)))
        else:
            pieces.append(token)
    latin = "".join(pieces)
    try:
        re.compile(latin)
    except re.error:
        return None
    return latin


def _compile(patterns: dict[str, list[str]]) -> Compiled:
    """One alternation per script, of the phrases that contain letters of that script."""
    return {script: _alternation(alternatives) for script, alternatives in _by_script(patterns).items()}


def _prefiltered(labelled: dict[str, dict[str, list[str]]]) -> dict[str, Prefiltered]:
    """Per script, the phrases of every label (a kind of danger, a need...) that contain letters of that script: each
    is tried only on a text that holds a string it requires (:mod:`bot.prefilter`).  Reading a message's audience,
    needs, forms of exploitation and a child took 0.56 ms a bank question as one alternation per label, 0.17 ms so."""
    filed = {label: _by_script(patterns) for label, patterns in labelled.items()}
    return {script: Prefiltered({label: by_script[script] for label, by_script in filed.items()}, _alternation)
            for script in SCRIPT_CHARS}


def _by_script(patterns: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every language's phrases, folded, filed under the scripts of their letters (all scripts when they have none)."""
    by_script: dict[str, list[str]] = {script: [] for script in SCRIPT_CHARS}
    for lang in sorted(patterns):
        for raw in patterns[lang]:
            folded = fold_pattern(raw)
            literal = re.sub(r"\\.|\(\?[<!=:]*|\[[^\]]*\]", " ", folded)  # letters outside escapes and classes
            for script in _scripts(literal) or list(SCRIPT_CHARS):
                by_script[script].append(folded)
    return by_script


def _alternation(alternatives: list[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``alternatives``; those that start at a word boundary share one ``\\b``.

    Python's regex engine tries every branch at every position; with the
    boundary factored out it tries the branches only where a word starts,
    which makes reading a message several times faster (most phrases
    start with ``\\b``).
    """
    if not alternatives:
        return None
    for a in alternatives:  # joined, an unclosed "[" would read the phrases after it as its letters, and compile
        if "[" in re.sub(r"\\.", "", CHARACTER_CLASS.sub("", a)):
            raise re.error(f"unterminated character set in {a!r}")
    at_word: list[str] = []
    parts: list[str] = []
    for a in alternatives:
        if _starts_at_boundary(a):
            at_word.append(f"(?:{a[2:]})")
        else:
            parts.append(f"(?:{a})")
    if at_word:
        parts.insert(0, rf"\b(?:{'|'.join(at_word)})")
    return re.compile("|".join(parts))


def _starts_at_boundary(pattern: str) -> bool:
    """Whether every match of ``pattern`` starts with its leading ``\\b``: no ``|`` outside its groups."""
    if not pattern.startswith(r"\b"):
        return False
    depth = 0
    for token in TOKEN.findall(pattern):
        depth += (token == "(") - (token == ")")
        if token == "|" and depth == 0:
            return False
    return True


def _phrase(raw: str) -> str:
    """A folded phrase that starts and ends at word boundaries, except next to a Han character (Chinese has no spaces)."""
    folded = fold_pattern(raw)
    literal = re.sub(r"\\.|\(\?[<!=:]*|\[[^\]]*\]|[()?*+|]", "", folded)
    before = "" if SCRIPT_CHARS["han"].match(literal[:1]) else r"(?<!\w)"
    after = "" if SCRIPT_CHARS["han"].match(literal[-1:]) else r"(?!\w)"
    return f"{before}(?:{folded}){after}"


def _whole(phrases: list[str]) -> re.Pattern[str]:
    """A message made of ``phrases`` and nothing else but punctuation, spaces and emoji (for ``fullmatch``)."""
    return re.compile(rf"(?:[\W_]*(?:{'|'.join(_phrase(p) for p in phrases)}))+[\W_]*")


def _without(folded: str, *phrases: Compiled) -> str:
    """``folded`` with every match of ``phrases`` (in the scripts it is written in) blanked out."""
    for script in _scripts(folded):
        for compiled in phrases:
            if (pattern := compiled[script]) is not None:
                folded = pattern.sub(" ", folded)
    return folded


def _signature(roles: list[str], greetings: list[str]) -> re.Pattern[str]:
    """A message that opens with a role as its signature: "Inspectrice du travail : ...", "Social worker here - ...",
    "Trabajadora social. Tengo un chico...", "社工。...", "Volunteer here, ...".

    A greeting may come first, and a few words before the colon or dash
    ("Police officer in Lyon:", "Инспектор труда, Лион -", "老师——").  A role
    word the message repeats is its topic, not a signature: "Avocat :
    est-ce que j'ai droit à un avocat ?"; and roles that name a service a
    victim asks for (a lawyer, an interpreter) are not in ``roles`` at all:
    "Lawyer: do i have right to a free one?" is a victim's heading.
    """
    role = "|".join(fold_pattern(r) for r in roles)
    greeting = "|".join(fold_pattern(g) for g in greetings)
    return re.compile(rf"\W*(?:(?:{greeting})\W+)?(?P<role>{role})(?:,?\s+[^\s:：,]+){{0,3}}?\s*(?::|：|\s[-–—]\s|[-–—]{{2}}|\.\s|。|\s+here\b)"
                      rf"(?![\s\S]*(?<!\w)(?P=role)(?!\w))")


def _search(compiled: Compiled, folded: str, scripts: list[str]) -> bool:
    return any((pattern := compiled[script]) is not None and pattern.search(folded) for script in scripts)


def _labels(prefiltered: dict[str, Prefiltered], folded: str, scripts: list[str]) -> set[str]:
    """The labels whose phrases of the text's scripts it says."""
    return set().union(*(prefiltered[script].labels_in(folded) for script in scripts))


class SignalsError(ValueError):
    """``corpus/signals.json`` is damaged; the message names the fix."""


@dataclass(frozen=True)
class Signals:
    danger: dict[str, Prefiltered]  # script -> the kinds' phrases, each tried where a string it requires is (bot.prefilter)
    not_now: Compiled
    minor: Compiled
    birth_year: Compiled  # a year of birth, a minor's when it is at most MINOR_YEARS before this year
    age_joined: Compiled  # the word that joins a told age to the rest ("... 14 ans et ils me ...")
    since_year: Compiled  # since when a situation lasts ("depuis 2024"): a year told, not asked about
    maybe_child: dict[str, Prefiltered]  # script -> the phrases, under one label (MAYBE_CHILD)
    audience: dict[str, Prefiltered]  # script -> the phrases of each audience
    signed: dict[str, re.Pattern[str]]  # audience -> a message signed with one of its roles (:func:`_signature`)
    kinds: dict[str, Prefiltered]  # script -> the phrases of each form of exploitation
    needs: dict[str, Prefiltered]  # script -> the phrases of each need
    chat_by_lang: dict[str, re.Pattern[str]]  # the whole message made of one language's chat phrases
    chat_any: re.Pattern[str]  # ... of any languages' (a French "merci" after an English "hello")
    chat_kinds: dict[str, dict[str, re.Pattern[str]]]  # kind -> language -> a phrase of that kind, anywhere

    @classmethod
    def load(cls, path: Path | None = None) -> Signals:
        path = path or paths.corpus_dir() / SIGNALS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            kinds = {k: _typed_in_latin(data["danger"].get(k, {})) for k in DANGER_KINDS}
            chat = {kind: data["chat"][kind] for kind in (*CHAT_KINDS, CHAT_FILLER)}
            langs = list(dict.fromkeys(lang for kind in CHAT_KINDS for lang in chat[kind]))
            return cls(
                danger=_prefiltered(kinds),
                not_now=_compile(_typed_in_latin(data["not_now"])),
                minor=_compile(data["minor"]),
                birth_year=_compile(data["birth_year"]),
                age_joined=_compile(data["age_joined"]),
                since_year=_compile(data["since_year"]),
                maybe_child=_prefiltered({MAYBE_CHILD: data["maybe_child"]}),
                audience=_prefiltered({k: data["audience"].get(k, {}) for k in AUDIENCES}),
                signed={k: _signature([r for rs in data["roles"][k].values() for r in rs],
                                      [g for gs in chat["greeting"].values() for g in gs]) for k in HELPING_AUDIENCES},
                kinds=_prefiltered(data["kinds"]),
                needs=_prefiltered(data["needs"]),
                chat_by_lang={lang: _whole([p for ps in chat.values() for p in ps.get(lang, [])]) for lang in langs},
                chat_any=_whole([p for by_lang in chat.values() for ps in by_lang.values() for p in ps]),
                chat_kinds={kind: {lang: re.compile("|".join(_phrase(p) for p in ps)) for lang, ps in chat[kind].items()}
                                for kind in CHAT_KINDS},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, re.error) as exc:
            raise SignalsError(f"{path} is damaged ({type(exc).__name__}: {exc}); restore it from git") from exc

    def danger_in(self, text: str) -> frozenset[str]:
        """Kinds of danger said now, sentence by sentence (a sentence about the past cancels only itself)."""
        found: set[str] = set()
        for sentence in sentence_texts(text):
            folded = fold(sentence)
            scripts = _scripts(folded)
            kinds = _labels(self.danger, folded, scripts)
            if kinds and not _search(self.not_now, folded, scripts):
                found |= kinds
        return frozenset(found)

    def chat(self, text: str) -> Chat | None:
        """What a message that only speaks to the bot does ("merci !", "ok thanks", "привет", "next pls"), or None.

        Only when the phrases make up every word: "hello, they took my
        passport" is a question, and "bye forever" is for the danger reading.
        """
        folded = ELONGATED.sub(r"\1", fold(text))
        if len(folded) > CHAT_MAX_CHARS:
            return None
        whole = [lang for lang, pattern in self.chat_by_lang.items() if pattern.fullmatch(folded)]
        if not whole and not self.chat_any.fullmatch(folded):
            return None
        langs = whole or [lang for lang, pattern in self.chat_by_lang.items() if pattern.search(folded)]
        spans = {(m.start(), m.end(), kind, lang) for kind in CHAT_KINDS for lang in langs
                 if (pattern := self.chat_kinds[kind].get(lang)) for m in pattern.finditer(folded)}
        # One word, a greeting in one language and a farewell in another ("chao": Vietnamese hello, Spanish bye;
        # Italian "ciao" is both): a greeting, whose reply also suits someone leaving, not a goodbye to someone arriving.
        greeted = {(start, end) for start, end, kind, _ in spans if kind == "greeting"}
        parting = {span[3] for span in spans if span[2] == "goodbye" and span[:2] in greeted}
        spans = {span for span in spans if not (span[2] == "goodbye" and span[:2] in greeted)}
        # a phrase inside a longer one of another kind is not said: "à plus" takes leave, its "plus" asks for nothing
        said = [(end - start, kind, lang) for start, end, kind, lang in spans
                if not any(s <= start and end <= e and e - s > end - start for s, e, _, _ in spans)]
        if not said:  # fillers alone ("bro", "please") say nothing
            return None
        kinds = {kind for _, kind, _ in said}
        kind = next((k for k in CHAT_FIRST if k in kinds), None) or max(said, key=lambda s: (s[0], -CHAT_KINDS.index(s[1])))[1]
        saying = {lang for _, k, lang in said if k == kind}  # the reply's language: one whose phrase says what is answered
        return Chat(kind, tuple(lang for lang in langs if lang in saying),
                    tuple(lang for lang in langs if lang in parting) if kind == "greeting" else ())

    def without_age(self, text: str) -> str | None:
        """``text`` folded, without the phrases that tell an age or a year of birth; None when it tells none.

        "j'ai 14 ans" leads a young person's message, and the encoder reads it
        first: the likeness to danger examples then met the bank's calm
        questions of teenagers, and "j'ai 14 ans, je suis sur le pont, je
        veux sauter" read as not in danger.  The age is the minor signal's
        to read; the danger reading reads the message without it too, and
        without the word that joined the age to the rest, which is no part
        of what is left ("am 15 ani si ma pun sa cersesc" leaves "ma pun sa
        cersesc", seven words, as "tenho 16 anos e me fazem ..." leaves six)."""
        folded = fold(text)
        without = _without(folded, self.minor, self.birth_year)
        return _without(without, self.age_joined) if without != folded else None

    def without_since(self, text: str) -> str:
        """``text`` folded, without the years that say since when a situation lasts.

        "depuis 2024 mon patron ne me paie pas, je peux porter plainte ?" tells
        when the exploitation began; it does not ask about events after the
        sources' dates, as "what changed in the law in 2024?" does."""
        return _without(fold(text), self.since_year)

    def _minor(self, folded: str, scripts: list[str]) -> bool:
        """Under 18 by the phrases, or by a year of birth that makes a child this year."""
        if _search(self.minor, folded, scripts):
            return True
        this_year = date.today().year
        return any(this_year - MINOR_YEARS <= int(year) <= this_year
                   for script in scripts if (pattern := self.birth_year[script]) is not None
                   for found in pattern.finditer(folded) for year in YEAR.findall(found.group(0)))

    def read(self, text: str, danger: tuple[str, ...] | None = None, said: frozenset[str] | None = None) -> Situation:
        """What ``text`` says; ``danger``: its kinds of danger when the caller has already read them (likeness included,
        the likeliest first), ``said``: those of its curated phrases."""
        said = self.danger_in(text) if said is None else said
        folded = fold(text)
        scripts = _scripts(folded)
        # a signature says who writes more surely than phrases do ("Advogada: a minha cliente..." is not a helper's)
        audiences = _labels(self.audience, folded, scripts)
        audience = next((a for a in HELPING_AUDIENCES[::-1] if self.signed[a].match(folded)), None) \
            or next((a for a in AUDIENCES[::-1] if a in audiences), None)
        return Situation(
            danger=said if danger is None else frozenset(danger),
            danger_said=said,
            danger_likeliest=next((k for k in danger or () if k not in said), None),
            minor=self._minor(folded, scripts),
            maybe_child=bool(_labels(self.maybe_child, folded, scripts)),
            kinds=frozenset(_labels(self.kinds, folded, scripts)),
            needs=frozenset(_labels(self.needs, folded, scripts)),
            audience=audience,
        )


@lru_cache(maxsize=1)
def default_signals() -> Signals:
    return Signals.load()
