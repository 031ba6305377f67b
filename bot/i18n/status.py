"""`bot i18n status`: how complete each language is.

Per language: the bot's own strings translated, passages with a current
translation, stale (fuzzy) passage translations, and — given a question set —
the share of victim and mediator questions whose top answer has a current
translation when answered in that language.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogs import CORPUS_DOMAIN, UI_DOMAIN, load_po
from .languages import LANGUAGES, SOURCE_LANGUAGE

VICTIM_AUDIENCES = ("victim", "mediator")


@dataclass
class LanguageStatus:
    lang: str
    ui_translated: int
    ui_total: int
    ui_fuzzy: int
    passages_current: int
    passages_fuzzy: int
    passages_total: int
    top_answer_translated: float | None = None  # share, over the question set's victim/mediator questions


def catalog_status(lang: str, passages: list[dict]) -> LanguageStatus:
    ui = load_po(lang, UI_DOMAIN)
    ui_messages = [m for m in ui if m.id] if ui else []
    texts = {p["id"]: p["text"] for p in passages}
    if lang == SOURCE_LANGUAGE:
        current, fuzzy = len(passages), 0
    else:
        corpus = load_po(lang, CORPUS_DOMAIN)
        messages = [m for m in corpus if m.id] if corpus else []
        current = sum(1 for m in messages if m.string and not m.fuzzy and texts.get(m.context) == m.id)
        fuzzy = sum(1 for m in messages if m.fuzzy)
    return LanguageStatus(
        lang=lang,
        ui_translated=sum(1 for m in ui_messages if m.string and not m.fuzzy and (not m.pluralizable or all(m.string))),
        ui_total=len(ui_messages),
        ui_fuzzy=sum(1 for m in ui_messages if m.fuzzy),
        passages_current=current,
        passages_fuzzy=fuzzy,
        passages_total=len(passages),
    )


def top_answer_coverage(engine, questions: list[str], lang: str) -> float:
    """Share of questions whose top answer, in ``lang``, has a current translation."""
    answered = [engine.ask(q, lang=lang, k=1) for q in questions]
    tops = [a.results[0] for a in answered if a.results]
    if not tops:
        return 0.0
    if lang == SOURCE_LANGUAGE:
        return 1.0
    return sum(1 for r in tops if r.translation) / len(tops)


def status(passages: list[dict], engine=None, items=None) -> list[LanguageStatus]:
    rows = [catalog_status(lang, passages) for lang in LANGUAGES]
    if engine is not None and items:
        questions = [i.question for i in items if i.audience in VICTIM_AUDIENCES and i.gold]
        for row in rows:
            row.top_answer_translated = top_answer_coverage(engine, questions, row.lang)
    return rows
