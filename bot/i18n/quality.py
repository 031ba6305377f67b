"""Mechanical checks a translation must pass before it ships.

A translation may rephrase, but it must never change a number, a date, a
phone number or an article of law, and the bot's own strings must keep
their placeholders.  These checks run in the test suite over every catalog.
"""

from __future__ import annotations

import re

DIGITS = re.compile(r"\d+")
# Article references as printed: L316-1, L 316-1, R316-3, L. 8112-2, 225-4-1, 706-62-2, D8-2.
ARTICLE = re.compile(r"\b(?:[LRD]\.?\s?)?\d{1,4}(?:-\d+)+\b")
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}|%\([a-z_]+\)[sd]|%[sd]")


def _compact(ref: str) -> str:
    return re.sub(r"[\s.]", "", ref)


def missing_digits(source: str, translation: str) -> list[str]:
    """Digit sequences of the source that the translation lacks."""
    have = set(DIGITS.findall(translation))
    return sorted({d for d in DIGITS.findall(source) if d not in have}, key=source.find)


def missing_articles(source: str, translation: str) -> list[str]:
    """Article references of the source that the translation does not keep."""
    have = {_compact(m) for m in ARTICLE.findall(translation)}
    return [ref for ref in dict.fromkeys(ARTICLE.findall(source)) if _compact(ref) not in have]


def missing_placeholders(msgid: str, msgstr: str) -> list[str]:
    have = set(PLACEHOLDER.findall(msgstr))
    return [p for p in dict.fromkeys(PLACEHOLDER.findall(msgid)) if p not in have]


def passage_problems(source: str, translation: str) -> list[str]:
    """Everything wrong with one translated passage, as readable lines."""
    problems = []
    if digits := missing_digits(source, translation):
        problems.append(f"digit sequences missing: {', '.join(digits)}")
    if refs := missing_articles(source, translation):
        problems.append(f"article references missing: {', '.join(refs)}")
    if not translation.strip():
        problems.append("empty translation")
    return problems
