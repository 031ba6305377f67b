"""Language detection accuracy: the dev questions and short messages.

    python benchmarks/detection.py

"correct" is the detected language; "switches" counts the messages that
would be confident enough to change a language the user chose (a short or
ambiguous message should not).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.i18n.detect import detect  # noqa: E402


def words(message: str) -> float:
    """Words of a message; two Chinese characters count as one word."""
    han = sum("\u3400" <= c <= "\u9fff" for c in message)
    return len(message.split()) if not han else han / 2


def main() -> int:
    dev = [json.loads(line) for line in (ROOT / "tests/data/dev.jsonl").read_text().splitlines() if line.strip()]
    short = json.loads((ROOT / "tests/data/short_messages.json").read_text())
    dev_correct = [detect(i["question"]).lang == i["lang"] for i in dev]
    rows = [(lang, m, detect(m)) for lang, messages in short.items() for m in messages]
    report = {
        "dev_questions": {"n": len(dev), "correct": sum(dev_correct), "accuracy": round(sum(dev_correct) / len(dev), 3),
                          "wrong": [(i["id"], i["lang"], detect(i["question"]).lang) for i, ok in zip(dev, dev_correct) if not ok]},
        "short_messages": {"n": len(rows), "correct": sum(d.lang == lang for lang, _, d in rows),
                           "accuracy": round(sum(d.lang == lang for lang, _, d in rows) / len(rows), 3),
                           "confident_enough_to_switch": sum(d.confident for _, _, d in rows),
                           "two_words_or_fewer_that_would_switch": sum(d.confident for _, m, d in rows if words(m) <= 2)},
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
