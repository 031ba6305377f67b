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
    out: list[str] = []
    if answer.unsupported_language:
        out.append(messages.unsupported_note(tr, answer))
    out += [messages.notice(tr, code) for code in answer.notices if code in messages.NOTICES]
    if answer.results:
        out.append(messages.results_heading(tr, len(answer.results)))
        out += [render_result(r, i, answer.lang, color, original) for i, r in enumerate(answer.results, 1)]
    return "\n\n".join(out)
