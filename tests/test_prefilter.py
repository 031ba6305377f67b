"""The curated phrases (danger, audience, needs, forms of exploitation, a child) are tried only where a string they
require is: what a text says must not change."""

from __future__ import annotations

import json

import pytest

from bot.prefilter import required_strings
from bot.situation import (AUDIENCES, DANGER_KINDS, MAYBE_CHILD, SIGNALS_FILE, Signals, SignalsError, _compile, _labels, _scripts, _search,
                           _typed_in_latin, default_signals)
from bot.sentences import sentence_texts
from bot.textnorm import fold

from conftest import DATA, ROOT


@pytest.mark.parametrize("pattern, required", [
    (r"\bme tuer\b", {"me tuer"}),
    (r"\b(?:ils|elle) (?:va|vont) me tuer\b", {" me tuer"}),  # the longest run outside the groups
    (r"(?:едут|идут|приехали)", {"едут", "идут", "приехали"}),  # one of a group's alternatives
    (r"\bmes? amis\b", {" amis"}),  # an optional letter cuts the run
    (r"a+idez", {"idez"}),  # a repeated letter too
    (r"(?<!casi )\bme mato\b(?! de risa)", {"me mato"}),  # a lookaround's words are not part of the match
    ("我被关", {"我被关"}),
    (r"^\W*help\W*$", {"help"}),
    (r"\b(?:ab|c) x", None),  # "c" and " x" are in most texts: nothing useful is required
    (r"\bhelp\b|\bno\b", None),  # a branch that requires nothing useful makes the whole require nothing
    (r"(?P<who>il) me tue", None),  # a named group is not read
])
def test_the_strings_a_phrase_requires(pattern, required):
    assert required_strings(pattern) == (frozenset(required) if required is not None else None)


@pytest.mark.parametrize("group, sets, least", [
    ("danger", "danger_*.jsonl", 600),  # 681 of 4,325 messages and sentences; likeness reads the rest
    ("kinds", "*.jsonl", 1000), ("needs", "*.jsonl", 1500), ("audience", "*.jsonl", 1000), ("maybe_child", "*.jsonl", 700),
])
def test_the_prefiltered_reading_finds_what_one_alternation_per_label_found(group, sets, least):
    """Every message of the test sets and each of its sentences: the labels read are those the per-label alternations
    (the reading before the prefilter) find."""
    data = json.loads((ROOT / "corpus" / SIGNALS_FILE).read_text(encoding="utf-8"))
    labelled = {"danger": {k: _typed_in_latin(data["danger"].get(k, {})) for k in DANGER_KINDS},
                "audience": {k: data["audience"].get(k, {}) for k in AUDIENCES},
                "maybe_child": {MAYBE_CHILD: data["maybe_child"]}}.get(group) or data[group]
    per_label = {label: _compile(patterns) for label, patterns in labelled.items()}
    prefiltered = getattr(default_signals(), group)
    texts = [_text(json.loads(line)) for path in sorted(DATA.glob(sets)) for line in path.open(encoding="utf-8")]
    read = 0
    for folded in {fold(t) for text in texts for t in (text, *sentence_texts(text))}:  # the danger's sentences, read()'s messages
        scripts = _scripts(folded)
        expected = {label for label, compiled in per_label.items() if _search(compiled, folded, scripts)}
        found = _labels(prefiltered, folded, scripts)
        assert found == expected, folded
        read += bool(found)
    assert read > least


def _text(item: dict) -> str:
    return item.get("text") or item.get("question") or item.get("message") or ""


@pytest.mark.parametrize("group, label, damaged", [
    ("danger", "imminent", "[x"), ("danger", "imminent", "(abc"), ("danger", "imminent", "abc)"),
    ("needs", "residence", "[x"),  # the phrases still read as one alternation
])
def test_a_damaged_phrase_is_refused_naming_the_fix(tmp_path, group, label, damaged):
    """"[x", joined with the phrases after it into one alternation, read them into an unclosed character class and
    compiled, so the damaged file was loaded."""
    data = json.loads((ROOT / "corpus" / SIGNALS_FILE).read_text(encoding="utf-8"))
    data[group][label]["en"].insert(0, damaged)
    path = tmp_path / SIGNALS_FILE
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SignalsError, match="restore it from git"):
        Signals.load(path)
