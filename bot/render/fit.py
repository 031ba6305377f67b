"""A reply fitted to its length limit, the same way in every channel.

The conversation sets :attr:`bot.reply.Reply.limit` on a first answer to a
victim (it must be read on a phone without scrolling); only a
channel knows how long its rendering is (the terminal indents and lists
its commands, Telegram shows buttons instead).  Each channel passes its
measure and gets the reply with its last recommended services left out,
one at a time, until it fits -- never the first one, which "Contacts"
repeats with all the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from ..reply import Reply, Services

Rendered = TypeVar("Rendered")


def fitted(reply: Reply, render: Callable[[Reply], Rendered], length: Callable[[Rendered], int]) -> tuple[Reply, Rendered]:
    """``reply`` with as few of its last services left out (then the last one told briefly) as it takes for
    ``length`` of its rendering to be within ``reply.limit``, and that rendering (a reply within its limit is
    rendered once)."""
    rendered = render(reply)
    at = next((i for i, b in enumerate(reply.blocks) if isinstance(b, Services)), None)
    while reply.limit is not None and at is not None and length(rendered) > reply.limit and not reply.blocks[at].brief:
        services = reply.blocks[at]
        shorter = Services(services.items[:-1]) if len(services.items) > 1 else Services(services.items, brief=True)
        reply = replace(reply, blocks=[*reply.blocks[:at], shorter, *reply.blocks[at + 1:]])
        rendered = render(reply)
    return reply, rendered
