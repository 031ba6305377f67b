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

from ..reply import Reply, Services


def fitted(reply: Reply, length: Callable[[Reply], int]) -> Reply:
    """``reply`` with as few of its last services left out as it takes to be within ``reply.limit`` by ``length``."""
    if reply.limit is None:
        return reply
    at = next((i for i, b in enumerate(reply.blocks) if isinstance(b, Services)), None)
    while at is not None and length(reply) > reply.limit and len(reply.blocks[at].items) > 1:
        blocks = list(reply.blocks)
        blocks[at] = Services(blocks[at].items[:-1])
        reply = replace(reply, blocks=blocks)
    return reply
