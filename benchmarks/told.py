"""Does the engine answer a situation told without a question, and refuse an everyday question asked like a victim's?

    python benchmarks/told.py [--out benchmarks/results/told.json]

``tests/data/told.jsonl`` holds, per language, 5 situations of
exploitation told with no question ("the madam keeps my passport and says
I owe her 35000") and 5 everyday questions ("where can I buy a train
ticket to Marseille"), written by an agent that read nothing of the
project.  A situation has no single right passage, so only the grade is
scored: a situation should not be refused, an everyday question should.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from reporting import ROOT, arguments, publish  # benchmarks/, the script's own directory: importing it puts the repository on sys.path
from bot.engine import Engine


def main() -> int:
    parser = arguments(__doc__)
    args = parser.parse_args()
    engine = Engine.load()
    grades: dict[str, Counter] = defaultdict(Counter)
    wrong: list[tuple[str, str, str]] = []
    for line in (ROOT / "tests" / "data" / "told.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        grade = engine.ask(item["question"]).grade
        grades[item["kind"]][grade] += 1
        if (grade == "abstain") != (item["kind"] == "everyday"):
            wrong.append((item["id"], item["lang"], grade))
    report = {
        "situations_refused": f"{grades['statement']['abstain']} of {sum(grades['statement'].values())}",
        "situations_cautioned": grades["statement"]["caution"],
        "everyday_refused": f"{grades['everyday']['abstain']} of {sum(grades['everyday'].values())}",
        "wrong": wrong,
    }
    publish(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
