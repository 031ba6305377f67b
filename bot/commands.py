"""Implementations of the `bot` subcommands (argument parsing is in cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from . import paths
from .answer import Answer
from .bank import BankError
from .cards import CardError
from .corpus.build import build
from .corpus.files import PASSAGES_FILE
from .corpus.load import CorpusError
from .corpus.sources import SourceError
from .engine import Engine, EngineUnavailable
from .evaluate import load_items, score
from .i18n.catalogs import corpus_template, write_catalog
from .i18n.languages import LANGUAGES, language_picked
from .index.build import build_index
from .index.encoders import DEFAULT_ENCODER, EncoderError
from .i18n.ui import ui
from .conversation import Conversation
from .render.data import render as render_data
from .render.data import services_json
from .render.text import render as render_text
from .reply import Passage as PassageBlock
from .reply import Reply, Text
from .retrieval.scope import CHAT
from .session import Session
from .logfilter import install_log_filter


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def corpus_build(args: argparse.Namespace) -> int:
    try:
        report = build()
    except (SourceError, BankError) as exc:
        raise UserError(str(exc)) from exc
    for r in report.documents:
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
        for pid in r.compared:
            print(f"  flagged as another country's practice, for comparison: {pid}")
        if r.measures:
            print(f"  {len(r.measures)} measures:")
            for m in r.measures:
                status = m.status_printed or "(no status printed)"
                print(f"    {m.number:>2}. [{status}] {m.title}")
    print(f"wrote {paths.built_corpus_dir()}")
    _print_bank_status()
    cards_status(args)
    if report.rekeyed_questions:
        print(f"{report.rekeyed_questions} bank questions followed a changed passage: review them, then "
              "`bot questions accept PASSAGE`")
    return 0


def _print_bank_status() -> None:
    from .bank import load_bank, status
    from .corpus.load import load_corpus

    passages = load_corpus().passages
    try:
        bank = load_bank(passages)
    except BankError as exc:
        raise UserError(str(exc)) from exc
    st = status(passages, bank)
    print(f"question bank: {sum(st.current.values())} current questions "
          f"({', '.join(f'{lang} {n}' for lang, n in sorted(st.current.items()))}), "
          f"{sum(st.stale.values())} stale (left out until reviewed), "
          f"{sum(st.negatives.values())} negative ({st.near_share:.0%} near the domain)")
    if st.stale:
        stale_passages = sorted({q.passage for _, q in bank.stale})
        print(f"  stale questions rest on {len(stale_passages)} changed passages: {', '.join(stale_passages[:12])}"
              f"{' ...' if len(stale_passages) > 12 else ''}; review, then `bot questions accept PASSAGE`")
    if st.without_questions:
        print(f"  {len(st.without_questions)} searchable passages have no current question: "
              f"{', '.join(st.without_questions[:12])}{' ...' if len(st.without_questions) > 12 else ''}")


def questions_status(args: argparse.Namespace) -> int:
    _print_bank_status()
    return 0


def questions_accept(args: argparse.Namespace) -> int:
    from .bank import accept
    from .corpus.load import load_corpus

    passages = {p["id"]: p for p in load_corpus().passages}
    accepted = 0
    for pid in args.passages:
        if pid not in passages:
            raise UserError(f"no passage {pid!r} in the built corpus (see `bot questions status`)")
        accepted += accept(passages[pid], reviewer=args.reviewer)
    print(f"accepted {accepted} questions; run `bot index build` to use them")
    return 0


def questions_import(args: argparse.Namespace) -> int:
    from .bank import import_drafts
    from .corpus.load import load_corpus

    try:
        counts = import_drafts(load_corpus().passages, Path(args.drafts), Path(args.verdicts) if args.verdicts else None,
                               args.writer, args.checker, lang=args.lang)
    except (OSError, ValueError, KeyError) as exc:
        raise UserError(f"cannot import {args.drafts}: {exc}") from exc
    print(", ".join(f"{what}: {n}" for what, n in sorted(counts.items())))
    return 0


def questions_review(args: argparse.Namespace) -> int:
    from .bank import bank_dir, review

    path = bank_dir() / f"{args.file}.jsonl"
    if not path.exists():
        raise UserError(f"no bank file {path.name} in {bank_dir()}: give a language code or 'negative'")
    try:
        counts = review(path, Path(args.verdicts), args.checker)
    except (OSError, ValueError, KeyError) as exc:
        raise UserError(f"cannot apply {args.verdicts} to {path.name}: {exc}") from exc
    print(", ".join(f"{what}: {n}" for what, n in sorted(counts.items())) + "; run `bot index build` to use them")
    return 0


def cards_status(args: argparse.Namespace) -> int:
    from .cards import load_cards
    from .corpus.load import load_corpus

    try:
        cards = load_cards(load_corpus().passages)
    except CardError as exc:
        raise UserError(str(exc)) from exc
    reviewed = sum(c.reviewed for c in cards.current.values())
    print(f"rights cards: {len(cards.current)} current ({reviewed} reviewed by a person), {len(cards.stale)} stale")
    for card_id in cards.stale:
        print(f"  stale (a cited passage changed): {card_id}; check it against its passages, then `bot cards accept {card_id}`")
    return 0


def cards_accept(args: argparse.Namespace) -> int:
    from .cards import accept
    from .corpus.load import load_corpus

    passages = load_corpus().passages
    try:
        for card_id in args.cards:
            if not accept(card_id, passages, args.reviewer):
                raise UserError(f"no card {card_id!r} in corpus/cards.json")
    except CardError as exc:
        raise UserError(str(exc)) from exc
    print(f"accepted {len(args.cards)} cards")
    return 0


def corpus_extract(args: argparse.Namespace) -> int:
    path = paths.built_corpus_dir() / PASSAGES_FILE
    if not path.exists():
        raise UserError("no built corpus; run `bot corpus build` first")
    from .corpus.load import load_corpus

    corpus = load_corpus()
    titles = dict.fromkeys(t for s in corpus.sources.values() for t in (s.title, s.short_title))
    measures = [m["title"] for items in corpus.measures.values() for m in items]
    target = paths.locales_dir() / "corpus.pot"
    write_catalog(corpus_template(corpus.passages, titles, measures), target)
    passages = corpus.passages
    print(f"wrote {target} ({len(passages)} passages); update the catalogs with:")
    print(f"  pybabel update -D corpus -i {target} -d {paths.locales_dir()}")
    return 0


def index_build(args: argparse.Namespace) -> int:
    try:
        manifest = build_index(args.encoder or DEFAULT_ENCODER, progress=sys.stderr.isatty())
    except (CorpusError, EncoderError, BankError, CardError) as exc:
        raise UserError(str(exc)) from exc
    langs = ", ".join(f"{lang} {n}" for lang, n in manifest["lexical_languages"].items())
    print(f"built {paths.index_dir()} in {manifest['build_seconds']} s: {manifest['indexed_passages']} passages, "
          f"{manifest['vectors']} passage vectors, {manifest['bank_questions']} bank questions and "
          f"{manifest['bank_negatives']} negatives ({manifest['encoded_now']} texts encoded now, the rest reused), "
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
    lang = language_picked(code)
    if lang is None:
        raise UserError(f"unknown language {code!r}; choose one of: {', '.join(LANGUAGES)}")
    return lang


def ask(args: argparse.Namespace) -> int:
    lang = _checked_lang(args.lang)
    if args.batch:
        return _ask_batch(Path(args.batch), lang, args.k, args.audience)
    if args.question is None:
        raise UserError("give a question, or --batch FILE.jsonl")
    conversation = Conversation(load_engine())
    reply = _answer(conversation, args.question, lang, args.k, args.audience)
    if args.json:
        print(json.dumps(answer_json(reply, args.k), ensure_ascii=False))
        return 0
    if args.original:
        reply.blocks = [replace(b, original=True, whole=True) if isinstance(b, PassageBlock) else b for b in reply.blocks]
    print(render_text(reply, color=sys.stdout.isatty()))
    return 0


def _answer(conversation: Conversation, question: str, lang: str | None, k: int, audience: str | None, qid: str | None = None) -> Reply:
    """A question asked through the conversation, as a first message from a new session."""
    session = Session(lang=lang, audience=audience, page=k)
    reply = conversation.handle(session, Text(question))
    # A question that only names a language ("fr", "BG") is, in a chat, the choice under the language picker: the
    # reply sets the language and answers nothing.  The JSON keeps its documented fields all the same, no passage.
    reply.answer = reply.answer or Answer(question, reply.lang, abstained=False, results=[], grade=CHAT)
    reply.answer.id = qid
    return reply


def answer_json(reply: Reply, k: int) -> dict:
    """The engine's answer (the documented `--json` fields, its best ``k`` results) and the reply as every channel shows it."""
    answer = reply.answer
    return {**answer.to_json(services_json(ui(answer.lang), answer), k), "reply": render_data(reply)}


