"""`bot repl`: the terminal channel.

prompt_toolkit gives line editing, in-memory history (never written to
disk: questions may be sensitive) and pasting of multi-line text.  Ctrl-C
clears the line, Ctrl-D leaves.  With standard input not a terminal, it
reads questions line by line and prints plain answers, so it can be scripted.

The REPL only maps a line to an input (":cmd arg" is a command, and
"/cmd arg" as in the other channels; anything else is text) and renders the
reply; ``:quit`` is the one command it handles itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from .conversation import Conversation
from .engine import Engine
from .i18n.ui import N_
from .render.text import PREFIX, render
from .reply import Reply, parse
from .session import Session

PROMPT = "❯ "
QUIT = ("quit", "q", "exit")
HABIT = "/"  # the Telegram bot's and the web chat's prefix: "/help" typed from habit is the command, not a question


class Repl:
    def __init__(self, engine: Engine, color: bool) -> None:
        self.conversation = Conversation(engine, channel_commands={"quit": N_("leave")})
        self.session = Session()
        self.color = color

    def banner(self) -> str:
        return render(self.conversation.start(self.session), self.color)

    def handle(self, line: str) -> Reply | None:
        """The reply to one input line (None: nothing to say, e.g. an empty line)."""
        text = line.strip()
        if not text:
            return None
        return self.conversation.handle(self.session, parse(text, PREFIX, HABIT))

    def render(self, reply: Reply) -> str:
        return render(reply, self.color)


def _interactive_lines() -> Iterator[str]:
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
    lines = _interactive_lines() if interactive else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        if line.strip().lower() in tuple(f"{prefix}{q}" for prefix in (PREFIX, HABIT) for q in QUIT):
            break
        reply = repl.handle(line)
        if reply is not None:
            print(repl.render(reply), flush=True)
            if not interactive:
                print(flush=True)
    return 0
