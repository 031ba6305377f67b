"""Danger recognition: recall and false alarms per language, on the reviewed test set and on the bank.

    python benchmarks/danger.py [--out benchmarks/results/danger.json]

tests/data/danger_messages.jsonl holds, per language, messages of danger
(imminent, a third person, self-harm, a medical emergency) and look-alikes
that must not raise the alarm; it was written and reviewed apart from the
danger examples the engine compares messages with, but the curated phrases
have since been extended after reading its misses.
tests/data/danger_held_out.jsonl was written later by writers who read
nothing of the project (each language its own situations), reviewed by a
second reader, and is only measured (see corpus/danger/REVIEW.md).
tests/data/danger_third.jsonl was written the same way on 2026-12-06, after
the curated phrases were last extended, and is only measured.
tests/data/danger_fourth.jsonl, the same way, measured blind before the
examples of eight situations were written (apart from it) and added.
tests/data/danger_minors.jsonl, the same way: teenagers (13-17) telling
their exploitation calmly, and teenagers in danger now.
tests/data/danger_needs.jsonl, the same way: urgent needs told with no
danger now (no bed tonight, no food, a phone dying), most as statements, and
danger now in the same situations; written after the look-alikes of urgent
needs were, by another writer who saw none of them.
tests/data/danger_chat.jsonl holds short everyday chat messages ("thanks a
lot", "next pls", "I don't understand") written the same way, blind; none is
danger: the share that raises the alarm is reported.  Also: the share of the
question bank's questions (about rights, not alarms) that would raise it --
less those that are also danger examples, as "I'm 14 and they beat me, who
do I call?" is: they are counted apart, with their recall --
and whether every self-harm message gets 3114 and every minor in danger 119.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from reporting import ROOT, arguments, publish  # benchmarks/, the script's own directory: importing it puts the repository on sys.path
from bot.bank import load_bank
from bot.danger import load_examples, telling_texts
from bot.engine import Engine

SETS = {
    "test_set": ROOT / "tests" / "data" / "danger_messages.jsonl",
    "held_out": ROOT / "tests" / "data" / "danger_held_out.jsonl",
    "third_set": ROOT / "tests" / "data" / "danger_third.jsonl",
    "fourth_set": ROOT / "tests" / "data" / "danger_fourth.jsonl",
    "minors": ROOT / "tests" / "data" / "danger_minors.jsonl",
    "urgent_needs": ROOT / "tests" / "data" / "danger_needs.jsonl",
}


def measure(engine: Engine, path: Path) -> dict:
    """Recall and false alarms per language on one set of danger messages and look-alikes, and the cards' misses."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    per_lang: dict[str, dict[str, list]] = defaultdict(lambda: {"danger": [], "look_alike": []})
    missed, alarms, card_misses = [], [], []
    for item in items:
        answer = engine.ask(item["text"])
        card = {s.id for s in answer.emergency_services}
        if item["kind"] == "none":
            per_lang[item["lang"]]["look_alike"].append(answer.emergency)
            if answer.emergency:
                alarms.append((item["lang"], item["text"][:80]))
            continue
        per_lang[item["lang"]]["danger"].append(answer.emergency)
        if not answer.emergency:
            missed.append((item["lang"], item["kind"], item["text"][:80]))
        if item["kind"] == "self_harm" and answer.emergency and "suicide-3114" not in card:
            card_misses.append(("3114", item["lang"], item["text"][:80]))
        if item.get("minor") and answer.emergency and "child-119" not in card:
            card_misses.append(("119", item["lang"], item["text"][:80]))
    return {
        "messages": len(items),
        "recall": round(sum(sum(v["danger"]) for v in per_lang.values()) / max(sum(len(v["danger"]) for v in per_lang.values()), 1), 3),
        "false_alarms": round(sum(sum(v["look_alike"]) for v in per_lang.values()) / max(sum(len(v["look_alike"]) for v in per_lang.values()), 1), 3),
        "per_language": {lang: {"danger": len(v["danger"]), "recall": round(sum(v["danger"]) / max(len(v["danger"]), 1), 3),
                                "look_alikes": len(v["look_alike"]),
                                "false_alarms": round(sum(v["look_alike"]) / max(len(v["look_alike"]), 1), 3)}
                         for lang, v in sorted(per_lang.items())},
        "card_misses": card_misses,
        "missed": missed,
        "alarms_on_look_alikes": alarms,
    }


CHAT = ROOT / "tests" / "data" / "danger_chat.jsonl"


def chat_alarms(engine: Engine, path: Path = CHAT) -> dict:
    """The share of everyday chat messages (thanks, more, yes, I don't understand) that would raise the alarm, per language."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    alarms = [(item["lang"], item["text"]) for item in items if engine.in_danger(item["text"])]
    langs = sorted({item["lang"] for item in items})
    return {"messages": len(items), "alarms": round(len(alarms) / max(len(items), 1), 3),
            "per_language": {lang: sum(a[0] == lang for a in alarms) for lang in langs}, "alarmed": alarms}


def main() -> int:
    parser = arguments(__doc__)
    args = parser.parse_args()
    engine = Engine.load()
    sets = {name: measure(engine, path) for name, path in SETS.items()}
    sets["chat"] = chat_alarms(engine)
    bank = load_bank(engine.corpus.passages)
    # bank questions that tell of danger now (the situations told without a question are counted with the others)
    telling = telling_texts(load_examples(), set(), {q.question for q in bank.questions if q.danger_now})
    every = [q.question for q in bank.questions] + [n.question for n in bank.negatives]
    questions = [q for q in every if q not in telling]
    bank_alarms = [q for q in questions if engine.in_danger(q)]
    telling_in_bank = [q for q in every if q in telling]
    report = {
        **sets,
        "bank_questions": len(questions),
        "bank_false_alarms": round(len(bank_alarms) / max(len(questions), 1), 4),
        "bank_questions_telling_danger": len(telling_in_bank),
        "their_recall": round(sum(map(engine.in_danger, telling_in_bank)) / max(len(telling_in_bank), 1), 3),
        "bank_alarm_examples": bank_alarms[:20],
    }
    publish(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
