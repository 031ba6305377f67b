"""How long is the first reply to a victim's question, as the person reads it (REPL, Telegram, web chat)?

    python benchmarks/reply_length.py [--per-language 120] [--out benchmarks/results/reply_length.json]

Every victim question of the bank (or a sample per language) is asked as the
first message of a new conversation; the reply is rendered for the terminal,
for Telegram and as the web chat's JSON, and measured without markup (the
JSON as its words a client shows, :func:`bot.render.data.shown_length`).  The bar: at most 1,200
characters.  The terminal's reply is measured twice: as printed, and
without its last line, the actions as commands ("→ :full · :more ·
:help"), which Telegram shows as buttons and does not count.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import defaultdict
from html import unescape

from reporting import arguments, publish  # benchmarks/, the script's own directory: importing it puts the repository on sys.path
from bot.bank import load_bank
from bot.conversation import Conversation
from bot.engine import Engine
from bot.i18n.ui import ui
from bot.render.data import render as render_data, shown_length
from bot.render.text import actions_line, render as render_text
from bot.reply import Text
from bot.session import Session
from bot.telegram.render import render as render_telegram

LIMIT = 1200


def figures(lengths: list[int]) -> dict:
    lengths = sorted(lengths)
    return {"n": len(lengths), "p50": int(statistics.median(lengths)), "p95": lengths[int(0.95 * (len(lengths) - 1))],
            "max": lengths[-1], "within_1200": round(sum(n <= LIMIT for n in lengths) / len(lengths), 3)}


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--per-language", type=int, default=0, help="sample this many victim questions per language (0: all)")
    args = parser.parse_args()
    engine = Engine.load()
    conversation = Conversation(engine)
    bank = load_bank(engine.corpus.passages)
    by_lang: dict[str, list[str]] = defaultdict(list)
    for q in bank.questions:
        if q.audience == "victim":
            by_lang[q.lang].append(q.question)
    rng = random.Random(0)
    text_len: dict[str, list[int]] = defaultdict(list)
    content_len: dict[str, list[int]] = defaultdict(list)
    telegram_len: dict[str, list[int]] = defaultdict(list)
    web_len: dict[str, list[int]] = defaultdict(list)
    longest = []
    for lang, questions in sorted(by_lang.items()):
        if args.per_language:
            questions = rng.sample(questions, min(args.per_language, len(questions)))
        for question in questions:
            reply = conversation.handle(Session(), Text(question))
            plain = len(render_text(reply))
            line = actions_line(reply)
            content_len[lang].append(plain - (len(line) + 2 if line else 0))
            messages = render_telegram(reply, ui(reply.lang))
            visible = sum(len(unescape(re.sub(r"<[^>]+>", "", m.text))) for m in messages)
            text_len[lang].append(plain)
            telegram_len[lang].append(visible)
            web_len[lang].append(shown_length(render_data(reply)))
            longest.append((visible, lang, question[:60]))
    report = {
        "repl": {"all": figures([n for v in text_len.values() for n in v]), **{k: figures(v) for k, v in text_len.items()}},
        "repl_without_actions": {"all": figures([n for v in content_len.values() for n in v]),
                                 **{k: figures(v) for k, v in content_len.items()}},
        "telegram": {"all": figures([n for v in telegram_len.values() for n in v]), **{k: figures(v) for k, v in telegram_len.items()}},
        "web": {"all": figures([n for v in web_len.values() for n in v]), **{k: figures(v) for k, v in web_len.items()}},
        "longest_telegram": sorted(longest, reverse=True)[:10],
    }
    publish(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
