"""Plain-text rendering (the `bot ask` command and the REPL).

With ``color`` the highlight is bold and citations dim (ANSI); without it the
highlight is set between »…« so it survives a pipe.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

from ..answer import Answer, Result
from ..conversation import (
    AnswerReply, CardReply, ContactsReply, LanguageReply, MeasureReply, MeasuresReply, MoreReply, NoticeReply,
    OriginalReply, Reply, SourcesReply, TriageQuestion,
)
from ..i18n.languages import LANGUAGES
from ..i18n.ui import ui
from . import messages

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def _wrap(text: str, indent: str = "   ") -> str:
    paragraphs = [textwrap.fill(p, width=88, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
                  for p in text.split("\n")]
    return "\n".join(paragraphs)


def render_result(result: Result, number: int, lang: str, color: bool = False, original: bool = False) -> str:
    view = messages.result_view(ui(lang), result, lang, original)
    dim, bold, reset = (DIM, BOLD, RESET) if color else ("", "", "")
    lines = [f"{number}. {dim}{view.citation}{reset}"]
    lines += [f"   {view.warning}"] if view.warning else []
    lines += [f"   {dim}{view.caution}{reset}"] if view.caution else []
    lines += [f"   {dim}{view.label}{reset}"] if view.label else []
    body = view.body
    if view.highlight:
        start, end = view.highlight
        open_, close = (bold, reset) if color else ("»", "«")
        body = f"{body[:start]}{open_}{body[start:end]}{close}{body[end:]}"
    lines.append(_wrap(body))
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
    out += [messages.notice(tr, code, prefix=":") for code in answer.notices if code in messages.NOTICES]
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


# Conversation replies (the REPL) -------------------------------------------

REPL_COMMANDS = [(f":{name}", what) for name, what in messages.COMMANDS.items() if name != "forget"]


def _numbered(tr, options) -> str:
    return "\n".join(f"  {i}. {tr.gettext(o.label)}" for i, o in enumerate(options, 1))


def render_reply(reply: Reply, color: bool = False) -> str:
    """Plain text for any conversation reply."""
    tr = ui(reply.answer.lang if isinstance(reply, AnswerReply) else reply.lang)
    bold, reset = (BOLD, RESET) if color else ("", "")
    if isinstance(reply, AnswerReply):
        text = render_answer(_page(reply.answer, reply.shown), color)
        return text + (f"\n\n{tr.gettext(messages.MORE_AVAILABLE)} (:more)" if reply.more else "")
    if isinstance(reply, MoreReply):
        if not reply.results:
            return tr.gettext(messages.NO_MORE)
        body = "\n\n".join(render_result(r, i, reply.lang, color) for i, r in enumerate(reply.results, 1))
        return body + (f"\n\n{tr.gettext(messages.MORE_AVAILABLE)} (:more)" if reply.more else "")
    if isinstance(reply, OriginalReply):
        if reply.result is None:
            return messages.notice(tr, "no_previous", prefix=":")
        return f"{bold}{tr.gettext(messages.ORIGINAL_TITLE)}{reset}\n\n" + render_result(reply.result, 1, reply.lang, color, original=True)
    if isinstance(reply, TriageQuestion):
        question = messages.TRIAGE_QUESTIONS[reply.step]
        return f"{bold}{tr.gettext(question)}{reset}\n{_numbered(tr, reply.options)}\n{tr.gettext(messages.TRIAGE_SKIP)}"
    if isinstance(reply, CardReply):
        return f"{bold}{tr.gettext(messages.CARD_TITLE)}{reset}\n\n" + render_answer(reply.answer, color)
    if isinstance(reply, ContactsReply):
        lines = [f"{bold}{tr.gettext(messages.EMERGENCY_TITLE)}{reset}"]
        lines += [f"  • {messages.service_line(tr, s)}" for s in reply.emergency]
        lines += ["", f"{bold}{messages.services_heading(tr)}{reset}"]
        lines += [f"  • {messages.service_line(tr, s)}" for s in reply.others]
        return "\n".join(lines + ["", messages.footer(tr)])
    if isinstance(reply, SourcesReply):
        return "\n".join([tr.gettext(messages.SOURCES_TITLE)] + [f"  • {messages.source_line(tr, s)}" for s in reply.sources])
    if isinstance(reply, MeasuresReply):
        return "\n".join([tr.gettext(messages.MEASURES_TITLE)] + [f"  {messages.measure_line(tr, m)}" for m in reply.measures])
    if isinstance(reply, MeasureReply):
        lines = [f"{bold}{messages.measure_line(tr, reply.measure)}{reset}"]
        for part, results in reply.parts:
            lines += ["", f"{bold}{tr.gettext(part)}{reset}"]
            lines += [render_result(r, i, reply.lang, color) for i, r in enumerate(results, 1)]
        return "\n".join(lines)
    if isinstance(reply, LanguageReply):
        if reply.changed:
            return tr.gettext(messages.LANGUAGE_SET).format(language=LANGUAGES[reply.lang].name)
        head = (tr.gettext(messages.LANGUAGE_UNKNOWN).format(code=reply.unknown) if reply.unknown
                else tr.gettext(messages.LANGUAGE_PICK))
        return head + "\n" + "\n".join(f"  {code} — {name}" for code, name in reply.choices)
    if isinstance(reply, NoticeReply):
        if reply.code == "help":
            return messages.help_text(tr, REPL_COMMANDS)
        return messages.notice(tr, reply.code, prefix=":")
    raise TypeError(f"no text rendering for {type(reply).__name__}")


def _page(answer: Answer, shown: list[Result]) -> Answer:
    """The answer with only the results shown on this page."""
    return replace(answer, results=shown)
