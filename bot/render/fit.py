"""A reply fitted to its length limit, the same way in every channel.

The conversation sets :attr:`bot.reply.Reply.limit` on a first answer to a
victim (it must be read on a phone without scrolling); only a
channel knows how long its rendering is (the terminal indents and lists
its commands, Telegram shows buttons instead).  Each channel passes its
measure and gets the reply fitted: first the last recommended services
that only fit the answer's topic are left out, then every service is told
without why it fits (its name and how to reach it stay), then the last
ones that fit what the person told are left out -- never the first one,
which "Contacts" repeats with all the others.  A child made to work keeps
119 and the labour inspection, told briefly, rather than losing one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from ..reply import Reply, Services

Rendered = TypeVar("Rendered")


def _shorter(services: Services) -> Services | None:
    """The next step down (see the module docstring), or None when only the first service, told briefly, is left."""
    items = services.items
    if len(items) > 1 and not items[-1].told:
        return Services(items[:-1], services.brief)
    if not services.brief:
        return Services(items, brief=True)
    return Services(items[:-1], brief=True) if len(items) > 1 else None


def fitted(reply: Reply, render: Callable[[Reply], Rendered], length: Callable[[Rendered], int]) -> tuple[Reply, Rendered]:
    """``reply`` shortened step by step, as little as it takes for ``length`` of its rendering to be within
    ``reply.limit``, and that rendering (a reply within its limit is rendered once)."""
    rendered = render(reply)
    at = next((i for i, b in enumerate(reply.blocks) if isinstance(b, Services)), None)
    while reply.limit is not None and at is not None and length(rendered) > reply.limit:
        shorter = _shorter(reply.blocks[at])
        if shorter is None:
            break
        reply = replace(reply, blocks=[*reply.blocks[:at], shorter, *reply.blocks[at + 1:]])
        rendered = render(reply)
    return reply, rendered
