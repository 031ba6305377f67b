"""`bot ask --batch` on any bytes at all: exactly one output object per non-empty input line, in order."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.commands import batch_answers
from bot.conversation import Conversation

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "question", "lang", "x"]), inner, max_size=4),
    max_leaves=8,
)
LINE = st.one_of(
    JSONISH.map(lambda v: json.dumps(v).encode()),
    st.binary(min_size=1, max_size=40),
    st.builds(lambda q, l, i: json.dumps({"id": i, "question": q, "lang": l}).encode(),
              st.text(min_size=1, max_size=30), st.sampled_from(["fr", "xx", "it", "", "EN", "pt-BR"]),
              st.one_of(st.text(max_size=5), st.integers(), st.none())),
    st.just(b"\xef\xbb\xbf" + json.dumps({"id": "bom", "question": "papers"}).encode()),
    st.just(b"[" * 50000),
)


@pytest.fixture(scope="module")
def conversation(engine):
    return Conversation(engine)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(LINE, min_size=1, max_size=12))
@example([b'{"id": null, "question": "BG", "lang": "fr"}'])  # a language's name, which a chat takes for its choice
def test_one_output_object_per_input_line(conversation, lines):
    raw = b"\n".join(lines)
    expected = [n for n, line in enumerate(raw.split(b"\n"), 1) if line.strip() and (n > 1 or line.removeprefix(b"\xef\xbb\xbf").strip())]
    out = list(batch_answers(raw, conversation, None, 1, None))
    assert len(out) == len(expected)
    for n, obj in zip(expected, out):
        json.dumps(obj)
        if "error" in obj:
            assert obj["line"] == n
        else:
            assert "results" in obj and "reply" in obj
