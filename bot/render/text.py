"""Plain-text rendering (the `bot ask` command and the REPL).

With ``color`` the highlight is bold and citations dim (ANSI); without it the
highlight is set between »…« so it survives a pipe.
"""

from __future__ import annotations

import textwrap

from ..answer import Answer, Result
from ..i18n.ui import ui
from . import messages

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def _wrap(text: str, indent: str = "   ") -> str:
    paragraphs = [textwrap.fill(p, width=88, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
                  for p in text.split("\n")]
    return "\n".join(paragraphs)


def _highlighted(result: Result, color: bool) -> str:
    before = result.text[: result.highlight_start]
    middle = result.text[result.highlight_start: result.highlight_end]
    after = result.text[result.highlight_end:]
    if middle == result.text:
        return result.text
    return f"{before}{BOLD}{middle}{RESET}{after}" if color else f"{before}»{middle}«{after}"


def render_result(result: Result, number: int, lang: str, color: bool = False, original: bool = False) -> str:
    tr = ui(lang)
    dim, reset = (DIM, RESET) if color else ("", "")
    lines = [f"{number}. {dim}{messages.citation(tr, result)}{reset}"]
    if result.outside_france:
        lines.append(f"   {messages.outside_france(tr, result.outside_france)}")
    if result.law_caution:
        lines.append(f"   {dim}{messages.law_caution(tr, result)}{reset}")
    if result.translation and not original:
        lines.append(f"   {dim}{messages.translation_label(tr, lang)}{reset}")
        lines.append(_wrap(result.translation))
    else:
        if result.translation_missing and not original:
            lines.append(f"   {dim}{messages.missing_translation(tr, lang)}{reset}")
        lines.append(_wrap(_highlighted(result, color)))
    return "\n".join(lines)


def render_answer(answer: Answer, color: bool = False, original: bool = False) -> str:
    tr = ui(answer.lang)
    bold, reset = (BOLD, RESET) if color else ("", "")
    out: list[str] = []
    if answer.emergency_services:
        card = [f"{bold}{tr.gettext(messages.EMERGENCY_TITLE)}{reset}"]
        card += [f"  • {messages.service_line(tr, s)}" for s in answer.emergency_services]
        out.append("\n".join(card))
    if answer.unsupported_language:
        out.append(messages.unsupported_note(tr, answer))
    out += [messages.notice(tr, code) for code in answer.notices if code in messages.NOTICES]
    if answer.results:
        out.append(messages.results_heading(tr, len(answer.results)))
        out += [render_result(r, i, answer.lang, color, original) for i, r in enumerate(answer.results, 1)]
    if answer.legal_references:
        out.append("\n".join([messages.legal_references_heading(tr), *(f"  • {ref}" for ref in answer.legal_references)]))
    if answer.services:
        lines = [messages.services_heading(tr)]
        for rec in answer.services:
            lines.append(f"  • {messages.service_line(tr, rec.service)}")
            lines.append(f"    {tr.gettext(rec.why)}")
        out.append("\n".join(lines))
    out.append(messages.footer(tr))
    return "\n\n".join(out)
