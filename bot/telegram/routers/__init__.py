"""Routers, one per feature; ``all_routers`` in the order they are tried."""

from __future__ import annotations

from aiogram import Router

from . import answers, errors, language, media, reference, start, triage


def all_routers() -> list[Router]:
    # Commands and buttons first, then free text, then anything that is not text.
    return [start.router, language.router, triage.router, reference.router, answers.router, media.router, errors.router]
