"""The danger phrases are tried only where a string they require is: what a text says must not change."""

from __future__ import annotations

import json

import pytest

from bot.prefilter import required_strings
from bot.situation import (DANGER_KINDS, SIGNALS_FILE, Signals, SignalsError, _compile, _scripts, _search, _typed_in_latin,
                           default_signals)
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


def test_the_prefiltered_reading_finds_what_one_alternation_per_kind_found():
    """Each danger message of the test sets, sentence by sentence: the kinds read are those the per-kind alternations
    (the reading before the prefilter) find."""
    data = json.loads((ROOT / "corpus" / SIGNALS_FILE).read_text(encoding="utf-8"))
    per_kind = {k: _compile(_typed_in_latin(data["danger"].get(k, {}))) for k in DANGER_KINDS}
    signals = default_signals()
    sentences = [fold(s) for path in sorted(DATA.glob("danger_*.jsonl")) for line in path.open(encoding="utf-8")
                 for s in sentence_texts(json.loads(line)["text"])]
    read = 0
    for folded in sentences:
        scripts = _scripts(folded)
        expected = {k for k, compiled in per_kind.items() if _search(compiled, folded, scripts)}
        found = set().union(*(signals.danger[script].labels_in(folded) for script in scripts))
        assert found == expected, folded
        read += bool(found)
    assert read > 400  # the phrases alone read 528 of them; likeness reads the rest


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
