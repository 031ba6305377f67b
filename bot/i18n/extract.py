"""Babel extraction of the curated texts: the services directory and the rights cards.

Registered in babel.cfg, so `pybabel extract -F babel.cfg` collects the
services' names, descriptions, terms, notes and contact routes, and the
cards' titles and texts (and their wording for a helper), along with the strings of the code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

FIELDS = ("name", "description", "cost", "hours", "anonymity", "languages", "note")
CARD_FIELDS = ("title", "text", "title_helped", "text_helped")


def extract_services(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, str | None, str, list[str]]]:
    raw = fileobj.read().decode("utf-8")
    lines = raw.splitlines()

    def line_of(text: str) -> int:
        needle = json.dumps(text, ensure_ascii=False)
        return next((n for n, line in enumerate(lines, 1) if needle in line), 0)

    for entry in json.loads(raw)["services"]:
        texts = [(key, entry.get(key)) for key in FIELDS] + [("contact.via", entry["contact"].get("via"))]
        for key, text in texts:
            if text:
                yield line_of(text), None, text, [f"services directory: {entry['id']} {key}"]


def extract_cards(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, str | None, str, list[str]]]:
    raw = fileobj.read().decode("utf-8")
    lines = raw.splitlines()

    def line_of(text: str) -> int:
        needle = json.dumps(text, ensure_ascii=False)
        return next((n for n, line in enumerate(lines, 1) if needle in line), 0)

    for card in json.loads(raw)["cards"]:
        written = card["review"].get("checked_by") != "person"
        for key in (k for k in CARD_FIELDS if card.get(k)):
            note = f"rights card {card['id']} {key}; cites {', '.join(card['passages'])}; keep every number, period and article"
            yield line_of(card[key]), None, card[key], [note + ("; AI-written, not yet reviewed by a person" if written else "")]
