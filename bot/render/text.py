"""Plain-text rendering of a reply (the REPL and `bot ask`).

With ``color`` the highlight is bold and citations dim (ANSI); without it the
highlight is set between »…« so it survives a pipe.  Actions become the
commands that do them (":more", ":original 1"), options a numbered list.
"""

from __future__ import annotations

import gettext
import textwrap
from dataclasses import dataclass
from functools import singledispatch

from ..i18n.ui import ui
from ..reply import (
    ANYWAY, CONTACTS, FULL, GUIDE, LANG, MORE, ORIGINAL, RIGHTS, TRIAGE, Directory, Emergency, Footer, Heading, Help,
    Languages, LegalReferences, MeasureTitle, Measures, Notice, Options, Passage, Reply, RightsCard, Services, Sources,
)
from ..services import Service
from . import messages
from .fit import fitted

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"
PREFIX = ":"
# What typing does each action in the REPL (options are typed as their number).
ACTION_COMMANDS = {ORIGINAL: "original", FULL: "full", MORE: "more", CONTACTS: "contacts", GUIDE: "guide",
                   ANYWAY: "more", RIGHTS: "more"}


@dataclass(frozen=True)
class Style:
    tr: gettext.NullTranslations
    lang: str
    color: bool

    def bold(self, text: str) -> str:
        return f"{BOLD}{text}{RESET}" if self.color else text

    def dim(self, text: str) -> str:
        return f"{DIM}{text}{RESET}" if self.color else text


def _wrap(text: str, indent: str = "   ") -> str:
    return "\n".join(
        textwrap.fill(p, width=88, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
        for p in text.split("\n")
    )


def _fitting(s: Style, service: Service, why: str | None) -> str:
    """A service in short -- contact, cost, hours, anonymity -- and why it fits, unless left out to fit (the directory gives the details)."""
    line = f"  • {s.tr.gettext(service.name)} — {messages.reach(s.tr, service)}"
    return f"{line}\n    {s.tr.gettext(why)}" if why else line


@singledispatch
def block(b: object, s: Style) -> str:
    raise TypeError(f"no text rendering for {type(b).__name__}")


@block.register
def _(b: Emergency, s: Style) -> str:
    return "\n".join([s.bold(messages.emergency_title(s.tr, b.for_helped)), *(_fitting(s, x, why) for x, why in zip(b.services, b.reasons))])


@block.register
def _(b: Notice, s: Style) -> str:
    return messages.notice(s.tr, b.code, b.params, prefix=PREFIX)


@block.register
def _(b: Heading, s: Style) -> str:
    return s.bold(messages.heading(s.tr, b.code, b.params))


@block.register
def _(b: Passage, s: Style) -> str:
    view = messages.passage_view(s.tr, b.result, s.lang, b.whole, b.original, b.compact)
    lines = [f"{b.number}. {s.dim(view.citation)}"]
    lines += [f"   {w}" for w in view.warnings]
    lines += [f"   {s.dim(line)}" for line in (view.caution, view.label, view.note) if line]
    text = view.text
    if view.highlight:
        start, end = view.highlight
        open_, close = (BOLD, RESET) if s.color else ("»", "«")
        text = f"{text[:start]}{open_}{text[start:end]}{close}{text[end:]}"
    lines.append("\n".join(f"   {line}" for line in text.split("\n")) if view.table else _wrap(text))
    return "\n".join(lines)


@block.register
def _(b: RightsCard, s: Style) -> str:
    label, title, text = messages.card_lines(s.tr, b)
    return "\n".join([s.dim(label), s.bold(title), _wrap(text, "  ")])


@block.register
def _(b: Services, s: Style) -> str:
    return "\n".join([s.tr.gettext(messages.SERVICES_TITLE), *(_fitting(s, rec.service, None if b.brief else rec.why) for rec in b.items)])


@block.register
def _(b: Directory, s: Style) -> str:
    lines = [s.bold(messages.emergency_title(s.tr, b.for_helped))]
    lines += [f"  • {messages.service_line(s.tr, x)}" for x in b.emergency]
    lines += ["", s.bold(s.tr.gettext(messages.SERVICES_TITLE))]
    lines += [f"  • {messages.service_line(s.tr, x)}" for x in b.others]
    return "\n".join(lines)


@block.register
def _(b: LegalReferences, s: Style) -> str:
    return "\n".join([s.tr.gettext(messages.LEGAL_TITLE), *(f"  • {ref}" for ref in b.references)])


@block.register
def _(b: Sources, s: Style) -> str:
    return "\n".join(f"  • {messages.source_line(s.tr, x)}" for x in b.sources)


@block.register
def _(b: Measures, s: Style) -> str:
    return "\n".join(f"  {messages.measure_line(s.tr, m)}" for m in b.measures)


@block.register
def _(b: MeasureTitle, s: Style) -> str:
    return s.bold(messages.measure_line(s.tr, b.measure))


@block.register
def _(b: Languages, s: Style) -> str:
    return "\n".join(f"  {code} — {name}" for code, name in b.choices)


@block.register
def _(b: Help, s: Style) -> str:
    return "\n".join(f"{PREFIX}{name} — {s.tr.gettext(what)}" for name, what in b.commands)


@block.register
def _(b: Options, s: Style) -> str:
    lines = [s.bold(s.tr.gettext(b.question))]
    lines += [f"  {i}. {s.tr.gettext(label)}" for i, (_, label) in enumerate(b.options, 1)]
    return "\n".join(lines + [s.tr.gettext(messages.OPTIONS_HINT)])


@block.register
def _(b: Footer, s: Style) -> str:
    return s.dim(s.tr.gettext(messages.FOOTER))


def actions_line(reply: Reply) -> str | None:
    """The next steps as the commands that do them: "→ :full · :original · :more · :contacts · :guide · :help".

    Commands only: the banner and :help say what each does in the reader's
    language, and their labels ("Full passage :full ...") would take a tenth
    of a first reply that must fit in 1,200 characters."""
    steps = [f"{PREFIX}{ACTION_COMMANDS[a.action]}" for a in reply.actions
             if a.action not in (TRIAGE, LANG)]  # an option is typed as its number, a language as :lang CODE
    return f"→ {' · '.join(dict.fromkeys([*steps, f'{PREFIX}help']))}" if steps else None


def render(reply: Reply, color: bool = False) -> str:
    """Plain text for a conversation reply, within its limit as printed (colours aside)."""
    return fitted(reply, lambda r: _text(r, color), _printed_length)[1]


def _printed_length(text: str) -> int:
    for code in (BOLD, DIM, RESET):
        text = text.replace(code, "")
    return len(text)


def _text(reply: Reply, color: bool) -> str:
    s = Style(ui(reply.lang), reply.lang, color)
    parts = [block(b, s) for b in reply.blocks]
    if line := actions_line(reply):
        parts.append(s.dim(line))
    return "\n\n".join(p for p in parts if p)

