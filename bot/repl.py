"""`bot repl`: the terminal interface.

prompt_toolkit gives line editing, in-memory history (never written to
disk: questions may be sensitive) and pasting of multi-line text.  Ctrl-C
clears the line, Ctrl-D leaves.  With standard input not a terminal, it
reads questions line by line and prints plain answers, so it can be scripted.

The REPL only collects input and renders: commands and questions go to
:class:`bot.conversation.Conversation`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from .conversation import Conversation, NoticeReply, Reply, Session
from .engine import Engine
from .i18n.ui import ui
from .render import messages
from .render.text import BOLD, RESET, render_reply

PROMPT = "❯ "


class Repl:
    def __init__(self, engine: Engine, color: bool) -> None:
        self.conversation = Conversation(engine)
        self.session = Session()
        self.color = color

    def banner(self) -> str:
        tr = ui(self.conversation.lang(self.session))
        bold, reset = (BOLD, RESET) if self.color else ("", "")
        return "\n".join([
            f"{bold}{messages.notice(tr, 'start')}{reset}",
            messages.footer(tr),
            messages.notice(tr, "privacy", prefix=":"),
            tr.gettext("Type a question, or :help. Ctrl-D to leave."),
        ])

    def handle(self, line: str) -> Reply | None:
        """The reply to one input line (None: nothing to say, e.g. an empty line)."""
        text = line.strip()
        if not text:
            return None
        conv, session = self.conversation, self.session
        if text.startswith(":"):
            name, _, arg = text[1:].partition(" ")
            return self.command(name.lower(), arg.strip())
        if session.triage_step and text.isdigit():
            return conv.choose(session, self._option_id(int(text)))
        return conv.ask(session, text)

    def _option_id(self, number: int) -> str:
        options = self.conversation.current_options(self.session)
        return options[number - 1].id if 1 <= number <= len(options) else ""

    def command(self, name: str, arg: str) -> Reply | None:
        conv, session = self.conversation, self.session
        handlers: dict[str, Callable[[], Reply | None]] = {
            "lang": lambda: conv.set_language(session, arg or None),
            "original": lambda: conv.original(session, self._nth_result(arg)),
            "more": lambda: conv.more(session),
            "contacts": lambda: conv.contacts(session),
            "sources": lambda: conv.sources(session),
            "measures": lambda: conv.measures(session),
            "measure": lambda: conv.measure(session, arg),
            "guide": lambda: conv.start_triage(session),
            "forget": lambda: conv.forget(session),
            "privacy": lambda: NoticeReply(conv.lang(session), "privacy"),
            "help": lambda: NoticeReply(conv.lang(session), "help"),
        }
        handler = handlers.get(name)
        return handler() if handler else NoticeReply(conv.lang(session), "unknown_command")

    def _nth_result(self, arg: str) -> str | None:
        ids = self.session.last_results
        if arg.isdigit() and 1 <= int(arg) <= len(ids):
            return ids[int(arg) - 1]
        return None

    def render(self, reply: Reply) -> str:
        return render_reply(reply, self.color)


def _interactive_lines(repl: Repl) -> Iterator[str]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    prompt = PromptSession(history=InMemoryHistory())
    while True:
        try:
            yield prompt.prompt(PROMPT)
        except KeyboardInterrupt:  # Ctrl-C: drop the line, keep going
            continue
        except EOFError:  # Ctrl-D: leave
            return


def run(engine: Engine) -> int:
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    repl = Repl(engine, color=interactive)
    if interactive:
        print(repl.banner())
    lines = _interactive_lines(repl) if interactive else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        if line.strip().lower() in (":quit", ":q", ":exit"):
            break
        reply = repl.handle(line)
        if reply is not None:
            print(repl.render(reply), flush=True)
            if not interactive:
                print(flush=True)
    return 0
