"""The curated services directory (``corpus/services.json``), validated on load with pydantic.

Every entry must cite its source: a passage of the corpus that is about
France, or an official reference with an as-of date (a national service the
reports do not name: 3114, 15, 116 006...), or both.  What an entry says
about who it is for, cost, hours, anonymity and languages must come from
that source.  An entry that cites a passage listing organisations outside
France, or that names one of the foreign places the sources mention, is
refused: nothing may ever present those organisations as services in France.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import paths
from .bank import Review
from .textnorm import fold

SERVICES_FILE = "services.json"
Audience = Literal["anyone", "victims", "children", "women", "workers", "professionals"]
Help = Literal[
    "emergency", "advice_line", "shelter", "legal_help", "compensation", "residence", "return_home",
    "child_protection", "health", "investigation", "labour",
]


class DirectoryError(ValueError):
    """The services directory is invalid; the message names the entry and the problem."""


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    phone: str | None = None
    sms: str | None = None
    web: str | None = None
    address: str | None = None
    phone_from_abroad: str | None = None
    printed_as: str | None = None
    via: str | None = None


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    passage: str | None = None
    reference: str | None = None
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}(-\d{2})?$")

    @model_validator(mode="after")
    def cited(self) -> Source:
        if not self.passage and not (self.reference and self.as_of):
            raise ValueError("a source needs a passage id, or an official reference with an as-of date")
        return self


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    description: str
    contact: Contact
    audience: list[Audience] = Field(min_length=1)
    helps_with: list[Help] = Field(min_length=1)
    area: Literal["France"]
    source: Source
    cost: str | None = None
    hours: str | None = None
    anonymity: str | None = None
    languages: str | None = None
    note: str | None = None
    review: Review | None = None


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    description: str
    contact: dict[str, str]
    audience: frozenset[str]
    helps_with: frozenset[str]
    source_passage: str | None
    source_reference: str | None
    source_as_of: str | None
    cost: str | None = None
    hours: str | None = None
    anonymity: str | None = None
    languages: str | None = None
    note: str | None = None

    @property
    def source(self) -> str:
        """What the entry rests on: a passage id, and/or the official reference and its date."""
        parts = [self.source_passage] if self.source_passage else []
        if self.source_reference:
            parts.append(f"{self.source_reference} (as of {self.source_as_of})")
        return "; ".join(parts)


def _service(entry: Entry, passages: dict[str, dict], foreign: list[str]) -> Service:
    def fail(problem: str) -> DirectoryError:
        return DirectoryError(f"services.json entry {entry.id!r}: {problem}")

    contact = entry.contact.model_dump(exclude_none=True)
    texts = [entry.name, entry.description, entry.note or "", entry.cost or "", entry.hours or "", json.dumps(contact)]
    if any(re.search(rf"\b{re.escape(place)}\b", fold(" ".join(texts))) for place in foreign):
        raise fail("names a place outside France")
    passage = entry.source.passage
    if passage:
        if passage not in passages:
            raise fail(f"cites passage {passage}, which is not in the corpus (rebuilt? update the id)")
        if passages[passage].get("outside_france"):
            raise fail(f"cites passage {passage}, which lists organisations outside France")
    return Service(
        id=entry.id, name=entry.name, description=entry.description, contact=contact,
        audience=frozenset(entry.audience), helps_with=frozenset(entry.helps_with), source_passage=passage,
        source_reference=entry.source.reference, source_as_of=entry.source.as_of, cost=entry.cost, hours=entry.hours,
        anonymity=entry.anonymity, languages=entry.languages, note=entry.note,
    )


def load_services(passages: list[dict], foreign_places: list[str], path: Path | None = None) -> dict[str, Service]:
    """The directory, in file order, keyed by id; raises DirectoryError if invalid."""
    path = path or paths.corpus_dir() / SERVICES_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["services"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DirectoryError(f"{path}: unreadable services directory ({exc}); restore it from git") from exc
    by_id = {p["id"]: p for p in passages}
    services: dict[str, Service] = {}
    for n, item in enumerate(raw, 1):
        try:
            entry = Entry.model_validate(item)
        except ValidationError as exc:
            sid = item.get("id", f"#{n}") if isinstance(item, dict) else f"#{n}"
            raise DirectoryError(f"services.json entry {sid!r}: {str(exc).splitlines()[1:3]}") from exc
        if entry.id in services:
            raise DirectoryError(f"services.json: duplicate id {entry.id!r}")
        services[entry.id] = _service(entry, by_id, foreign_places)
    return services
