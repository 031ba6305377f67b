"""No message text or user name in any log line, tracebacks included.

Our own log lines carry ids, counts and error types only.  A library's
exception can quote what it failed on -- a pydantic error on a malformed
webhook update repeats the message text and the user's name -- so every
traceback that reaches a handler keeps its frames (where it failed) and
loses its message (what it failed on).
"""

from __future__ import annotations

import logging
import traceback

WITHHELD = "(details withheld: they may quote a person's message)"


class WithholdDetails(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            kind, _, tb = record.exc_info
            frames = "".join(traceback.format_tb(tb))
            record.exc_text = f"Traceback (most recent call last):\n{frames}{kind.__name__ if kind else 'Exception'}: {WITHHELD}"
            record.exc_info = None
        return True


def install_log_filter() -> None:
    """Add the filter to every handler of the root logger (records of every library reach them)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, WithholdDetails) for f in handler.filters):
            handler.addFilter(WithholdDetails())
