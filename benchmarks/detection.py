"""Language detection on the question bank: a per-language confusion table, and short messages.

    python benchmarks/detection.py [--out benchmarks/results/detection.json]

Every in-scope bank question and every negative in a supported language is a
labelled message written as speakers type (colloquial, typos, translit,
Arabizi).  "correct" is the detected language; a message in Latin letters
written in a Cyrillic or Arabic-script language is reported apart (it is
recognised when its words are, see bot.i18n.detect).  Short messages: none
of two words or fewer may be confident enough to switch a chosen language.
Messages in a language we do not answer in (the bank's German, Italian,
Turkish, Polish...) should be noticed as such: the answer then says so, in
English, rather than coming in a neighbouring language (Italian read as
Romanian).  tests/data/latin_typed.jsonl: 120 Russian, Ukrainian and Bulgarian messages
typed in Latin letters, written on 2026-12-06 by an agent who read nothing of
the project, after the words of bot.i18n.languages were last extended.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from reporting import ROOT, arguments, publish  # benchmarks/, the script's own directory: importing it puts the repository on sys.path
from bot.bank import load_bank
from bot.corpus.load import load_corpus
from bot.i18n.detect import detect
from bot.i18n.languages import LANGUAGES

NON_LATIN = {"ru", "uk", "bg", "ar", "zh"}


def words(message: str) -> float:
    """Words of a message; two Chinese characters count as one word."""
    han = sum("\u3400" <= c <= "\u9fff" for c in message)
    return len(message.split()) if not han else han / 2


def main() -> int:
    parser = arguments(__doc__)
    args = parser.parse_args()
    bank = load_bank(load_corpus().passages)
    every = [(q.lang, q.question) for q in bank.questions] + [(n.lang, n.question) for n in bank.negatives]
    labelled = [(lang, text) for lang, text in every if lang in LANGUAGES]
    others: dict[str, Counter[str]] = defaultdict(Counter)  # languages we do not answer in: noticed, or read as one of ours
    for lang, text in every:
        if lang not in LANGUAGES:
            found = detect(text)
            others[lang]["noticed" if found.other else (found.lang or "none")] += 1
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    latin: dict[str, Counter[str]] = defaultdict(Counter)
    for lang, text in labelled:
        got = detect(text).lang or "none"
        in_latin = lang in NON_LATIN and not re.search(r"[^\x00-\u024f\s\d\W]", text)
        (latin if in_latin else confusion)[lang][got] += 1
    table = {lang: {"n": sum(c.values()), "accuracy": round(c[lang] / max(sum(c.values()), 1), 3),
                    "confused_with": dict(c.most_common(4))} for lang, c in sorted(confusion.items())}
    translit = {lang: {"n": sum(c.values()), "recognised": round(c[lang] / max(sum(c.values()), 1), 3)}
                for lang, c in sorted(latin.items())}
    held_out: dict[str, Counter[str]] = defaultdict(Counter)
    for line in (ROOT / "tests/data/latin_typed.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        found = detect(item["text"])
        held_out[item["lang"]][found.lang or ("unsupported" if found.other else "none")] += 1
    short = json.loads((ROOT / "tests/data/short_messages.json").read_text())
    rows = [(lang, m, detect(m)) for lang, messages in short.items() for m in messages]
    total = sum(sum(c.values()) for c in confusion.values())
    report = {
        "bank_messages": total,
        "bank_accuracy": round(sum(c[lang] for lang, c in confusion.items()) / max(total, 1), 3),
        "per_language": table,
        "typed_in_latin_letters": translit,
        "languages_we_do_not_answer_in": {lang: {"n": sum(c.values()), "noticed": round(c["noticed"] / sum(c.values()), 3),
                                                 "read_as": dict(c.most_common(4))} for lang, c in sorted(others.items())},
        "typed_in_latin_letters_held_out": {lang: {"n": sum(c.values()), "recognised": round(c[lang] / sum(c.values()), 3),
                                                   "read_as": dict(c.most_common(4))} for lang, c in sorted(held_out.items())},
        "short_messages": {"n": len(rows), "correct": sum(d.lang == lang for lang, _, d in rows),
                           "two_words_or_fewer_that_would_switch": sum(d.confident for _, m, d in rows if words(m) <= 2)},
    }
    publish(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