def _batch_lines(raw: bytes) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, problem) for every non-empty line; bad bytes are reported, not fatal."""
    for n, line in enumerate(raw.split(b"\n"), 1):
        if n == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]  # a byte-order mark
        if not line.strip():
            continue
        try:
            yield n, line.decode("utf-8"), None
        except UnicodeDecodeError:
            yield n, line.decode("utf-8", errors="replace"), "not valid UTF-8"


def _batch_item(text: str) -> tuple[object, dict | None, str | None]:
    """(id, item, problem) of one batch line."""
    try:
        item = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return None, None, f"not a JSON object ({type(exc).__name__})"
    if not isinstance(item, dict):
        return None, None, "not a JSON object"
    qid = item.get("id")
    if qid is not None and not isinstance(qid, (str, int)):
        return None, None, "id must be a string or a number"
    if not isinstance(item.get("question"), str):
        return qid, None, "question must be a string"
    if item.get("lang") is not None and not isinstance(item["lang"], str):
        return qid, None, "lang must be a language code (a string)"
    return qid, item, None


def batch_answers(raw: bytes, conversation: Conversation, lang: str | None, k: int, audience: str | None) -> Iterator[dict]:
    """Exactly one object per non-empty input line, in input order: an answer, or an error with the line's id."""
    for n, text, problem in _batch_lines(raw):
        qid, item, invalid = _batch_item(text or "")
        problem = problem or invalid
        if problem or item is None:
            yield {"id": qid, "line": n, "error": problem}
            continue
        yield answer_json(_answer(conversation, item["question"], lang or item.get("lang"), k, audience, None if qid is None else str(qid)), k)


