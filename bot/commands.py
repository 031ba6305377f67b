"""Implementations of the `bot` subcommands (argument parsing is in cli.py)."""

from __future__ import annotations

import argparse
import json
from collections import Counter

from . import paths
from .corpus.build import PASSAGES_FILE, build
from .corpus.sources import SourceError
from .i18n.catalogs import corpus_template, write_catalog


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def corpus_build(args: argparse.Namespace) -> int:
    try:
        results = build()
    except SourceError as exc:
        raise UserError(str(exc)) from exc
    for r in results:
        kinds = Counter(p.kind for p in r.passages)
        dups = sum(1 for p in r.passages if p.duplicate_of)
        print(f"{r.source.id}: {len(r.passages)} passages ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
              f"{len(r.sections)} sections, {dups} repeated blocks indexed once")
        rep = r.report
        print(f"  removed: {rep.running_headers} running headers, {rep.rules} rules, {rep.dropped_lines} layout lines, "
              f"{rep.toc_lines} table-of-contents lines, {rep.glyphs} stray glyphs; repaired: {len(rep.stray_accents)} "
              f"stray accents, {rep.footnote_markers} footnote markers, {rep.errata} errata; {rep.footnotes} footnotes kept as notes")
        for section in r.outside_sections:
            print(f"  flagged as outside France: {section}")
        if r.measures:
            print(f"  {len(r.measures)} measures:")
            for m in r.measures:
                status = m.status_printed or "(no status printed)"
                print(f"    {m.number:>2}. [{status}] {m.title}")
    print(f"wrote {paths.built_corpus_dir()}")
    return 0


def corpus_extract(args: argparse.Namespace) -> int:
    path = paths.built_corpus_dir() / PASSAGES_FILE
    if not path.exists():
        raise UserError("no built corpus; run `bot corpus build` first")
    passages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    target = paths.locales_dir() / "corpus.pot"
    write_catalog(corpus_template(passages), target)
    print(f"wrote {target} ({len(passages)} passages); update the catalogs with:")
    print(f"  pybabel update -D corpus -i {target} -d {paths.locales_dir()}")
    return 0
