"""Babel extraction of the directory's texts (corpus/services.json).

Registered in babel.cfg, so `pybabel extract -F babel.cfg` collects the
names, descriptions, notes and contact routes of the services along with
the strings of the code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

FIELDS = ("name", "description", "note")


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
