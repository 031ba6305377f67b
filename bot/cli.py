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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except commands.UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
