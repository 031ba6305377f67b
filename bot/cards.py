"""Plain-language rights cards (``corpus/cards.json``): what victims ask most, in one to three short sentences.

A card is a summary, never a source: every claim cites the passages it rests
on, and the quoted passage is shown below it as the reference.  Each card
records the hash of each cited passage; when a new edition changes one, the
card is stale and is not shown until a reviewer updates it (`bot cards
accept`).  Cards are translated through gettext (domain ``bot``, extracted
from the JSON with the services directory), so a changed English card makes
its translations fuzzy, and a fuzzy translation is never shown.

A card written with an AI's help says so on screen until a person has
reviewed it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import paths
from .atomic import write_text_atomic
from .bank import NO_CARD, Entry, Review, bank_dir, text_hash

CARDS_FILE = "cards.json"


class CardError(ValueError):
    """``corpus/cards.json`` is damaged; the message names the card and the fix."""


class CardEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=3, max_length=80)
    text: str = Field(min_length=10, max_length=400)
    # The same, about the person helped, for a helper; given where title or text speaks to "you".
    title_helped: str | None = Field(default=None, min_length=3, max_length=80)
    text_helped: str | None = Field(default=None, min_length=10, max_length=400)
    passages: dict[str, str] = Field(min_length=1)  # passage id -> hash of the text the card was written from
    # True: the card speaks of children ("children forced to commit crimes are victims"); shown only when the
    # message speaks of a child, since an adult made to sell drugs meets the same passage, the nearest the sources have
    for_children: bool | None = None
    review: Review


class CardsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    about: str = Field(alias="_about")
    cards: list[CardEntry]


@dataclass(frozen=True)
class Card:
    id: str
    title: str  # English msgid
    text: str  # English msgid
    passages: tuple[str, ...]
    reviewed: bool  # checked by a person
    title_helped: str | None = None  # English msgid of the wording for a helper, where it differs
    text_helped: str | None = None
    for_children: bool = False  # shown only when the message speaks of a child (CardEntry.for_children)

    def wording(self, for_someone_helped: bool) -> tuple[str, str]:
        """(title, text) as English msgids: to the person concerned, or about them for someone who helps."""
        if for_someone_helped:
            return self.title_helped or self.title, self.text_helped or self.text
        return self.title, self.text


@dataclass
class Cards:
    current: dict[str, Card]  # by id, in file order
    stale: list[str]  # ids of cards whose passages changed

    def of_passage(self, passage_id: str, child: bool) -> list[Card]:
        """The current cards citing a passage, in file order (the engine shows the one nearest to the question); those
        about children only when the message speaks of a child (``child``)."""
        return [c for c in self.current.values() if passage_id in c.passages and (child or not c.for_children)]


def _read(path: Path) -> CardsFile:
    try:
        return CardsFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CardError(f"{path}: not a valid cards file ({first}); fix it or restore it from git") from exc


def load_cards(passages: list[dict], path: Path | None = None) -> Cards:
    path = path or paths.corpus_dir() / CARDS_FILE
    if not path.exists():
        return Cards({}, [])
    hashes = {p["id"]: text_hash(p["text"]) for p in passages}
    current: dict[str, Card] = {}
    stale: list[str] = []
    for entry in _read(path).cards:
        if entry.id in current or entry.id in stale:
            raise CardError(f"{path}: duplicate card id {entry.id!r}")
        if all(hashes.get(pid) == h for pid, h in entry.passages.items()):
            current[entry.id] = Card(entry.id, entry.title, entry.text, tuple(entry.passages), entry.review.checked_by == "person",
                                     entry.title_helped, entry.text_helped, bool(entry.for_children))
        else:
            stale.append(entry.id)
    return Cards(current, stale)


def accept(card_id: str, passages: list[dict], reviewer: Literal["ai", "person"] = "person", path: Path | None = None) -> bool:
    """A reviewer confirms a stale card still says what its (changed) passages say."""
    path = path or paths.corpus_dir() / CARDS_FILE
    data = _read(path)
    hashes = {p["id"]: text_hash(p["text"]) for p in passages}
    for i, entry in enumerate(data.cards):
        if entry.id == card_id:
            missing = [pid for pid in entry.passages if pid not in hashes]
            if missing:
                raise CardError(f"card {card_id!r} cites passages no longer in the corpus ({', '.join(missing)}): edit it")
            review = entry.review.model_copy(update={"checked_by": reviewer})
            data.cards[i] = entry.model_copy(update={"passages": {pid: hashes[pid] for pid in entry.passages}, "review": review})
            write_text_atomic(path, json.dumps(data.model_dump(by_alias=True, exclude_none=True), ensure_ascii=False, indent=1) + "\n")
            return True
    return False


def check_card_labels(questions: list[Entry], cards: Cards) -> None:
    """Refuse a bank question whose card is not one of its passage's (nor "none", nor a card now stale): a mistyped
    id would never be shown, and the questions near it would vote for nothing."""
    wrong = [q for q in questions if q.card not in (None, NO_CARD, *cards.stale)
             and (q.card not in cards.current or q.passage not in cards.current[q.card].passages)]
    if wrong:
        q = wrong[0]
        raise CardError(f"{bank_dir() / (q.lang + '.jsonl')}: {len(wrong)} question(s) name a card that is not one of their "
                        f"passage's, the first {q.card!r} for passage {q.passage}; set \"card\" to one of the passage's "
                        f"cards in {CARDS_FILE}, or \"{NO_CARD}\"")
