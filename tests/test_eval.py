"""The development question set, scored by `bot eval` with the README's matching rule."""

from __future__ import annotations

import json

import pytest
from conftest import run_bot


def test_dev_set_meets_the_bar():
    result = run_bot("eval", "tests/data/dev.jsonl", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["in_scope"] == 45
    assert report["hit@5"] >= 0.90
    assert report["hit@1"] >= 0.70
    assert report["mrr@5"] >= 0.78
    abstained, total = map(int, report["out_of_scope_abstained"].split("/"))
    assert total == 8 and abstained >= 7
    assert report["in_scope_abstained"] <= 2
    assert all(v >= 0.8 for v in report["hit@5_by_lang"].values()), report["hit@5_by_lang"]


def test_eval_prints_a_readable_report_with_misses():
    result = run_bot("eval", "tests/data/dev.jsonl")
    assert result.returncode == 0, result.stderr
    assert "hit@1" in result.stdout and "MRR@5" in result.stdout and "by language" in result.stdout
    assert "out-of-scope abstained" in result.stdout


@pytest.mark.parametrize("held_out", ["dev.jsonl", "stories.jsonl", "told.jsonl", "darija.jsonl", "short.jsonl"])
def test_no_held_out_question_is_in_the_bank(held_out):
    """The bank is written from the passages alone: a development or held-out story question in it, whole or
    inside a longer one, would score the engine on what it was fitted to."""
    import re

    from conftest import DATA, ROOT

    from bot.textnorm import fold

    def words(text: str) -> str:
        return " " + re.sub(r"\W+", " ", fold(text)).strip() + " "

    dev = [words(json.loads(line)["question"]) for line in (DATA / held_out).read_text().splitlines() if line.strip()]
    for path in sorted((ROOT / "corpus" / "questions").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            question = words(json.loads(line)["question"])
            assert not any(d in question for d in dev), (path.name, question)


@pytest.mark.parametrize("held_out", ["danger_held_out.jsonl", "danger_third.jsonl", "danger_fourth.jsonl", "danger_minors.jsonl", "danger_needs.jsonl"])
def test_no_held_out_danger_message_is_a_danger_example_or_in_the_bank(held_out):
    """The danger model is measured on messages it never compares with: none of them may be one of its
    examples or a bank question (the bank's questions are its "not danger now" neighbours)."""
    from conftest import DATA, ROOT

    from bot.textnorm import fold

    held = {fold(json.loads(line)["text"]) for line in (DATA / held_out).read_text(encoding="utf-8").splitlines() if line.strip()}
    assert len(held) >= 130
    compared = [ROOT / "corpus" / "danger" / "examples.jsonl", *sorted((ROOT / "corpus" / "questions").glob("*.jsonl"))]
    for path in compared:
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            assert fold(entry.get("text") or entry["question"]) not in held, path.name
