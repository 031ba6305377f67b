"""`bot eval`: score a question set in the development-set format.

Each line: ``{"id", "lang", "audience", "question", "gold": [...]}``.  An
answer hits when a gold string is contained in one of its returned
passages, both sides folded the same way (NFKD, no combining marks, case
folded, straight quotes, collapsed whitespace).  Out-of-scope questions
(no gold) should be abstained on.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .answer import Answer
from .textnorm import fold

K = 5


@dataclass
class Item:
    id: str
    lang: str
    audience: str
    question: str
    gold: list[str]


@dataclass
class Report:
    n_in_scope: int = 0
    hit1: int = 0
    hit5: int = 0
    rr: float = 0.0
    by_lang: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # hit@1, hit@5, n
    by_audience: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    cautioned: int = 0
    oos: int = 0
    oos_abstained: int = 0
    in_scope_abstained: list[str] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)
    oos_answered: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        n = max(self.n_in_scope, 1)
        return {
            "in_scope": self.n_in_scope,
            "hit@1": round(self.hit1 / n, 3),
            "hit@5": round(self.hit5 / n, 3),
            "mrr@5": round(self.rr / n, 3),
            "hit@1_by_lang": {lang: round(h1 / t, 3) for lang, (h1, h5, t) in sorted(self.by_lang.items())},
            "hit@5_by_lang": {lang: round(h5 / t, 3) for lang, (h1, h5, t) in sorted(self.by_lang.items())},
            "questions_by_lang": {lang: t for lang, (h1, h5, t) in sorted(self.by_lang.items())},
            "hit@1_by_audience": {a: round(h1 / t, 3) for a, (h1, h5, t) in sorted(self.by_audience.items())},
            "hit@5_by_audience": {a: round(h5 / t, 3) for a, (h1, h5, t) in sorted(self.by_audience.items())},
            "in_scope_cautioned": self.cautioned,
            "out_of_scope_abstained": f"{self.oos_abstained}/{self.oos}",
            "in_scope_abstained": len(self.in_scope_abstained),
            "misses": self.misses,
        }


def load_items(path: Path) -> list[Item]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            items.append(Item(d["id"], d.get("lang", ""), d.get("audience", ""), d["question"], d.get("gold", [])))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}:{n}: not a question line ({exc})") from exc
    return items


def rank_of_hit(item: Item, answer: Answer, k: int = K) -> int | None:
    golds = [fold(g) for g in item.gold]
    for i, result in enumerate(answer.results[:k], 1):
        text = fold(result.text)
        if any(g in text for g in golds):
            return i
    return None


def score(items: list[Item], answers: list[Answer]) -> Report:
    report = Report()
    for item, answer in zip(items, answers):
        if not item.gold:
            report.oos += 1
            if answer.abstained:
                report.oos_abstained += 1
            else:
                report.oos_answered.append(item.id)
            continue
        report.n_in_scope += 1
        if answer.abstained:
            report.in_scope_abstained.append(item.id)
        report.cautioned += answer.grade == "caution"
        rank = rank_of_hit(item, answer)
        groups = (report.by_lang[item.lang], report.by_audience[item.audience or "?"])
        for group in groups:
            group[2] += 1
        if rank:
            report.hit5 += 1
            report.rr += 1 / rank
            report.hit1 += rank == 1
            for group in groups:
                group[0] += rank == 1
                group[1] += 1
        else:
            report.misses.append({
                "id": item.id, "lang": item.lang, "question": item.question,
                "abstained": answer.abstained,
                "top": answer.results[0].passage_id if answer.results else None,
            })
    return report