def _ask_batch(path: Path, lang: str | None, k: int, audience: str | None) -> int:
    """`bot ask --batch`: the model loads once; exit status 1 when a line was refused."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    status = 0
    for out in batch_answers(raw, Conversation(load_engine()), lang, k, audience):
        status |= "error" in out
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return status


def evaluate(args: argparse.Namespace) -> int:
    """The development set as a check, beside the cross-validated figures the index was fitted with."""
    try:
        items = load_items(Path(args.file))
    except (OSError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    engine = load_engine()
    lang = _checked_lang(args.lang)
    answers = [engine.ask(item.question, lang=lang, qid=item.id) for item in items]
    report = score(items, answers).as_dict()
    fitted = engine.search.index.fit or {}
    if args.json:
        print(json.dumps({**report, "cross_validation": fitted.get("cross_validation")}, ensure_ascii=False, indent=1))
        return 0
    if cv := fitted.get("cross_validation"):
        _print_cross_validation(cv)
        print()
    print(f"{args.file} (a check: never used for fitting)")
    print(f"in scope: {report['in_scope']}  hit@1 {report['hit@1']}  hit@5 {report['hit@5']}  MRR@5 {report['mrr@5']}")
    for key in ("lang", "audience"):
        print(f"by {'language' if key == 'lang' else key}: " + ", ".join(
            f"{name} {report[f'hit@1_by_{key}'][name]}/{report[f'hit@5_by_{key}'][name]}" for name in report[f"hit@1_by_{key}"]
        ) + "  (hit@1/hit@5)")
    print(f"out-of-scope abstained: {report['out_of_scope_abstained']}; in-scope abstained: {report['in_scope_abstained']}; "
          f"in-scope answered with the \"may not match\" note: {report['in_scope_cautioned']}")
    for miss in report["misses"]:
        flag = " (abstained)" if miss["abstained"] else ""
        print(f"  miss {miss['id']} [{miss['lang']}]{flag}: {miss['question']}  -> top {miss['top']}")
    return 0


def _print_cross_validation(cv: dict) -> None:
    ranking, scope = cv["ranking"], cv["scope"]
    overall = ranking["all"]
    print(f"question bank, cross-validated (each question left out of the bank): {overall['n']} questions  "
          f"hit@1 {overall['hit@1']}  hit@5 {overall['hit@5']}  MRR@5 {overall['mrr@5']}")
    for key, title in (("by_language", "language"), ("by_audience", "audience")):
        print(f"by {title}: " + ", ".join(f"{name} {f['hit@1']}/{f['hit@5']}" for name, f in ranking[key].items()) + "  (hit@1/hit@5)")
    print(f"scope: negative bank abstained {scope['negative']['abstained']:.1%} (near the domain "
          f"{scope['negative_near']['abstained']:.1%}); in-scope abstained {scope['in_scope']['abstained']:.1%}, "
          f"answered with the note {scope['in_scope']['cautioned']:.1%}")
    print("negatives abstained by category: " + ", ".join(f"{c} {f['abstained']:.0%}" for c, f in scope["negative_by_category"].items()))


def repl(args: argparse.Namespace) -> int:
    from .repl import run

    return run(load_engine())


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise UserError("--listen expects HOST:PORT, e.g. 127.0.0.1:8080")
    return host, int(port)


def web(args: argparse.Namespace) -> int:
    import logging
    import os

    from .web.app import run

    host, port = _listen(args.listen)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_filter()
    run(load_engine(), host, port, os.environ.get("REDIS_URL", "").strip() or None)
    return 0


def telegram(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    from .telegram.app import run
    from .telegram.config import ConfigError, from_env

    try:
        config = from_env()
    except ConfigError as exc:
        raise UserError(str(exc)) from exc
    listen = _listen(args.listen) if args.listen else None
    if args.listen and not args.webhook:
        raise UserError("--listen only makes sense with --webhook URL")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_filter()
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
