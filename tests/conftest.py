"""Shared fixtures: the real engine on the shipped index, throw-away projects, servers."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SECOND_PERSON = re.compile(r"\b(?:you|your|yours)\b(?! help)", re.I)  # addressing the reader; "the person you help" speaks to the helper
LOGS = ROOT / ".pytest_cache" / "bot-logs"  # every bot process of the suite logs here (scanned for message text last)
LOGS.mkdir(parents=True, exist_ok=True)


def pytest_configure(config: pytest.Config) -> None:
    """A fresh log folder per run; the tests' own process logs there too."""
    import logging

    for old in LOGS.glob("*.log"):
        old.unlink()
    handler = logging.FileHandler(LOGS / "tests-process.log")
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def engine():
    from bot.engine import Engine

    return Engine.load()


@pytest.fixture(scope="session")
def dev_items():
    from bot.evaluate import load_items

    return load_items(DATA / "dev.jsonl")


def run_bot(*args: str, env: dict | None = None, input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `bot` command line."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, input=input, timeout=timeout,
        env={**os.environ, **(env or {})}, cwd=ROOT,
    )


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """A throw-away project (BOT_HOME) with a small two-document corpus and no translations."""
    home = tmp_path / "project"
    (home / "corpus" / "sources").mkdir(parents=True)
    (home / "locales").mkdir()
    for name in ("topics.json", "signals.json", "places.json"):
        shutil.copy(ROOT / "corpus" / name, home / "corpus" / name)
    (home / "corpus" / "questions").mkdir()
    shutil.copy(DATA / "tiny_negative.jsonl", home / "corpus" / "questions" / "negative.jsonl")
    services = json.loads((ROOT / "corpus" / "services.json").read_text())
    services["services"] = [s for s in services["services"] if "passage" not in s["source"]]
    (home / "corpus" / "services.json").write_text(json.dumps(services))
    text = (DATA / "tiny_source.txt").read_text()
    (home / "corpus" / "sources" / "tiny.txt").write_text(text)
    (home / "corpus" / "sources" / "tiny.json").write_text(json.dumps({
        "id": "tiny", "file": "tiny.txt", "title": "A tiny report on victims' rights", "publisher": "Test suite",
        "as_of": "2020-01-01", "language": "en", "kind": "test report", "cleaning": {"passage_prefix": "tiny"},
    }))
    return home


TINY_QUESTIONS = {  # words of a tiny passage -> questions people would ask of it
    "temporary residence permit": ["can i get papers if i report my boss", "permit for victims who testify"],
    "consular attestation": ["i have no passport what can i show", "do I need a passport for the permit",
                             "My boss kept my passport. What can I show for the permit?"],  # a story, then the asking sentence
    "compensation commission": ["can i get money for what they did to me", "who awards compensation to victims"],
    "victim assistance association": ["who helps me fill the file for free", "help in my language with the steps"],
    "presumed to be a minor": ["they say i am not 16 but i am", "what if my age is in doubt"],
}


def tiny_bank(home: Path) -> None:
    """Questions for the tiny project's passages, keyed to the passages `bot corpus build` made of it."""
    from bot.bank import text_hash

    passages = [json.loads(line) for line in (home / "corpus" / "built" / "passages.jsonl").read_text().splitlines() if line]
    lines = []
    for words, questions in TINY_QUESTIONS.items():
        passage = next(p for p in passages if words in p["text"])
        lines += [json.dumps({"passage": passage["id"], "hash": text_hash(passage["text"]), "audience": "victim",
                              "question": q, "review": {"written_by": "person"}}) for q in questions]
    (home / "corpus" / "questions" / "en.jsonl").write_text("\n".join(lines) + "\n")
    # typed without its marks, this question reads as itself (its French terms carry it): its copy is no unit, and
    # a build that kept no vector of it encoded it again every time
    permit = next(p for p in passages if "temporary residence permit" in p["text"])
    (home / "corpus" / "questions" / "vi.jsonl").write_text(json.dumps({
        "passage": permit["id"], "hash": text_hash(permit["text"]), "audience": "victim",
        "question": "Vì sao mỗi préfecture áp dụng Điều L316-1 một kiểu?", "review": {"written_by": "person"}}, ensure_ascii=False) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    """A real redis-server on 127.0.0.1, installed from Debian's packages if missing."""
    binary = shutil.which("redis-server")
    if binary is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True, capture_output=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (apt-get install redis-server)"
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)
