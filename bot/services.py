"""The curated services directory (corpus/services.json), validated on load.

Every entry must cite its source: a passage of the corpus that is about
France, or an official reference with an as-of date.  An entry that
cites a passage listing organisations outside France, or that names one of
the foreign places the sources mention, is refused: nothing may ever present
those organisations as services in France.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .textnorm import fold

SERVICES_FILE = "services.json"
AUDIENCES = {"anyone", "victims", "children", "women", "professionals"}
HELPS_WITH = {
    "emergency", "advice_line", "shelter", "legal_help", "compensation", "residence",
    "return_home", "child_protection", "health", "investigation",
}
CONTACT_KEYS = {"phone", "sms", "web", "address", "phone_from_abroad", "printed_as", "via"}


class DirectoryError(ValueError):
    """The services directory is invalid; the message names the entry and the problem."""


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    description: str
    contact: dict[str, str]
    audience: frozenset[str]
    helps_with: frozenset[str]
    area: str
    source_passage: str | None
    source_reference: str | None
    source_as_of: str | None
    hours: str | None = None
    note: str | None = None

    @property
    def source(self) -> str:
        """What the entry rests on: a passage id, or the official reference and its date."""
        if self.source_passage:
            return self.source_passage
        return f"{self.source_reference} (as of {self.source_as_of})"


def _entry(raw: dict, passages: dict[str, dict], foreign: list[str]) -> Service:
    sid = raw.get("id") or "?"

    def fail(problem: str) -> DirectoryError:
        return DirectoryError(f"services.json entry {sid!r}: {problem}")

    for key in ("id", "name", "description", "contact", "audience", "helps_with", "area", "source"):
        if not raw.get(key):
            raise fail(f"missing {key}")
    if raw["area"] != "France":
        raise fail("every service must operate in France")
    if not set(raw["contact"]) <= CONTACT_KEYS:
        raise fail(f"unknown contact fields {sorted(set(raw['contact']) - CONTACT_KEYS)}")
    if not set(raw["audience"]) <= AUDIENCES:
        raise fail(f"unknown audience {sorted(set(raw['audience']) - AUDIENCES)}")
    if not set(raw["helps_with"]) <= HELPS_WITH:
        raise fail(f"unknown help {sorted(set(raw['helps_with']) - HELPS_WITH)}")
    text = fold(" ".join([raw["name"], raw["description"], raw.get("note", ""), json.dumps(raw["contact"])]))
    if any(re.search(rf"\b{re.escape(place)}\b", text) for place in foreign):
        raise fail("names a place outside France")
    source = raw["source"]
    passage = source.get("passage")
    if passage:
        if passage not in passages:
            raise fail(f"cites passage {passage}, which is not in the corpus (rebuilt? update the id)")
        if passages[passage].get("outside_france"):
            raise fail(f"cites passage {passage}, which lists organisations outside France")
    elif not (source.get("reference") and source.get("as_of")):
        raise fail("a source needs a passage id, or an official reference with an as-of date")
    return Service(
        id=raw["id"],
        name=raw["name"],
        description=raw["description"],
        contact=dict(raw["contact"]),
        audience=frozenset(raw["audience"]),
        helps_with=frozenset(raw["helps_with"]),
        area=raw["area"],
        source_passage=passage,
        source_reference=source.get("reference"),
        source_as_of=source.get("as_of"),
        hours=raw.get("hours"),
        note=raw.get("note"),
    )


def load_services(passages: list[dict], foreign_places: list[str], path: Path | None = None) -> dict[str, Service]:
    """The directory, in file order, keyed by id; raises DirectoryError if invalid."""
    path = path or paths.corpus_dir() / SERVICES_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["services"]
    except (OSError, ValueError, KeyError) as exc:
        raise DirectoryError(f"{path}: unreadable services directory ({exc})") from exc
    by_id = {p["id"]: p for p in passages}
    services: dict[str, Service] = {}
    for item in raw:
        service = _entry(item, by_id, foreign_places)
        if service.id in services:
            raise DirectoryError(f"services.json: duplicate id {service.id!r}")
        services[service.id] = service
    return services
