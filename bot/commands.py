"""Implementations of the `bot` subcommands (argument parsing is in cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import paths
from math import prod

from tqdm import tqdm

from .calibrate import GRID, calibrate, calibration_path
from .corpus.build import PASSAGES_FILE, build
from .corpus.load import CorpusError
from .corpus.sources import SourceError
from .engine import Engine, EngineUnavailable
from .evaluate import load_items, score
from .i18n.catalogs import corpus_template, write_catalog
from .i18n.languages import LANGUAGES, normalise_code
from .index.build import build_index
from .index.encoders import DEFAULT_ENCODER, EncoderError
from .answer import Answer
from .i18n.ui import ui
from .render.messages import services_json
from .render.text import render_answer


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


def index_build(args: argparse.Namespace) -> int:
    try:
        manifest = build_index(args.encoder or DEFAULT_ENCODER, progress=sys.stderr.isatty())
    except (CorpusError, EncoderError) as exc:
        raise UserError(str(exc)) from exc
    langs = ", ".join(f"{lang} {n}" for lang, n in manifest["lexical_languages"].items())
    print(f"built {paths.index_dir()} in {manifest['build_seconds']} s: {manifest['indexed_passages']} passages, "
          f"{manifest['vectors']} vectors ({manifest['encoded_now']} encoded now, the rest reused), "
          f"encoder {manifest['encoder']}; lexical indexes: {langs}")
    return 0


def load_engine() -> Engine:
    try:
        return Engine.load()
    except EngineUnavailable as exc:
        raise UserError(str(exc)) from exc


def _checked_lang(code: str | None) -> str | None:
    if code is None:
        return None
    lang = normalise_code(code)
    if lang is None:
        raise UserError(f"unknown language {code!r}; choose one of: {', '.join(LANGUAGES)}")
    return lang


def ask(args: argparse.Namespace) -> int:
    lang = _checked_lang(args.lang)
    if args.batch:
        return _ask_batch(Path(args.batch), lang, args.k, args.audience)
    if args.question is None:
        raise UserError("give a question, or --batch FILE.jsonl")
    answer = load_engine().ask(args.question, lang=lang, k=args.k, audience=args.audience)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
    else:
        print(render_answer(answer, color=sys.stdout.isatty(), original=args.original))
    return 0


def answer_json(answer: Answer) -> dict:
    return answer.to_json(services_json(ui(answer.lang), answer))


def _ask_batch(path: Path, lang: str | None, k: int, audience: str | None) -> int:
    """One JSON answer per input line, in input order; the model loads once."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    engine = load_engine()
    status = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = item["question"]
            qid = item.get("id")
            item_lang = _checked_lang(item.get("lang")) or lang
        except (ValueError, KeyError, TypeError, UserError) as exc:
            print(json.dumps({"id": None, "line": n, "error": f"not a question line: {exc}"}), flush=True)
            status = 1
            continue
        answer = engine.ask(str(question), lang=lang or item_lang, k=k, qid=qid, audience=audience)
        print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
    return status


def evaluate(args: argparse.Namespace) -> int:
    try:
        items = load_items(Path(args.file))
    except (OSError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    engine = load_engine()
    lang = _checked_lang(args.lang)
    if args.calibrate:
        bar = tqdm(total=prod(len(v) for v in GRID.values()), desc="calibrating", disable=not sys.stderr.isatty())
        entry = calibrate(engine, items, args.file, progress=lambda: bar.update())
        bar.close()
        print(f"wrote {calibration_path()} for {engine.encoder.id}:")
        print(json.dumps(entry, indent=1))
        engine = load_engine()
    answers = [engine.ask(item.question, lang=lang, qid=item.id) for item in items]
    report = score(items, answers).as_dict()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"in scope: {report['in_scope']}  hit@1 {report['hit@1']}  hit@5 {report['hit@5']}  MRR@5 {report['mrr@5']}")
    print("hit@5 by language: " + ", ".join(f"{lang} {v} (n={report['questions_by_lang'][lang]})"
                                            for lang, v in report["hit@5_by_lang"].items()))
    print(f"out-of-scope abstained: {report['out_of_scope_abstained']}; in-scope abstained: {report['in_scope_abstained']}")
    for miss in report["misses"]:
        flag = " (abstained)" if miss["abstained"] else ""
        print(f"  miss {miss['id']} [{miss['lang']}]{flag}: {miss['question']}  -> top {miss['top']}")
    return 0


def repl(args: argparse.Namespace) -> int:
    from .repl import run

    return run(load_engine())


def telegram(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from .telegram.app import run
    from .telegram.config import ConfigError, from_env

    try:
        config = from_env()
    except ConfigError as exc:
        raise UserError(str(exc)) from exc
    listen = None
    if args.listen:
        host, _, port = args.listen.rpartition(":")
        if not host or not port.isdigit():
            raise UserError("--listen expects HOST:PORT, e.g. 0.0.0.0:8080")
        listen = (host, int(port))
    if args.listen and not args.webhook:
        raise UserError("--listen only makes sense with --webhook URL")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    engine = load_engine()
    asyncio.run(run(config, engine, webhook=args.webhook, listen=listen))
    return 0


def i18n_status(args: argparse.Namespace) -> int:
    from .corpus.load import load_corpus
    from .i18n.status import status

    engine = load_engine() if args.questions else None
    items = load_items(Path(args.questions)) if args.questions else None
    rows = status(load_corpus().passages, engine, items)
    header = f"{'lang':5} {'UI strings':>12} {'UI fuzzy':>9} {'passages':>10} {'stale':>6} {'top answer translated':>22}"
    print(header)
    print("-" * len(header))
    for r in rows:
        coverage = f"{r.top_answer_translated:.0%}" if r.top_answer_translated is not None else "-"
        print(f"{r.lang:5} {r.ui_translated:>6}/{r.ui_total:<5} {r.ui_fuzzy:>9} {r.passages_current:>5}/{r.passages_total:<4} "
              f"{r.passages_fuzzy:>6} {coverage:>22}")
    if args.questions:
        print("top answer translated: share of the victim and mediator questions of the set answered in that language")
    return 0


def i18n_compile(args: argparse.Namespace) -> int:
    from .i18n.catalogs import compile_stale

    compiled = compile_stale(force=True)
    print(f"compiled {len(compiled)} catalogs")
    return 0
